"""File formats -> blocks of raw text: headings, paragraphs and list items.

A block is one heading, paragraph, list item or table cell; headings become section names.
A line break inside a paragraph is only where the text was wrapped: segment.segment_blocks joins the
lines of a block with spaces, so a sentence wrapped over lines is one sentence. Markup is
dropped here, before normalization, so offsets only ever refer to what a reader sees.

Reading is bounded: Markdown is parsed a slice at a time and its inline markup per paragraph
(a paragraph of pathological markup is stripped by pattern, not parsed); HTML with more tags
than any policy page has is read by a streaming parser instead of trafilatura's tree.
"""
from __future__ import annotations

import bisect
import functools
import html as html_lib
import io
import re
from array import array
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar, NamedTuple
from xml.etree import ElementTree

from ..errors import PolicyError
from .normalize import looks_like_heading, looks_like_plain_title, normalize


class Block(NamedTuple):
    text: str
    heading: bool = False
    lines: bool = False  # every line is its own unit (code blocks): never joined into sentences
    said: bool = False  # a heading guessed from its wording alone, also kept as a sentence
    item: bool = False  # a list item (a bullet or number in text, <li>, a Markdown list): told to the engine


# --- plain text and PDF --------------------------------------------------------------------

_ENDS_SENTENCE = re.compile(r"[.!?:;]['\")\]]*$")
_BULLET_START = re.compile(r"^(?:[-*•·▪◦‣]|\d{1,2}[.)]|\(?[a-z]\))\s")
# A line ending in one of these words stops mid-sentence: "We do not" / "sell your data".
_OPEN_WORDS_TEXT = """a an the and or nor but of to in on at by for from with without into onto about as than
    that which who whom whose if not no our your their its his her my we you they us them is are was were be been
    may might can could will would shall should must do does such any all each other these those this per via
    including include includes e.g i.e"""
_OPEN_WORDS = frozenset(_OPEN_WORDS_TEXT.split())
_FIRST_WORD = re.compile(r"\S+")
_SPACE_LINES = re.compile(r"\n(?: \n)+")
_STRONG_HEADING = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z]")
_HASH_HEADING = re.compile(r"^#{1,6}[ \t]+(?=\S)")
_BARE_BULLETS = re.compile(r"^[•·▪◦‣*-]+$")


class _Layout(NamedTuple):
    width: int  # the column the text was wrapped at (characters), 0 when it was not wrapped
    slack: float  # how far short of `width` a wrapped line may end (proportional fonts in PDFs)


_TEXT_SLACK = 0.05  # plain text wrapped at a column: its lines end within a word of it


def _layout(lengths: Sequence[int], ends: Sequence[int], pdf: bool) -> _Layout:
    """Was the text hard-wrapped, and at what width? Wrapped lines cluster just under one width
    and most of them stop mid-sentence; one-paragraph-per-line text has neither. lengths: of every
    line (0 for a blank one); ends: 1 where a line ends a sentence (_ENDS_SENTENCE)."""
    nonblank = sorted(n for n in lengths if n)
    if len(nonblank) < 4 and not pdf:
        return _Layout(0, 0.0)
    if not nonblank:
        return _Layout(0, 0.0)
    # the 95th percentile; of a few lines (a short PDF: "Sharing" / "We do not" / "sell your...") the longest
    width = nonblank[int(0.95 * (len(nonblank) - 1))] if len(nonblank) >= 20 else nonblank[-1]
    if pdf:
        return _Layout(width, 0.25)
    if width > 200:
        return _Layout(0, 0.0)
    long = [n for n, length in enumerate(lengths) if length and length >= 0.7 * width]
    open_ended = sum(1 for n in long if not ends[n])
    if len(long) >= 0.5 * len(nonblank) and open_ended >= 0.5 * len(long):
        return _Layout(width, _TEXT_SLACK)
    return _Layout(0, 0.0)


