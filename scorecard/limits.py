"""Limits on what scorecard reads, checked before any work, so a huge file is a clear refusal, not a hang.

There is one policy size limit (the option, else the environment, else the default), checked by `stat`
before a byte is read. Every input file is opened the same careful way: only a regular file is opened
(a FIFO would hang the build, a device would never end), and no more than its size is read.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import PolicyError, ScorecardError

DEFAULT_MAX_POLICY_MB = 20  # real policies are well under 1 MB; a PDF with images may be a few MB
MAX_POLICY_MB_ENV = "SCORECARD_MAX_POLICY_MB"
MAX_YAML_BYTES = 5_000_000  # provider.yaml, facts.yaml, a rubric: kilobytes; more is a mistake or an attack


def max_policy_mb(option: float | None = None) -> float:
    """The limit in MB: the command-line option, else $SCORECARD_MAX_POLICY_MB, else the default."""
    if option is not None:
        return option
    raw = os.environ.get(MAX_POLICY_MB_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_POLICY_MB
    try:
        value = float(raw)
    except ValueError:
        raise PolicyError(f"{MAX_POLICY_MB_ENV}={raw!r} is not a number of megabytes") from None
    if value <= 0:
        raise PolicyError(f"{MAX_POLICY_MB_ENV} must be above 0")
    return value


def check_policy_file(path: Path, limit_mb: float | None = None) -> None:
    """A PolicyError unless `path` is a readable regular file no bigger than the limit (read nothing)."""
    path = Path(path)
    limit = max_policy_mb(limit_mb)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise PolicyError("policy file not found", path) from None
    except OSError as exc:
        raise PolicyError(f"cannot read the policy file: {exc.strerror}", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise PolicyError("policy is not a regular file", path)
    if not os.access(path, os.R_OK):
        raise PolicyError("cannot read the policy file: permission denied", path)
    size = info.st_size
    if size > limit * 1_000_000:
        need = int(size / 1_000_000) + 1
        raise PolicyError(f"policy file is {size / 1_000_000:.1f} MB, over the {limit:g} MB limit; if it really"
                          f" is the policy, raise the limit with --max-policy-mb {need}", path)


def open_regular(path: Path) -> int:
    """A file descriptor for reading `path`, only if it is a regular file: stat first (a FIFO, device or
    socket is never opened), then open without blocking and check again on the descriptor."""
    path = Path(path)
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise ScorecardError("file not found", path) from None
    except OSError as exc:
        raise ScorecardError(f"cannot read: {exc.strerror}", path) from None
    if not stat.S_ISREG(before.st_mode):
        raise ScorecardError("not a regular file (FIFOs, devices and sockets are never read)", path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ScorecardError(f"cannot read: {exc.strerror}", path) from None
    after = os.fstat(fd)
    if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
        os.close(fd)
        raise ScorecardError("changed while being opened; try again", path)
    return fd


def read_regular(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file, refused before reading if over `max_bytes`; never more than its size."""
    fd = open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if max_bytes is not None and size > max_bytes:
            raise ScorecardError(f"file is {size / 1_000_000:.1f} MB, over the {max_bytes / 1_000_000:g} MB"
                                 " this kind of file may have", path)
        chunks, left = [], size
        while left > 0:  # a file that grows while read is cut at its size when opened
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ScorecardError(f"cannot read: {exc.strerror}", path) from None
    finally:
        os.close(fd)
