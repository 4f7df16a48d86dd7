"""Counts in words for messages: "1 provider", "2 providers", never "provider(s)"."""
from __future__ import annotations


def plural(count: int, singular: str, many: str = "") -> str:
    """`count` and the noun in the form it takes: plural(1, "file") is "1 file", plural(3, "entry", "entries")
    is "3 entries"."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"
