"""Bytes -> str: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when its NUL bytes give
it away), cp1252; anything else is an error."""
from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import PolicyError

# cp1252 leaves five bytes undefined; a file holding them (or NULs) is binary, not a policy.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
_SNIFF_BYTES = 4096  # enough of the start to see the NUL pattern of UTF-16
_MIN_PAIRS = 16  # fewer characters than this say nothing about an encoding
_UTF16_NUL_SHARE = 0.3  # Latin-script UTF-16 has a NUL in about every other byte; text in UTF-8 has none


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `data` (no BOM) reads as UTF-16 by its NUL bytes, else None.

    Text in a Latin script stored as UTF-16 has a NUL as the high byte of almost every character: on the
    odd positions in little-endian, the even ones in big-endian, and almost none on the other side."""
    head = data[:_SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs < _MIN_PAIRS or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= _UTF16_NUL_SHARE * pairs and even <= odd // 10:
        return "utf-16-le"
    if even >= _UTF16_NUL_SHARE * pairs and odd <= even // 10:
        return "utf-16-be"
    return None


def decode_utf16(data: bytes) -> str | None:
    """The text of UTF-16 `data` (BOM or sniffed), or None if it is not UTF-16. Raises UnicodeDecodeError
    for bytes with a UTF-16 BOM that are not valid UTF-16; a sniffed guess that does not decode is None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    encoding = utf16_without_bom(data)
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def sniff_text(data: bytes) -> str:
    """A lenient decoding for peeking at bytes (never fails): UTF-16 if it looks so, else UTF-8."""
    try:
        text = decode_utf16(data[: len(data) // 2 * 2])
    except UnicodeDecodeError:
        text = None
    return text if text is not None else data.decode("utf-8", errors="replace")


def decode_bytes(data: bytes, path: Path | None = None, *, declared: str = "", lenient: bool = False) -> str:
    """Decode a policy's bytes; the first encoding that fits exactly wins: the charset a server `declared`
    (a declared 'utf-16' says nothing of byte order: sniffed instead), UTF-16 by its BOM or NUL bytes, UTF-8,
    cp1252. A policy file that fits none is an error naming `path`; a downloaded page (`lenient`) never is:
    cp1252 with replacements."""
    declared = declared.lower().replace("_", "-")
    if declared and declared not in ("utf-16", "utf16"):
        try:
            return data.decode(declared).removeprefix("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text = decode_utf16(data)
    except UnicodeDecodeError:
        if not lenient:
            raise PolicyError("not valid UTF-16 text despite its byte-order mark", path) from None
        text = None
    if text is not None:
        return text.removeprefix("\ufeff")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if lenient:
            return data.decode("cp1252", errors="replace")
    # cp1252 decodes almost any byte string, so demand that it looks like text.
    if b"\x00" in data or any(b in _CP1252_HOLES for b in data):
        raise PolicyError("cannot decode: not UTF-8, UTF-16 or cp1252 text", path)
    return data.decode("cp1252")
