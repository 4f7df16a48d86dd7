"""Issue 10 §4, text and evidence, in every text form: a sentence over a line break is one quote,
a line of names is not a heading, the first quote of a fact is the sentence that decides it (never a
heading or a lead-in alone), and a conflict is settled by the documented precedence with a note in
plain words."""
from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from scorecard.extract import detectors_for, extract
from scorecard.extract.engine import disagreement
from scorecard.model import NOT_STATED
from scorecard.rubric import load_rubric
from scorecard.text import read_policy

RUBRIC = load_rubric()
ROOT = Path(__file__).resolve().parents[3]


def _policy(tmp_path: Path, blocks: list[tuple[str, str]], fmt: str) -> Path:
    """blocks: (kind, text) with kind heading | paragraph | item, written as a .txt, .md or .html."""
    if fmt == "html":
        parts = []
        for kind, text in blocks:
            text = text.replace("\n", "<br>")
            parts.append({"heading": f"<h2>{text}</h2>", "item": f"<ul><li>{text}</li></ul>"}.get(kind, f"<p>{text}</p>"))
        body = "<html><body><nav><a href='/'>Home</a></nav><main>" + "".join(parts) + "</main></body></html>"
    else:
        mark = {"heading": "## " if fmt == "md" else "", "item": "- "}
        body = "\n\n".join(mark.get(kind, "") + text for kind, text in blocks) + "\n"
    path = tmp_path / f"policy.{fmt}"
    path.write_text(body, encoding="utf-8")
    return path


FORMS = ("txt", "md", "html")


@pytest.mark.parametrize("fmt", FORMS)
def test_a_line_of_browser_names_is_not_a_heading(tmp_path, fmt):
    path = _policy(tmp_path, [("heading", "Do Not Track"), ("paragraph", "Firefox; Chrome; Microsoft Edge; Safari"),
                              ("paragraph", "We do not respond to Do Not Track signals.")], fmt)
    document = read_policy(path)
    assert [document.text[a:b] for a, b in document.headings] == ["Do Not Track"]
    fact = extract(document, RUBRIC)["dnt"]
    assert fact.value == "not_honored" and fact.evidence[0].section == "Do Not Track"


@pytest.mark.parametrize("fmt", FORMS)
def test_a_heading_alone_decides_nothing(tmp_path, fmt):
    document = read_policy(_policy(tmp_path, [("heading", "Information we sell"),
                                              ("paragraph", "We describe our service below.")], fmt))
    assert extract(document, RUBRIC)["data_sale"].value == NOT_STATED


@pytest.mark.parametrize("fmt", FORMS)
def test_a_lead_in_alone_is_never_the_evidence(tmp_path, fmt):
    alone = read_policy(_policy(tmp_path, [("paragraph", "Should a data breach occur, we will take the following "
                                                         "action:")], fmt))
    assert extract(alone, RUBRIC)["breach_notification"].value == NOT_STATED
    document = read_policy(_policy(tmp_path, [("paragraph", "Should a data breach occur:"),
                                              ("item", "we will notify you by e-mail within 72 hours")], fmt))
    fact = extract(document, RUBRIC)["breach_notification"]
    assert fact.value == "committed"
    assert [e.quote for e in fact.evidence] == ["we will notify you by e-mail within 72 hours",
                                                "Should a data breach occur:"]


@pytest.mark.parametrize("fmt", FORMS)
def test_we_do_not_at_a_line_end_is_not_sold_with_the_whole_sentence(tmp_path, fmt):
    document = read_policy(_policy(tmp_path, [("heading", "Information we sell"),
                                              ("paragraph", "We do not\nsell your personal information to anyone.")],
                                   fmt))
    fact = extract(document, RUBRIC)["data_sale"]
    assert fact.value == "not_sold"
    assert [e.quote for e in fact.evidence] == ["We do not sell your personal information to anyone."]


@pytest.mark.parametrize("fmt", FORMS)
def test_a_conflict_is_settled_by_precedence_and_said_in_plain_words(tmp_path, fmt):
    document = read_policy(_policy(tmp_path, [("paragraph", "We do not sell your personal information."),
                                              ("paragraph", "We may sell your e-mail address to selected partners.")],
                                   fmt))
    fact = extract(document, RUBRIC)["data_sale"]
    assert fact.value == "sold" and fact.needs_review  # priority: the answer worse for the consumer first
    assert fact.evidence[0].quote == "We may sell your e-mail address to selected partners."
    assert fact.note.startswith("The policy says both that it does not sell personal data and that it sells")


def test_every_conflict_note_is_in_plain_words():
    detectors = detectors_for(RUBRIC)
    labels = {p.key: {value: rule.label for value, rule in p.values.items()} for p in RUBRIC.practices}
    notes = 0
    for key, practice in detectors.practices.items():
        for winner, loser in permutations(practice.priority, 2):
            note = disagreement(practice, winner, [loser], labels.get(key, {}))
            assert "_" not in note and "priority" not in note and "(" not in note, (key, note)
            assert practice.says[winner] in note and practice.says[loser] in note
            notes += 1
    assert notes >= 10


def test_the_precedence_is_documented_where_the_rules_are():
    text = (ROOT / "rubric" / "detectors.yaml").read_text(encoding="utf-8")
    assert "# CONFLICTS (the precedence, in order)" in text
    assert "says in plain words what disagreed" in text
