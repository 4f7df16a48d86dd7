"""How far a negation reaches (engine.is_negated and the clause_break of rubric/detectors.yaml): across a
parenthetical aside, and not out of a condition into its main clause when no comma divides them."""
from __future__ import annotations

import pytest

from scorecard.extract import detectors_for, extract
from scorecard.extract.engine import is_negated
from scorecard.rubric import load_rubric
from scorecard.text import parse_text

RUBRIC = load_rubric()
DETECTORS = detectors_for(RUBRIC)


def _negated(before: str, cue: str) -> bool:
    text = (before + cue).lower()
    return is_negated(text, len(before), DETECTORS) and is_negated(text, len(before), DETECTORS, ascii=True)


@pytest.mark.parametrize(("before", "cue", "negated"), [
    # a closed parenthesis is an aside: the negation before it governs the verb after it
    ("we do not (and will not) ", "sell", True),
    ("we do not (and never will) ", "sell", True),
    ("we do not share your data (such as your e-mail address) with advertisers or ", "sell it", True),
    ("you may not (except as the law allows) ", "sell", True),
    ("we will not share your partner(s) data or ", "sell it", True),
    # ... an open one going on with the list: "(or sell)"
    ("we do not share (or ", "sell)", True),
    # near misses: a negation inside the aside reaches nothing outside it; a cue inside a parenthesis that is
    # not a list going on is its own clause; an item label still starts a new item
    ("we (do not) ", "sell", False),
    ("we share your data (but not your name) and ", "sell reports", False),
    ("we do not sell your data (we ", "share it", False),
    ("we do not use (a) ", "sell", False),
    # a condition ends where its main clause begins, comma or not
    ("if you do not want to receive e-mails you may ", "opt out", False),
    ("if you do not want to receive e-mails, you may ", "opt out", False),
    ("if you do not wish to receive our newsletter please ", "unsubscribe", False),
    ("unless you do not want them you can ", "opt out", False),
    ("if notifying individuals is not feasible, the breach will be ", "disclosed publicly", False),
    # near misses: the main clause's own negation counts; a cue inside the condition is negated by it
    ("if you do not want e-mails we will not ", "send them", True),
    ("if you do not want to ", "receive e-mails", True),
    ("if we do not ", "sell", True),
    ("if it is not feasible, the breach will not be ", "disclosed", True),
    ("we do not ", "sell", True),
])
def test_negation_scope(before: str, cue: str, negated: bool) -> None:
    assert _negated(before, cue) is negated


@pytest.mark.parametrize(("practice", "expected", "sentence"), [
    ("data_sale", "not_sold", "We do not (and will not) sell your personal information."),
    ("data_sale", "not_sold", "We do not share (or sell) your personal information."),
    ("deletion", "on_request", "If you do not want us to keep your information you can delete your account at any time."),
    ("access", "yes", "If you do not want us to use inaccurate data you can correct your personal information in your account."),
    # near misses
    ("deletion", "not_stated", "If you do not want us to keep your information we cannot delete your account."),
    ("access", "not_stated", "If you do not want us to use inaccurate data you cannot correct your personal information yourself."),
])
def test_sentences(practice: str, expected: str, sentence: str) -> None:
    assert extract(parse_text(sentence), RUBRIC)[practice].value == expected
