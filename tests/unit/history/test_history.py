"""History: every version scored, reviewed facts tied to the sentences they cite, diff, changes page, feed."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from scorecard.build import BuildOptions, build
from scorecard.errors import ScorecardError
from scorecard.history import compare, compute_history, history_from_json, history_to_json, pick
from scorecard.providers import load_provider
from scorecard.render.changes import change_text
from scorecard.rubric import load_rubric

from tests.helpers import make_provider

SELL = "We do not sell your personal information to anyone."
SOLD = "We may sell your personal information to our advertising partners."
DELETE = "You may ask us to delete your account at any time."
ENCRYPT = "We encrypt your files at rest and in transit."
ENCRYPT2 = "We encrypt your files at rest only."
FILLER = "We collect your name and email address when you sign up."

V1 = f"{FILLER}\n{SELL}\n{DELETE}\n{ENCRYPT}" + "\n"
V2 = f"{FILLER}\n{SOLD}\n{DELETE}\n{ENCRYPT2}" + "\n"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def rubric():
    return load_rubric()


def evidence(text: str, quote: str) -> dict:
    start = text.index(quote)
    return {"quote": quote, "start": start, "end": start + len(quote)}


def reviewed(text: str, **facts: tuple[str, str]) -> dict:
    return {"facts": {key: {"value": value, "source": "reviewed", "reviewer": "Ada",
                            "reviewed_on": "2026-02-01", "evidence": [evidence(text, quote)]}
                      for key, (value, quote) in facts.items()}}


def two_versions(root: Path, facts: dict | None = None, slug: str = "acme") -> Path:
    folder = make_provider(root, slug, V1, name="Acme Cloud", policy_url="https://acme.example/privacy",
                           policy_date="2026-01-01", policy_date_kind="effective")
    versions = folder / "versions"
    versions.mkdir()
    (versions / "2026-06-01.txt").write_text(V2, encoding="utf-8")
    (versions / "2026-06-01.yaml").write_text(yaml.safe_dump({
        "file": "2026-06-01.txt", "url": "https://acme.example/privacy", "retrieved": "2026-06-01T08:00:00Z",
        "sha256": "0" * 64}), encoding="utf-8")
    facts = facts if facts is not None else reviewed(
        V1, data_sale=("not_sold", SELL), deletion=("on_request", DELETE))
    (folder / "facts.yaml").write_text(yaml.safe_dump(facts, sort_keys=False), encoding="utf-8")
    return folder


def row(card, practice):
    return next(r for r in card.practices if r.practice == practice)


def test_a_changed_cited_sentence_sends_the_fact_back_to_review(tmp_path: Path, rubric):
    history = compute_history(load_provider(two_versions(tmp_path), rubric), rubric)
    assert [v.version.id for v in history.versions] == ["policy", "2026-06-01"]
    first, latest = (v.card for v in history.versions)

    assert row(first, "data_sale").fact.source == "reviewed"
    sale = row(latest, "data_sale").fact
    assert sale.source == "extracted" and sale.needs_review
    assert sale.note == ("The policy changed on 2026-06-01 a sentence cited by the review by Ada (which said"
                         " 'not_sold'); this answer was found automatically in the new text.")

    deletion = row(latest, "deletion").fact  # its sentence did not change: the review carries over
    assert deletion.source == "reviewed" and not deletion.needs_review and deletion.reviewer == "Ada"
    ev = deletion.evidence[0]
    assert V2[ev.start:ev.end] == ev.quote == DELETE

    assert history.current is latest
    assert latest.info.policy_date == dt.date(2026, 6, 1) and latest.info.policy_date_kind == "retrieved"
    assert first.info.policy_date == dt.date(2026, 1, 1)


def test_the_change_lists_facts_and_sentences_side_by_side(tmp_path: Path, rubric):
    history = compute_history(load_provider(two_versions(tmp_path), rubric), rubric)
    change = history.latest_change
    assert change is not None and change.date == dt.date(2026, 6, 1)
    reasons = {fc.practice: fc.reason for fc in change.facts}
    assert reasons["data_sale"].endswith("a sentence the review cited changed: needs review")
    assert "deletion" not in [fc.practice for fc in change.facts]
    pairs = [(p.before, p.after) for p in change.sentences]
    assert (SELL, SOLD) in pairs
    assert pairs == [(SELL, SOLD), (ENCRYPT, ENCRYPT2)]
    sale = next(p for p in change.sentences if p.before == SELL)
    assert ("del", "do not ") in sale.before_parts and ("ins", "may ") in sale.after_parts
    assert "".join(text for _kind, text in sale.before_parts) == SELL
    assert "".join(text for _kind, text in sale.after_parts) == SOLD


def test_a_quote_is_tied_to_its_whole_sentence(tmp_path: Path, rubric):
    # The reviewer quoted part of a sentence; the rest of the sentence changed: that needs review too.
    facts = reviewed(V1, encryption=("claimed", "We encrypt your files at rest"))
    history = compute_history(load_provider(two_versions(tmp_path, facts), rubric), rubric)
    assert row(history.versions[0].card, "encryption").fact.source == "reviewed"
    assert row(history.current, "encryption").fact.needs_review


def test_white_space_changes_do_not_undo_a_review(tmp_path: Path, rubric):
    folder = two_versions(tmp_path)
    (folder / "versions" / "2026-06-01.txt").write_text(V1.replace(" ", "  ").replace("\n", "\n\n"))
    history = compute_history(load_provider(folder, rubric), rubric)
    assert row(history.current, "data_sale").fact.source == "reviewed"
    assert history.latest_change.sentences == []


def test_a_review_of_the_newer_text_holds_there_not_before(tmp_path: Path, rubric):
    facts = reviewed(V2, data_sale=("sold", SOLD))
    facts["facts"]["data_sale"]["reviewed_on"] = "2026-07-01"
    history = compute_history(load_provider(two_versions(tmp_path, facts), rubric), rubric)
    old, new = (row(v.card, "data_sale").fact for v in history.versions)
    assert new.source == "reviewed" and new.value == "sold"
    assert old.source == "extracted" and not old.needs_review  # older than the review: not flagged


def test_a_provider_without_versions_has_one_version(tmp_path: Path, rubric):
    folder = make_provider(tmp_path, "solo", V1, policy_date="2025-05-05")
    history = compute_history(load_provider(folder, rubric), rubric)
    assert [v.version.id for v in history.versions] == ["policy"] and history.changes == []
    assert pick(history, None, None) is None


def test_a_history_from_the_build_cache_diffs_without_its_texts(tmp_path: Path, rubric):
    """The cache keeps changes, not texts: diffing two versions in a row gives the kept change."""
    computed = compute_history(load_provider(two_versions(tmp_path), rubric), rubric)
    cached = history_from_json(json.loads(json.dumps(history_to_json(computed))))
    assert cached is not None and all(v.document is None for v in cached.versions)
    assert change_text(pick(cached, None, None)) == change_text(pick(computed, None, None))
    with pytest.raises(ValueError, match="texts of acme's versions were not kept"):
        compare(cached.slug, cached.name, cached.versions[0], cached.versions[1])


def test_a_reviewed_quote_in_no_version_is_an_error_at_its_line(tmp_path: Path, rubric):
    facts = reviewed(V1, data_sale=("not_sold", SELL))
    facts["facts"]["data_sale"]["evidence"][0]["quote"] = "We never sell anything."
    folder = two_versions(tmp_path, facts)
    with pytest.raises(ScorecardError) as caught:
        compute_history(load_provider(folder, rubric), rubric)
    assert str(caught.value).startswith(f"{folder / 'facts.yaml'}:")
    assert caught.value.message == ("reviewed quote for 'data_sale' is in no version of the policy: fix the"
                                    " quote or run 'scorecard review acme' again")


def test_pick_by_dates(tmp_path: Path, rubric):
    history = compute_history(load_provider(two_versions(tmp_path), rubric), rubric)
    change = pick(history, dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    assert (change.before.version.id, change.after.version.id) == ("policy", "2026-06-01")
    with pytest.raises(ScorecardError, match=r"^no version of acme on or before 2025-01-01; the first is 2026-01-01$"):
        pick(history, dt.date(2025, 1, 1), None)
    with pytest.raises(ScorecardError, match=r"^--from must name a version older than --to"):
        pick(history, dt.date(2026, 6, 2), None)
    text = change_text(change)
    assert text.startswith("Acme Cloud: version 2026-01-01 -> 2026-06-01\nScore ")
    assert f"  - {SELL}\n  + {SOLD}\n" in text
    assert "  data_sale: " in text


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_scorecard_diff_command(tmp_path: Path):
    two_versions(tmp_path / "providers")
    result = run("diff", "acme", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Acme Cloud: version 2026-01-01 -> 2026-06-01\n")
    assert f"  - {SELL}\n  + {SOLD}\n" in result.stdout
    assert "data_sale: Not sold -> " in result.stdout

    same = run("diff", "acme", "--from", "2026-01-01", "--to", "2026-06-30", cwd=tmp_path)
    assert same.stdout == result.stdout
    bad = run("diff", "acme", "--from", "June", cwd=tmp_path)
    assert bad.returncode == 2 and "June" in bad.stderr
    make_provider(tmp_path / "providers", "solo", V1, policy_date="2025-05-05")
    solo = run("diff", "solo", cwd=tmp_path)
    assert solo.returncode == 0 and solo.stdout == ""
    assert "solo has one version (2025-05-05): nothing to compare yet" in solo.stderr


def test_site_history_changes_page_and_atom_feed(tmp_path: Path):
    providers = tmp_path / "providers"
    two_versions(providers)
    make_provider(providers, "solo", V1, name="Solo & Sons", policy_date="2025-05-05")
    out = tmp_path / "site"
    build(BuildOptions(providers=providers, out=out, pdf=False))

    page = (out / "acme" / "index.html").read_text()
    assert 'id="history"' in page and "Grade over time: 2 versions of the policy" in page
    assert "<del>do not </del>" in page and "<ins>may </ins>" in page
    assert "One version of this policy so far" in (out / "solo" / "index.html").read_text()

    changes = (out / "changes" / "index.html").read_text()
    assert "Acme Cloud" in changes and 'datetime="2026-06-01"' in changes and "Solo" not in changes

    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
    assert entry.findtext(f"{ATOM}updated") == "2026-06-01T00:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2026-06-01T00:00:00Z"
    assert entry.find(f"{ATOM}link").get("href") == "acme/index.html#history"
    assert SOLD in ET.tostring(entry, encoding="unicode")

    data = json.loads((out / "data" / "changes.json").read_text())
    assert [(c["slug"], c["before"]["version"], c["after"]["version"]) for c in data] == \
        [("acme", "policy", "2026-06-01")]
    assert {"before": SELL, "after": SOLD} in data[0]["sentences"]
    assert data[0]["after"]["date"] == "2026-06-01"

    first = (out / "feed.xml").read_bytes()
    build(BuildOptions(providers=providers, out=out, pdf=False))
    assert (out / "feed.xml").read_bytes() == first  # stable ids and dates: builds reproduce


def test_feed_escapes_names_and_policy_text(tmp_path: Path):
    providers = tmp_path / "providers"
    folder = two_versions(providers, facts={})
    info = yaml.safe_load((folder / "provider.yaml").read_text())
    info["name"] = 'Acme <Cloud> & "Co"'
    (folder / "provider.yaml").write_text(yaml.safe_dump(info))
    (folder / "versions" / "2026-06-01.txt").write_text(V2 + "Use <b>care</b> & form\x0cfeeds ]]> here.\n")
    out = tmp_path / "site"
    build(BuildOptions(providers=providers, out=out, pdf=False))
    feed = ET.parse(out / "feed.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title").startswith('Acme <Cloud> & "Co": grade')
    content = " ".join("".join(entry.find(f"{ATOM}content").itertext()).split())
    # The form feed is a line break to the normalizer (a PDF page break), so it may start a new sentence.
    assert "Use <b>care</b> & form" in content and "feeds ]]> here." in content


def test_an_unchanged_history_comes_from_the_build_cache(tmp_path: Path, monkeypatch):
    """Several versions are extracted once; the next build reads the history back from the site's manifest
    and renders the same bytes, until a file of the provider changes."""
    from scorecard import history
    providers = tmp_path / "providers"
    folder = two_versions(providers)
    out = tmp_path / "site"
    build(BuildOptions(providers=providers, out=out, pdf=False))
    first = {p: (out / p).read_bytes() for p in ("acme/index.html", "changes/index.html", "feed.xml")}

    calls = []
    real = history.compute_history
    monkeypatch.setattr(history, "compute_history", lambda *a, **k: calls.append(a) or real(*a, **k))
    history._MEMO.clear()  # as in a new process
    build(BuildOptions(providers=providers, out=out, pdf=False))
    assert calls == []
    assert {p: (out / p).read_bytes() for p in first} == first

    (folder / "versions" / "2026-06-01.txt").write_text(V2 + FILLER + " Also your phone number.\n", encoding="utf-8")
    history._MEMO.clear()
    build(BuildOptions(providers=providers, out=out, pdf=False))
    assert len(calls) == 1
    assert "Also your phone number" in (out / "acme" / "index.html").read_text()
