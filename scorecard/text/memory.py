"""Keep glibc's malloc from holding a big policy's freed buffers: a fixed mmap threshold.

glibc serves a request of 128 KiB or more with its own mmap, returned to the system when freed; but when
such a block is freed, it raises that threshold to the block's size (up to 32 MiB), so that the next
buffers of a big policy (its text as UTF-8 while segmenting, the shapes and index lists of the engine)
come from the heap, where freed space in the middle is kept, not returned. Reading a 10 MB policy, a
tenth of the peak was memory already freed. Setting the threshold (mallopt) turns that raising off.
"""
from __future__ import annotations

import ctypes
import functools
import sys

_M_MMAP_THRESHOLD = -3  # glibc's malloc.h
_THRESHOLD = 128 * 1024  # glibc's default, kept fixed


@functools.cache
def fix_mmap_threshold() -> bool:
    """Once per process; False where the C library is not glibc (no mallopt, or another meaning)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)  # the process's own symbols, the C library's among them
        if not hasattr(libc, "gnu_get_libc_version"):  # musl has a mallopt that does nothing
            return False
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, _THRESHOLD))
    except (OSError, AttributeError):
        return False
