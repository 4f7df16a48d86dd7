"""Where the packaged rubric, templates and bundled providers live, and the user's cache folder.

A wheel carries them under scorecard/_data/ (see pyproject.toml); a source checkout
or editable install finds them at the top of the repository.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    packaged = PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else PACKAGE.parent / name


def default_rubric() -> Path:
    return data_dir("rubric") / "default.yaml"


def templates_dir() -> Path:
    return data_dir("templates")


def bundled_providers() -> Path:
    return data_dir("providers")


def user_cache_dir() -> Path:
    """$XDG_CACHE_HOME/scorecard, else ~/.cache/scorecard: only what can be made again is kept there."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scorecard"


def prune(folder: Path, pattern: str, keep_count: int, keep: Path | None = None) -> None:
    """Remove all but the `keep_count` most recently written files of `folder` matching `pattern` (best effort:
    these are caches, made again when missing)."""
    try:
        found = [(p.stat().st_mtime_ns, p) for p in folder.glob(pattern) if p != keep and p.is_file()]
    except OSError:
        return
    found.sort(reverse=True)
    for _mtime, old in found[max(0, keep_count - (keep is not None)):]:
        try:
            old.unlink()
        except OSError:
            continue
