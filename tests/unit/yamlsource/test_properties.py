"""Property tests: YAML, rubric, provider and facts loading never crash on arbitrary input; they succeed or
raise a ScorecardError whose text is one line naming the file."""
from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError
from scorecard.providers import load_provider, load_reviewed
from scorecard.rubric import load_rubric
from scorecard.yamlsource import load_yaml

from tests.helpers import RUBRIC

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DEFAULT_RUBRIC = RUBRIC.read_text(encoding="utf-8")

# YAML-ish text: the characters that make YAML's grammar interesting, plus anything at all.
YAML_ALPHABET = st.sampled_from([*"abc:-[]{},?&*!|>'\"#%@` \n\t0123456789.",
                                 "\x00", "\ufeff", "é", "\u2028"])
yamlish = st.one_of(st.text(), st.text(alphabet=YAML_ALPHABET, max_size=200))

# Values that fit the rubric's shape, to reach the schema checks rather than the parser.
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False),
                    st.text(max_size=12))
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)), max_leaves=20)


def check_error(exc: ScorecardError, path: Path) -> None:
    text = str(exc)
    assert "\n" not in text and text.startswith(str(path)), text
    assert exc.exit_code == 2


@SETTINGS
@given(text=yamlish)
def test_load_yaml_never_crashes(tmp_path, text):
    path = tmp_path / "any.yaml"
    try:
        load_yaml(path, text)
    except ScorecardError as exc:
        check_error(exc, path)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_yaml_files_of_any_bytes(tmp_path, data):
    path = tmp_path / "any.yaml"
    path.write_bytes(data)
    try:
        load_yaml(path)
    except ScorecardError as exc:
        check_error(exc, path)


@SETTINGS
@given(text=yamlish)
def test_load_rubric_never_crashes_on_text(tmp_path, text):
    path = tmp_path / "rubric.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates too: not UTF-8, an error
    try:
        load_rubric(path)
    except ScorecardError as exc:
        check_error(exc, path)


@SETTINGS
@given(cut=st.integers(0, len(DEFAULT_RUBRIC)), junk=yamlish)
def test_a_damaged_default_rubric_is_an_error_or_a_rubric(tmp_path, cut, junk):
    path = tmp_path / "rubric.yaml"
    path.write_text(DEFAULT_RUBRIC[:cut] + junk + DEFAULT_RUBRIC[cut:], encoding="utf-8", errors="replace")
    try:
        load_rubric(path)
    except ScorecardError as exc:
        check_error(exc, path)


@SETTINGS
@given(replacement=values, where=st.integers(0, 10_000))
def test_a_rubric_with_one_value_replaced(tmp_path, replacement, where):
    """Replace one node of the default rubric's data with anything: a rubric or a one-line error."""
    data = yaml.safe_load(DEFAULT_RUBRIC)
    nodes: list[tuple[object, object]] = []

    def walk(node: object) -> None:
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in children:
            nodes.append((node, key))
            walk(child)
    walk(data)
    parent, key = nodes[where % len(nodes)]
    parent[key] = replacement  # type: ignore[index]
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_rubric(path)
    except ScorecardError as exc:
        check_error(exc, path)


@SETTINGS
@given(provider=values, facts=values)
def test_provider_and_facts_files_of_any_shape(tmp_path, provider, facts):
    rubric = load_rubric()
    folder = tmp_path / "acme"
    folder.mkdir(exist_ok=True)
    (folder / "policy.txt").write_text("We do not sell your data.\n", encoding="utf-8")
    (folder / "provider.yaml").write_text(yaml.safe_dump(provider, allow_unicode=True), encoding="utf-8")
    (folder / "facts.yaml").write_text(yaml.safe_dump({"facts": facts}, allow_unicode=True), encoding="utf-8")
    try:
        load_provider(folder, rubric)
    except ScorecardError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(folder)), str(exc)
    try:
        load_reviewed(folder / "facts.yaml", rubric)
    except ScorecardError as exc:
        check_error(exc, folder / "facts.yaml")
