"""Scoring: rubric + facts -> Scorecard. Pure and deterministic."""
from __future__ import annotations

from .model import NOT_STATED, Fact, GradeCap, PracticeScore, ProviderInfo, Rubric, Scorecard


def score(rubric: Rubric, facts: dict[str, Fact], slug: str = "", name: str = "",
          info: ProviderInfo | None = None) -> Scorecard:
    """Every practice of the rubric, in rubric order; a missing fact counts as not_stated.

    A claim that covers only part of the data (fact.partial) earns the value's partial_points when the
    rubric gives them. An answer with a `cap` holds the grade at that letter whatever the score says;
    the score itself is left as earned, so readers see both.
    """
    rows: list[PracticeScore] = []
    caps: list[GradeCap] = []
    earned = possible = 0
    for practice in rubric.practices:
        fact = facts.get(practice.key) or Fact(practice=practice.key, value=NOT_STATED)
        rule = practice.values.get(fact.value)
        if rule is None:  # a value the rubric does not know (e.g. an old facts file): count as silence
            fact = Fact(practice=practice.key, value=NOT_STATED, needs_review=True,
                        note="the answer given is not one this rubric knows")
            rule = practice.values[NOT_STATED]
        partial = fact.partial and rule.partial_points is not None and rule.partial_points < rule.points
        points = rule.partial_points if partial and rule.partial_points is not None else rule.points
        earned += points
        possible += practice.max_points
        if rule.cap:
            caps.append(GradeCap(practice=practice.key, question=practice.question, label=rule.label,
                                 cap=rule.cap, summary=rule.summary))
        rows.append(PracticeScore(
            practice=practice.key, question=practice.question, category=practice.category,
            value=fact.value, label=rule.label, verdict=rule.verdict, summary=rule.summary,
            points=points, possible=practice.max_points, explanation=practice.explanation, fact=fact,
            partial=partial, cap=rule.cap,
        ))
    total = round(100 * earned / possible) if possible else 0
    grade = by_score = rubric.grade_for(total)
    biting = [c for c in caps if rubric.grade_rank(c.cap) > rubric.grade_rank(by_score)]
    if biting:
        grade = max((c.cap for c in biting), key=rubric.grade_rank)  # the lowest cap wins
    return Scorecard(slug=slug, name=name, score=total, grade=grade, rubric_version=rubric.version,
                     practices=rows, info=info, uncapped_grade=by_score if biting else "",
                     caps=[c for c in biting if c.cap == grade] + [c for c in biting if c.cap != grade])
