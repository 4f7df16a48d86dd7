"""Extraction: policy text -> one Fact per rubric practice, each value proved by whole sentences.

Detection is declared in `detectors.yaml` beside the rubric file (see rubric/detectors.yaml
for the format and the conflict rule); named Python detectors (extract/registry.py) cover
what patterns cannot. A practice without a detector is `not_stated`.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Fact, Rubric
from ..resources import default_rubric
from ..text import Document, read_policy
from .engine import run
from .registry import Hit, register
from .spec import Detectors, load_detectors

DETECTORS_FILE = "detectors.yaml"


def detectors_path(rubric: Rubric) -> tuple[Path, bool]:
    """The detectors file beside the rubric file (strict: unknown names are errors), else the
    packaged default (lenient: practices and values the rubric lacks are left out)."""
    rubric_path = getattr(rubric, "path", None)  # set by load_rubric when the model has the field
    if rubric_path is not None:
        beside = Path(rubric_path).parent / DETECTORS_FILE
        if beside.is_file():
            return beside, True
    return default_rubric().parent / DETECTORS_FILE, False


_CACHE: dict[tuple, Detectors] = {}


def detectors_for(rubric: Rubric) -> Detectors:
    """Compiled detectors for a rubric, reloaded when the file or the rubric's practices change."""
    path, strict = detectors_path(rubric)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    key = (str(path), mtime, strict, tuple((p.key, tuple(p.values)) for p in rubric.practices))
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = load_detectors(path, rubric, strict=strict)
    return _CACHE[key]


def extract(document: Document, rubric: Rubric, detectors: Detectors | None = None) -> dict[str, Fact]:
    """One Fact per practice of the rubric, not_stated included."""
    labels = {p.key: {value: rule.label for value, rule in p.values.items()} for p in rubric.practices}
    return run(document, rubric.keys, detectors or detectors_for(rubric), labels)


def extract_file(path: Path, rubric: Rubric, detectors: Detectors | None = None) -> tuple[Document, dict[str, Fact]]:
    document = read_policy(path)
    return document, extract(document, rubric, detectors)


__all__ = ["Detectors", "Hit", "detectors_for", "extract", "extract_file", "load_detectors", "register"]
