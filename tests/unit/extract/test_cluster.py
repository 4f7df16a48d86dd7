"""Extraction on a Dask cluster of 2 worker processes started here: the same facts as one process."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scorecard.errors import ScorecardError
from scorecard.extract.cluster import extract_cluster, find_inputs
from scorecard.extract.parallel import extract_records
from scorecard.rubric import load_rubric

from tests.helpers import PROVIDERS

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", silence_logs=50) as running:
        yield running.scheduler_address


def corpus(folder: Path, copies: int = 6) -> list[Path]:
    sources = sorted(PROVIDERS.glob("*/policy.*"))
    for n in range(copies):
        for source in sources:
            sub = folder / source.suffix.lstrip(".")
            sub.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, sub / f"{n:02d}-{source.parent.name}{source.suffix}")
    return find_inputs([folder])


def single_process_lines(paths: list[Path]) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in extract_records(paths, load_rubric(), jobs=1)]


def test_facts_equal_the_single_process_run(tmp_path: Path, cluster: str) -> None:
    paths = corpus(tmp_path / "corpus")
    assert len(paths) >= 10
    out = tmp_path / "facts.jsonl"
    report = extract_cluster([tmp_path / "corpus"], out, scheduler=cluster, batch=3)
    assert (report.files, report.errors, report.workers) == (len(paths), 0, 2)
    assert report.batches == -(-len(paths) // 3)
    assert out.read_text(encoding="utf-8").splitlines() == single_process_lines(paths)


def test_globs_and_lists_of_files(tmp_path: Path, cluster: str) -> None:
    paths = corpus(tmp_path / "corpus", copies=2)
    pattern = str(tmp_path / "corpus" / "**" / "*.md")
    listed = [p for p in paths if p.suffix != ".md"]
    out = tmp_path / "facts.jsonl"
    extract_cluster([pattern, *listed], out, scheduler=cluster)
    expected = sorted(p for p in paths if p.suffix == ".md") + listed
    assert [json.loads(line)["file"] for line in out.read_text().splitlines()] == [str(p) for p in expected]
    assert out.read_text(encoding="utf-8").splitlines() == single_process_lines(expected)


def test_a_bad_file_is_an_error_line_and_the_run_goes_on(tmp_path: Path, cluster: str) -> None:
    paths = corpus(tmp_path / "corpus", copies=1)
    bad = tmp_path / "corpus" / "txt" / "00-binary.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "facts.jsonl"
    report = extract_cluster([tmp_path / "corpus"], out, scheduler=cluster, batch=2)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert report.errors == 1 and len(lines) == len(paths) + 1
    (error,) = [line for line in lines if "error" in line]
    assert error["file"] == str(bad) and error["error"].startswith(f"{bad}: ")
    assert [line for line in lines if "facts" in line] == \
        [json.loads(line) for line in single_process_lines(paths)]


def test_the_command_line(tmp_path: Path, cluster: str) -> None:
    paths = corpus(tmp_path / "corpus", copies=1)
    out = tmp_path / "facts.jsonl"
    done = subprocess.run([sys.executable, "-m", "scorecard", "extract-cluster", str(tmp_path / "corpus"),
                           "--scheduler", cluster, "--out", str(out)], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    # 5 files on 2 workers: cut into batches of 1 so that both work.
    assert done.stderr.startswith(f"Extracted {len(paths)} files in {len(paths)} tasks on 2 workers")
    assert out.read_text(encoding="utf-8").splitlines() == single_process_lines(paths)


def test_missing_inputs_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(ScorecardError, match=r"nothing\*\.md: no file matches this pattern$"):
        find_inputs([str(tmp_path / "nothing*.md")])
    with pytest.raises(ScorecardError, match=r"absent: no such file or folder$"):
        find_inputs([tmp_path / "absent"])
