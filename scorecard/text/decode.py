"""Bytes -> str: UTF-8 (with or without BOM), UTF-16 (with BOM), cp1252; anything else is an error."""
from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import PolicyError

# cp1252 leaves five bytes undefined; a file holding them (or NULs) is binary, not a policy.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode a policy file's bytes; the first encoding that fits exactly wins."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PolicyError("not valid UTF-16 text despite its byte-order mark", path) from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # cp1252 decodes almost any byte string, so demand that it looks like text.
    if b"\x00" in data or any(b in _CP1252_HOLES for b in data):
        raise PolicyError("cannot decode: not UTF-8, UTF-16 or cp1252 text", path)
    return data.decode("cp1252")
