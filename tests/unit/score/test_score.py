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


def best_facts() -> dict[str, Fact]:
    return facts(**{p.key: max(p.values, key=lambda v: p.values[v].points) for p in RUBRIC.practices})


def test_selling_data_caps_the_grade_at_d_whatever_else_the_policy_promises():
    given = best_facts()
    given["data_sale"] = Fact(practice="data_sale", value="sold")
    card = score(RUBRIC, given)
    assert card.score == 80  # 100 - 20 would still be an A
    assert card.grade == "D" and card.uncapped_grade == "A"
    assert [(c.practice, c.cap, c.label) for c in card.caps] == [("data_sale", "D", "Sold")]


def test_a_cap_above_the_grade_changes_nothing():
    card = score(RUBRIC, facts(data_sale="sold"))
    assert card.grade == "F" and card.uncapped_grade == "" and card.caps == []


def test_the_lowest_of_two_caps_wins():
    given = best_facts()
    given["data_sale"] = Fact(practice="data_sale", value="sold")
    given["third_party_tracking"] = Fact(practice="third_party_tracking", value="yes")
    card = score(RUBRIC, given)
    assert card.grade == "D"
    assert card.score == 65 and card.uncapped_grade == "B"
    assert [c.cap for c in card.caps] == ["D"]  # B does not bite: the score alone gives B


def test_a_partial_claim_earns_the_partial_points():
    whole = score(RUBRIC, facts(encryption="claimed"))
    part = score(RUBRIC, {"encryption": Fact(practice="encryption", value="claimed", partial=True)})
    row = next(r for r in part.practices if r.practice == "encryption")
    assert row.partial and row.points == RUBRIC.practice("encryption").values["claimed"].partial_points < 10
    assert part.score < whole.score


def test_partial_is_ignored_where_the_rubric_gives_no_partial_points():
    card = score(RUBRIC, {"dnt": Fact(practice="dnt", value="honored", partial=True)})
    row = next(r for r in card.practices if r.practice == "dnt")
    assert not row.partial and row.points == 5
