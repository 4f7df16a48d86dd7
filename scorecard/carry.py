"""Reviewed facts carried across the versions of a policy, tied to the sentences they cite.

A reviewed fact holds in the version it was reviewed on (the latest whose date is on or before `reviewed_on`
and that has its quotes, else the first that has them) and in the versions after it for as long as every
cited sentence is still there, word for word (white space aside). From the first version where a cited
sentence changed, the practice falls back to what extraction finds in the new text, marked needs_review,
with a note saying what the review said.
"""
from __future__ import annotations

import re

from .diff import normalized
from .model import Evidence, Fact, PolicyVersion, Provider
from .providers import FACTS_FILE
from .text import Document
from .yamlsource import load_yaml


def carry_reviewed(provider: Provider, versions: list[PolicyVersion], documents: list[Document],
                   extracted: list[dict[str, Fact]]) -> list[dict[str, Fact]]:
    """Per version: extracted facts, with reviewed facts where their cited sentences still stand."""
    merged = [dict(facts) for facts in extracted]
    for key, fact in provider.reviewed.items():
        if not [ev for ev in fact.evidence if ev.quote.strip()]:  # nothing cited: nothing can change it
            for facts in merged:
                facts[key] = fact
            continue
        found = [relocate(fact.evidence, doc) for doc in documents]
        holding = [i for i, evidence in enumerate(found) if evidence is not None]
        if not holding:
            _quote_missing(provider, key, fact, documents)
        anchor = holding[0]
        if (reviewed_on := fact.reviewed_on) is not None:
            on_or_before = [i for i in holding
                            if (day := versions[i].date) is None or day <= reviewed_on]
            anchor = on_or_before[-1] if on_or_before else anchor
        cited = cited_sentences(documents[anchor], found[anchor] or [])
        merged[anchor][key] = fact.model_copy(update={"evidence": found[anchor]})
        for step in (-1, 1):  # from the anchor backwards, then forwards, while the cited sentences stand
            i, holds = anchor + step, True
            while 0 <= i < len(versions):
                holds = holds and found[i] is not None and stands(cited, documents[i])
                if holds:
                    merged[i][key] = fact.model_copy(update={"evidence": found[i]})
                elif step == 1:
                    merged[i][key] = _stale(extracted[i][key], fact, versions[i])
                i += step
    return merged


def _stale(extracted: Fact, reviewed: Fact, version: PolicyVersion) -> Fact:
    when = f" on {version.date.isoformat()}" if version.date else ""
    by = f" by {reviewed.reviewer}" if reviewed.reviewer else ""
    note = (f"The policy changed{when} a sentence cited by the review{by} (which said '{reviewed.value}');"
            f" this answer was found automatically in the new text.")
    return extracted.model_copy(update={"needs_review": True, "note": note})


def _quote_missing(provider: Provider, key: str, fact: Fact, documents: list[Document]) -> None:
    doc = load_yaml(provider.folder / FACTS_FILE)
    hint = f"fix the quote or run 'scorecard review {provider.slug}' again"
    for i, ev in enumerate(fact.evidence):
        if ev.quote.strip() and not any(_pattern(ev.quote).search(d.text) for d in documents):
            raise doc.error(("facts", key, "evidence", i, "quote"),
                            f"reviewed quote for '{key}' is in no version of the policy: {hint}")
    raise doc.error(("facts", key, "evidence"),
                    f"reviewed quotes for '{key}' are never all in the same version of the policy: {hint}")


def _pattern(quote: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in quote.split()))


def relocate(evidence: list[Evidence], document: Document) -> list[Evidence] | None:
    """The same quotes at their place in another text (white space may differ); None if one is missing."""
    text, moved = document.text, []
    for ev in evidence:
        if not ev.quote.strip():
            continue
        if text[ev.start:ev.end] == ev.quote:
            moved.append(ev)
            continue
        match = _pattern(ev.quote).search(text)
        if match is None:
            return None
        moved.append(Evidence(quote=match.group(), start=match.start(), end=match.end(), section=ev.section))
    return moved


def cited_sentences(document: Document, evidence: list[Evidence]) -> set[str]:
    """The whole sentences a fact's quotes come from (a quote may be part of a sentence, or span two)."""
    cited: set[str] = set()
    for ev in evidence:
        around = [s for s in document.sentences if s.start < ev.end and ev.start < s.end]
        if around:
            cited.update(normalized(document.quote(s)) for s in around)
        else:
            cited.add(normalized(ev.quote))
    return cited


def stands(cited: set[str], document: Document) -> bool:
    """Every cited sentence is in the document, word for word (white space aside)."""
    if not document.sentences:
        text = normalized(document.text)
        return all(sentence in text for sentence in cited)
    return cited <= {normalized(document.quote(s)) for s in document.sentences}
