"""The hand-labelled facts of the five bundled policies (tests/gold-seed-facts.yaml): 50 of 50,
with the pass rule of ../shared/tools/check_facts.py (value in [value]+accept; evidence that
shares 25 characters with the gold quote after folding white space)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from scorecard.extract import extract_file
from scorecard.rubric import load_rubric

from tests.helpers import PROVIDERS, ROOT

GOLD = yaml.safe_load((ROOT / "tests" / "gold-seed-facts.yaml").read_text(encoding="utf-8"))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def overlaps(quote: str, evidence: list[str]) -> bool:
    q = fold(quote)
    need = min(25, len(q))
    return any(q[i:i + need] in fold(e) for e in evidence for i in range(len(q) - need + 1))


def _policy(slug: str) -> Path:
    return next((PROVIDERS / slug).glob("policy.*"))


def test_gold_facts_all_pass():
    rubric = load_rubric()
    failures, passed = [], 0
    for slug, provider in GOLD["providers"].items():
        _doc, facts = extract_file(_policy(slug), rubric)
        for practice, want in provider["facts"].items():
            got = facts[practice]
            ok_values = [want["value"], *want.get("accept", [])]
            if got.value not in ok_values:
                failures.append(f"{slug}.{practice}: {got.value!r}, expected {ok_values}")
            elif got.value != "not_stated" and want.get("quote") and \
                    not overlaps(want["quote"], [e.quote for e in got.evidence]):
                failures.append(f"{slug}.{practice}: evidence does not cite {want['quote'][:60]!r}")
            else:
                passed += 1
    assert failures == [] and passed == 50
