"""Golden outputs (bandit and typer style): the policies of cases.yaml in, and out of one real build
(no PDFs) each provider's facts (its scorecard.json), two fragments of its page (the plain-words summary
and the practice-by-practice sections) and its row of data/scorecards.csv, compared byte for byte with
tests/golden/expected/<slug>/. A rule, template or scoring change shows up here as a readable diff.

Regenerate after an intended change: `make golden` (pytest tests/golden --update-golden), then review
`git diff tests/golden/expected` and commit it with the change.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scorecard.build import BuildOptions, build
from tests.helpers import ROOT, copy_providers

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
CORPUS = ROOT / "corpus" / "policies"
SLUGS: list[str] = [*CASES["seeds"], *CASES["corpus"]]


def dev_half() -> set[str]:
    split = yaml.safe_load((ROOT / "corpus" / "split.yaml").read_text(encoding="utf-8"))
    return {policy for policies in split["dev"].values() for policy in policies}


def corpus_provider(root: Path, policy_id: str) -> None:
    """A provider folder made from a corpus policy: its file as is, its date and address from meta.yaml."""
    source = CORPUS / policy_id
    meta = yaml.safe_load((source / "meta.yaml").read_text(encoding="utf-8"))
    policy = next(source.glob("policy.*"))
    folder = root / policy_id
    folder.mkdir(parents=True)
    shutil.copyfile(policy, folder / policy.name)
    info = {"name": meta.get("service") or meta["organisation"], "policy_file": policy.name,
            "policy_date": str(meta["date"]), "policy_date_kind": "effective"}
    if meta.get("url"):
        info["policy_url"] = meta["url"]
    (folder / "provider.yaml").write_text(yaml.safe_dump(info, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def golden_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    providers = copy_providers(tmp_path_factory.mktemp("golden-providers"), CASES["seeds"])
    for policy_id in CASES["corpus"]:
        corpus_provider(providers, policy_id)
    out = tmp_path_factory.mktemp("golden-site") / "site"
    build(BuildOptions(providers=providers, out=out, pdf=False, incremental=False))
    return out


def tidy(html: str) -> str:
    """Blank lines and trailing spaces dropped, so that a diff shows what a reader would see change."""
    return "".join(line.rstrip() + "\n" for line in html.splitlines() if line.strip())


def summary_fragment(site: Path, slug: str) -> str:
    page = (site / slug / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<section class="summary".*?</section>', page, re.DOTALL)
    assert found, f"{slug}/index.html has no summary section"
    return tidy(found.group(0))


def practices_fragment(site: Path, slug: str) -> str:
    page = (site / slug / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section class="practice[ "].*?</section>', page, re.DOTALL)
    assert sections, f"{slug}/index.html has no practice sections"
    return tidy("\n".join(sections))


def csv_row(site: Path, slug: str) -> str:
    """The header and this provider's row of data/scorecards.csv."""
    text = (site / "data" / "scorecards.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    mine = [row for row in rows[1:] if row and row[0] == slug]
    assert len(mine) == 1, f"data/scorecards.csv has {len(mine)} rows for {slug}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], mine[0]])
    return out.getvalue()


def facts_json(site: Path, slug: str) -> str:
    return (site / slug / "scorecard.json").read_text(encoding="utf-8").rstrip("\n") + "\n"


OUTPUTS: dict[str, Callable[[Path, str], str]] = {
    "scorecard.json": facts_json,
    "summary.html": summary_fragment,
    "practices.html": practices_fragment,
    "scorecards.csv": csv_row,
}


def test_corpus_cases_are_from_the_dev_half() -> None:
    """Goldens are read when rules are tuned: the test half must never be among them."""
    assert set(CASES["corpus"]) <= dev_half()


@pytest.mark.parametrize("name", OUTPUTS)
@pytest.mark.parametrize("slug", SLUGS)
def test_golden_output(golden_site: Path, slug: str, name: str, request: pytest.FixtureRequest) -> None:
    actual = OUTPUTS[name](golden_site, slug)
    expected = EXPECTED / slug / name
    if request.config.getoption("update_golden"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
        return
    assert expected.is_file(), f"no golden {expected.relative_to(ROOT)}: run `make golden`"
    assert actual == expected.read_text(encoding="utf-8"), (
        f"{slug}/{name} differs from {expected.relative_to(ROOT)}; if the change is intended, run `make golden`")


def test_no_stale_goldens() -> None:
    """Every expected file belongs to a case, so a dropped case does not leave outputs nobody checks."""
    wanted = {(slug, name) for slug in SLUGS for name in OUTPUTS}
    present = {(p.parent.name, p.name) for p in EXPECTED.glob("*/*")}
    assert present <= wanted, sorted(present - wanted)
