"""Blocks -> one normalized text with sections and sentences (character offsets into it).

Each block (heading, paragraph, list item) becomes one line of the text, then blingfire
splits each line into sentences. blingfire's C library reports *UTF-8 byte*
offsets; its Python wrapper maps them to characters with a Python loop over every byte,
which costs more than everything else we do. So we call the C function ourselves and map
the few offsets it returns (nothing to map for ASCII lines, the common case).
"""
from __future__ import annotations

import ctypes
import functools
import importlib.util
import itertools
import re
import sys
import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .formats import Block
from .normalize import normalize, split_runon_heading

_BULLET = re.compile(r"^(?:[-*•·▪◦‣>]+|\(?\d{1,2}[.)]|\(?[a-zA-Z]\))\s+")
_HAS_WORD = re.compile(r"\w")
_LABEL_VALUE = re.compile(r":\s*\S")  # "Sold in the past 12 months: No"
_INNER_END = re.compile(r"[.!?][\"')\]]*\s+\S")  # a sentence end with more text after it


# What a sentence is, told by the text stage alike for every format, so that the engine never
# guesses it from characters that differ between forms (a bullet in .txt, none in .md or .pdf).
HEADING = "heading"  # a heading kept as a sentence (a title by wording): it frames, never decides
ITEM = "item"  # a list item: a bullet or number in text, <li>, a Markdown list item
LINE = "line"  # the first sentence of a paragraph line (may continue a lead-in ending in ':')
PARAGRAPH = "paragraph"  # any other sentence of a paragraph


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    section: str
    kind: str = PARAGRAPH


KINDS = (HEADING, ITEM, LINE, PARAGRAPH)
_KIND = {kind: n for n, kind in enumerate(KINDS)}
Span = tuple[int, int, str, str]  # (start, end, section, kind) of a sentence not yet made


class Builder:
    """Appends lines to the normalized text, remembering headings and sentence spans."""

    def __init__(self) -> None:
        # The text as UTF-8, appended line by line: a list of the lines and then their join held the
        # text three times over (a str of one non-Latin-1 character is two bytes a character).
        self.out = bytearray()
        self.pos = 0
        self.section = ""
        # The sentences as numbers (start, end, section and kind by number), made into Sentence objects only
        # once the text is decoded and its UTF-8 freed (sentences()): the objects and their ints are about
        # 130 bytes a sentence, most of a big policy's peak when they were held beside the UTF-8 and the text.
        # Numbers, not tuples to make objects of later: a table of cells has many sentences.
        self.starts = array("q")
        self.ends = array("q")
        self.sections = array("l")
        self.kinds = bytearray()
        self._names: list[str] = []  # section names by number
        self._numbers: dict[str, int] = {}
        self.headings: list[tuple[int, int, str]] = []  # (start, end, section before it)
        self._bare: Span | None = None  # a "Label: value" heading with no text yet

    def _span(self, start: int, end: int, section: str, kind: str) -> None:
        number = self._numbers.get(section)
        if number is None:
            number = self._numbers[section] = len(self._names)
            self._names.append(section)
        self.starts.append(start)
        self.ends.append(end)
        self.sections.append(number)
        self.kinds.append(_KIND[kind])

    def add_line(self, line: str, heading: bool, said: bool = False, item: bool = False) -> None:
        start = self.pos
        if start:
            self.out += b"\n"  # the "\n" joining lines
        self.out += line.encode("utf-8", "surrogatepass")
        self.pos += len(line) + 1
        if heading:
            self._flush_bare()
            self.headings.append((start, start + len(line), self.section))
            if said:  # a title by wording only: it may be a statement too, so detectors still read it,
                # in the section before it so that it is not context for the sentences under it
                self._span(start, start + len(line), self.section, HEADING)
            if _LABEL_VALUE.search(line):
                self._bare = (start, start + len(line), self.section, LINE)
            self.section = line
            return
        self._bare = None
        bullet = _BULLET.match(line)
        offset = bullet.end() if bullet else 0
        first = ITEM if item or bullet else LINE
        for n, (a, b) in enumerate(_sentences_in_line(line[offset:])):
            self._span(start + offset + a, start + offset + b, self.section, PARAGRAPH if n else first)

    def _flush_bare(self) -> None:
        # "Browser signals: Honored" looks like a heading, but with nothing under it, it is a statement.
        if self._bare is not None:
            self._span(*self._bare)
            self._bare = None

    def finish(self) -> None:
        self._flush_bare()
        # a passage that is only heading-like lines still says something (a list item read alone: "Industry-standard
        # encryption"), whether or not its lines were kept as headings by their wording
        heading = _KIND[HEADING]
        if all(kind == heading for kind in self.kinds):
            self.starts, self.ends, self.sections, self.kinds = array("q"), array("q"), array("l"), bytearray()
            for a, b, section in self.headings:
                self._span(a, b, section, LINE)
        starts = self.starts
        if any(later < earlier for earlier, later in itertools.pairwise(starts)):  # in order by start (stable)
            order = sorted(range(len(starts)), key=starts.__getitem__)
            self.starts = array("q", (starts[n] for n in order))
            self.ends = array("q", (self.ends[n] for n in order))
            self.sections = array("l", (self.sections[n] for n in order))
            self.kinds = bytearray(self.kinds[n] for n in order)

    @property
    def spans(self) -> list[Sentence]:
        """The sentences as they are so far (a list made each time; sentences() makes the last one)."""
        names = self._names
        return [Sentence(a, b, names[s], KINDS[k]) for a, b, s, k in zip(self.starts, self.ends, self.sections,
                                                                         self.kinds, strict=True)]

    def sentences(self) -> list[Sentence]:
        """The sentences, made once and their numbers freed (after the text: see __init__)."""
        spans = self.spans
        self.starts, self.ends, self.sections, self.kinds = array("q"), array("q"), array("l"), bytearray()
        return spans

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "surrogatepass")


