"""The rubric schema: the default rubric is valid and covers the gold vocabulary; every error names file:line:col."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scorecard.errors import ScorecardError
from scorecard.rubric import load_rubric

from tests.helpers import ROOT, rubric_data, write_rubric

GOLD = yaml.safe_load((ROOT / "tests" / "gold-seed-facts.yaml").read_text(encoding="utf-8"))
GOLD_VOCABULARY = {
    "data_sale": {"not_sold", "sold", "not_stated"},
    "dnt": {"honored", "not_honored", "not_stated"},
    "deletion": {"on_request", "limited", "not_stated"},
    "encryption": {"claimed", "not_stated"},
    "third_party_tracking": {"yes", "no", "not_stated"},
    "breach_notification": {"committed", "discretionary", "not_stated"},
    "policy_changes": {"direct_notice", "posted_only", "not_stated"},
    "retention": {"limited", "indefinite", "not_stated"},
    "access": {"yes", "with_fee", "not_stated"},
    "marketing_opt_out": {"yes", "not_stated"},
}


def test_default_rubric_has_the_gold_vocabulary():
    rubric = load_rubric()
    for key, values in GOLD_VOCABULARY.items():
        assert set(rubric.practice(key).values) == values
    for provider in GOLD["providers"].values():
        for key, fact in provider["facts"].items():
            assert fact["value"] in rubric.practice(key).values


def test_default_rubric_points_add_up_to_100_and_explain_every_practice():
    rubric = load_rubric()
    assert sum(p.max_points for p in rubric.practices) == 100
    for practice in rubric.practices:
        assert practice.question.endswith("?")
        assert len(practice.explanation) > 40, f"{practice.key} needs a consumer-facing explanation"
        for value, rule in practice.values.items():
            assert rule.summary, f"{practice.key}.{value} needs a summary sentence"
            assert value == "not_stated" or rule.meaning, f"{practice.key}.{value} needs a meaning"


def test_grades_map_scores():
    rubric = load_rubric()
    assert [rubric.grade_for(s) for s in (100, 80, 79, 50, 35, 34, 0)] == ["A", "A", "B", "C", "D", "F", "F"]


def error_for(tmp_path: Path, text: str) -> str:
    path = write_rubric(tmp_path, text)
    with pytest.raises(ScorecardError) as caught:
        load_rubric(path)
    return str(caught.value).replace(str(path), "rubric.yaml")


def with_change(change) -> str:
    data = rubric_data()
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def find(text: str, needle: str, offset: int = 0) -> str:
    """'line:col' of the first occurrence of `needle` (plus `offset` columns), as an editor shows it."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1 + offset}"
    raise AssertionError(needle)


def test_unknown_top_level_field(tmp_path):
    text = with_change(lambda d: d.update(colour="blue"))
    assert error_for(tmp_path, text) == f"rubric.yaml:{find(text, 'colour:')}: unknown field 'colour'"


def test_unknown_field_in_a_value(tmp_path):
    text = with_change(lambda d: d["practices"][0]["values"]["sold"].update(pointz=3))
    assert error_for(tmp_path, text) == f"rubric.yaml:{find(text, 'pointz:')}: unknown field 'pointz'"


def test_value_without_points(tmp_path):
    text = with_change(lambda d: d["practices"][0]["values"]["sold"].pop("points"))
    assert error_for(tmp_path, text) == (
        f"rubric.yaml:{find(text, ' sold:', 1)}: value 'sold' of practice 'data_sale' has no points")


def test_negative_points(tmp_path):
    text = with_change(lambda d: d["practices"][0]["values"]["sold"].update(points=-5))
    assert error_for(tmp_path, text) == (
        f"rubric.yaml:{find(text, '-5')}: practices.0.values.sold.points: Input should be greater than or equal to 0")


