"""Load and validate a rubric YAML file; every error names file:line:col."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ScorecardError
from .model import NOT_STATED, Rubric, RubricPractice
from .resources import default_rubric
from .yamlsource import YamlDocument, load_yaml


def load_rubric(path: Path | None = None) -> Rubric:
    path = Path(path) if path else default_rubric()
    doc = load_yaml(path)
    data = dict(doc.mapping("a rubric", "with version, grades and practices"))
    practices = data.get("practices")
    if not isinstance(practices, list) or not practices:
        raise doc.error(("practices",), "'practices' must be a non-empty list")
    for i, item in enumerate(practices):
        if isinstance(item, dict):
            _check_values(doc, i, item)
    rubric: Rubric = doc.validate(Rubric)

    seen: set[str] = set()
    for i, practice in enumerate(rubric.practices):
        if practice.key in seen:
            raise doc.error(("practices", i, "key"), f"practice '{practice.key}' is declared twice", at_key=True)
        seen.add(practice.key)
    _check_grades(doc, rubric)
    _check_caps(doc, rubric)
    rubric._path = path
    return rubric


def _check_values(doc: YamlDocument, i: int, item: dict[str, Any]) -> None:
    values = item.get("values")
    key = item.get("key", f"#{i + 1}")
    if not isinstance(values, dict) or not values:
        raise doc.error(("practices", i, "values"), f"practice '{key}' needs a mapping of values")
    if NOT_STATED not in values:
        raise doc.error(("practices", i, "values"), f"practice '{key}' has no '{NOT_STATED}' value", at_key=True)
    for name, rule in values.items():
        if not isinstance(rule, dict) or "points" not in rule:
            raise doc.error(("practices", i, "values", name),
                            f"value '{name}' of practice '{key}' has no points", at_key=True)


def _check_grades(doc: YamlDocument, rubric: Rubric) -> None:
    if not rubric.grades:
        raise doc.error(("grades",), "'grades' must list at least one grade")
    previous = 101
    for i, grade in enumerate(rubric.grades):
        if grade.min_score >= previous:
            raise doc.error(("grades", i, "min_score"),
                            f"grade thresholds out of order: {grade.letter} ({grade.min_score}) must be "
                            f"below the grade before it ({previous})")
        previous = grade.min_score
    if rubric.grades[-1].min_score != 0:
        raise doc.error(("grades", len(rubric.grades) - 1, "min_score"),
                        "the last grade must start at 0 so that every score has a grade")


def _check_caps(doc: YamlDocument, rubric: Rubric) -> None:
    """A cap names a grade the rubric has; partial points are fewer than the full points."""
    letters = [g.letter for g in rubric.grades]
    for i, practice in enumerate(rubric.practices):
        for name, rule in practice.values.items():
            if rule.cap is not None and rule.cap not in letters:
                raise doc.error(("practices", i, "values", name, "cap"),
                                f"value '{name}' of practice '{practice.key}' caps the grade at '{rule.cap}', "
                                f"which is not a grade of this rubric (one of: {', '.join(letters)})")
            if rule.partial_points is not None and rule.partial_points > rule.points:
                raise doc.error(("practices", i, "values", name, "partial_points"),
                                f"value '{name}' of practice '{practice.key}': partial_points "
                                f"({rule.partial_points}) must not exceed points ({rule.points})")


def check_value(rubric: Rubric, practice_key: str, value: str) -> RubricPractice:
    """The practice, if `value` is one of its values; a ScorecardError otherwise."""
    try:
        practice = rubric.practice(practice_key)
    except KeyError:
        raise ScorecardError(f"unknown practice '{practice_key}'") from None
    if value not in practice.values:
        allowed = ", ".join(practice.values)
        raise ScorecardError(f"unknown value '{value}' for practice '{practice_key}' (one of: {allowed})")
    return practice