def _full(line: str, following: str, layout: _Layout) -> bool:
    """A wrapped line is full when the next line's first word would not have fit on it."""
    word = _FIRST_WORD.match(following)
    need = len(line) + 1 + (len(word.group()) if word else 0)
    return need > layout.width * (1 - layout.slack)


def _continues(prev: str, line: str, layout: _Layout, in_item: bool = False) -> bool:
    """Does `line` carry on the paragraph that `prev` (its last line) belongs to? in_item: that
    paragraph is a list item."""
    if _BULLET_START.match(line):
        # A list item starts, unless text wrapped at a fixed width filled a paragraph's line in mid-
        # sentence: "Rosenheimer Straße 143C" / "- 8th floor" is one line of it, wrapped (after an
        # item, a marker starts the next item).
        return (layout.slack <= _TEXT_SLACK and bool(layout.width) and not in_item
                and not _ENDS_SENTENCE.search(prev) and _full(prev, line, layout))
    first = line[0]
    if first.islower() or (prev.endswith("-") and prev[-2:-1].isalpha() and first.isalpha()):
        return True
    if _ENDS_SENTENCE.search(prev):
        # A finished sentence and a capital: the same sentences whether or not the paragraph goes
        # on, and list items and headings in PDFs (their markers lost) start exactly like this.
        # But text hard-wrapped at a fixed width (not a PDF's proportional type) that filled the
        # line goes on: the wrap fell after a sentence, the paragraph did not end there.
        return layout.slack <= _TEXT_SLACK and bool(layout.width) and _full(prev, line, layout)
    if layout.width:
        return _full(prev, line, layout)
    last = prev.rsplit(None, 1)[-1].lower().rstrip(".")
    return prev.endswith((",", "(", "/", "&")) or last in _OPEN_WORDS


def _heading_line(line: str, following: str | None, layout: _Layout) -> bool:
    """A line that titles a section: its wording (normalize.looks_like_heading), not followed by
    the rest of its own sentence, and in wrapped text ended before the width was reached."""
    if not looks_like_heading(line):
        return False
    if following is None:
        return True
    if following[0].islower():
        return False
    if _STRONG_HEADING.match(line) or line.endswith("?"):
        return True  # its shape says so (and a PDF's larger heading font defeats the width test)
    if line.isupper():  # a title in capitals, unless it is a line of a paragraph in capitals, wrapped
        return not (layout.width and following.isupper() and _full(line, following, layout))
    return not layout.width or not _full(line, following, layout)


def _two_line_heading(line: str, following: str | None, layout: _Layout) -> bool:
    """A title wrapped over two lines (a PDF's larger heading type): a question or numbered
    title ("Does X use Cookies and Other Tracking" / "Technologies?"), or a Title Case one whose
    first line is long enough to have been wrapped ("... Offered Through the Fitbit" / "Site")."""
    if following is None or len(line) + len(following) > 90 or _ENDS_SENTENCE.search(line):
        return False
    if len(following) >= len(line) or following[-1] in ".:;,":
        return False  # wrapping fills the first line; a line of its own after a title is a sentence
    joined = f"{line} {following}"
    if not looks_like_heading(joined):
        return False
    if joined.endswith("?") or _STRONG_HEADING.match(joined):
        return True
    return len(line) >= 0.55 * layout.width


def _title_after(prev: str, line: str, following: str | None, layout: _Layout) -> bool:
    """In wrapped text, a short title line after a paragraph that ended without a full stop
    ("... without the consent of affected individuals" / "Contact Information")."""
    if not layout.width or following is None or not following[0].isupper() or prev.endswith((",", "-", "/")):
        return False
    if prev.rsplit(None, 1)[-1].lower() in _OPEN_WORDS:
        return False  # "We comply with the" / "California Consumer Privacy Act": one sentence
    return looks_like_heading(line) and not _full(line, following, layout)


_NORMALIZE_CHUNK = 1 << 16  # characters normalized at a time (see _normalized_lines)


