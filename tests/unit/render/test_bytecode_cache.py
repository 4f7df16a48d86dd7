"""Jinja's compiled templates are kept in the user's cache folder, and read only when nobody else could have
written them (their bytecode runs)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment

from scorecard.render.templating import make_environment


def count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each template Jinja compiles from its source (none when its compiled form is read from the cache)."""
    compiled: list[str] = []
    real = Environment.compile

    def compile(self: Environment, source: object, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(name or "")
        return real(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", compile)
    return compiled


def test_templates_are_compiled_once_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path))
    compiled = count_compiles(monkeypatch)
    make_environment().get_template("index.html")
    assert "index.html" in compiled
    assert sorted((tmp_path / "templates").glob("jinja-*.cache"))
    compiled.clear()
    make_environment().get_template("index.html")  # a new environment, as in the next build
    assert compiled == []


def test_a_folder_others_can_write_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path))
    make_environment().get_template("methodology.html")
    os.chmod(tmp_path / "templates", 0o777)
    compiled = count_compiles(monkeypatch)
    make_environment().get_template("methodology.html")
    assert "methodology.html" in compiled  # compiled afresh instead


def test_an_empty_scorecard_cache_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCORECARD_CACHE", "")
    assert make_environment().bytecode_cache is None
