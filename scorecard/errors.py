"""Errors a user can act on: one line naming the file (and line:col), turned into exit 2 by the CLI."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class ScorecardError(Exception):
    """Bad input. `str()` is the one line the user sees."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 col: int | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.col = col
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        line = f"{where}: {self.message}" if where else self.message
        return " ".join(line.split())  # always one line, whatever a message or a file name holds


class PolicyError(ScorecardError):
    """A policy file that cannot be read as text."""


class BuildFailed(ScorecardError):
    """Some providers failed under --keep-going (exit 1: the others were built)."""

    exit_code = 1


TEMPLATE_SUFFIXES = (".html", ".css", ".js", ".svg", ".txt", ".xml")


def in_template(exc: BaseException) -> bool:
    """Whether the exception was raised while a template ran (Jinja2 names its frames after the file)."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(TEMPLATE_SUFFIXES):
            return True
        tb = tb.tb_next
    return False


def template_error(exc: BaseException) -> ScorecardError:
    """A Jinja2 error as one line naming the template file and line (found in the traceback)."""
    path = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if path is None:
        tb = exc.__traceback__
        while tb is not None:  # Jinja2 rewrites frames so that they point into the template
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(TEMPLATE_SUFFIXES):
                path, line = name, tb.tb_lineno
            tb = tb.tb_next
    named = getattr(exc, "name", None)
    if path is None and named:
        path = named
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if not type(exc).__module__.startswith("jinja2"):  # a Python error inside an expression: say which
        message = f"{type(exc).__name__}: {message}"
    if type(exc).__name__ == "TemplateNotFound":
        message = f"template not found: {message}"
    return ScorecardError(f"template error: {message}; fix the template", path, line)


def templates_as_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a Jinja2 error raised anywhere in `func` into a ScorecardError naming the template."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ScorecardError:
            raise
        except Exception as exc:
            from jinja2 import TemplateError
            if isinstance(exc, TemplateError) or in_template(exc):  # a template failed while rendering
                raise template_error(exc) from exc
            raise
    return wrapper
