"""Shared fixtures: one built site (HTML and PDFs) for the site, PDF and browser tests.

The site holds the bundled providers plus a "stress" provider: the longest name, reviewed facts with long
quotes on every practice, and markup in its name (it must come out escaped).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import yaml

from scorecard.build import BuildOptions, build

from .helpers import copy_providers, make_provider, rubric_data

pytest_plugins = ["tests.cputime", "tests.distribute"]  # --cpu-durations=N; the xdist groups and order


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", dest="update_golden",
                     help="rewrite tests/golden/expected from this build instead of comparing (make golden)")


RUN_CACHE = "SCORECARD_TEST_RUN_CACHE"  # the run's cache folder, in the environment the workers inherit


def pytest_configure(config: pytest.Config) -> None:
    # scorecard keeps compiled detectors and build stamps in the user's cache folder; the tests (and the CLI runs
    # they start, which inherit the environment) get a folder of their own, so a run never writes to ~/.cache.
    # One folder for the run: the xdist workers, started with the controller's environment, share its folder,
    # so the default detectors are compiled once per run rather than once per worker.
    folder = os.environ.get(RUN_CACHE) if hasattr(config, "workerinput") else None
    if not folder:
        folder = os.environ[RUN_CACHE] = tempfile.mkdtemp(prefix="scorecard-test-cache-")
    os.environ["XDG_CACHE_HOME"] = folder
    os.environ.pop("SCORECARD_CACHE", None)


SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
STRESS = "stress-test-storage"
STRESS_NAME = "The Extraordinarily Long-Named <b>Cloud</b> Storage & Backup Company of the Northern Hemisphere"


def stress_sentence(key: str, i: int) -> str:
    return (f"Regarding {key.replace('_', ' ')} clause {i}, we state at considerable length and with many "
            "qualifications that the company may, under circumstances described elsewhere in this policy and in "
            "the agreements that incorporate it by reference, process, disclose or retain information about you "
            "for as long as any of our affiliates, contractors, successors or assigns consider necessary.")


def make_stress_provider(root: Path) -> Path:
    """Every practice answered with its worst value by a reviewer, each with two long quotes."""
    rubric = rubric_data()
    sentences = {p["key"]: [stress_sentence(p["key"], i) for i in (1, 2)] for p in rubric["practices"]}
    policy = "Privacy policy\n\n" + "\n\n".join(
        f"Section {n}: {key}\n\n" + " ".join(quotes) for n, (key, quotes) in enumerate(sentences.items(), 1))
    folder = make_provider(root, STRESS, policy, name=STRESS_NAME, policy_url="javascript:alert(1)",
                           policy_date="2025-02-01", policy_date_kind="effective")
    facts = {}
    for practice in rubric["practices"]:
        worst = min(practice["values"], key=lambda v: practice["values"][v]["points"])
        facts[practice["key"]] = {
            "value": worst, "source": "reviewed", "reviewer": "test", "reviewed_on": "2025-03-01",
            "evidence": [{"quote": q, "start": 0, "end": 0, "section": f"Section about {practice['key']}"}
                         for q in sentences[practice["key"]]]}
    (folder / "facts.yaml").write_text(yaml.safe_dump({"facts": facts}, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def providers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_providers(tmp_path_factory.mktemp("providers"))
    make_stress_provider(root)
    return root


@pytest.fixture(scope="session")
def built_site(providers_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, PDFs included, built once for the session. Tests must not change it."""
    out = tmp_path_factory.mktemp("built") / "site"
    build(BuildOptions(providers=providers_dir, out=out, pdf=True))
    return out


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
