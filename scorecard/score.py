"""Scoring: rubric + facts -> Scorecard. Pure and deterministic."""
from __future__ import annotations

from .model import NOT_STATED, Fact, PracticeScore, ProviderInfo, Rubric, Scorecard


def merge_facts(extracted: dict[str, Fact], reviewed: dict[str, Fact]) -> dict[str, Fact]:
    """Reviewed facts win, practice by practice."""
    return {**extracted, **reviewed}


def score(rubric: Rubric, facts: dict[str, Fact], slug: str = "", name: str = "",
          info: ProviderInfo | None = None) -> Scorecard:
    """Every practice of the rubric, in rubric order; a missing fact counts as not_stated."""
    rows: list[PracticeScore] = []
    earned = possible = 0
    for practice in rubric.practices:
        fact = facts.get(practice.key) or Fact(practice=practice.key, value=NOT_STATED)
        rule = practice.values.get(fact.value)
        if rule is None:  # a value the rubric does not know (e.g. an old facts file): count as silence
            fact = Fact(practice=practice.key, value=NOT_STATED, needs_review=True,
                        note=f"unknown value '{fact.value}'")
            rule = practice.values[NOT_STATED]
        earned += rule.points
        possible += practice.max_points
        rows.append(PracticeScore(
            practice=practice.key, question=practice.question, category=practice.category,
            value=fact.value, label=rule.label, verdict=rule.verdict, summary=rule.summary,
            points=rule.points, possible=practice.max_points, explanation=practice.explanation, fact=fact,
        ))
    total = round(100 * earned / possible) if possible else 0
    return Scorecard(slug=slug, name=name, score=total, grade=rubric.grade_for(total),
                     rubric_version=rubric.version, practices=rows, info=info)
