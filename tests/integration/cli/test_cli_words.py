"""The command line in words: --help without type placeholders, plurals, the same hint for a missing
providers folder from every command, and a misspelt facts.yaml field that lists the valid ones."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scorecard.cli import app
from scorecard.words import plural
from tests.helpers import copy_providers

COMMANDS = sorted(info.name or (info.callback.__name__ if info.callback else "") for info in app.registered_commands)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True,
                          cwd=cwd, timeout=120, env={"COLUMNS": "120", "PATH": "/usr/bin:/bin",
                               "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]})  # the run's cache, not ~/.cache


def test_every_command_is_checked():
    assert {"add", "build", "diff", "extract", "fetch", "review", "score", "serve", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_reads_without_placeholders(command: str):
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Usage: scorecard" in text
    assert not re.search(r"<[a-z][^>]*>", text), text  # <bool>, <path>, <list[Path]>, <int range>
    assert not re.search(r"\{[a-z_]+\}", text), text  # {paths}, {slug}
    assert "list[" not in text and "%Y" not in text


def test_help_names_arguments_in_capitals():
    assert "Usage: scorecard extract [OPTIONS] FILE..." in run("extract", "--help").stdout
    assert "Usage: scorecard fetch [OPTIONS] [SLUGS...]" in run("fetch", "--help").stdout
    assert "Usage: scorecard [OPTIONS] COMMAND [ARGS]..." in run("--help").stdout
    diff = run("diff", "--help").stdout
    assert "--from" in diff and "YYYY-MM-DD" in diff


def test_plural():
    assert plural(1, "provider") == "1 provider"
    assert plural(2, "provider") == "2 providers"
    assert plural(0, "file") == "0 files"
    assert plural(1200, "entry", "entries") == "1,200 entries"


def test_one_provider_is_singular(tmp_path: Path):
    copy_providers(tmp_path / "providers", ["cloudcone"])
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"OK: rubric \S+ with \d+ practices, 1 provider\n", result.stdout), result.stdout
    built = run("build", "--no-pdf", "--out", "site", cwd=tmp_path)
    assert built.returncode == 0 and built.stderr.startswith("Built 1 scorecard, "), built.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "1 provider, best grade first" in index and "across 1 provider;" in index
    compare = (tmp_path / "site" / "compare" / "index.html").read_text(encoding="utf-8")
    assert "open the one provider's page" in compare


HINT = ("providers folder not found; give --providers FOLDER, or start one here with 'scorecard add SLUG"
        " --url URL'")


@pytest.mark.parametrize("args", [["review", "acme"], ["fetch"], ["fetch", "acme"],
                                  ["build", "--providers", "nowhere", "--no-pdf"],
                                  ["validate", "--providers", "nowhere"], ["diff", "acme", "--providers", "nowhere"]])
def test_a_missing_providers_folder_gets_one_hint(tmp_path: Path, args: list[str]):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    where = "nowhere" if "nowhere" in args else "providers"
    assert result.stderr == f"error: {where}: {HINT}\n"


def test_read_only_commands_fall_back_to_the_bundled_examples(tmp_path: Path):
    """Without ./providers, build, validate and diff read the bundled examples; review and fetch, which
    write into provider folders, never do."""
    assert run("validate", cwd=tmp_path).returncode == 0
    assert run("diff", "cloudcone", cwd=tmp_path).returncode == 0
    assert run("review", "cloudcone", cwd=tmp_path).returncode == 2


def test_a_misspelt_fact_field_lists_the_valid_ones(tmp_path: Path):
    providers = copy_providers(tmp_path / "providers", ["cloudcone"])
    (providers / "cloudcone" / "facts.yaml").write_text("facts:\n  dnt:\n    value: honored\n    sorce: reviewed\n",
                                                        encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "error: providers/cloudcone/facts.yaml:4:5: unknown field 'sorce' in the fact for 'dnt' (did you mean"
        " 'source'? valid fields: practice, value, evidence, source, confidence, needs_review, note, rules,"
        " partial, reviewer, reviewed_on)\n")