def _normalized_lines(text: str) -> Iterator[str]:
    """The lines of normalize(text), stripped, a line-aligned chunk at a time: the same lines (nothing
    normalize does reaches across a line break), without a normalized copy of the whole text."""
    start = 0
    while True:
        cut = text.find("\n", start + _NORMALIZE_CHUNK) if len(text) - start > 2 * _NORMALIZE_CHUNK else -1
        # a chunk ends with its line break, which normalize keeps as it is: dropped before the split
        chunk = normalize(text[start:]) if cut < 0 else normalize(text[start:cut + 1])[:-1]
        for line in chunk.split("\n"):
            yield line.strip()
        if cut < 0:
            return
        start = cut + 1


def _text_lines(text: str) -> Iterator[tuple[str, bool]]:
    """The lines of the text but bullet glyphs standing alone (a PDF's list markers, laid out apart
    from their items), each with whether such a glyph stood on the line before."""
    bullet = False
    for line in _normalized_lines(text):
        if _BARE_BULLETS.match(line):
            bullet = True
            continue
        yield line, bullet
        bullet = False


def text_blocks(text: str, pdf: bool = False) -> Iterator[Block]:
    """Plain text (or a PDF's text layer) -> paragraphs, list items and guessed headings.

    Read twice, a line at a time: once for the layout (line lengths), once for the blocks, which are
    given as they are made. Neither the lines nor the blocks of a big policy are ever all held at once."""
    lengths = array("l")
    ends = bytearray()
    for line, _bullet in _text_lines(text):
        lengths.append(len(line))
        ends.append(1 if _ENDS_SENTENCE.search(line) else 0)
    layout = _layout(lengths, ends, pdf)
    del lengths, ends
    paragraph: list[str] = []
    item = False  # the paragraph is a list item (its bullet glyph stood alone before it, or it has a marker)

    def paragraph_block() -> Block:
        return Block("\n".join(paragraph), item=item)

    lines = _text_lines(text)
    current = next(lines, None)
    skip = False
    while current is not None:
        line, bulleted = current
        current = next(lines, None)
        if skip:
            skip = False
            continue
        if not line:
            if paragraph:
                yield paragraph_block()
                paragraph = []
            continue
        following = current[0] if current is not None and current[0] else None
        if paragraph and _continues(paragraph[-1], line, layout, item) \
                and not _title_after(paragraph[-1], line, following, layout):
            paragraph.append(line)
            continue
        if paragraph:
            yield paragraph_block()
            paragraph = []
        if _HASH_HEADING.match(line):  # "## Information we sell": a Markdown-style title in plain text
            yield Block(_HASH_HEADING.sub("", line), heading=True)
        elif layout.width and following is not None and _two_line_heading(line, following, layout):
            yield Block(f"{line}\n{following}", heading=True)
            skip = True
        elif _heading_line(line, following, layout):
            yield Block(line, heading=True)
        elif (following is None or following[0].isupper()) and (not layout.width or following is None
                                                                 or not _full(line, following, layout)) \
                and looks_like_plain_title(line):
            yield Block(line, heading=True, said=True)  # a paragraph of its own: "Billing information"
        else:
            if not paragraph:
                item = bulleted or bool(_BULLET_START.match(line))
            paragraph.append(line)
    if paragraph:
        yield paragraph_block()


def pdf_blocks(data: bytes, path: Path) -> Iterator[Block]:
    """A PDF's text layer -> blocks. Each page is read once: pypdf's plain text, and through its
    visitor where each piece of that text sits, which tells list items and paragraph starts."""
    import logging

    from pypdf import PdfReader  # imported late: most runs never read a PDF

    # pypdf logs its repairs ("EOF marker not found"); the user gets our one line instead.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PolicyError("the PDF is encrypted: save an unencrypted copy of the policy", path)
        pages = [_read_page(page) for page in reader.pages]
    except PolicyError:
        raise
    except Exception as exc:
        raise PolicyError(f"cannot read PDF: {' '.join(str(exc).split()) or type(exc).__name__}", path) from None
    text = _marked_text(pages)
    if text.count("\n \n") > text.count("\n") // 4:
        # Some text layers place each word apart: pypdf gives "Privacy\n \nPolicy", one line holding a
        # space between words and two such lines between lines of text.
        text = _SPACE_LINES.sub(lambda m: " " if m.group().count("\n") == 2 else "\n", text)
    return text_blocks(text, pdf=True)


