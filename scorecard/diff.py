"""What changed between two versions of a policy: the facts of two scorecards, the sentences of two texts.

Pure functions over Scorecards and Documents; history.compare puts them together for two versions.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from itertools import zip_longest

from .model import PracticeScore, Scorecard
from .text import Document


def normalized(text: str) -> str:
    """The text with white space runs made single spaces: what 'changed' is judged on."""
    return " ".join(text.split())


@dataclass
class FactChange:
    practice: str
    question: str
    before: PracticeScore
    after: PracticeScore
    reason: str  # in plain words: "answer changed", "cited sentence changed: needs review"


@dataclass
class SentencePair:
    """A changed stretch of policy: the old sentence and the new one ('' when added or removed),
    each as parts ("same" | "del" | "ins", text) for highlighting the words that differ."""

    before: str
    after: str
    before_parts: list[tuple[str, str]] = field(default_factory=list)
    after_parts: list[tuple[str, str]] = field(default_factory=list)


def fact_changes(before: Scorecard, after: Scorecard) -> list[FactChange]:
    old = {row.practice: row for row in before.practices}
    changes = []
    for row in after.practices:
        prev = old.get(row.practice)
        if prev is None:
            continue
        reasons = []
        if prev.value != row.value:
            reasons.append("answer changed")
        if row.fact.needs_review and not prev.fact.needs_review and prev.fact.source == "reviewed":
            reasons.append("a sentence the review cited changed: needs review")
        elif prev.fact.source != row.fact.source:
            reasons.append("reviewed by a person" if row.fact.source == "reviewed"
                           else "review no longer applies")
        if not reasons and [normalized(e.quote) for e in prev.fact.evidence] != \
                [normalized(e.quote) for e in row.fact.evidence]:
            reasons.append("evidence changed")
        if reasons:
            changes.append(FactChange(row.practice, row.question, prev, row, "; ".join(reasons)))
    return changes


def sentence_changes(before: Document, after: Document) -> list[SentencePair]:
    """Sentences removed, added or reworded, in policy order (difflib over whole sentences)."""
    old = [normalized(before.quote(s)) for s in before.sentences]
    new = [normalized(after.quote(s)) for s in after.sentences]
    old, new = [s for s in old if s], [s for s in new if s]
    pairs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            for a, b in zip_longest(old[i1:i2], new[j1:j2], fillvalue=""):
                pairs.append(word_diff(a, b))
    return pairs


def word_diff(before: str, after: str) -> SentencePair:
    a, b = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    pair = SentencePair(before, after)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pair.before_parts.append(("same", "".join(a[i1:i2])))
            pair.after_parts.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            pair.before_parts.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pair.after_parts.append(("ins", "".join(b[j1:j2])))
    return pair
