"""Helpers that build valid inputs from overrides (mkdocs-style), so each test states only what differs."""
from __future__ import annotations

import shutil
import signal
import sys
from pathlib import Path

import pytest
import yaml

from scorecard import cli

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "rubric" / "default.yaml"
PROVIDERS = ROOT / "providers"
SLUGS = ["cloud9", "cloudcone", "cloudmailstore", "cloudonex", "cloudpockets"]


def rubric_data() -> dict:
    return yaml.safe_load(RUBRIC.read_text(encoding="utf-8"))


def write_rubric(folder: Path, data: dict | str, with_detectors: bool = True) -> Path:
    """A rubric file in `folder`, with the default detectors beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rubric.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    detectors = RUBRIC.parent / "detectors.yaml"
    if with_detectors and detectors.exists():
        shutil.copy(detectors, folder / "detectors.yaml")
    return path


def copy_providers(dest: Path, slugs: list[str] | None = None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for slug in slugs or SLUGS:
        shutil.copytree(PROVIDERS / slug, dest / slug, ignore=shutil.ignore_patterns("versions"))
    return dest


def make_provider(root: Path, slug: str, policy: str, name: str | None = None,
                  policy_file: str = "policy.txt", **info) -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / policy_file).write_text(policy, encoding="utf-8")
    data = {"name": name or slug.title(), "policy_file": policy_file, **info}
    (folder / "provider.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The console entry point, in process: exit status, stdout, stderr."""
    previous = signal.getsignal(signal.SIGTERM)
    argv = sys.argv
    sys.argv = ["scorecard", *args]
    cli.state["debug"] = False
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = argv
        signal.signal(signal.SIGTERM, previous)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