def test_thresholds_out_of_order(tmp_path):
    def swap(d):
        d["grades"][1]["min_score"] = 90
    text = with_change(swap)
    assert error_for(tmp_path, text) == (
        f"rubric.yaml:{find(text, 'min_score: 90', 11)}: grade thresholds out of order: B (90) must be below the grade before it (80)")


def test_last_grade_must_start_at_zero(tmp_path):
    text = with_change(lambda d: d["grades"][-1].update(min_score=10))
    assert error_for(tmp_path, text) == (
        f"rubric.yaml:{find(text, 'min_score: 10', 11)}: the last grade must start at 0 so that every score has a grade")


def test_practice_without_not_stated(tmp_path):
    text = with_change(lambda d: d["practices"][3]["values"].pop("not_stated"))
    message = error_for(tmp_path, text)
    assert message.endswith(": practice 'encryption' has no 'not_stated' value")
    assert message.startswith("rubric.yaml:")


def test_duplicate_practice(tmp_path):
    def dup(d):
        d["practices"].append(d["practices"][0])
    message = error_for(tmp_path, with_change(dup))
    assert message.endswith(": practice 'data_sale' is declared twice")


def test_duplicate_key(tmp_path):
    text = "version: '1'\nversion: '2'\n"
    assert error_for(tmp_path, text) == "rubric.yaml:2:1: duplicate key 'version'"


def test_yaml_syntax_error(tmp_path):
    assert error_for(tmp_path, "version: [1, 2\nname: x\n") == (
        "rubric.yaml:2:5: YAML syntax error: expected ',' or ']', but got ':'")


def test_wrong_type(tmp_path):
    text = with_change(lambda d: d.update(grades="A"))
    assert error_for(tmp_path, text) == f"rubric.yaml:{find(text, 'grades: A', 8)}: grades: Input should be a valid list"


def test_not_a_mapping(tmp_path):
    assert error_for(tmp_path, "- just\n- a list\n") == (
        "rubric.yaml:1:1: a rubric must be a mapping with version, grades and practices")


def test_missing_file(tmp_path):
    with pytest.raises(ScorecardError, match="file not found"):
        load_rubric(tmp_path / "nope.yaml")


def test_a_cap_must_name_a_grade_of_the_rubric(tmp_path):
    text = with_change(lambda d: d["practices"][0]["values"]["sold"].update(cap="E"))
    assert error_for(tmp_path, text) == (
        f"rubric.yaml:{find(text, 'cap: E', 5)}: value 'sold' of practice 'data_sale' caps the grade at 'E', "
        "which is not a grade of this rubric (one of: A, B, C, D, F)")


def test_a_cap_that_is_no_grade_letter_at_all(tmp_path):
    text = with_change(lambda d: d["practices"][0]["values"]["sold"].update(cap="worst"))
    message = error_for(tmp_path, text)
    assert message.startswith(f"rubric.yaml:{find(text, 'cap: worst', 5)}: practices.0.values.sold.cap:")


def test_partial_points_cannot_exceed_the_points(tmp_path):
    text = with_change(lambda d: d["practices"][3]["values"]["claimed"].update(partial_points=50))
    assert error_for(tmp_path, text) == (
        f"rubric.yaml:{find(text, 'partial_points: 50', 16)}: value 'claimed' of practice 'encryption': "
        "partial_points (50) must not exceed points (10)")


def test_no_label_means_opposite_things_in_two_practices():
    """'Limited' was good for retention and bad for deletion, side by side in one table."""
    seen: dict[str, str] = {}
    for practice in load_rubric().practices:
        for value, rule in practice.values.items():
            if value == "not_stated":
                assert rule.label == "Not stated"
                continue
            assert rule.label not in seen, f"'{rule.label}' is used by {seen.get(rule.label)} and {practice.key}"
            seen[rule.label] = practice.key


def test_the_default_rubric_caps_selling_data_at_d():
    rubric = load_rubric()
    assert rubric.practice("data_sale").values["sold"].cap == "D"
