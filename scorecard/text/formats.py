"""File formats -> blocks of raw text, each marked as a heading or not.

A block is one line, paragraph or list item; headings become section names. Markup is
dropped here, before normalization, so offsets only ever refer to what a reader sees.
"""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar, NamedTuple
from xml.etree import ElementTree

from ..errors import PolicyError


class Block(NamedTuple):
    text: str
    heading: bool = False


# --- plain text and PDF --------------------------------------------------------------------

_ENDS_SENTENCE = re.compile(r"[.!?:;]['\")\]]?\s*$")
_BULLET_START = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)]|\(?[a-z]\))\s")


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text (old policies, PDF text layers): most lines long and unfinished."""
    full = [ln for ln in lines if ln.strip()]
    if len(full) < 8:
        return False
    long = [ln for ln in full if 50 <= len(ln) <= 100]
    open_ended = [ln for ln in long if not _ENDS_SENTENCE.search(ln)]
    return len(long) >= 0.6 * len(full) and len(open_ended) >= 0.4 * len(long)


def unwrap(lines: list[str]) -> list[str]:
    """Join lines broken mid-sentence; keep breaks after sentence ends, blank lines and bullets."""
    out: list[str] = []
    joinable = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            out.append("")
            joinable = False
            continue
        # A continuation starts lower-case, or follows a long line that stopped mid-sentence.
        continues = stripped[0].islower() or len(out[-1]) > 50 if out else False
        if joinable and continues and not _BULLET_START.match(line):
            prev = out[-1]
            out[-1] = prev[:-1] + stripped if prev.endswith("-") and stripped[:1].islower() else f"{prev} {stripped}"
        else:
            out.append(stripped)
        joinable = not _ENDS_SENTENCE.search(out[-1])
    return out


def text_blocks(text: str, wrapped: bool | None = None) -> list[Block]:
    lines = text.splitlines()
    if wrapped if wrapped is not None else _looks_wrapped(lines):
        lines = unwrap(lines)
    return [Block(line) for line in lines if line.strip()]


def pdf_blocks(data: bytes, path: Path) -> list[Block]:
    import logging

    from pypdf import PdfReader  # imported late: most runs never read a PDF

    # pypdf logs its repairs ("EOF marker not found"); the user gets our one line instead.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PolicyError("the PDF is encrypted: save an unencrypted copy of the policy", path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except PolicyError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed, untrusted PDF can fail anywhere inside pypdf
        raise PolicyError(f"cannot read PDF: {' '.join(str(exc).split()) or type(exc).__name__}", path) from None
    return text_blocks("\n".join(pages), wrapped=True)


# --- Markdown ------------------------------------------------------------------------------

def markdown_blocks(text: str) -> list[Block]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    blocks: list[Block] = []
    heading = False
    for token in md.parse(text):
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline":
            blocks.append(Block(_inline_text(token.children or []), heading))
        elif token.type in ("fence", "code_block"):
            blocks.append(Block(token.content))
    return [b for b in blocks if b.text.strip()]


_STRAY_EMPHASIS = re.compile(r"\*\*+|__+")


def _inline_text(children: list) -> str:
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(_STRAY_EMPHASIS.sub("", child.content))  # "**" left by unbalanced emphasis
        elif child.type == "code_inline":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


# --- HTML ----------------------------------------------------------------------------------

_XML_BLOCKS = {"head": True, "p": False, "item": False, "cell": False, "quote": False, "code": False}


def html_blocks(html: str) -> list[Block]:
    """The main text through trafilatura (no navigation, scripts or styles), headings kept."""
    import trafilatura

    try:
        xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                                  favor_recall=True, deduplicate=False)
    except Exception:  # noqa: BLE001 - a parser crash on odd HTML must not lose the policy
        xml = None
    blocks: list[Block] = []
    if xml:
        try:
            _walk(ElementTree.fromstring(xml), blocks)
        except ElementTree.ParseError:
            blocks = []
    if blocks and any(b.heading for b in blocks):
        return blocks
    # trafilatura declined the page or lost its headings: the plain parser keeps both
    fallback = _fallback_html_blocks(html)
    return fallback if not blocks or any(b.heading for b in fallback) else blocks


def _walk(element: ElementTree.Element, blocks: list[Block]) -> None:
    for child in element:
        if child.tag in _XML_BLOCKS:
            blocks.append(Block("".join(child.itertext()), _XML_BLOCKS[child.tag]))
        else:
            _walk(child, blocks)


class _TextParser(HTMLParser):
    """Fallback for pages trafilatura declines (short or bare HTML): text outside skipped tags."""

    SKIP: ClassVar[frozenset[str]] = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "head", "form"})
    BREAK: ClassVar[frozenset[str]] = frozenset({"p", "div", "li", "br", "tr", "td", "th", "section", "article", "dd", "dt", "blockquote", "ul", "ol"})
    HEAD: ClassVar[frozenset[str]] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.skip = 0

    def flush(self, heading: bool = False) -> None:
        text = "".join(self.buf).strip()
        if text:
            self.blocks.append(Block(re.sub(r"\s+", " ", text), heading))
        self.buf = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BREAK or tag in self.HEAD:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.HEAD:
            self.flush(heading=True)
        elif tag in self.BREAK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(data)


def _fallback_html_blocks(html: str) -> list[Block]:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks
