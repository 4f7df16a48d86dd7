"""ScorecardError is always one line: file, line:col, message; whatever a message or a path holds."""
from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError

from scorecard.errors import BuildFailed, PolicyError, ScorecardError, template_error


def test_the_line_names_file_line_and_column():
    assert str(ScorecardError("duplicate key 'a'", "r.yaml", 3, 5)) == "r.yaml:3:5: duplicate key 'a'"
    assert str(ScorecardError("file not found", "r.yaml")) == "r.yaml: file not found"
    assert str(ScorecardError("no line", "r.yaml", None, 5)) == "r.yaml: no line"
    assert str(ScorecardError("nowhere")) == "nowhere"


def test_always_one_line():
    exc = ScorecardError("first\n  second\r\nthird", "we\nird.yaml", 1, 2)
    assert str(exc) == "we ird.yaml:1:2: first second third"


def test_exit_codes():
    assert ScorecardError("x").exit_code == 2 and PolicyError("x").exit_code == 2
    assert BuildFailed("x").exit_code == 1


def test_template_errors_name_the_template_and_line(tmp_path):
    (tmp_path / "page.html").write_text("a\n{{ card.missing }}\n", encoding="utf-8")
    (tmp_path / "bad.html").write_text("{% if %}", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)), undefined=StrictUndefined)
    try:
        env.get_template("page.html").render(card=object())
    except Exception as exc:
        error = template_error(exc)
    assert str(error).startswith(f"{tmp_path}/page.html:2: template error: ") and "missing" in str(error)
    try:
        env.get_template("bad.html")
    except TemplateSyntaxError as exc:
        error = template_error(exc)
    assert str(error) == (f"{tmp_path}/bad.html:1: template error: Expected an expression, got 'end of statement block';"
                          " fix the template")
