"""Named Python detectors, for rules that cannot be written as patterns in detectors.yaml.

    @register("retention_periods")
    def retention_periods(document, candidates, practice) -> list[Hit]: ...

and in detectors.yaml: `practices: {retention: {python: retention_periods, ...}}`.
A detector receives the indices of the sentences the practice's trigger hit and returns
Hits; they are resolved together with the declared rules.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..text import Document


@dataclass(frozen=True, slots=True)
class Hit:
    """One sentence supporting one value; `context` are sentences that made it count (cited too)."""

    value: str
    sentence: int
    strength: float
    rule: str  # the id of the rule that read it so
    context: tuple[int, ...] = ()
    partial: bool = False  # the statement covers only part of the data


PythonDetector = Callable[["Document", list[int], Any], list[Hit]]
_REGISTRY: dict[str, PythonDetector] = {}


def register(name: str) -> Callable[[PythonDetector], PythonDetector]:
    def add(function: PythonDetector) -> PythonDetector:
        _REGISTRY[name] = function
        return function
    return add


def python_detector(name: str) -> PythonDetector | None:
    return _REGISTRY.get(name)