def _sentences_in_line(line: str) -> list[tuple[int, int]]:
    if not _HAS_WORD.search(line):
        return []
    if not _INNER_END.search(line):
        return [(0, len(line))]  # one sentence: skip the segmenter
    spans = []
    for a, b in _blingfire_spans(line):
        if 0 <= a < b <= len(line) and _HAS_WORD.search(line[a:b]):
            while b > a and line[b - 1].isspace():
                b -= 1
            spans.append((a, b))
    return spans or [(0, len(line))]


def _blingfire_spans(line: str) -> list[tuple[int, int]]:
    """Sentence (start, end) character offsets in `line`, from blingfire's byte offsets."""
    data = line.encode("utf-8")
    out, starts, ends = _buffers(len(data) * 2 + 16)
    size = len(out)
    count = _sentences()(ctypes.c_char_p(data), ctypes.c_int(len(data)), ctypes.byref(out),
                       ctypes.byref(starts), ctypes.byref(ends), ctypes.c_int(size))
    if count <= 0 or count > size:
        return [(0, len(line))]
    n = ctypes.string_at(out, count).count(b"\n") + 1
    pairs = list(zip(starts[:n], [e + 1 for e in ends[:n]], strict=True))  # the C end offset is inclusive
    if len(data) == len(line):  # ASCII: bytes are characters
        return pairs
    return [(_char_offset(data, a), _char_offset(data, b)) for a, b in pairs]


_LOCAL = threading.local()  # output buffers, reused: allocating them per line was a third of segmenting


Buffers = tuple["ctypes.Array[ctypes.c_char]", "ctypes.Array[ctypes.c_int32]", "ctypes.Array[ctypes.c_int32]"]


def _buffers(size: int) -> Buffers:
    buffers: Buffers | None = getattr(_LOCAL, "buffers", None)
    if buffers is None or len(buffers[0]) < size:
        size = max(size, 4096)
        buffers = _LOCAL.buffers = (ctypes.create_string_buffer(size), (ctypes.c_int32 * size)(),
                                    (ctypes.c_int32 * size)())
    return buffers


def _char_offset(data: bytes, byte_offset: int) -> int:
    return len(data[:byte_offset].decode("utf-8", errors="ignore"))


@functools.cache
def _sentences() -> Callable[..., int]:
    """blingfire's TextToSentencesWithOffsets, loaded from its C library on first use. Not `import blingfire`:
    its Python side imports numpy, half a second of every start-up, and a build that extracts nothing
    needs none of it."""
    spec = importlib.util.find_spec("blingfire")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("blingfire is not installed")
    name = {"win32": "blingfiretokdll.dll", "darwin": "libblingfiretokdll.dylib"}.get(sys.platform,
                                                                                        "libblingfiretokdll.so")
    library = ctypes.CDLL(str(Path(next(iter(spec.submodule_search_locations))) / name))
    function: Callable[..., int] = library.TextToSentencesWithOffsets
    return function


def segment_blocks(blocks: Iterable[Block], normalized: bool = False) -> tuple[str, list[Sentence], list[tuple[int, int]]]:
    """The normalized text, (start, end, section) of every sentence and (start, end) of every heading.

    A block is one line of the text: the line breaks inside a paragraph (where it was wrapped)
    become spaces here, in the text itself, so a sentence over several lines is one span and
    its quote is a slice of the text. Only a code block keeps its lines.
    """
    builder = Builder()
    for block in blocks:
        text = block.text if normalized else normalize(block.text)
        for raw in text.split("\n") if block.lines else (join_lines(text),):
            line = raw.strip()
            if not line:
                continue
            if block.heading:
                builder.add_line(line, heading=True, said=block.said)
                continue
            runon = split_runon_heading(line)
            if runon is not None:
                builder.add_line(runon[0], heading=True)
                line = runon[1]
            builder.add_line(line, heading=False, item=block.item)
    builder.finish()
    del blocks  # a generator over the source text: done, so the text is free before the result is made
    text = builder.text
    builder.out = bytearray()  # freed before the sentences are made (Builder.__init__)
    return text, builder.sentences(), [(a, b) for a, b, _ in builder.headings]


# "third-\nparty", "GDPR/\nCCPA": the line broke inside a word, so no space goes there.
_WRAPPED_HYPHEN = re.compile(r"(?<=[^\W\d_]-)\n(?=[^\W\d_])|(?<=\S/)\n(?=\w)")
_BREAK = re.compile(r"[ ]*\n\s*")


def join_lines(text: str) -> str:
    """One paragraph's lines as one line: a space for each break, none after a hyphen."""
    if "\n" not in text:
        return text
    return _BREAK.sub(" ", _WRAPPED_HYPHEN.sub("", text))
