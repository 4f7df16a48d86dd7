"""`scorecard review SLUG`: a facts.yaml draft for a person to confirm or override.

Every practice gets an entry. Entries a person decided (source: reviewed) are kept
exactly as they were, note and date included; the others are refreshed from the
current extraction, so re-running review never undoes a decision.

The file is edited, not rewritten: ruamel.yaml's round-trip mode keeps what a person wrote
(comments, the order of keys, quoting and layout of the entries left alone); PyYAML, which
reads every other file, would drop all of that on the way back out.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from .atomic import write_text_atomic
from .errors import ScorecardError
from .history import latest_facts
from .limits import MAX_YAML_BYTES, read_regular
from .model import Fact, Provider, Rubric
from .providers import FACTS_FILE, load_reviewed

HEADER = """\
# Reviewed facts for {name}. Written by `scorecard review {slug}`.
#
# For each practice: read the quotes, then either confirm `value` or change it to
# another value of that practice, and set `source: reviewed`. You may also fill in
# `reviewer` (your name), `reviewed_on` (a date, YYYY-MM-DD) and `note` (why).
# Reviewed entries win over automatic extraction and are never overwritten by
# `scorecard review`; entries left as `source: extracted` are refreshed each time.
# Values allowed per practice are listed on the site's methodology page.
"""


def comment_safe(text: str) -> str:
    """Text that stays inside one comment line: every line break (\\n, \\r, U+0085, U+2028...) and other
    invisible character is written as its escape, so a provider's name cannot start a line of YAML."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def fact_entry(fact: Fact) -> dict[str, Any]:
    data = fact.model_dump(mode="json", exclude={"practice"})
    if not data["note"]:
        data.pop("note")
    if fact.source == "extracted":
        for key in ("reviewer", "reviewed_on"):
            data.pop(key)
    return data


def as_read(value: Any) -> Any:
    """`value` with every string that PyYAML (YAML 1.1, the project's loader) would read as something else
    quoted: ruamel.yaml writes YAML 1.2, where `yes`, `no`, `on` and `off` are plain strings."""
    if isinstance(value, dict):
        return {key: as_read(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_read(item) for item in value]
    if isinstance(value, str):
        try:
            same = pyyaml.safe_load(value) == value
        except pyyaml.YAMLError:
            same = False
        return value if same and "\n" not in value else SingleQuotedScalarString(value)
    return value


def round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    return yaml


def writable(path: Path) -> None:
    """facts.yaml is written in place, never through a link (even one to nothing) or onto a non-file."""
    if path.is_symlink():
        raise ScorecardError("facts.yaml is a symbolic link; review writes only a plain file inside the"
                             " provider folder (replace the link with the file)", path)
    if os.path.lexists(path) and not path.is_file():
        raise ScorecardError("facts.yaml is not a regular file; remove it and run review again", path)


def review(provider: Provider, rubric: Rubric, max_policy_mb: float | None = None) -> tuple[Path, int, int]:
    """Write the draft; return its path, how many entries were kept, how many drafted."""
    path = provider.folder / FACTS_FILE
    writable(path)
    decided = load_reviewed(path, rubric) if path.is_file() else {}  # checked (aliases, sizes) before ruamel
    extracted = latest_facts(provider, rubric, max_policy_mb)  # what the site shows: every document's newest version
    yaml = round_trip()
    data: Any = None
    if path.is_file():
        written = read_regular(path, MAX_YAML_BYTES).decode("utf-8-sig")
        _data, sequence, dash = load_yaml_guess_indent(written)  # a person's indentation, kept file-wide
        mapping = next((len(line) - len(line.lstrip(" ")) for line in written.splitlines()
                        if line.startswith(" ") and not line.lstrip().startswith(("#", "-"))), 2)
        yaml.indent(mapping=mapping, sequence=sequence or mapping, offset=dash or 0)
        data = yaml.load(written)
    fresh = not isinstance(data, CommentedMap)
    if fresh:
        data = CommentedMap()
    if not isinstance(data.get("facts"), CommentedMap):
        data["facts"] = CommentedMap()
    facts = data["facts"]
    for key in rubric.keys:
        if key in decided and key in facts:
            continue  # a person's decision, left exactly as written
        facts[key] = as_read(fact_entry(decided.get(key) or extracted[key]))  # in its place, or at the end
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    if fresh:
        text = HEADER.format(name=comment_safe(provider.info.name), slug=provider.slug) + text
    try:
        write_text_atomic(path, text)
    except OSError as exc:  # a read-only folder, a full disk: the person's file is as it was
        raise ScorecardError(f"cannot write facts.yaml: {exc.strerror}", path) from None
    return path, len(decided), len(rubric.keys) - len(decided)
