"""The CLI, run as a user runs it: a real process, real files."""
from __future__ import annotations

import json
import subprocess
import sys

import yaml

from tests.helpers import PROVIDERS, ROOT, SLUGS, copy_providers, make_provider, rubric_data, write_rubric


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_extract_json_contract():
    result = run("extract", str(PROVIDERS / "cloud9" / "policy.txt"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"].endswith("policy.txt")
    assert list(data["facts"]) == [p["key"] for p in rubric_data()["practices"]]
    for fact in data["facts"].values():
        assert set(fact) >= {"value", "evidence", "source", "confidence", "needs_review"}
        for ev in fact["evidence"]:
            assert set(ev) >= {"quote", "start", "end"}


def test_extract_jsonl_one_line_per_file():
    paths = [str(p) for p in sorted(PROVIDERS.glob("*/policy.*"))]
    result = run("extract", *paths, "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line)["file"] for line in lines] == paths


def test_extract_yaml():
    result = run("extract", str(PROVIDERS / "cloudpockets" / "policy.txt"), "--format", "yaml")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["facts"]["data_sale"]["value"] in ("not_sold", "not_stated", "sold")


def test_score_prints_a_table():
    result = run("score", str(PROVIDERS / "cloudcone"), str(PROVIDERS / "cloud9"))
    assert result.returncode == 0, result.stderr
    assert "CloudCone: grade" in result.stdout and "Cloud9 Infrastructure: grade" in result.stdout
    assert "Does it sell your personal data?" in result.stdout and "data_sale" not in result.stdout  # no keys


def test_validate_ok():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "OK: rubric" in result.stdout and f"{len(SLUGS)} providers" in result.stdout


def test_validate_bad_rubric_is_one_line_exit_2(tmp_path):
    data = rubric_data()
    data["practices"][0]["values"]["sold"]["points"] = "lots"
    path = write_rubric(tmp_path, data)
    result = run("validate", "--rubric", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {path}:") and "points" in result.stderr


def test_unknown_command_is_usage_error():
    result = run("frobnicate")
    assert result.returncode == 2


def test_missing_policy_file_is_exit_2():
    result = run("extract", "/nonexistent/policy.txt")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "/nonexistent/policy.txt" in result.stderr


def test_review_drafts_then_keeps_decisions(tmp_path):
    providers = copy_providers(tmp_path / "providers", ["cloudcone"])
    first = run("review", "cloudcone", "--providers", str(providers))
    assert first.returncode == 0, first.stderr
    path = providers / "cloudcone" / "facts.yaml"
    draft = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(draft["facts"]) == [p["key"] for p in rubric_data()["practices"]]
    assert all(f["source"] == "extracted" for f in draft["facts"].values())

    # A person decides one practice; the next review keeps it word for word.
    draft["facts"]["dnt"] = {"value": "honored", "source": "reviewed", "note": "Checked the help page.",
                             "reviewer": "Ada", "reviewed_on": "2026-11-01", "evidence": []}
    path.write_text(yaml.safe_dump(draft, sort_keys=False), encoding="utf-8")
    second = run("review", "cloudcone", "--providers", str(providers))
    assert second.returncode == 0, second.stderr
    assert "1 reviewed fact kept" in second.stderr
    kept = yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]["dnt"]
    assert kept["value"] == "honored" and kept["note"] == "Checked the help page."
    assert str(kept["reviewed_on"]) == "2026-11-01" and kept["reviewer"] == "Ada"

    # ... and the reviewed fact wins in the score.
    scored = run("score", str(providers / "cloudcone"))
    line = next(line for line in scored.stdout.splitlines() if "Does it honour Do Not Track?" in line)
    assert line.rstrip().endswith("person")


def test_review_rejects_a_bad_slug(tmp_path):
    result = run("review", "../etc", "--providers", str(tmp_path))
    assert result.returncode == 2 and "bad provider slug" in result.stderr


def test_python_dash_m_and_console_script_agree():
    script = ROOT / ".venv" / "bin" / "scorecard"
    if not script.exists():  # installed elsewhere (CI creates .venv, so this holds there)
        script = "scorecard"
    result = subprocess.run([str(script), "--help"], check=False, capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout and "extract" in result.stdout


def test_build_from_a_custom_provider_folder(tmp_path):
    make_provider(tmp_path / "p", "tiny", "We do not sell your personal information.\n", name="Tiny")
    result = run("build", "--providers", str(tmp_path / "p"), "--out", str(tmp_path / "site"), "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "tiny" / "index.html").is_file()