class _Run(NamedTuple):
    """One piece of a page's text where it was drawn (PDF points, y upwards) and at what size."""
    x: float
    y: float
    size: float
    text: str


class _Row(NamedTuple):
    y: float
    size: float
    key: str  # the row's characters without spaces: names its line of the plain text
    chars: int  # characters in the row (spaces included), bullet left out
    first_word: int  # characters of its first word
    bullet: bool  # the row starts with a list marker glyph drawn apart from its text


class _Page(NamedTuple):
    text: str
    rows: list[_Row]  # top to bottom


def _read_page(page: Any) -> _Page:
    runs: list[_Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        if text.strip():
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
            runs.append(_Run(tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], float(size or 0) * scale, text))

    text = page.extract_text(visitor_text=visit) or ""
    return _Page(text, _rows(runs))


_BULLET_GLYPHS = frozenset("•·▪◦‣-*–")


def _key(text: str) -> str:
    return "".join(text.split())


def _rows(runs: list[_Run]) -> list[_Row]:
    """The runs of a page as rows of text, top to bottom. A list marker is often drawn on its own,
    at a baseline a little off its item's (and after the page's text, in WeasyPrint's PDFs), so a
    marker joins the row it sits beside rather than forming one."""
    rows: dict[int, list[_Run]] = {}
    bullets: list[_Run] = []
    for run in runs:
        if set(run.text.strip()) <= _BULLET_GLYPHS and len(run.text.strip()) <= 2:
            bullets.append(run)
        else:
            rows.setdefault(round(run.y), []).append(run)
    marked: set[int] = set()
    for bullet in bullets:  # the text just right of a marker, at about its height, is its item
        beside = [(run.x, y) for y, row in rows.items() if abs(y - bullet.y) <= max(2.0, 0.4 * bullet.size)
                  for run in row if bullet.x < run.x <= bullet.x + 4 * max(bullet.size, 1.0)]
        if beside:
            x, y = min(beside)
            if x == min(run.x for run in rows[y]):
                marked.add(y)
    out = []
    for y in sorted(rows, reverse=True):
        words = "".join(r.text for r in sorted(rows[y], key=lambda r: r.x)).split()
        size = max(r.size for r in rows[y])
        out.append(_Row(float(y), size, "".join(words), len(" ".join(words)), len(words[0]), y in marked))
    return out


_START_KEY = 30  # characters of a line (spaces left out) that name it


