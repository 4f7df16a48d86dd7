"""`scorecard extract --jobs N`: the same bytes as one process, in input order, errors included."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PROVIDERS


def corpus(folder: Path, copies: int = 4) -> list[Path]:
    """Every bundled policy (text, Markdown, HTML, PDF alike), `copies` times, interleaved."""
    folder.mkdir(exist_ok=True)
    sources = sorted(PROVIDERS.glob("*/policy.*"))
    paths = []
    for n in range(copies):
        for source in sources:
            path = folder / f"{n:02d}-{source.parent.name}{source.suffix}"
            shutil.copyfile(source, path)
            paths.append(path)
    return paths


def extract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scorecard", "extract", *args], check=False,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_jobs_give_the_same_output_in_input_order(tmp_path: Path, fmt: str) -> None:
    paths = [str(p) for p in corpus(tmp_path / "policies")]
    one = extract("--format", fmt, "--jobs", "1", *paths)
    two = extract("--format", fmt, "--jobs", "2", *paths)
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert two.stdout == one.stdout
    if fmt == "jsonl":
        import json
        assert [json.loads(line)["file"] for line in two.stdout.splitlines()] == paths


@pytest.mark.parametrize("where", [5, 0, 1])  # 0: the file the parent reads itself before forking
def test_a_bad_file_stops_at_the_same_place(tmp_path: Path, where: int) -> None:
    paths = [str(p) for p in corpus(tmp_path / "policies", copies=2)]
    bad = tmp_path / "policies" / "binary.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    paths.insert(where, str(bad))
    one = extract("--format", "jsonl", "--jobs", "1", *paths)
    two = extract("--format", "jsonl", "--jobs", "2", *paths)
    assert one.returncode == two.returncode == 2
    assert two.stdout == one.stdout and len(two.stdout.splitlines()) == where
    assert two.stderr == one.stderr and two.stderr.startswith(f"error: {bad}: ") and two.stderr.count("\n") == 1
    assert "Traceback" not in two.stderr


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    path = corpus(tmp_path / "policies", copies=1)[0]
    for bad in ("0", "-1"):
        done = extract("--jobs", bad, str(path))
        assert done.returncode == 2 and "Traceback" not in done.stderr and "--jobs" in done.stderr
