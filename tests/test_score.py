"""Scoring is a pure, deterministic function of rubric and facts."""
from __future__ import annotations

from scorecard.model import Evidence, Fact
from scorecard.rubric import load_rubric
from scorecard.score import merge_facts, score

RUBRIC = load_rubric()


def facts(**values: str) -> dict[str, Fact]:
    return {key: Fact(practice=key, value=value) for key, value in values.items()}


def test_missing_facts_count_as_not_stated():
    card = score(RUBRIC, {})
    assert [row.value for row in card.practices] == ["not_stated"] * len(RUBRIC.practices)
    silence = sum(p.values["not_stated"].points for p in RUBRIC.practices)
    assert card.score == silence
    assert card.grade == "F"


def test_best_answers_score_100_and_grade_a():
    best = {p.key: max(p.values, key=lambda v: p.values[v].points) for p in RUBRIC.practices}
    card = score(RUBRIC, facts(**best))
    assert card.score == 100 and card.grade == "A"
    assert all(row.points == row.possible for row in card.practices)


def test_each_row_explains_its_points():
    card = score(RUBRIC, facts(data_sale="sold", dnt="honored"))
    sale = next(r for r in card.practices if r.practice == "data_sale")
    assert (sale.points, sale.possible, sale.verdict, sale.label) == (0, 20, "bad", "Sold")
    assert sale.explanation == RUBRIC.practice("data_sale").explanation
    dnt = next(r for r in card.practices if r.practice == "dnt")
    assert (dnt.points, dnt.possible, dnt.verdict) == (5, 5, "good")


def test_score_is_rounded_share_of_possible_points():
    card = score(RUBRIC, facts(data_sale="not_sold", deletion="limited"))
    earned = sum(r.points for r in card.practices)
    assert card.score == round(100 * earned / 100)


def test_unknown_value_counts_as_not_stated_and_needs_review():
    card = score(RUBRIC, facts(data_sale="maybe"))
    sale = card.practices[0]
    assert sale.value == "not_stated" and sale.fact.needs_review


def test_deterministic():
    given = facts(data_sale="not_sold", retention="indefinite", access="with_fee")
    assert score(RUBRIC, given).model_dump() == score(RUBRIC, dict(reversed(given.items()))).model_dump()


def test_reviewed_facts_win_practice_by_practice():
    extracted = facts(data_sale="sold", dnt="not_honored")
    quote = Evidence(quote="We never sell.", start=0, end=14)
    reviewed = {"data_sale": Fact(practice="data_sale", value="not_sold", source="reviewed", evidence=[quote])}
    merged = merge_facts(extracted, reviewed)
    assert merged["data_sale"].source == "reviewed" and merged["data_sale"].value == "not_sold"
    assert merged["dnt"].value == "not_honored"