def _line_spacing(pages: list[_Page]) -> float:
    """The distance from one line of a paragraph to the next, in font sizes, for the whole
    document: the smallest spacing many lines share. Not the median: on a page of one-line
    paragraphs (a list of purposes, a table) most gaps are between paragraphs."""
    ratios = sorted(gap for page in pages for gap in _gaps(page) if gap >= 0.8)
    if len(ratios) < 4:
        return 0.0
    enough = max(3, len(ratios) // 8)
    for i, ratio in enumerate(ratios):
        if bisect.bisect_right(ratios, ratio * 1.12) - i >= enough:
            return ratio
    return ratios[len(ratios) // 2]


def _gaps(page: _Page) -> list[float]:
    """The gap above each row but the first, in font sizes of that row."""
    return [(above.y - row.y) / row.size if row.size > 0 else 0.0 for above, row in pairwise(page.rows)]


def _paragraph_starts(page: _Page, spacing: float) -> list[bool]:
    """Per row: does a paragraph start there? A PDF shows one by a wider gap above it than
    between the lines of a paragraph (its text layer has no blank line). The first row: unknown."""
    if not spacing:
        return [False] * len(page.rows)
    return [False] + [gap > 1.5 * spacing for gap in _gaps(page)]


def _marked_text(pages: list[_Page]) -> str:
    """The pages' plain text with a blank line before each line that starts a paragraph (as a blank
    line ends one in a .txt), "• " before each list item whose marker is not in the plain text
    (pypdf drops WeasyPrint's), and the markers drawn apart from their items left out. A page ends
    a paragraph when its last line stops well short of the lines the paragraph's wrapping filled."""
    spacing = _line_spacing(pages)
    full = _full_line(pages, spacing)
    ends = [page.rows[-1].y for page in pages[:-1] if page.rows]
    bottom = min(ends, default=0.0)  # the lowest a page's text goes
    out: list[str] = []
    previous: _Row | None = None
    for page in pages:
        starts: dict[str, int] = {}
        items: dict[str, int] = {}
        for row, start in zip(page.rows, _paragraph_starts(page, spacing), strict=True):
            if start:
                starts[row.key[:_START_KEY]] = starts.get(row.key[:_START_KEY], 0) + 1
            if row.bullet:
                items[row.key] = items.get(row.key, 0) + 1
        if page.rows and previous is not None and _page_ends_paragraph(previous, page.rows[0], full, bottom, spacing):
            starts[page.rows[0].key[:_START_KEY]] = starts.get(page.rows[0].key[:_START_KEY], 0) + 1
        if page.rows:
            previous = page.rows[-1]
        lines: list[str] = []
        for line in page.text.split("\n"):
            key = _key(line)
            if items and _BARE_BULLETS.match(line.strip()):
                continue  # its item is marked where it stands
            if key and starts.get(key[:_START_KEY], 0) > 0:
                starts[key[:_START_KEY]] -= 1
                if (lines or out) and (lines[-1].strip() if lines else out[-1].strip()):
                    lines.append("")
            if items.get(key, 0) > 0 and not _BULLET_START.match(line.strip()):
                items[key] -= 1
                line = "• " + line.strip()
            lines.append(line)
        out.append("\n".join(lines))
    return "\n".join(out)


def _page_ends_paragraph(last: _Row, first: _Row, full: int, bottom: float, spacing: float) -> bool:
    """Does the paragraph of a page's last line end with the page? Yes when the page had room
    for two more of its lines (a paragraph goes on to the bottom), or when that line stops short
    of the length the lines inside paragraphs reach, by more than the next page's first word."""
    if not first.key[:1].isupper():
        return False  # "'s digital services...", "and so on": the sentence goes on
    if spacing and last.y - bottom >= 2 * spacing * last.size:
        return True
    return bool(full) and last.chars + 1 + first.first_word < full


def _full_line(pages: list[_Page], spacing: float) -> int:
    """Characters a line of running text holds when its paragraph wraps it, at the least: the
    length most lines inside paragraphs reach (0 when the PDF shows no paragraphs by spacing)."""
    lengths = []
    for page in pages:
        starts = _paragraph_starts(page, spacing)
        lengths += [row.chars for row, nxt in zip(page.rows, starts[1:], strict=False) if not nxt]
    if not any(s for page in pages for s in _paragraph_starts(page, spacing)) or len(lengths) < 8:
        return 0
    lengths.sort()
    return lengths[len(lengths) // 10]


# --- Markdown ------------------------------------------------------------------------------

_SLICE = 16_000  # characters of Markdown parsed at once: markdown-it keeps every token of a parse
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TABLE_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# YAML front matter: "---", lines of "key: value" (or their indented or "- " continuations), "---".
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?:[A-Za-z_][\w -]{0,60}:[^\n]*\n(?:(?:[ \t]+|- )[^\n]*\n)*){1,100}"
                           r"(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_REFERENCE = re.compile(r"^ {0,3}\[([^\]\n]{1,999})\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)


class _Slice(NamedTuple):
    text: str
    table_header: bool  # starts with a repeated table header whose cells were already read


def _slices(text: str) -> Iterator[_Slice]:
    """Markdown in slices of about _SLICE characters, cut at blank lines outside code fences; a run
    with no blank line (a huge list or table) is cut at a line, a table's header repeated after it.
    Lines are found one at a time: a list of them all would cost more than the parse."""
    if len(text) <= _SLICE:
        yield _Slice(text, False)
        return
    start = pos = 0
    fence = header = repeat = previous = ""
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        line = text[pos:end]
        pos = end
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1)[0] == fence[0]):
            fence = "" if fence else opened.group(1)
        if "|" in previous and _TABLE_DELIMITER.match(line):
            header = previous + line
        elif "|" not in line:
            header = ""
        previous = line
        size = end - start
        if size < _SLICE or fence or (line.strip() and size < 2 * _SLICE):
            continue
        yield _Slice(repeat + text[start:end], bool(repeat))
        repeat = header if line.strip() else ""
        start = end
    if start < len(text):
        yield _Slice(repeat + text[start:], bool(repeat))


