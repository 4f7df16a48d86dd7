"""Extraction: policy text -> one Fact per rubric practice, each value proved by whole sentences.

Detection is declared in `detectors.yaml` beside the rubric file (see rubric/detectors.yaml
for the format and the conflict rule); named Python detectors (extract/registry.py) cover
what patterns cannot. A practice without a detector is `not_stated`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ScorecardError
from ..model import Fact, Rubric
from ..resources import default_rubric
from ..text import Document, read_policy
from .engine import run
from .registry import Hit, register
from .spec import Detectors, load_detectors

DETECTORS_FILE = "detectors.yaml"


def detectors_path(rubric: Rubric) -> tuple[Path, bool]:
    """The rubric's detectors file: the one its `detectors:` key names (strict: unknown names are
    errors, every practice must be detected), else detectors.yaml beside it (strict), else the
    packaged default (lenient: practices and values the rubric lacks are left out)."""
    rubric_path = getattr(rubric, "path", None)  # set by load_rubric when the model has the field
    named = getattr(rubric, "detectors", "")
    if rubric_path is not None and named:
        path = Path(rubric_path).parent / named
        if not path.is_file():
            raise ScorecardError(f"the rubric's detectors file '{named}' was not found beside it", rubric_path)
        return path, True
    if rubric_path is not None:
        beside = Path(rubric_path).parent / DETECTORS_FILE
        if beside.is_file():
            return beside, True
    return default_rubric().parent / DETECTORS_FILE, False


def check_detection(rubric: Rubric, detectors: Detectors | None = None) -> None:
    """Every practice of the rubric has detection rules; else one error naming the rubric file (for
    `validate`: a practice nobody looks for would read not_stated forever)."""
    detectors = detectors or detectors_for(rubric)
    missing = [p.key for p in rubric.practices if p.key not in detectors.practices]
    if missing:
        raise ScorecardError(f"no detection rules for practice(s) {', '.join(missing)} in {detectors.path}",
                             getattr(rubric, "path", None))


@dataclass(frozen=True)
class _DetectorsKey:
    """What compiled detectors depend on: the file (by path and modification time), strictness and the
    rubric's practices and values. The rubric rides along for compiling but is not part of the key."""

    path: str
    mtime: int
    strict: bool
    practices: tuple[tuple[str, tuple[str, ...]], ...]
    rubric: Rubric = field(compare=False, hash=False)


@functools.lru_cache(maxsize=8)
def _compiled(key: _DetectorsKey) -> Detectors:
    return load_detectors(Path(key.path), key.rubric, strict=key.strict)


def detectors_for(rubric: Rubric) -> Detectors:
    """Compiled detectors for a rubric, reloaded when the file or the rubric's practices change."""
    return _compiled(detectors_key(rubric))


def detectors_key(rubric: Rubric) -> _DetectorsKey:
    """What the compiled detectors of a rubric depend on (a key by content for caches of what they find)."""
    path, strict = detectors_path(rubric)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    practices = tuple((p.key, tuple(p.values)) for p in rubric.practices)
    return _DetectorsKey(str(path), mtime, strict, practices, rubric)


def extract(document: Document, rubric: Rubric, detectors: Detectors | None = None) -> dict[str, Fact]:
    """One Fact per practice of the rubric, not_stated included."""
    labels = {p.key: {value: rule.label for value, rule in p.values.items()} for p in rubric.practices}
    return run(document, rubric.keys, detectors or detectors_for(rubric), labels)


def extract_file(path: Path, rubric: Rubric, detectors: Detectors | None = None) -> tuple[Document, dict[str, Fact]]:
    document = read_policy(path)
    return document, extract(document, rubric, detectors)


__all__ = ["Detectors", "Hit", "check_detection", "detectors_for", "detectors_key", "extract", "extract_file", "load_detectors", "register"]
