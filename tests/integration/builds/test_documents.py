"""Several documents per provider: a privacy policy, a cookie policy, terms. provider.yaml lists the others
under `documents:`; extraction reads them together (the extractor's precedence settles what they disagree
on), every quote names its document, each document has its annotated page, its versions and its changes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scorecard.extract import extract
from scorecard.history import provider_history
from scorecard.providers import load_provider
from scorecard.rubric import load_rubric
from scorecard.text import parse_text, read_policy

from tests.helpers import make_provider
from tests.httpserver import serving
from tests.integration.fetch.test_fetch_cli import page

PRIVACY = ("Privacy policy\n\nWe collect your name and email address when you register.\n"
           "We do not sell your personal information.\n"
           "You may ask us to delete your account at any time.\n")
COOKIES = ("Cookie policy\n\nWe use third-party advertising cookies to show you targeted ads on other sites.\n"
           "We do not respond to Do Not Track signals.\n")
TERMS = ("Terms of service\n\nBy using the service you agree to these terms.\n"
         "We may sell your personal information to our partners.\n")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def acme(root: Path, documents: list[dict] | None = None) -> Path:
    folder = make_provider(root / "providers", "acme", PRIVACY, name="Acme", policy_date="2026-01-01")
    (folder / "cookies.txt").write_text(COOKIES, encoding="utf-8")
    (folder / "terms.txt").write_text(TERMS, encoding="utf-8")
    info = yaml.safe_load((folder / "provider.yaml").read_text(encoding="utf-8"))
    info["documents"] = documents if documents is not None else [
        {"kind": "cookies", "file": "cookies.txt", "date": "2026-01-01"},
        {"kind": "terms", "file": "terms.txt", "date": "2026-01-01"}]
    (folder / "provider.yaml").write_text(yaml.safe_dump(info, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("documents")
    folder = acme(root)
    (folder / "versions" / "cookies").mkdir(parents=True)
    (folder / "versions" / "cookies" / "2026-03-01.txt").write_text(
        COOKIES.replace("We do not respond to Do Not Track signals.", "We honor Do Not Track signals."),
        encoding="utf-8")
    result = run("build", "--no-pdf", "--out", "site", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def card_of(root: Path) -> dict:
    return json.loads((root / "site" / "acme" / "scorecard.json").read_text(encoding="utf-8"))


def test_every_quote_names_its_document_at_its_place(built: Path):
    card = card_of(built)
    folder = built / "providers" / "acme"
    texts = {"privacy": read_policy(folder / "policy.txt").text, "terms": read_policy(folder / "terms.txt").text,
             "cookies": read_policy(folder / "versions" / "cookies" / "2026-03-01.txt").text}
    documents = set()
    for fact in card["practices"].values():
        for ev in fact["evidence"]:
            documents.add(ev["document"])
            assert texts[ev["document"]][ev["start"]:ev["end"]] == ev["quote"]
    assert documents == {"privacy", "cookies", "terms"}
    tracking = card["practices"]["third_party_tracking"]
    assert tracking["value"] == "yes" and {ev["document"] for ev in tracking["evidence"]} == {"cookies"}
    assert card["practices"]["dnt"]["value"] == "honored"  # the cookie policy's latest version
    assert [d["id"] for d in card["policy"]["documents"]] == ["cookies", "terms"]


def test_documents_that_disagree_are_settled_by_the_extractors_precedence(built: Path):
    """The privacy policy says it does not sell, the terms say it may: the answer is what extraction gives
    for the union of their sentences, and both sides are quoted with their document."""
    rubric = load_rubric(None)
    union = extract(parse_text(PRIVACY + "\n\n" + COOKIES.replace(
        "We do not respond to Do Not Track signals.", "We honor Do Not Track signals.") + "\n\n" + TERMS), rubric)
    sale = card_of(built)["practices"]["data_sale"]
    assert sale["value"] == union["data_sale"].value
    assert {ev["document"] for ev in sale["evidence"]} == {"privacy", "terms"}
    assert sale["needs_review"]


def test_each_document_has_its_annotated_page(built: Path):
    site = built / "site" / "acme"
    privacy = (site / "policy" / "index.html").read_text(encoding="utf-8")
    cookies = (site / "policy" / "cookies" / "index.html").read_text(encoding="utf-8")
    terms = (site / "policy" / "terms" / "index.html").read_text(encoding="utf-8")
    assert "Acme: the cookie policy, annotated" in cookies and "Acme: the terms of service, annotated" in terms
    assert 'id="q-third_party_tracking-0"' in cookies and 'id="q-third_party_tracking-0"' not in privacy
    assert "We honor Do Not Track signals." in cookies and "We do not sell" not in cookies
    assert 'href="../index.html">Privacy policy</a>' in cookies and 'href="../terms/index.html">Terms of service' in cookies
    # the older cookie policy has its own page, linked from the latest one
    older = (site / "policy" / "cookies" / "policy" / "index.html").read_text(encoding="utf-8")
    assert "We do not respond to Do Not Track signals." in older and "This is an older version." in older
    assert 'href="policy/index.html">2026-01-01</a>' in cookies
    provider = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="policy/cookies/index.html#q-third_party_tracking-0">See it in the cookie policy' in provider
    assert 'href="policy/terms/index.html">Terms of service</a>' in provider


def test_history_and_feed_name_the_document_that_changed(built: Path):
    changes = json.loads((built / "site" / "data" / "changes.json").read_text(encoding="utf-8"))
    assert len(changes) == 1 and changes[0]["documents"] == ["cookies"]
    assert changes[0]["before"]["date"] == "2026-01-01" and changes[0]["after"]["date"] == "2026-03-01"
    assert {"practice": "dnt", "before": "not_honored", "after": "honored"}.items() <= changes[0]["facts"][0].items()
    feed = (built / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "Changed: Cookie policy." in feed
    diff = run("diff", "acme", cwd=built)
    assert diff.returncode == 0 and "Documents changed: Cookie policy\n" in diff.stdout, diff.stderr
    assert "  + We honor Do Not Track signals.\n" in diff.stdout


def test_a_one_document_provider_is_read_as_before(tmp_path: Path):
    folder = make_provider(tmp_path, "solo", PRIVACY)
    rubric = load_rubric(None)
    history = provider_history(load_provider(folder, rubric), rubric)
    assert len(history.versions) == 1 and history.versions[0].versions == {}
    alone = extract(read_policy(folder / "policy.txt"), rubric)
    for row in history.current.practices:
        assert row.value == alone[row.practice].value
        assert [(e.start, e.end) for e in row.fact.evidence] == [(e.start, e.end) for e in alone[row.practice].evidence]
        assert all(e.document == "privacy" for e in row.fact.evidence)


def test_review_reads_every_document(built: Path, tmp_path: Path):
    import shutil

    shutil.copytree(built / "providers", tmp_path / "providers")
    result = run("review", "acme", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    facts = yaml.safe_load((tmp_path / "providers" / "acme" / "facts.yaml").read_text(encoding="utf-8"))["facts"]
    assert [ev["document"] for ev in facts["third_party_tracking"]["evidence"]] == ["cookies"]
    again = run("validate", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(("documents", "line"), [
    ([{"kind": "cookies"}], "providers/acme/provider.yaml:5:3: document 'cookies' has neither file nor url; add one"),
    ([{"kind": "terms", "file": "terms.txt"}, {"kind": "terms", "file": "cookies.txt"}],
     "providers/acme/provider.yaml:7:3: two documents have the id 'terms'; give each an id of its own (id: ...)"),
    ([{"id": "privacy", "kind": "notice", "file": "terms.txt"}],
     ("providers/acme/provider.yaml:5:3: document id 'privacy' is taken by the privacy policy (provider.yaml's own"
      " policy_file and policy_url); give this document another id")),
    ([{"kind": "cookies", "file": "missing.txt"}],
     "providers/acme/provider.yaml:6:9: Cookie policy file 'missing.txt' not found beside provider.yaml"),
    ([{"kind": "leaflet", "file": "terms.txt"}], "providers/acme/provider.yaml:5:9: documents.0.kind: Input should be"),
])
def test_bad_documents_are_one_line(tmp_path: Path, documents: list[dict], line: str):
    acme(tmp_path, documents)
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("error: " + line), result.stderr
    assert result.stderr.count("\n") == 1


def test_versions_of_no_document_are_refused(tmp_path: Path):
    folder = acme(tmp_path)
    (folder / "versions" / "cokies").mkdir(parents=True)
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: providers/acme/versions/cokies: versions/cokies/ is named after no document"
                             " of provider.yaml (documents: cookies, terms); rename or remove it\n")


def test_a_document_never_fetched_is_one_clear_line(tmp_path: Path):
    acme(tmp_path, [{"kind": "cookies", "url": "https://acme.example/cookies"}])
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: providers/acme/provider.yaml: document 'cookies' has no file and no fetched"
                             " version yet: run 'scorecard fetch acme' to download its URL, or add a file\n")


def test_fetch_keeps_each_documents_versions_in_its_folder(tmp_path: Path):
    with serving() as server:
        cookies_url = server.page("/cookies", page(COOKIES + "We keep these cookies for a year at most. You can remove cookies in your browser settings at any time, and block them for this site alone.\n"))
        folder = acme(tmp_path, [{"kind": "cookies", "url": cookies_url},
                                 {"id": "ca-notice", "kind": "notice", "title": "California notice", "file": "terms.txt"}])
        result = run("fetch", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "acme: skipped: no policy_url in provider.yaml\n" in result.stdout
    assert "acme/cookies: saved: new version acme/versions/cookies/" in result.stdout
    assert "acme/ca-notice: skipped: no url for this document in provider.yaml\n" in result.stdout
    assert len(list((folder / "versions" / "cookies").glob("*.md"))) == 1
    assert not list((folder / "versions").glob("*.md"))
    built = run("build", "--no-pdf", "--out", "site", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    notice = (tmp_path / "site" / "acme" / "policy" / "ca-notice" / "index.html").read_text(encoding="utf-8")
    assert "Acme: the california notice, annotated" in notice
