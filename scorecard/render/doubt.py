"""How sure a fact is, in words a reader understands: never value keys, counts or rule names.

A fact is unsure when it still needs a person's review, or when the policy's sentences disagree
(its evidence supports different values). Readers see "Unsure: the policy says both ... and ...",
built from the rubric's labels and the quotes themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Evidence, Fact, PracticeScore, Rubric, RubricPractice, Scorecard

# Notes written by older extraction: "sentences disagree: with_fee (1) over yes (4) by the practice's priority".
_LEGACY_DISAGREE = re.compile(r"sentences disagree: (?P<winner>\w+) \(\d+\) over (?P<losers>[^;]*?) by the")
_LEGACY_VALUE = re.compile(r"(\w+) \(\d+\)")
# What marks a note as written for the pipeline, not for readers.
_INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b|\(\d+\)|\bpriority\b|\bdetector|\brule\b|\bsentences disagree\b")
_PLAIN_NOTES = {  # older notes with a plain reading
    "the statement is qualified (except/unless)":
        "the sentence that decided this has an exception (an “except” or “unless”) that may change the answer",
}


@dataclass
class Side:
    """One reading of the policy: a value's label and the quotes that say it."""

    value: str
    label: str
    quotes: list[Evidence] = field(default_factory=list)


@dataclass
class Doubt:
    """Why a fact is not certain, for readers."""

    text: str  # "Unsure: the policy says both “Access for a fee” and “See and correct”."
    sides: list[Side]  # two or more when sentences disagree; empty otherwise

    @property
    def disagrees(self) -> bool:
        return len(self.sides) > 1


def reader_note(fact: Fact, practice: RubricPractice | None = None) -> str:
    """The fact's note if it is plain words; notes with internal keys or counts are never shown. A value
    key quoted in the note ("the review said 'not_sold'") becomes the value's label."""
    parts = []
    for part in (p.strip() for p in fact.note.split(";")):
        if not part:
            continue
        part = _PLAIN_NOTES.get(part, part)
        for key, rule in (practice.values.items() if practice else ()):
            part = part.replace(f"'{key}'", f"“{rule.label}”")
        if not _INTERNAL.search(part):
            parts.append(part)
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else ""


def disagreeing_values(fact: Fact) -> list[str]:
    """The values the policy's sentences support, the fact's own first; one value when they agree."""
    values = [fact.value]
    for ev in fact.evidence:
        if ev.value and ev.value not in values:
            values.append(ev.value)
    if len(values) == 1 and (legacy := _LEGACY_DISAGREE.search(fact.note)):
        values += [v for v in _LEGACY_VALUE.findall(legacy["losers"]) if v not in values]
    return values


def doubt(row: PracticeScore, rubric: Rubric) -> Doubt | None:
    """None when the fact is sure: reviewed by a person, or extracted with nothing against it."""
    fact = row.fact
    try:
        practice = rubric.practice(row.practice)
    except KeyError:
        practice = None
    values = [v for v in disagreeing_values(fact) if practice is None or v in practice.values]
    if len(values) > 1 and fact.source != "reviewed":
        # Older extraction did not say which quote supports which value: then no side has quotes.
        sides = [Side(v, practice.values[v].label if practice else v, [ev for ev in fact.evidence if ev.value == v])
                 for v in values]
        labels = [f"“{s.label}”" for s in sides]
        both = " and ".join(labels) if len(labels) == 2 else ", ".join(labels[:-1]) + " and " + labels[-1]
        text = f"Unsure: the policy says both {both}. We show “{sides[0].label}”; read the sentences and judge."
        return Doubt(text, sides)
    if not fact.needs_review:
        return None
    note = reader_note(fact, practice)
    if fact.source == "reviewed":
        reason = note or "a person checked this once, but the policy has changed since"
    else:
        reason = note or "found automatically with little certainty, and no person has checked it yet"
    return Doubt(f"Unsure: {reason[:1].lower() + reason[1:]}.".replace("..", "."), [])


def doubt_with_quotes(row: PracticeScore, rubric: Rubric, limit: int = 140) -> str:
    """The PDF's one line: 'Unsure: the policy says both “A” (“quote…”) and “B” (“quote…”).'"""
    found = doubt(row, rubric)
    if found is None:
        return ""
    if not found.disagrees or not all(s.quotes for s in found.sides):
        return found.text
    parts = [f"“{s.label}” (“{shorten(s.quotes[0].quote, limit)}”)" for s in found.sides]
    return "Unsure: the policy says both " + " and ".join(parts) + "."


def shorten(text: str, limit: int) -> str:
    """Whole words up to `limit` characters, and an ellipsis when anything was cut: never a silent cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") if " " in text[:limit] else text[:limit]
    return cut + "…"


@dataclass
class Checked:
    """How many answers a person checked and how many were found automatically."""

    reviewed: int = 0
    automatic: int = 0
    unsure: int = 0

    @property
    def total(self) -> int:
        return self.reviewed + self.automatic


def checked(cards: list[Scorecard], rubric: Rubric) -> Checked:
    counts = Checked()
    for card in cards:
        for row in card.practices:
            if row.fact.source == "reviewed":
                counts.reviewed += 1
            else:
                counts.automatic += 1
            if doubt(row, rubric) is not None:
                counts.unsure += 1
    return counts
