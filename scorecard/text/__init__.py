"""Policy text: read a file (.txt .md .html .pdf), normalize it, split it into sections and sentences.

    document = read_policy(Path("providers/cloud9/policy.txt"))
    for sentence in document.sentences:
        print(sentence.section, document.quote(sentence))

`Document.text` is the normalized text; every offset points into it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PolicyError, ScorecardError
from ..limits import read_regular
from .decode import decode_bytes
from .formats import Block, html_blocks, markdown_blocks, pdf_blocks, text_blocks
from .segment import Sentence, segment_blocks

FORMATS = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


@dataclass(slots=True)
class Document:
    path: Path
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    format: str = "txt"
    headings: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each heading line in text

    def quote(self, sentence: Sentence) -> str:
        return self.text[sentence.start:sentence.end]


def read_policy(path: Path) -> Document:
    """Read, decode, normalize and segment one policy file; PolicyError names the file otherwise."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise PolicyError(f"unsupported policy format '{suffix or path.name}' (use .txt, .md, .html or .pdf)", path)
    try:  # the size limit is checked by the caller (limits.check_policy_file), once, with the user's option
        data = read_regular(path)
    except ScorecardError as exc:
        raise PolicyError(exc.message, path) from None
    if suffix == ".pdf":
        document = _document(path, pdf_blocks(data, path), "pdf")
    else:
        fmt = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(suffix, "txt")
        document = parse_text(decode_bytes(data, path), fmt, path)
    if not document.sentences:
        raise PolicyError("no policy text found (the file is empty or holds no sentences)", path)
    return document


def parse_text(text: str, fmt: str = "txt", path: Path | None = None) -> Document:
    """A Document from text already in memory (fmt: txt, md or html); may have no sentences."""
    path = path or Path(f"<{fmt}>")
    blocks: Iterable[Block]
    if fmt == "md":
        blocks = markdown_blocks(text)
    elif fmt == "html":
        blocks = html_blocks(text)
    else:
        blocks = text_blocks(text)
    return _document(path, blocks, fmt)


def _document(path: Path, blocks: Iterable[Block], fmt: str) -> Document:
    text, spans, headings = segment_blocks(blocks, normalized=fmt in ("txt", "pdf"))  # text_blocks normalized them
    return Document(path, text, spans, fmt, headings)


__all__ = ["Document", "PolicyError", "Sentence", "parse_text", "read_policy"]
