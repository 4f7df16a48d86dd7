"""Each template gets exactly what it shows: every variable it uses (with what it extends, includes and imports)
is a field of its context dataclass (render/context.py), and every field is used. In the style of datasette's
tests/test_template_context.py; the environment itself holds only functions and filters."""
from __future__ import annotations

import dataclasses

import pytest
from jinja2 import DictLoader, Environment, meta, nodes

from scorecard.render import context
from scorecard.render.templating import make_environment
from tests.helpers import ROOT

TEMPLATES = ROOT / "templates"


def contexts() -> list[type[context.Context]]:
    found, todo = [], [context.Context]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if "template" in vars(cls):
            found.append(cls)
    return sorted(found, key=lambda c: c.template)


def _own_names(ast: nodes.Template) -> set[str]:
    """Names a template makes itself: {% set %}, loop targets, macro parameters, imported macros, macros."""
    names = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for imported in ast.find_all(nodes.FromImport):
        names |= {n if isinstance(n, str) else n[1] for n in imported.names}
    names |= {i.target for i in ast.find_all(nodes.Import)}
    names |= {m.name for m in ast.find_all(nodes.Macro)}
    return names


def used_variables(env: Environment, name: str, seen: set[str] | None = None) -> set[str]:
    """The context variables `name` and every template it reaches use, the environment's globals left out."""
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    assert env.loader is not None
    ast = env.parse(env.loader.get_source(env, name)[0])
    used = set(meta.find_undeclared_variables(ast)) - _own_names(ast)
    for node in ast.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        if isinstance(node, nodes.Import | nodes.FromImport) and not node.with_context:
            continue  # macros imported without context see only their arguments and the globals
        assert isinstance(node.template, nodes.Const), f"{name} names a template by an expression"
        used |= used_variables(env, node.template.value, seen)
    return used - set(env.globals)


@pytest.mark.parametrize("cls", contexts(), ids=lambda c: c.template)
def test_every_variable_a_template_uses_is_a_field_of_its_context_and_back(cls: type[context.Context]) -> None:
    env = make_environment()
    fields = {f.name for f in dataclasses.fields(cls)}
    used = used_variables(env, cls.template)
    assert used - fields == set(), f"{cls.template} uses what {cls.__name__} does not give"
    assert fields - used == set(), f"{cls.__name__} gives what {cls.template} never uses"


def test_every_template_rendered_on_its_own_has_a_context() -> None:
    """Partials (_history.html, _macros.html) are reached from a page; every other template is a page."""
    pages = {p.name for p in TEMPLATES.iterdir() if p.suffix in (".html", ".xml") and not p.name.startswith("_")}
    assert pages | {"_compare.html"} == {cls.template for cls in contexts()}


def test_the_check_sees_a_variable_through_extends_and_imports() -> None:
    """The contract can fail: a name used only in a parent or an imported macro is still found."""
    env = Environment(loader=DictLoader({
        "base.html": "{{ title }}{% block main %}{% endblock %}",
        "macros.html": "{% macro m(x) %}{{ x }}{{ hidden }}{% endmacro %}",
        "page.html": ('{% extends "base.html" %}{% from "macros.html" import m with context %}'
                      '{% block main %}{% set y = 1 %}{{ m(y) }}{{ card }}{% endblock %}'),
    }))
    assert used_variables(env, "page.html") == {"title", "hidden", "card"}
    env.loader.mapping["page.html"] = '{% from "macros.html" import m %}{{ m(1) }}{{ card }}'  # type: ignore[union-attr]
    assert used_variables(env, "page.html") == {"card"}


def test_the_environment_holds_no_data() -> None:
    """What a page shows comes from its context; globals are functions only (no histories, no site)."""
    env = make_environment()
    assert all(callable(value) for value in env.globals.values())
