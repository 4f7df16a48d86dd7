"""Safe YAML loading that remembers where every value came from.

PyYAML's composer gives each node a start mark; we keep a map from the data path
(("practices", 3, "values", "sold")) to (line, col), so a schema error can say
`rubric/default.yaml:41:7: ...`. Duplicate keys are errors, not silent overwrites.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ScorecardError
from .limits import MAX_YAML_BYTES, read_regular

PathKey = tuple[Any, ...]
Model = TypeVar("Model", bound=BaseModel)
Positions = dict[PathKey, tuple[int, int]]

PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
MAX_DEPTH = 64  # a rubric is four levels deep; more is a mistake or an attack
MAX_NODES = 200_000  # aliases may not expand a small file into a huge one ("billion laughs")
MAX_EXPANSION = 1_000_000  # characters aliases may add beyond the file's own text (one long quote, repeated)
SHOWN = 60  # at most this much of a key is echoed in a message


def shown(value: object) -> str:
    """A value from the file as a message may quote it: short, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN else text[:SHOWN] + "..."


class YamlDocument:
    def __init__(self, path: Path, data: Any, positions: Positions, key_positions: Positions) -> None:
        self.path = path
        self.data = data
        self.positions = positions  # where each value starts
        self.key_positions = key_positions  # where each mapping key starts

    def where(self, loc: PathKey, at_key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of the deepest known node on `loc` (its key with at_key)."""
        loc = tuple(loc)
        while loc:
            if at_key and loc in self.key_positions:
                return self.key_positions[loc]
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (None, None))

    def error(self, loc: PathKey, message: str, at_key: bool = False) -> ScorecardError:
        line, col = self.where(loc, at_key)
        return ScorecardError(message, self.path, line, col)

    def mapping(self, what: str, holding: str) -> dict[Any, Any]:
        """The whole document, which must be a mapping: else "`what` must be a mapping `holding`" at 1:1."""
        if not isinstance(self.data, dict):
            raise self.error((), f"{what} must be a mapping {holding}")
        return self.data

    def validate(self, model: type[Model], loc: PathKey = (), data: Any = None) -> Model:
        """Validate with pydantic; the first error becomes a file:line:col message."""
        try:
            return model.model_validate(self.data if data is None else data)
        except ValidationError as exc:
            errors = exc.errors()
            # A misspelt field shows as "unknown" and "missing": name the unknown one, suggest the other.
            err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
            where = loc + tuple(err["loc"])
            name = shown(".".join(str(p) for p in where)) or "document"
            if err["type"] == "extra_forbidden":
                missing = [str(e["loc"][-1]) for e in errors
                           if e["type"] == "missing" and tuple(e["loc"][:-1]) == tuple(err["loc"][:-1])]
                close = difflib.get_close_matches(str(where[-1]), missing, n=1)
                message = f"unknown field '{shown(where[-1])}'" + (f" (did you mean '{close[0]}'?)" if close else "")
            elif err["type"] == "missing":
                message = f"missing field '{where[-1]}'"
            else:
                message = f"{name}: {err['msg']}"
            raise self.error(where, message, at_key=err["type"] in ("extra_forbidden", "missing")) from None


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Budget:
    """Limits on depth and on values built, so no file can exhaust the stack or memory."""

    def __init__(self, path: Path, text_size: int = 0) -> None:
        self.path = path
        self.nodes = 0
        self.chars = 0  # characters of every scalar built, aliases counted each time they are used
        self.max_chars = text_size + MAX_EXPANSION

    def spend(self, node: yaml.Node, depth: int) -> None:
        self.nodes += 1
        if depth > MAX_DEPTH:
            line, col = _mark(node)
            raise ScorecardError(f"nested more than {MAX_DEPTH} levels deep; flatten the file", self.path,
                                 line, col)
        if self.nodes > MAX_NODES:
            line, col = _mark(node)
            raise ScorecardError(f"more than {MAX_NODES} values once aliases are expanded; "
                                 "write the values out instead of repeating aliases", self.path, line, col)
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
            if self.chars > self.max_chars:
                line, col = _mark(node)
                raise ScorecardError(f"aliases expand the text by more than {MAX_EXPANSION:,} characters;"
                                     " write the values out instead of repeating aliases", self.path, line, col)


def _build(node: yaml.Node, loc: PathKey, positions: Positions, keys: Positions, budget: _Budget) -> Any:
    path = budget.path
    budget.spend(node, len(loc))
    positions[loc] = _mark(node)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in PLAIN_TAGS:
        line, col = _mark(node)
        raise ScorecardError(f"unsupported YAML tag '{node.tag}'; write plain values", path, line, col)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, path)
            if key in result:
                line, col = _mark(key_node)
                raise ScorecardError(f"duplicate key '{shown(key)}'", path, line, col)
            keys[(*loc, key)] = _mark(key_node)
            result[key] = _build(value_node, (*loc, key), positions, keys, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*loc, i), positions, keys, budget) for i, child in enumerate(node.value)]
    return _scalar(node, path)


def _scalar(node: yaml.Node, path: Path) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        line, col = _mark(node)
        raise ScorecardError("a key must be a plain value", path, line, col)
    try:
        return _SCALARS.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2024-13-45
        line, col = _mark(node)
        raise ScorecardError(f"bad value: {getattr(exc, 'problem', None) or exc}", path, line, col) from None
    finally:
        _SCALARS.constructed_objects.clear()  # it remembers every node it built: forget them


# Builds scalar values; one for every file (a loader per scalar was a third of reading provider.yaml).
_SCALARS = yaml.constructor.SafeConstructor()


# libyaml's composer where PyYAML was built with it: the same nodes and marks, ten times faster (a rubric and
# its detectors are a third of a small run's start-up with the pure-Python one).
COMPOSER: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree. A file libyaml refuses is read again by the pure-Python parser, whose error
    wording and positions are the ones scorecard reports (and tests), so the fast path changes no message."""
    try:
        return yaml.compose(text, Loader=COMPOSER)
    except yaml.YAMLError:
        if COMPOSER is yaml.SafeLoader:
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


def load_yaml(path: Path, text: str | None = None) -> YamlDocument:
    """Parse one YAML file safely (no tags, no code), keeping positions."""
    if text is None:
        raw = read_regular(path, MAX_YAML_BYTES)  # a regular file only, refused by size before reading
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScorecardError("not UTF-8 text; save the file as UTF-8", path) from None
    try:
        node = _compose(text)
        if node is None:
            return YamlDocument(path, None, {(): (1, 1)}, {})
        positions: Positions = {}
        keys: Positions = {}
        data = _build(node, (), positions, keys, _Budget(path, len(text)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or exc.context or "cannot parse"
        if exc.context and problem.startswith("but "):  # "expected a single document ..., but found another"
            problem = f"{exc.context}, {problem}"
        raise ScorecardError(f"YAML syntax error: {problem}", path, line, col) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise ScorecardError(f"YAML files cannot contain the control character U+{char:04X}; remove it",
                             path, line, col) from None
    except yaml.YAMLError as exc:
        raise ScorecardError(f"YAML error: {exc}", path) from None
    except RecursionError:
        raise ScorecardError("nested too deeply to read; flatten the file", path) from None
    return YamlDocument(path, data, positions, keys)


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
