"""`scorecard build` on the bundled providers: real HTML parsed, real PDFs read back, JSON and CSV loaded."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from tests.helpers import ROOT, SLUGS


class Text(HTMLParser):
    """Visible text and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        self.text.append(data)

    @classmethod
    def of(cls, path) -> Text:
        parser = cls()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "site"
    result = subprocess.run([sys.executable, "-m", "scorecard", "build", "--out", str(out)],
                            check=False, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    return out


def test_every_page_exists(site):
    for rel in ["index.html", "methodology/index.html", "data/scorecards.json", "data/scorecards.csv"]:
        assert (site / rel).is_file(), rel
    for slug in SLUGS:
        for name in ["index.html", "scorecard.pdf", "scorecard.json", "badge.svg"]:
            assert (site / slug / name).is_file(), f"{slug}/{name}"


def test_index_lists_every_provider_best_first(site):
    data = json.loads((site / "data" / "scorecards.json").read_text(encoding="utf-8"))
    scores = [card["score"] for card in data]
    assert scores == sorted(scores, reverse=True)
    page = Text.of(site / "index.html")
    positions = [page.words.index(card["name"]) for card in data]
    assert positions == sorted(positions), "index order must match best-first data order"
    for card in data:
        assert f"{card['slug']}/index.html" in page.links


def test_provider_pages_show_grade_score_and_evidence(site):
    data = {card["slug"]: card for card in json.loads((site / "data" / "scorecards.json").read_text("utf-8"))}
    for slug, card in data.items():
        words = Text.of(site / slug / "index.html").words
        assert card["name"] in words
        assert f"{card['score']} out of 100" in words
        for practice in card["practices"].values():
            for ev in practice["evidence"]:
                assert " ".join(ev["quote"].split())[:60] in words


def test_methodology_lists_every_practice_and_threshold(site):
    from scorecard.rubric import load_rubric
    rubric = load_rubric()
    words = Text.of(site / "methodology" / "index.html").words
    for practice in rubric.practices:
        assert practice.question in words
    assert "When a policy says nothing" in words


def test_pdfs_are_one_page_with_the_grade(site):
    data = json.loads((site / "data" / "scorecards.json").read_text(encoding="utf-8"))
    for card in data:
        reader = PdfReader(site / card["slug"] / "scorecard.pdf")
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert card["name"] in text
        assert f"Privacy grade {card['grade']}" in text and f"score {card['score']} out of 100" in text


def test_json_and_csv_agree(site):
    data = json.loads((site / "data" / "scorecards.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((site / "data" / "scorecards.csv").read_text(encoding="utf-8"))))
    assert [r["slug"] for r in rows] == [c["slug"] for c in data]
    for row, card in zip(rows, data, strict=True):
        assert int(row["score"]) == card["score"] and row["grade"] == card["grade"]
        assert row["rubric_version"] == card["rubric_version"]
        for key, practice in card["practices"].items():
            assert row[f"{key}.value"] == practice["value"]
            assert int(row[f"{key}.points"]) == practice["points"]


def test_every_top_level_name_of_the_site_is_a_reserved_slug(site):
    """A provider may not be called after a folder the site writes (its pages would overwrite them)."""
    from scorecard.providers import RESERVED_SLUGS

    names = {p.name.split(".")[0] for p in site.iterdir() if p.name not in SLUGS and not p.name.startswith(".")}
    assert names <= RESERVED_SLUGS, names - RESERVED_SLUGS
    assert {"compare", "methodology", "changes", "data", "assets", "policy", "practices"} <= RESERVED_SLUGS


def test_the_manifest_lists_every_file_the_build_made(site):
    """What lets the next build tell the publisher's own files (CNAME, .git) from its own."""
    listed = set(json.loads((site / ".scorecard-manifest.json").read_text(encoding="utf-8"))["files"])
    made = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert listed == made


def test_files_scorecard_did_not_make_are_told_apart(tmp_path):
    """From the manifest's list; for a site of an older scorecard (no list), by the names it writes."""
    from scorecard.build import foreign_files
    from scorecard.cache import MANIFEST, made_files

    out = tmp_path / "site"
    for rel in ["index.html", "scorecards.pdf", "acme/index.html", "acme/scorecard.json", "gone/scorecard.json",
                "CNAME", ".git/HEAD", "acme/notes.txt", ".scorecard-site"]:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("x", encoding="utf-8")
    (out / "empty").mkdir()
    writing = {"index.html", "acme/index.html", "acme/scorecard.json"}
    assert foreign_files(out, writing, made_files(out)) == [".git/HEAD", "CNAME", "empty"]  # no manifest: by name
    (out / MANIFEST).write_text(json.dumps({"files": ["index.html", "scorecards.pdf", "acme/index.html",
                                                      "acme/scorecard.json", "gone/scorecard.json"]}))
    assert foreign_files(out, writing, made_files(out)) == [".git/HEAD", "CNAME", "acme/notes.txt", "empty"]