@functools.cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.disable("inline")  # inline markup is parsed per paragraph below, so its tokens never pile up
    return md


def markdown_blocks(text: str) -> Iterator[Block]:
    """Blocks as they are parsed, a slice at a time (a generator: they never all exist at once)."""
    from markdown_it.common.utils import normalizeReference

    front = _FRONT_MATTER.match(text)
    if front:  # metadata for a site generator (title, description), not policy text
        text = text[front.end():]
    md = _markdown()
    # Reference definitions anywhere in the file, so a link in an earlier slice still resolves.
    env: dict[str, Any] = {"references": {}}
    for label, href in _REFERENCE.findall(text):
        env["references"].setdefault(normalizeReference(label), {"title": "", "href": href, "map": None})
    for piece in _slices(text):
        heading, skipping, nested, items = False, False, 0, 0
        for token in md.parse(piece.text, env):
            if token.type == "thead_open":
                skipping = piece.table_header
            elif token.type == "thead_close":
                skipping = False
            elif token.type == "heading_open":
                heading = True
            elif token.type == "heading_close":
                heading = False
            elif token.type in ("list_item_open", "table_open"):
                nested += 1
                items += token.type == "list_item_open"
            elif token.type in ("list_item_close", "table_close"):
                nested -= 1
                items -= token.type == "list_item_close"
            elif token.type == "inline" and not skipping:
                words = _inline_text(md, token.content, env)
                if words.strip():
                    block = _titled(words, heading, guess=not nested)
                    yield block._replace(item=True) if items and not block.heading else block
            elif token.type in ("fence", "code_block") and token.content.strip():
                yield Block(token.content, lines=True)


def _titled(text: str, heading: bool, guess: bool) -> Block:
    """A block of Markdown or HTML; a paragraph of its own that reads as a title ("**Payment
    Information**", "Where is your data stored?", "Billing information") is one, as the same
    line in a .txt is (a sentence-case one stays a sentence too)."""
    if heading or not guess:
        return Block(text, heading)
    if looks_like_heading(text):
        return Block(text, True)
    return Block(text, True, said=True) if looks_like_plain_title(text) else Block(text)


_STRAY_EMPHASIS = re.compile(r"\*\*+|__+")
_INLINE_LIMIT = 20_000  # characters: no real paragraph is longer; beyond it markup is stripped, not parsed
_MARKUP = "*_[]`<>!\\"
# What starts inline markup under the rules _markdown() enables (newline, escape, backticks, emphasis, link,
# image, autolink, html_inline, entity): a paragraph with none of these is one text token, its source.
_INLINE_MARKUP = re.compile(r"[\n\\`*_\[\]!<&]")


