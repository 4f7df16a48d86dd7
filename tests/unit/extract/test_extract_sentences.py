"""The labelled sentence set (tests/sentences/*.yaml): each sentence alone, as a one-sentence
policy, must give its expected value, and any value but not_stated must cite it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scorecard.extract import extract
from scorecard.model import NOT_STATED
from scorecard.rubric import load_rubric
from scorecard.text import parse_text

HERE = Path(__file__).resolve().parents[2] / "sentences"
RUBRIC = load_rubric()


def _cases() -> list:
    cases = []
    for path in sorted(HERE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for expected, sentence in data["cases"]:
            cases.append(pytest.param(data["practice"], str(expected), sentence,
                                      id=f"{path.stem}:{sentence[:50]}"))
    return cases


CASES = _cases()


def test_the_set_is_large_and_covers_every_practice_and_value():
    assert len(CASES) >= 150
    covered = {(c.values[0], c.values[1]) for c in CASES}
    for practice in RUBRIC.practices:
        for value in practice.values:
            assert (practice.key, value) in covered, f"no labelled sentence for {practice.key}={value}"


@pytest.mark.parametrize(("practice", "expected", "sentence"), CASES)
def test_sentence(practice: str, expected: str, sentence: str):
    document = parse_text(sentence)
    fact = extract(document, RUBRIC)[practice]
    assert fact.value == expected, f"{fact.value} ({fact.note})"
    if expected != NOT_STATED:
        # The quote is the normalized text at its offsets (curly quotes straightened, ...).
        assert fact.evidence and all(document.text[ev.start:ev.end] == ev.quote for ev in fact.evidence)
