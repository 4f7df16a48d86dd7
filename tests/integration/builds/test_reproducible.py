"""Two builds of the same inputs are byte-identical, PDFs included; dates come from the policy or
SOURCE_DATE_EPOCH, never from the clock."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from tests.helpers import copy_providers


def build(providers: Path, out: Path, cwd: Path, *extra: str, env: dict[str, str] | None = None) -> dict[str, bytes]:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | (env or {})
    result = subprocess.run([sys.executable, "-m", "scorecard", "build", "--providers", str(providers),
                             "--out", str(out), *extra], check=False, capture_output=True, text=True, cwd=cwd, env=environment)
    assert result.returncode == 0, result.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    providers = copy_providers(tmp_path / "providers", ["cloud9", "cloudcone", "cloudpockets"])
    first = build(providers, tmp_path / "one", tmp_path, "-j", "1")
    # Another output folder, another working directory, parallel PDFs, files touched: same bytes.
    for path in providers.rglob("*"):
        os.utime(path, (1, 1))
    (tmp_path / "elsewhere").mkdir()
    second = build(providers, tmp_path / "two", tmp_path / "elsewhere", "-j", "2")
    assert any(name.endswith(".pdf") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_pdf_dates_come_from_the_policy_or_source_date_epoch(tmp_path):
    providers = copy_providers(tmp_path / "providers", ["cloud9"])
    files = build(providers, tmp_path / "site", tmp_path)
    info = PdfReader(io.BytesIO(files["cloud9/scorecard.pdf"])).metadata
    assert info.get("/CreationDate", "").startswith("D:20261123")  # cloud9's policy_date
    pinned = build(providers, tmp_path / "pinned", tmp_path, env={"SOURCE_DATE_EPOCH": "946684800"})
    info = PdfReader(io.BytesIO(pinned["cloud9/scorecard.pdf"])).metadata
    assert info.get("/CreationDate", "").startswith("D:20000101")
    again = build(providers, tmp_path / "again", tmp_path, env={"SOURCE_DATE_EPOCH": "946684800"})
    assert again == pinned
