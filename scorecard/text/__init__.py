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
from .memory import fix_mmap_threshold
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
    # The bytes and the decoded text are passed on, never kept in a local here, so that each is freed
    # as soon as the next stage no longer needs it: a big policy is not held several times over.
    return parse_policy(path, _read(path))


def _read(path: Path) -> bytes:
    fix_mmap_threshold()  # before the first big buffer: freed ones are then given back (see memory.py)
    try:  # the size limit is checked by the caller (limits.check_policy_file), once, with the user's option
        return read_regular(path)
    except ScorecardError as exc:
        raise PolicyError(exc.message, path) from None


def parse_policy(path: Path, data: bytes) -> Document:
    """A policy file's bytes, already read, as read_policy reads them."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        document = _document(path, pdf_blocks(data, path), "pdf")
    else:
        fmt = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}.get(suffix, "txt")
        holder = [decode_bytes(data, path)]
        del data  # the caller's reference, if it kept one, still holds the bytes
        document = _parse_owned(holder, fmt, path)
    if not document.sentences:
        raise PolicyError("no policy text found (the file is empty or holds no sentences)", path)
    return document


def parse_text(text: str, fmt: str = "txt", path: Path | None = None) -> Document:
    """A Document from text already in memory (fmt: txt, md or html); may have no sentences."""
    return _parse_owned([text], fmt, path)


def _parse_owned(holder: list[str], fmt: str, path: Path | None) -> Document:
    """parse_text of the text in `holder`, which is emptied: the blocks' reader then holds the only
    reference this stage has, and the text is freed once it is read, before the document is made."""
    path = path or Path(f"<{fmt}>")
    text = holder.pop()
    blocks: Iterable[Block]
    if fmt == "md":
        blocks = markdown_blocks(text)
    elif fmt == "html":
        blocks = html_blocks(text)
    else:
        blocks = text_blocks(text)
    del text
    return _document(path, blocks, fmt)


def _document(path: Path, blocks: Iterable[Block], fmt: str) -> Document:
    text, spans, headings = segment_blocks(blocks, normalized=fmt in ("txt", "pdf"))  # text_blocks normalized them
    return Document(path, text, spans, fmt, headings)


__all__ = ["Document", "PolicyError", "Sentence", "parse_policy", "parse_text", "read_policy"]
