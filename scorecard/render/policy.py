"""The annotated policy: a provider's whole normalized text, every evidence sentence highlighted.

Each quote of a scorecard gets an anchor `q-<practice>-<n>` (n: its place in the fact's evidence), so the
provider page, the compare page, the practice pages and the PDF can link straight to it. Sentences cited
by several practices share one highlight that carries every label. A quote that is not in the text word
for word (a reviewer's paraphrase, an edited policy) still gets its anchor, in a list below the text, so
no link lands nowhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import MAIN_DOCUMENT, Evidence, PracticeScore, Scorecard
from ..text import Document
from .doubt import disagreeing_values


def anchor(practice: str, index: int) -> str:
    return f"q-{practice}-{index}"


@dataclass
class Tag:
    """What a highlighted sentence says: the practice's question and the answer's label."""

    practice: str
    question: str
    label: str
    kind: str  # good, bad, neutral, unknown: the colour and icon of the label
    ids: list[str] = field(default_factory=list)


@dataclass
class Highlight:
    start: int
    end: int
    tags: list[Tag] = field(default_factory=list)
    number: int = 0  # 1-based, in reading order
    previous: str = ""  # id of the highlight before it ("" for the first)
    next: str = ""

    @property
    def id(self) -> str:
        return self.tags[0].ids[0]

    @property
    def extra_ids(self) -> list[str]:
        return [i for tag in self.tags for i in tag.ids][1:]


@dataclass
class Part:
    text: str
    highlight: Highlight | None = None
    first: bool = False  # the highlight's first piece carries its id and labels
    last: bool = False  # its last piece is followed by the previous/next links


@dataclass
class Block:
    kind: str  # "heading" or "paragraph"
    parts: list[Part]
    id: str = ""


@dataclass
class AnnotatedPolicy:
    blocks: list[Block]
    highlights: list[Highlight]
    missing: list[tuple[Tag, Evidence]]  # quotes not found in this text


def _pattern(quote: str) -> re.Pattern[str]:
    """The quote with any white space between its words (normalization may have joined lines)."""
    return re.compile(r"\s+".join(re.escape(word) for word in quote.split()))


def locate(text: str, ev: Evidence) -> tuple[int, int] | None:
    if not ev.quote.strip():
        return None
    if ev.end > ev.start and text[ev.start:ev.end] == ev.quote:
        return ev.start, ev.end
    match = _pattern(ev.quote).search(text)
    return (match.start(), match.end()) if match else None


def _kind(row: PracticeScore, value: str) -> tuple[str, str]:
    return row.label, ("unknown" if value == "not_stated" else row.verdict)


def annotate(document: Document, card: Scorecard, labels: dict[tuple[str, str], tuple[str, str]],
             document_id: str = MAIN_DOCUMENT) -> AnnotatedPolicy:
    """`labels` maps (practice, value) to (label, kind): a quote that supports another value than the
    fact's (sentences that disagree) is labelled with what it says, not with the answer chosen. Only the
    quotes of `document_id` are highlighted (a quote naming no document is from the privacy policy)."""
    text = document.text
    spans: list[tuple[int, int, Tag, str]] = []
    missing: list[tuple[Tag, Evidence]] = []
    for row in card.practices:
        readings = disagreeing_values(row.fact) if row.fact.source != "reviewed" else [row.value]
        for i, ev in enumerate(row.fact.evidence):
            if (ev.document or MAIN_DOCUMENT) != document_id:
                continue  # highlighted on its own document's page
            label, kind = labels.get((row.practice, ev.value or row.value), _kind(row, row.value))
            if not ev.value and len(readings) > 1:  # older extraction: which reading this sentence gives is unknown
                names = [labels.get((row.practice, v), (v, ""))[0] for v in readings]
                label, kind = "unsure: " + " or ".join(f"“{n}”" for n in names), "neutral"
            tag = Tag(row.practice, row.question, label, kind, [anchor(row.practice, i)])
            where = locate(text, ev)
            if where is None:
                missing.append((tag, ev))
            else:
                spans.append((where[0], where[1], tag, ev.value or row.value))
    highlights = _merge(spans)
    for n, h in enumerate(highlights):
        h.number = n + 1
        h.previous = highlights[n - 1].id if n else ""
        h.next = highlights[n + 1].id if n + 1 < len(highlights) else ""
    return AnnotatedPolicy(_blocks(document, highlights), highlights, missing)


def _merge(spans: list[tuple[int, int, Tag, str]]) -> list[Highlight]:
    """Overlapping quotes become one highlight; tags of one practice and value are listed once."""
    merged: list[Highlight] = []
    for start, end, tag, _value in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1].end:
            h = merged[-1]
            h.end = max(h.end, end)
            same = next((t for t in h.tags if (t.practice, t.label) == (tag.practice, tag.label)), None)
            if same:
                same.ids += tag.ids
            else:
                h.tags.append(tag)
        else:
            merged.append(Highlight(start, end, [tag]))
    return merged


def _blocks(document: Document, highlights: list[Highlight]) -> list[Block]:
    """One block per line of the normalized text; a line that names a section and holds no sentence is
    a heading."""
    text = document.text
    sections = {s.section for s in document.sentences if s.section}
    starts = sorted(s.start for s in document.sentences)
    blocks: list[Block] = []
    pos = 0
    hi = 0
    seen: set[int] = set()
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        holds_sentence = any(start <= s < end for s in _starts_in(starts, start, end))
        kind = "heading" if line in sections and not holds_sentence else "paragraph"
        parts: list[Part] = []
        cursor = start
        while hi < len(highlights) and highlights[hi].end <= start:
            hi += 1
        j = hi
        while j < len(highlights) and highlights[j].start < end:
            h = highlights[j]
            a, b = max(h.start, start), min(h.end, end)
            if a > cursor:
                parts.append(Part(text[cursor:a]))
            parts.append(Part(text[a:b], h, first=id(h) not in seen, last=b == h.end))
            seen.add(id(h))
            cursor = b
            j += 1
        if cursor < end:
            parts.append(Part(text[cursor:end]))
        blocks.append(Block(kind, parts))
    _heading_ids(blocks)
    return blocks


def _starts_in(starts: list[int], start: int, end: int) -> list[int]:
    import bisect

    i = bisect.bisect_left(starts, start)
    return starts[i:bisect.bisect_left(starts, end)]


def _heading_ids(blocks: list[Block]) -> None:
    used: set[str] = set()
    for block in blocks:
        if block.kind != "heading":
            continue
        base = "h-" + (re.sub(r"[^a-z0-9]+", "-", "".join(p.text for p in block.parts).lower()).strip("-")[:50] or "x")
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        block.id = slug
