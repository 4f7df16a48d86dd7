"""The extraction engine: evidence offsets, conflicts, confidence, and detectors.yaml loading."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scorecard.errors import ScorecardError
from scorecard.extract import Hit, check_detection, extract, extract_file, load_detectors, register
from scorecard.model import NOT_STATED
from scorecard.rubric import load_rubric
from scorecard.text import parse_text

from tests.helpers import PROVIDERS, ROOT, SLUGS, rubric_data, write_rubric

RUBRIC = load_rubric()
DETECTORS = ROOT / "rubric" / "detectors.yaml"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_value_cites_whole_sentences_with_exact_offsets(slug):
    document, facts = extract_file(next((PROVIDERS / slug).glob("policy.*")), RUBRIC)
    assert list(facts) == RUBRIC.keys
    spans = {(s.start, s.end, s.section) for s in document.sentences}
    for fact in facts.values():
        assert 0 <= fact.confidence <= 1
        if fact.value == NOT_STATED:
            assert fact.evidence == []
            continue
        assert fact.evidence, fact.practice
        for ev in fact.evidence:
            assert document.text[ev.start:ev.end] == ev.quote
            assert (ev.start, ev.end, ev.section) in spans  # a whole sentence, with its heading


def _facts(text: str):
    return extract(parse_text(text), RUBRIC)


def test_conflict_worse_value_wins_both_sentences_cited_and_review_asked():
    fact = _facts("We do not sell your personal information.\n"
                  "We may rent your email address to selected partners.")["data_sale"]
    assert fact.value == "sold" and fact.needs_review and fact.confidence <= 0.55
    assert [e.quote for e in fact.evidence] == ["We may rent your email address to selected partners.",
                                                "We do not sell your personal information."]
    assert fact.note.startswith("The policy says both that it does not sell personal data and that it sells or may")
    assert "priority" not in fact.note and "(" not in fact.note


def test_strong_cue_beats_weak_one_of_higher_priority():
    fact = _facts("We will notify you of material changes to this policy.\n"
                  "Changes will be posted on this page with a new effective date.")["policy_changes"]
    assert fact.value == "posted_only"


def test_two_readings_of_one_sentence_are_not_a_conflict():
    fact = _facts("If we change this policy, we will notify you by email or by posting a notice on this page.")
    assert fact["policy_changes"].value == "direct_notice" and not fact["policy_changes"].needs_review


def test_qualified_statement_needs_review():
    fact = _facts("We do not sell your personal information except as described in this policy.")["data_sale"]
    assert fact.value == "not_sold" and fact.needs_review and fact.confidence < 0.8


def test_context_sentence_is_cited():
    fact = _facts("Should a data breach occur, we will take the following action:\n"
                  "We will notify the users via email immediately")["breach_notification"]
    assert fact.value == "committed" and len(fact.evidence) == 2


def test_practice_without_detector_is_not_stated_and_flagged(tmp_path):
    data = rubric_data()
    del data["detectors"]  # a rubric that names no detectors file falls back to the packaged one
    data["practices"].append({**data["practices"][-1], "key": "children"})
    rubric = load_rubric(write_rubric(tmp_path, data, with_detectors=False))
    fact = extract(parse_text("We do not sell your personal information."), rubric)
    assert fact["children"].value == NOT_STATED and fact["data_sale"].value == "not_sold"
    assert fact["children"].needs_review
    with pytest.raises(ScorecardError, match=r"no detection rules for practice.s. children"):
        check_detection(rubric)


def test_a_rubric_names_its_detectors_and_a_copy_without_them_is_an_error(tmp_path):
    data = rubric_data()
    assert data["detectors"] == "detectors.yaml"
    path = write_rubric(tmp_path, data, with_detectors=False)
    with pytest.raises(ScorecardError, match=r"detectors file 'detectors\.yaml' was not found") as caught:
        extract(parse_text("We do not sell your personal information."), load_rubric(path))
    assert str(caught.value).startswith(str(path))


def test_a_new_practice_in_a_copied_rubric_fails_validation(tmp_path):
    data = rubric_data()
    data["practices"].append({**data["practices"][-1], "key": "children"})
    rubric = load_rubric(write_rubric(tmp_path, data))  # with a copy of the default detectors
    with pytest.raises(ScorecardError, match=r"no detection rules for practice.s. children"):
        check_detection(rubric)


def _detectors_file(tmp_path: Path, practices: dict, **top) -> Path:
    base = yaml.safe_load(DETECTORS.read_text(encoding="utf-8"))
    base.update(top)
    base["practices"] = practices
    path = tmp_path / "detectors.yaml"
    path.write_text(yaml.safe_dump(base, sort_keys=False), encoding="utf-8")
    return path


def test_new_practice_is_detected_from_yaml_alone(tmp_path):
    data = rubric_data()
    data["practices"].append({**data["practices"][-1], "key": "children", "values": {
        "excluded": {"points": 5, "label": "No", "verdict": "good", "summary": "s"},
        "not_stated": {"points": 0, "label": "?", "verdict": "neutral", "summary": "s"}}})
    rubric = load_rubric(write_rubric(tmp_path, data, with_detectors=False))
    path = _detectors_file(tmp_path, {"children": {
        "keywords": ["child"], "priority": ["excluded"],
        "values": {"excluded": [{"id": "children.excluded.not_directed",
                                  "cue": r"\bnot (?:directed|intended) (?:to|for) children"}]}}})
    detectors = load_detectors(path, rubric)
    facts = extract(parse_text("Our service is not intended for children under 13."), rubric, detectors)
    assert facts["children"].value == "excluded" and facts["data_sale"].value == NOT_STATED


@pytest.mark.parametrize(("practices", "message"), [
    ({"nonsense": {"trigger": "x", "priority": []}}, "unknown practice 'nonsense'"),
    ({"dnt": {"trigger": "x", "priority": [], "values": {"maybe": [{"id": "dnt.maybe.x", "cue": "x"}]}}},
     "unknown value 'maybe'"),
    ({"dnt": {"trigger": "(", "priority": []}}, "bad pattern"),
    ({"dnt": {"keywords": ["DNT"], "priority": []}}, "must be non-empty and lower-case"),
    ({"dnt": {"priority": []}}, "needs keywords or a trigger"),
    ({"dnt": {"trigger": "{{nope}}", "priority": []}}, "unknown part '{{nope}}'"),
    ({"dnt": {"trigger": "x", "priority": [], "values": {"honored": [{"cue": "x"}]}}}, "missing field 'id'"),
    ({"dnt": {"trigger": "x", "priority": [], "values": {"honored": [{"id": "dnt.honored.x", "cue": "x"}],
                                                           "not_honored": [{"id": "dnt.honored.x", "cue": "y"}]}}},
     "rule id 'dnt.honored.x' is used twice"),
    ({"dnt": {"trigger": "x", "priority": [], "values": {"honored": [{"id": "Bad Id", "cue": "x"}]}}}, "id"),
    ({"dnt": {"trigger": r"(a)\1", "priority": []}}, "backreferences are not allowed"),
    ({"dnt": {"trigger": "x", "priority": [], "python": "missing"}}, "no Python detector named 'missing'"),
    ({"dnt": {"trigger": "x", "priority": [], "values": {"honored": [{"id": "dnt.honored.x", "cue": "x", "negation": "odd"}]}}},
     "negation must be drop, ignore or a value"),
    ({"dnt": {"trigger": "x", "priority": [], "colour": "red"}}, "unknown field 'colour'"),
])
def test_detector_file_errors_name_file_line_col(tmp_path, practices, message):
    path = _detectors_file(tmp_path, practices)
    with pytest.raises(ScorecardError) as caught:
        load_detectors(path, RUBRIC)
    text = str(caught.value)
    assert message in text and text.startswith(f"{path}:") and text.split(":")[1].isdigit()


def test_lenient_fallback_leaves_out_unknown_practices(tmp_path):
    path = _detectors_file(tmp_path, {"nonsense": {"trigger": "x", "priority": []}})
    assert load_detectors(path, RUBRIC, strict=False).practices == {}


def test_python_detector_adds_hits(tmp_path):
    @register("test_every_sentence_is_honored")
    def every(document, candidates, practice):
        return [Hit("honored", i, 0.9, "python") for i in candidates]

    path = _detectors_file(tmp_path, {"dnt": {"keywords": ["signal"], "priority": ["honored"],
                                              "python": "test_every_sentence_is_honored"}})
    facts = extract(parse_text("Some signal here. Nothing there."), RUBRIC, load_detectors(path, RUBRIC))
    assert facts["dnt"].value == "honored" and [e.quote for e in facts["dnt"].evidence] == ["Some signal here."]


def test_default_detectors_load_strictly_against_default_rubric():
    detectors = load_detectors(DETECTORS, RUBRIC, strict=True)
    assert set(detectors.practices) == set(RUBRIC.keys)


@pytest.mark.parametrize(("pattern", "needs"), [
    (r"\b(?P<cue>sell|sells|selling)\b[^.]{0,9}data", ("sell",)),
    (r"\bwe (?:do not|don't) share\b", ("we do not", "we don't")),  # a run joined to the group after it
    (r"\bdata (?:co-?op|co-?operative)\b", ("data co",)),
    (r"(?:optional )?(?:encrypt|ssl)", ("encrypt", "ssl")),   # an optional part requires nothing
    (r"(?:encrypted|hashed) with", ("encrypted", "hashed")),
    (r"[a-z]+ing\b", ("ing",)),
    (r"(?:left)?turn", ("turn",)),                           # and never joins the literal after it
    (r"(?:left)?right", ()),                                 # too common a word to filter anything
    (r"\b(?:a|an) (?:x|y)", ()),                            # too short to be worth a test
    (r"(?:data|[a-z]+) sold", (" sold",)),
    (r"(?:data|[a-z]+)", ()),                                # a branch without a literal requires nothing
])
def test_required_literals_are_what_every_match_contains(pattern, needs):
    from scorecard.extract.spec import required_literals
    assert required_literals(pattern) == needs


def test_no_rule_cue_matches_a_labelled_sentence_without_its_required_literal():
    """The prefilter must never hide a match: checked over every sentence of the labelled set and every rule."""
    from scorecard.extract import detectors_for
    from scorecard.extract.engine import lower_keeping_offsets
    detectors = detectors_for(load_rubric())
    texts = []
    for path in sorted((ROOT / "tests" / "sentences").glob("*.yaml")):
        texts += [lower_keeping_offsets(t) for _value, t in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
    checked = 0
    for practice in detectors.practices.values():
        for rule in practice.rules:
            for text in texts:
                if rule.cue.search(text) and all(p.search(text) for p in rule.all):  # needs hold cue's and all's
                    assert not rule.needs or any(word in text for word in rule.needs), (rule.id, text)
                    assert all(any(word in text for word in also) for also in rule.needs_also), (rule.id, text)
                    checked += 1
    assert checked > 1000


def test_evidence_names_value_and_rules_and_the_fact_names_its_rules():
    fact = _facts("We do not sell your personal information.")["data_sale"]
    assert fact.value == "not_sold" and fact.rules
    assert all(ev.value == "not_sold" and ev.rules for ev in fact.evidence)
    assert set(fact.rules) <= {r for ev in fact.evidence for r in ev.rules}


def test_the_deciding_sentence_is_quoted_before_its_lead_in():
    fact = _facts("Should a data breach occur, we will take the following action:\n"
                  "We will notify the users via email immediately")["breach_notification"]
    assert fact.evidence[0].quote == "We will notify the users via email immediately"


def test_a_list_item_reads_with_its_lead_in():
    facts = _facts("You have the right to:\n- access your data;\n- erase your personal information;\n- (c) object.")
    deletion = facts["deletion"]
    assert deletion.value == "on_request"
    assert [e.quote for e in deletion.evidence] == ["erase your personal information;", "You have the right to:"]


def test_a_heading_never_decides():
    fact = _facts("## Information we sell\n\nWe do not sell your personal information.")["data_sale"]
    assert fact.value == "not_sold" and [e.quote for e in fact.evidence] == ["We do not sell your personal information."]


def test_a_claim_about_card_data_only_is_partial():
    assert _facts("Credit card numbers are encrypted using SSL.")["encryption"].partial
    assert not _facts("All data is encrypted in transit.")["encryption"].partial


def test_every_rule_line_is_short_and_every_rule_has_an_id():
    lines = DETECTORS.read_text(encoding="utf-8").splitlines()
    assert max(len(line) for line in lines) <= 200
    detectors = load_detectors(DETECTORS, RUBRIC)
    ids = [rule.id for p in detectors.practices.values() for rule in p.rules]
    assert len(ids) == len(set(ids)) and all(i.count(".") >= 2 for i in ids)


def test_no_private_regex_modules_are_imported():
    for path in (ROOT / "scorecard").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "re._parser" not in text and "_constants" not in text and "sre_parse" not in text, path