def _inline_text(md: Any, source: str, env: dict[str, Any]) -> str:
    """The text of one paragraph's inline markup (emphasis, links, code) as a reader sees it."""
    if _INLINE_MARKUP.search(source) is None:
        return source  # most paragraphs: parsing them gives the same text, at a tenth of a millisecond each
    if len(source) > _INLINE_LIMIT or (len(source) > 2_000 and sum(map(source.count, _MARKUP)) > len(source) // 10):
        return _strip_markup(source)
    children: list[Any] = []
    md.inline.parse(source, md, env, children)
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(_STRAY_EMPHASIS.sub("", child.content))  # "**" left by unbalanced emphasis
        elif child.type in ("code_inline", "text_special"):  # text_special: an escape or entity, decoded
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")


def _strip_markup(source: str) -> str:
    """Markup removed by patterns (each linear): for paragraphs too long or too dense to parse."""
    text = _LINK.sub(r"\1", source)
    text = _TAG.sub("", text)
    for char in "*_`[]":  # str.replace: re.sub would hold a list of every fragment between matches
        text = text.replace(char, "")
    return html_lib.unescape(text.replace("\\", ""))


# --- HTML ----------------------------------------------------------------------------------

_XML_BLOCKS = {"head": True, "p": False, "item": False, "cell": False, "quote": False, "code": False}
# trafilatura builds several lxml trees of the page (about 100 bytes per input byte for a page of
# small table cells); a policy page has a few thousand tags, so beyond this the streaming parser reads it.
_TRAFILATURA_MAX_TAGS = 30_000


def html_blocks(html: str) -> list[Block]:
    """The main text through trafilatura (no navigation, scripts or styles), headings kept."""
    if html.count("<") > _TRAFILATURA_MAX_TAGS:
        return _fallback_html_blocks(html)
    import trafilatura

    try:
        xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                                  favor_recall=True, deduplicate=False)
    except Exception:
        xml = None
    blocks: list[Block] = []
    if xml:
        try:
            _walk(ElementTree.fromstring(xml), blocks)
        except ElementTree.ParseError:
            blocks = []
    if blocks and any(b.heading for b in blocks):
        return blocks
    # trafilatura declined the page, lost its headings, or ran a short page into one paragraph
    # ("Should a data breach occur:" and the list item under it): the plain parser keeps them apart
    fallback = _fallback_html_blocks(html)
    if not blocks or any(b.heading for b in fallback) or (len(blocks) == 1 and len(fallback) > 1):
        return fallback
    return blocks


def _walk(element: ElementTree.Element, blocks: list[Block]) -> None:
    for child in element:
        if child.tag in _XML_BLOCKS:
            block = _titled(_element_text(child), _XML_BLOCKS[child.tag], guess=child.tag == "p")
            blocks.append(block._replace(item=True) if child.tag == "item" and not block.heading else block)
        else:
            _walk(child, blocks)


def _element_text(element: ElementTree.Element) -> str:
    """The text of one of trafilatura's blocks; its <lb/> (a <br> of the page) is a line break, which
    joins the lines as a space: "We do not<br>sell your data" is one sentence, not "notsell"."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _element_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _TextParser(HTMLParser):
    """Fallback for pages trafilatura declines (short or bare HTML): text outside skipped tags."""

    SKIP: ClassVar[frozenset[str]] = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "head", "form"})
    BREAK: ClassVar[frozenset[str]] = frozenset({"p", "div", "li", "tr", "td", "th", "section", "article", "dd", "dt", "blockquote", "ul", "ol"})
    HEAD: ClassVar[frozenset[str]] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.skip = 0

    def flush(self, heading: bool = False, item: bool = False) -> None:
        text = "".join(self.buf).strip()
        if text:
            self.blocks.append(Block(re.sub(r"\s+", " ", text), heading, item=item and not heading))
        self.buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "br":
            self.buf.append(" ")  # a line break inside a paragraph, not the end of a sentence
        elif tag in self.BREAK or tag in self.HEAD:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.HEAD:
            self.flush(heading=True)
        elif tag in self.BREAK:
            self.flush(item=tag == "li")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(data)


def _fallback_html_blocks(html: str) -> list[Block]:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks
