"""Where the packaged rubric, templates and bundled providers live.

A wheel carries them under scorecard/_data/ (see pyproject.toml); a source checkout
or editable install finds them at the top of the repository.
"""
from __future__ import annotations

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
