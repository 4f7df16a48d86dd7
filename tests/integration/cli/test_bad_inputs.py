"""Every bad input, with the exact line the user sees.

Each case builds real files in a temporary folder and runs the real command line (`scorecard.cli.main`,
the console entry point). Every case must give exit status 2 (or the stated one), exactly one line on
stderr, no traceback, and nothing written. `{tmp}` in an expected line is the temporary folder.
Policy-file cases whose wording belongs to the text readers (scorecard/text) are checked by shape in
POLICY_CASES: one line, exit 2, naming the file.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError

from tests.helpers import make_provider, run_cli

RUBRIC = """\
version: "1"
not_stated: Silence earns nothing.
grades:
  - {letter: A, min_score: 50}
  - {letter: F, min_score: 0}
practices:
  - key: data_sale
    question: Does it sell your data?
    category: Sharing
    explanation: Sold data is gone for good.
    values:
      not_sold: {points: 10, label: Not sold, verdict: good, summary: Does not sell.}
      sold: {points: 0, label: Sold, verdict: bad, summary: Sells.}
      not_stated: {points: 2, label: Not stated, verdict: neutral, summary: Silent.}
"""
POLICY = "Example Corp privacy policy.\n\nWe do not sell your personal information to anyone.\n"
PROVIDER_YAML = "name: Acme\npolicy_file: policy.txt\n"


def rubric_case(text: str | bytes) -> Callable[[Path], list[str]]:
    """`scorecard validate --rubric rubric.yaml` with a good provider."""
    def setup(tmp: Path) -> list[str]:
        path = tmp / "rubric.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        make_provider(tmp / "providers", "acme", POLICY)
        return ["validate", "--rubric", str(path), "--providers", str(tmp / "providers")]
    return setup


def rubric_edit(old: str, new: str) -> Callable[[Path], list[str]]:
    assert RUBRIC.count(old) == 1, old
    return rubric_case(RUBRIC.replace(old, new))


def provider_case(files: dict[str, str | bytes], slug: str = "acme",
                  command: str = "build") -> Callable[[Path], list[str]]:
    """A providers folder with one provider made of `files`; `build` (no PDF) or `validate` on it."""
    def setup(tmp: Path) -> list[str]:
        folder = tmp / "providers" / slug
        folder.mkdir(parents=True)
        for name, content in files.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (folder / name).write_bytes(data)
        if command == "build":
            return ["build", "--providers", str(tmp / "providers"), "--out", str(tmp / "site"), "--no-pdf"]
        return [command, "--providers", str(tmp / "providers")]
    return setup


def facts_case(facts: str) -> Callable[[Path], list[str]]:
    return provider_case({"provider.yaml": PROVIDER_YAML, "policy.txt": POLICY, "facts.yaml": facts})


def providers_arg(path: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        (tmp / "a-file").write_text("x", encoding="utf-8")
        (tmp / "empty").mkdir()
        return ["build", "--providers", str(tmp / path), "--out", str(tmp / "site"), "--no-pdf"]
    return setup


def score_dirs(*names: str) -> Callable[[Path], list[str]]:
    """`scorecard score DIR...` on provider folders made at `names` (relative to tmp)."""
    def setup(tmp: Path) -> list[str]:
        for name in names:
            if not name.startswith("missing"):
                folder = tmp / name
                make_provider(folder.parent, folder.name, POLICY)
        return ["score", *(str(tmp / name) for name in names)]
    return setup


def symlinked_policy(tmp: Path) -> list[str]:
    secret = tmp / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = make_provider(tmp / "providers", "acme", POLICY)
    (folder / "policy.txt").unlink()
    (folder / "policy.txt").symlink_to(secret)
    return ["build", "--providers", str(tmp / "providers"), "--out", str(tmp / "site"), "--no-pdf"]


def out_case(kind: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        make_provider(tmp / "providers", "acme", POLICY)
        out = tmp / "out"
        if kind == "symlink":
            (tmp / "real").mkdir()
            out.symlink_to(tmp / "real")
        elif kind == "file":
            out.write_text("mine", encoding="utf-8")
        else:
            out.mkdir()
            (out / "thesis.tex").write_text("mine", encoding="utf-8")
        return ["build", "--providers", str(tmp / "providers"), "--out", str(out), "--no-pdf"]
    return setup


def template_case(text: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        make_provider(tmp / "providers", "acme", POLICY)
        (tmp / "templates").mkdir()
        (tmp / "templates" / "methodology.html").write_text(text, encoding="utf-8")
        return ["build", "--providers", str(tmp / "providers"), "--out", str(tmp / "site"), "--no-pdf",
                "--templates", str(tmp / "templates")]
    return setup


def big_policy(tmp: Path) -> list[str]:
    path = tmp / "policy.txt"
    with path.open("wb") as handle:  # 50 MB of plausible text, written sparsely fast
        handle.write(POLICY.encode("utf-8") * (50_000_000 // len(POLICY) + 1))
    return ["extract", str(path)]


def extract_case(name: str, content: str | bytes | None, *options: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        path = tmp / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif content is None and name.endswith("/"):
            path.mkdir()
        return ["extract", *options, str(path).rstrip("/")]
    return setup


# --- hostile provider folders (issue 9): files that are links, FIFOs, devices; sizes; names -----------

SECRET_LINE = "root:*:19000:0:99999:7:::scorecard-canary"  # stands for /etc/shadow: never echoed, never read


def build_args(tmp: Path, *more: str) -> list[str]:
    return ["build", "--providers", str(tmp / "providers"), "--out", str(tmp / "site"), "--no-pdf", *more]


def folder_case(change: Callable[[Path, Path], None], command: str = "build",
                slug: str = "acme") -> Callable[[Path], list[str]]:
    """A good provider `slug`, then `change(tmp, folder)` makes it hostile; `command` runs on it."""
    def setup(tmp: Path) -> list[str]:
        folder = make_provider(tmp / "providers", slug, POLICY, name="Acme")
        change(tmp, folder)
        if command == "build":
            return build_args(tmp)
        if command == "keep-going":
            make_provider(tmp / "providers", "good", POLICY)
            return build_args(tmp, "--keep-going")
        if command == "review":
            return ["review", slug, "--providers", str(tmp / "providers")]
        return [command, "--providers", str(tmp / "providers")]
    return setup


def secret(tmp: Path) -> Path:
    path = tmp / "shadow"
    path.write_text(SECRET_LINE + "\n", encoding="utf-8")
    return path


def link(name: str, target: Callable[[Path], Path | str]) -> Callable[[Path, Path], None]:
    """Replace (or add) `name` in the provider folder with a symbolic link to `target(tmp)`."""
    def change(tmp: Path, folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target(tmp))
    return change


def fifo(name: str) -> Callable[[Path, Path], None]:
    def change(tmp: Path, folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    return change


def write(name: str, content: str | bytes) -> Callable[[Path, Path], None]:
    def change(tmp: Path, folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return change


def sparse(name: str, size: int) -> Callable[[Path, Path], None]:
    """A file of `size` bytes that takes no disk (and must never be read whole)."""
    def change(tmp: Path, folder: Path) -> None:
        with (folder / name).open("wb") as handle:
            handle.truncate(size)
    return change


def info(extra: str, name: str = "Acme") -> Callable[[Path, Path], None]:
    return write("provider.yaml", f"name: {name}\npolicy_file: policy.txt\n{extra}")


SNAPSHOT_META = ("file: 2026-01-02.txt\nurl: {url}\nretrieved: 2026-01-02T00:00:00\n"
                 "sha256: '0000000000000000000000000000000000000000000000000000000000000000'\n")


def snapshot_with_url(url: str) -> Callable[[Path, Path], None]:
    def change(tmp: Path, folder: Path) -> None:
        (folder / "versions").mkdir()
        (folder / "versions" / "2026-01-02.txt").write_text(POLICY, encoding="utf-8")
        (folder / "versions" / "2026-01-02.yaml").write_text(SNAPSHOT_META.format(url=url), encoding="utf-8")
    return change


def versions_link_out(tmp: Path, folder: Path) -> None:
    (tmp / "elsewhere").mkdir()
    (tmp / "elsewhere" / "2026-01-02.txt").write_text(POLICY, encoding="utf-8")
    (folder / "versions").symlink_to(tmp / "elsewhere")


def alias_bomb_of_one_quote(tmp: Path, folder: Path) -> None:
    """235 KB of facts.yaml: one 200 KB quote, then 4,000 aliases of it (800 MB once expanded)."""
    quote = "We do not sell your personal information to anyone. " * 4000
    lines = ["facts:", "  data_sale:", "    value: not_sold", "    source: extracted",
             f"    note: &q '{quote}'", "    evidence:"]
    lines += ["      - {quote: *q, start: 0, end: 1}"] * 4000
    (folder / "facts.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def compose(*changes: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def change(tmp: Path, folder: Path) -> None:
        for one in changes:
            one(tmp, folder)
    return change


def reserved(slug: str) -> Callable[[Path], list[str]]:
    return folder_case(lambda tmp, folder: None, slug=slug)


def usage(*more: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        make_provider(tmp / "providers", "acme", POLICY)
        return build_args(tmp, *more)
    return setup


def review_limit(tmp: Path) -> list[str]:
    make_provider(tmp / "providers", "acme", POLICY * 1000)
    return ["review", "acme", "--providers", str(tmp / "providers"), "--max-policy-mb", "0.01"]


def sparse_policy_extract(size: int, *options: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        with (tmp / "policy.txt").open("wb") as handle:
            handle.truncate(size)
        return ["extract", *options, str(tmp / "policy.txt")]
    return setup


def template_runtime_error(tmp: Path) -> list[str]:
    make_provider(tmp / "providers", "acme", POLICY)
    (tmp / "templates").mkdir()
    (tmp / "templates" / "methodology.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n\n{{ 1 // 0 }}\n{% endblock %}\n", encoding="utf-8")
    return build_args(tmp, "--templates", str(tmp / "templates"))


def special_extract(kind: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        path = tmp / "policy.txt"
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to(kind)
        return ["extract", str(path)]
    return setup


def special_rubric(kind: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        make_provider(tmp / "providers", "acme", POLICY)
        path = tmp / "rubric.yaml"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "big":
            path.write_text("# padding\n" * 600_000, encoding="utf-8")
        else:
            path.symlink_to(kind)
        return ["validate", "--rubric", str(path), "--providers", str(tmp / "providers")]
    return setup


def fifo_in_templates(tmp: Path) -> list[str]:
    make_provider(tmp / "providers", "acme", POLICY)
    (tmp / "templates").mkdir()
    os.mkfifo(tmp / "templates" / "base.html")
    return build_args(tmp, "--templates", str(tmp / "templates"))


def review_of(slug: str, change: Callable[[Path, Path], None] | None = None) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        folder = make_provider(tmp / "providers", "acme", POLICY)
        if change:
            change(tmp, folder)
        return ["review", slug, "--providers", str(tmp / "providers")]
    return setup


@dataclass(frozen=True)
class Case:
    setup: Callable[[Path], list[str]]
    line: str
    code: int = 2
    env: tuple[tuple[str, str], ...] = ()


R = "{tmp}/rubric.yaml"
P = "{tmp}/providers/acme"

CASES: dict[str, Case] = {
    # --- the rubric ------------------------------------------------------------------------------
    "rubric: YAML syntax error": Case(
        rubric_edit("  - {letter: A, min_score: 50}", "  - {letter: A, min_score: 50"),
        f"error: {R}:5:5: YAML syntax error: expected ',' or '}}', but got '{{'"),
    "rubric: tab indentation": Case(
        rubric_edit("    question: Does", "\tquestion: Does"),
        f"error: {R}:8:1: YAML syntax error: found character '\\t' that cannot start any token"),
    "rubric: duplicate key": Case(
        rubric_edit("    category: Sharing\n", "    category: Sharing\n    category: Tracking\n"),
        f"error: {R}:10:5: duplicate key 'category'"),
    "rubric: two documents": Case(
        rubric_case(RUBRIC + "---\nversion: 2\n"),
        f"error: {R}:15:1: YAML syntax error: expected a single document in the stream, but found another"
        " document"),
    "rubric: empty file": Case(
        rubric_case(""), f"error: {R}:1:1: a rubric must be a mapping with version, grades and practices"),
    "rubric: a list, not a mapping": Case(
        rubric_case("- data_sale\n"),
        f"error: {R}:1:1: a rubric must be a mapping with version, grades and practices"),
    "rubric: no practices": Case(
        rubric_case(RUBRIC.split("practices:")[0] + "practices: []\n"),
        f"error: {R}:6:12: 'practices' must be a non-empty list"),
    "rubric: value without points": Case(
        rubric_edit("{points: 0, label: Sold,", "{label: Sold,"),
        f"error: {R}:13:7: value 'sold' of practice 'data_sale' has no points"),
    "rubric: points of the wrong type": Case(
        rubric_edit("{points: 0, label: Sold,", "{points: lots, label: Sold,"),
        f"error: {R}:13:22: practices.0.values.sold.points: Input should be a valid integer, unable to parse"
        " string as an integer"),
    "rubric: negative points": Case(
        rubric_edit("{points: 0, label: Sold,", "{points: -3, label: Sold,"),
        f"error: {R}:13:22: practices.0.values.sold.points: Input should be greater than or equal to 0"),
    "rubric: unknown verdict": Case(
        rubric_edit("verdict: bad", "verdict: awful"),
        f"error: {R}:13:47: practices.0.values.sold.verdict: Input should be 'good', 'bad' or 'neutral'"),
    "rubric: misspelt field": Case(
        rubric_edit("    question:", "    questoin:"),
        f"error: {R}:8:5: unknown field 'questoin' (did you mean 'question'?)"),
    "rubric: missing field": Case(
        rubric_edit("    category: Sharing\n", ""),
        f"error: {R}:7:5: missing field 'category'"),
    "rubric: practice key with spaces": Case(
        rubric_edit("key: data_sale", "key: Data Sale"),
        f"error: {R}:7:10: practices.0.key: String should match pattern '^[a-z][a-z0-9_]*$'"),
    "rubric: practice declared twice": Case(
        rubric_case(RUBRIC + RUBRIC.split("practices:\n")[1]),
        f"error: {R}:15:5: practice 'data_sale' is declared twice"),
    "rubric: no not_stated value": Case(
        rubric_edit("      not_stated: {points: 2, label: Not stated, verdict: neutral, summary: Silent.}\n", ""),
        f"error: {R}:11:5: practice 'data_sale' has no 'not_stated' value"),
    "rubric: thresholds out of order": Case(
        rubric_edit("  - {letter: F, min_score: 0}", "  - {letter: B, min_score: 60}\n  - {letter: F, min_score: 0}"),
        f"error: {R}:5:28: grade thresholds out of order: B (60) must be below the grade before it (50)"),
    "rubric: last grade above 0": Case(
        rubric_edit("{letter: F, min_score: 0}", "{letter: F, min_score: 10}"),
        f"error: {R}:5:28: the last grade must start at 0 so that every score has a grade"),
    "rubric: grade letter G": Case(
        rubric_edit("{letter: F,", "{letter: G,"),
        f"error: {R}:5:14: grades.1.letter: String should match pattern '^[A-F][+-]?$'"),
    "rubric: python tag (never executed)": Case(
        rubric_edit('version: "1"', "version: !!python/object/apply:os.system [touch pwned]"),
        f"error: {R}:1:10: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'; write plain"
        " values"),
    "rubric: python tag on a plain value (never executed)": Case(
        rubric_edit('version: "1"', "version: !!python/name:os.system x"),
        f"error: {R}:1:10: bad value: could not determine a constructor for the tag"
        " 'tag:yaml.org,2002:python/name:os.system'"),
    "rubric: not UTF-8": Case(
        rubric_case(RUBRIC.replace("Silence", "Silence\xe9").encode("latin-1")),
        f"error: {R}: not UTF-8 text; save the file as UTF-8"),
    "rubric: control character": Case(
        rubric_edit("Silence earns", "Silence\x00earns"),
        f"error: {R}:2:20: YAML files cannot contain the control character U+0000; remove it"),
    "rubric: alias bomb": Case(
        rubric_case("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"),
        f"error: {R}:1:32: more than 200000 values once aliases are expanded; write the values out instead"
        " of repeating aliases"),
    "rubric: nested too deep": Case(
        rubric_case("a: " + "[" * 100 + "]" * 100 + "\n"),
        f"error: {R}:1:68: nested more than 64 levels deep; flatten the file"),
    "rubric: file missing": Case(
        lambda tmp: ["validate", "--rubric", str(tmp / "nope.yaml")], "error: {tmp}/nope.yaml: file not found"),
    # --- provider folders ------------------------------------------------------------------------
    "providers folder missing": Case(
        providers_arg("nowhere"), "error: {tmp}/nowhere: providers folder not found; give --providers FOLDER, or start one here with 'scorecard add SLUG --url URL'"),
    "providers folder empty": Case(
        providers_arg("empty"), "error: {tmp}/empty: no provider folders found; add one folder per provider"),
    "providers path is a file": Case(
        providers_arg("a-file"),
        "error: {tmp}/a-file: not a folder; give the folder that holds one folder per provider"),
    "provider without provider.yaml": Case(
        provider_case({"policy.txt": POLICY}),
        f"error: {P}: no provider.yaml in provider folder; add one with name and policy_file"),
    "provider with no policy": Case(
        provider_case({"provider.yaml": PROVIDER_YAML}),
        f"error: {P}/provider.yaml:2:14: policy file 'policy.txt' not found beside provider.yaml"),
    "provider: policy_file escapes with ..": Case(
        provider_case({"provider.yaml": "name: Acme\npolicy_file: ../../etc/passwd\n"}),
        f"error: {P}/provider.yaml:2:14: policy_file must be a file name beside provider.yaml"),
    "provider: policy is a symlink out of the folder": Case(
        symlinked_policy,
        f"error: {P}/provider.yaml:2:14: policy file 'policy.txt' is a link to a file outside the provider"
        " folder; copy the policy into the folder"),
    "provider: missing name": Case(
        provider_case({"provider.yaml": "policy_file: policy.txt\n", "policy.txt": POLICY}),
        f"error: {P}/provider.yaml:1:1: missing field 'name'"),
    "provider: unknown field": Case(
        provider_case({"provider.yaml": PROVIDER_YAML + "homepage: https://acme.example\n", "policy.txt": POLICY}),
        f"error: {P}/provider.yaml:3:1: unknown field 'homepage'"),
    "provider: impossible date": Case(
        provider_case({"provider.yaml": PROVIDER_YAML + "policy_date: 2024-13-45\n", "policy.txt": POLICY}),
        f"error: {P}/provider.yaml:3:14: bad value: month must be in 1..12"),
    "provider: date of the wrong type": Case(
        provider_case({"provider.yaml": PROVIDER_YAML + "policy_date: [2024]\n", "policy.txt": POLICY}),
        f"error: {P}/provider.yaml:3:14: policy_date: Input should be a valid date"),
    "provider.yaml is a list": Case(
        provider_case({"provider.yaml": "- Acme\n", "policy.txt": POLICY}),
        f"error: {P}/provider.yaml:1:1: provider.yaml must be a mapping with name and policy_file"),
    "slug with capitals": Case(
        provider_case({"provider.yaml": PROVIDER_YAML, "policy.txt": POLICY}, slug="Acme"),
        "error: {tmp}/providers/Acme: bad provider slug 'Acme': use lowercase letters, digits and hyphens,"
        " at most 64 (rename it to 'acme')"),
    "slug with a dot and underscore": Case(
        provider_case({"provider.yaml": PROVIDER_YAML, "policy.txt": POLICY}, slug="acme_co.uk"),
        "error: {tmp}/providers/acme_co.uk: bad provider slug 'acme_co.uk': use lowercase letters, digits"
        " and hyphens, at most 64 (rename it to 'acme-co-uk')"),
    "slug of 65 characters": Case(
        provider_case({"provider.yaml": PROVIDER_YAML, "policy.txt": POLICY}, slug="a" * 65),
        f"error: {{tmp}}/providers/{'a' * 65}: bad provider slug '{'a' * 65}': use lowercase letters, digits"
        f" and hyphens, at most 64 (rename it to '{'a' * 64}')"),
    "score: same slug from two folders": Case(
        score_dirs("one/acme", "two/acme"),
        "error: {tmp}/two/acme: two provider folders have the slug 'acme': {tmp}/one/acme and {tmp}/two/acme;"
        " rename one"),
    "score: slugs differing in case": Case(
        score_dirs("one/acme", "two/ACME"),
        "error: {tmp}/two/ACME: two provider folders have the slug 'acme': {tmp}/one/acme and {tmp}/two/ACME;"
        " rename one"),
    "score: provider folder missing": Case(
        score_dirs("missing/acme"), "error: {tmp}/missing/acme: provider folder not found"),
    # --- reviewed facts --------------------------------------------------------------------------
    "facts: unknown practice": Case(
        facts_case("facts:\n  data_sold:\n    value: sold\n    source: reviewed\n"),
        f"error: {P}/facts.yaml:2:3: unknown practice 'data_sold'"),
    "facts: unknown value": Case(
        facts_case("facts:\n  data_sale:\n    value: rented\n    source: reviewed\n"),
        f"error: {P}/facts.yaml:3:12: unknown value 'rented' for practice 'data_sale' (one of: not_sold, sold,"
        " not_stated)"),
    "facts: duplicate practice": Case(
        facts_case("facts:\n  data_sale: {value: sold}\n  data_sale: {value: not_sold}\n"),
        f"error: {P}/facts.yaml:3:3: duplicate key 'data_sale'"),
    "facts: a list, not a mapping": Case(
        facts_case("facts:\n  - data_sale\n"),
        f"error: {P}/facts.yaml:2:3: 'facts' must be a mapping of practice to fact"),
    "facts: unknown source": Case(
        facts_case("facts:\n  data_sale:\n    value: sold\n    source: guessed\n"),
        f"error: {P}/facts.yaml:4:13: facts.data_sale.source: Input should be 'extracted' or 'reviewed'"),
    "facts: confidence of the wrong type": Case(
        facts_case("facts:\n  data_sale:\n    value: sold\n    confidence: high\n"),
        f"error: {P}/facts.yaml:4:17: facts.data_sale.confidence: Input should be a valid number, unable to"
        " parse string as a number"),
    "facts: reviewed quote not in the policy": Case(
        facts_case("facts:\n  data_sale:\n    value: not_sold\n    source: reviewed\n    evidence:\n"
                   "      - quote: We never sell your data.\n        start: 0\n        end: 24\n"),
        f"error: {P}/facts.yaml:6:16: reviewed quote for 'data_sale' is in no version of the policy: fix the"
        " quote or run 'scorecard review acme' again"),
    # --- policy files (the parts scorecard checks before reading) ---------------------------------
    "policy: 50 MB file": Case(
        big_policy, "error: {tmp}/policy.txt: policy file is 50.0 MB, over the 20 MB limit; if it really is the"
        " policy, raise the limit with --max-policy-mb 51"),
    "policy: over a lowered limit": Case(
        extract_case("policy.txt", POLICY * 1000, "--max-policy-mb", "0.01"),
        "error: {tmp}/policy.txt: policy file is 0.1 MB, over the 0.01 MB limit; if it really is the policy,"
        " raise the limit with --max-policy-mb 1"),
    "policy: limit from the environment is not a number": Case(
        extract_case("policy.txt", POLICY),
        "error: SCORECARD_MAX_POLICY_MB='lots' is not a number of megabytes", env=(("SCORECARD_MAX_POLICY_MB", "lots"),)),
    "policy: file missing": Case(
        extract_case("nope.txt", None), "error: {tmp}/nope.txt: policy file not found"),
    "policy: a folder": Case(
        extract_case("folder.txt/", None), "error: {tmp}/folder.txt: policy is not a regular file"),
    # --- the output folder -----------------------------------------------------------------------
    "out: a symbolic link": Case(
        out_case("symlink"), "error: {tmp}/out: output folder is a symbolic link; give a real folder"),
    "out: a file": Case(out_case("file"), "error: {tmp}/out: output path exists and is not a folder"),
    "out: someone else's folder": Case(
        out_case("foreign"), "error: {tmp}/out: output folder is not empty and was not made by scorecard (no"
        " .scorecard-site); choose another --out"),
    # --- templates -------------------------------------------------------------------------------
    "template: syntax error": Case(
        template_case("{% extends 'base.html' %}\n{% block main %}{% if %}{% endblock %}\n"),
        "error: {tmp}/templates/methodology.html:2: template error: Expected an expression, got 'end of"
        " statement block'; fix the template"),
    "template: undefined attribute": Case(
        template_case("{% extends 'base.html' %}\n{% block main %}\n{{ rubric.colour }}\n{% endblock %}\n"),
        "error: {tmp}/templates/methodology.html:3: template error: 'scorecard.model.Rubric object' has no"
        " attribute 'colour'; fix the template"),
    # --- issue 9: nothing outside a provider folder is read ---------------------------------------
    "snapshot: a link to /etc/passwd": Case(
        folder_case(link("versions/2026-01-02.txt", lambda tmp: "/etc/passwd")), "error: {tmp}/providers/acme/versions/2026-01-02.txt: snapshot is a link to a file outside the provider folder; copy the file into the folder"),
    "snapshot: a link to /proc/self/environ": Case(
        folder_case(link("versions/2026-01-02.txt", lambda tmp: "/proc/self/environ")), "error: {tmp}/providers/acme/versions/2026-01-02.txt: snapshot is a link to a file outside the provider folder; copy the file into the folder"),
    "snapshot: its .yaml a link out of the folder": Case(
        folder_case(compose(write("versions/2026-01-02.txt", POLICY), link("versions/2026-01-02.yaml", secret))),
        "error: {tmp}/providers/acme/versions/2026-01-02.yaml: snapshot is a link to a file outside the provider folder; copy the file into the folder"),
    "snapshot: a FIFO": Case(folder_case(fifo("versions/2026-01-02.txt")), "error: {tmp}/providers/acme/versions/2026-01-02.txt: snapshot is not a regular file (FIFOs, devices and sockets are never read)"),
    "snapshot: a link to /dev/zero": Case(folder_case(link("versions/2026-01-02.txt", lambda tmp: "/dev/zero")), "error: {tmp}/providers/acme/versions/2026-01-02.txt: snapshot is a link to a file outside the provider folder; copy the file into the folder"),
    "versions/: a link to a folder outside": Case(folder_case(versions_link_out), "error: {tmp}/providers/acme/versions: versions/ is a link to a folder outside the provider folder; make it a folder"),
    "policy: a FIFO": Case(folder_case(fifo("policy.txt")), "error: {tmp}/providers/acme/provider.yaml:2:14: policy file 'policy.txt' is not a regular file (FIFOs, devices, sockets and folders are never read)"),
    "policy: a link to /dev/zero": Case(folder_case(link("policy.txt", lambda tmp: "/dev/zero")), "error: {tmp}/providers/acme/provider.yaml:2:14: policy file 'policy.txt' is a link to a file outside the provider folder; copy the policy into the folder"),
    "policy: a link to /proc/self/environ": Case(
        folder_case(link("policy.txt", lambda tmp: "/proc/self/environ")), "error: {tmp}/providers/acme/provider.yaml:2:14: policy file 'policy.txt' is a link to a file outside the provider folder; copy the policy into the folder"),
    "policy: a sparse 3 GB file": Case(folder_case(sparse("policy.txt", 3_000_000_000)), "error: {tmp}/providers/acme/policy.txt: policy file is 3000.0 MB, over the 20 MB limit; if it really is the policy, raise the limit with --max-policy-mb 3001"),
    "provider.yaml: a link to a shadow file (never echoed)": Case(folder_case(link("provider.yaml", secret)), "error: {tmp}/providers/acme/provider.yaml: provider.yaml is a link to a file outside the provider folder; copy the file into the folder"),
    "provider.yaml: a link to /dev/zero": Case(folder_case(link("provider.yaml", lambda tmp: "/dev/zero")), "error: {tmp}/providers/acme/provider.yaml: provider.yaml is a link to a file outside the provider folder; copy the file into the folder"),
    "provider.yaml: a FIFO": Case(folder_case(fifo("provider.yaml")), "error: {tmp}/providers/acme/provider.yaml: provider.yaml is not a regular file (FIFOs, devices and sockets are never read)"),
    "provider.yaml: a link to nothing": Case(folder_case(link("provider.yaml", lambda tmp: tmp / "gone")), "error: {tmp}/providers/acme/provider.yaml: provider.yaml is a link to nothing; remove it or copy the file in its place"),
    "provider.yaml: a link to itself": Case(folder_case(link("provider.yaml", lambda tmp: "provider.yaml")), "error: {tmp}/providers/acme/provider.yaml: provider.yaml cannot be opened: a loop of links"),
    "provider.yaml: sparse 3 GB": Case(folder_case(sparse("provider.yaml", 3_000_000_000)), "error: {tmp}/providers/acme/provider.yaml: file is 3000.0 MB, over the 5 MB this kind of file may have"),
    "facts.yaml: a link to a shadow file": Case(folder_case(link("facts.yaml", secret)), "error: {tmp}/providers/acme/facts.yaml: facts.yaml is a link to a file outside the provider folder; copy the file into the folder"),
    "facts.yaml: a FIFO": Case(folder_case(fifo("facts.yaml")), "error: {tmp}/providers/acme/facts.yaml: facts.yaml is not a regular file (FIFOs, devices and sockets are never read)"),
    "facts.yaml: a link to /dev/zero": Case(folder_case(link("facts.yaml", lambda tmp: "/dev/zero")), "error: {tmp}/providers/acme/facts.yaml: facts.yaml is a link to a file outside the provider folder; copy the file into the folder"),
    "facts.yaml: 6 MB": Case(folder_case(write("facts.yaml", "# padding\n" * 600_000)), "error: {tmp}/providers/acme/facts.yaml: file is 6.0 MB, over the 5 MB this kind of file may have"),
    "provider.yaml: a key as long as a file (echo cut short)": Case(
        folder_case(info("x" * 900 + ": 1\n")), "error: {tmp}/providers/acme/provider.yaml:3:1: unknown field 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"),
    # --- issue 9: bounded memory -----------------------------------------------------------------
    "facts.yaml: aliases of one long quote": Case(folder_case(alias_bomb_of_one_quote), "error: {tmp}/providers/acme/facts.yaml:5:11: aliases expand the text by more than 1,000,000 characters; write the values out instead of repeating aliases"),
    "provider.yaml: a 200 KB name": Case(folder_case(info("", name="A" * 200_000)), "error: {tmp}/providers/acme/provider.yaml:1:7: name is 200,000 characters long, over the limit of 200; shorten it"),
    "provider.yaml: a 3,000 character website": Case(folder_case(info("website: https://a.example/" + "a" * 3000 + "\n")), "error: {tmp}/providers/acme/provider.yaml:3:10: website is 3,018 characters long, over the limit of 2000; shorten it"),
    "provider.yaml: a 3,000 character policy_url": Case(
        folder_case(info("policy_url: https://a.example/" + "a" * 3000 + "\n")), "error: {tmp}/providers/acme/provider.yaml:3:13: policy_url is 3,018 characters long, over the limit of 2000; shorten it"),
    # --- issue 9: one policy size limit ------------------------------------------------------------
    "policy: 524 MB (sparse) refused by its size alone": Case(sparse_policy_extract(524_000_000), "error: {tmp}/policy.txt: policy file is 524.0 MB, over the 20 MB limit; if it really is the policy, raise the limit with --max-policy-mb 525"),
    "policy: 524 MB over a raised limit": Case(sparse_policy_extract(524_000_000, "--max-policy-mb", "100"), "error: {tmp}/policy.txt: policy file is 524.0 MB, over the 100 MB limit; if it really is the policy, raise the limit with --max-policy-mb 525"),
    "review: honours --max-policy-mb": Case(review_limit, "error: {tmp}/providers/acme/policy.txt: policy file is 0.1 MB, over the 0.01 MB limit; if it really is the policy, raise the limit with --max-policy-mb 1"),
    # --- issue 9: credentials never published -------------------------------------------------------
    "provider.yaml: policy_url with user and password": Case(
        folder_case(info("policy_url: https://user:hunter2@acme.example/privacy\n")), "error: {tmp}/providers/acme/provider.yaml:3:13: policy_url holds a user name or password before '@'; remove them (the URL is published on the site)"),
    "provider.yaml: website with a user name": Case(
        folder_case(info("website: http://admin@acme.example/\n")), "error: {tmp}/providers/acme/provider.yaml:3:10: website holds a user name or password before '@'; remove them (the URL is published on the site)"),
    "snapshot: url with user and password": Case(
        folder_case(snapshot_with_url("https://user:hunter2@acme.example/privacy")), "error: {tmp}/providers/acme/versions/2026-01-02.yaml: the snapshot's url holds a user name or password before '@'; remove them (the URL is published on the site)"),
    # --- issue 9: nothing outside written --------------------------------------------------------------
    "review: facts.yaml a link to a file outside": Case(
        folder_case(link("facts.yaml", lambda tmp: secret(tmp)), command="review"), "error: {tmp}/providers/acme/facts.yaml: facts.yaml is a link to a file outside the provider folder; copy the file into the folder"),
    "review: facts.yaml a dangling link": Case(
        folder_case(link("facts.yaml", lambda tmp: tmp / "nothing-here" / "facts.yaml"), command="review"), "error: {tmp}/providers/acme/facts.yaml: facts.yaml is a link to nothing; remove it or copy the file in its place"),
    "review: facts.yaml a link inside the folder": Case(
        folder_case(compose(write("mine.yaml", ""), link("facts.yaml", lambda tmp: "mine.yaml")), command="review"),
        "error: {tmp}/providers/acme/facts.yaml: facts.yaml is a symbolic link; review writes only a plain file inside the provider folder (replace the link with the file)"),
    "review: facts.yaml a folder": Case(
        folder_case(lambda tmp, folder: (folder / "facts.yaml").mkdir(), command="review"), "error: {tmp}/providers/acme/facts.yaml: facts.yaml is not a regular file (FIFOs, devices and sockets are never read)"),
    # --- issue 9: reserved slugs -----------------------------------------------------------------------
    **{f"slug: '{slug}' is a folder of the site": Case(
        reserved(slug), f"error: {{tmp}}/providers/{slug}: provider slug '{slug}' is a folder of the site itself;"
        " rename the provider folder (reserved: about, assets, changes, compare, data, feed, index, methodology,"
        " policy, practices, scorecards, search)")
       for slug in ("compare", "methodology", "changes", "data", "assets", "policy", "practices")},
    # --- issue 9: usage and templates ----------------------------------------------------------------
    "--jobs 0": Case(usage("--jobs", "0"), "error: Invalid value for '--jobs' / '-j': Input should be greater than or equal to 1 (see 'scorecard build --help')"),
    "--jobs -1": Case(usage("--jobs", "-1"), "error: Invalid value for '--jobs' / '-j': Input should be greater than or equal to 1 (see 'scorecard build --help')"),
    "--templates folder missing": Case(usage("--templates", "nowhere"), "error: Invalid value for '--templates': dir 'nowhere' does not exist. (see 'scorecard build --help')"),
    "--templates is a file": Case(usage("--templates", "providers/acme/policy.txt"), "error: Invalid value for '--templates': dir 'providers/acme/policy.txt' is a file. (see 'scorecard build --help')"),
    "template: fails while rendering": Case(template_runtime_error, "error: {tmp}/templates/methodology.html:4: template error: ZeroDivisionError: integer division or modulo by zero; fix the template"),
    # --- issue 9: --keep-going: the hostile provider fails alone (designed exit 1) ------------------------
    "keep-going: a snapshot linked to /etc/passwd": Case(
        folder_case(link("versions/2026-01-02.txt", lambda tmp: "/etc/passwd"), command="keep-going"), "error: {tmp}/site: 1 provider failed: acme: {tmp}/providers/acme/versions/2026-01-02.txt: snapshot is a link to a file outside the provider folder; copy the file into the folder", code=1),
    "keep-going: a FIFO policy": Case(folder_case(fifo("policy.txt"), command="keep-going"), "error: {tmp}/site: 1 provider failed: acme: {tmp}/providers/acme/provider.yaml:2:14: policy file 'policy.txt' is not a regular file (FIFOs, devices, sockets and folders are never read)", code=1),
    # --- issue 9: more of the same, by other commands and files ---------------------------------------
    "extract: a FIFO": Case(special_extract("fifo"), "error: {tmp}/policy.txt: policy is not a regular file"),
    "extract: a link to /dev/zero": Case(special_extract("/dev/zero"), "error: {tmp}/policy.txt: policy is not a regular file"),
    "rubric: a FIFO": Case(special_rubric("fifo"), "error: {tmp}/rubric.yaml: not a regular file (FIFOs, devices and sockets are never read)"),
    "rubric: a link to /dev/zero": Case(special_rubric("/dev/zero"), "error: {tmp}/rubric.yaml: not a regular file (FIFOs, devices and sockets are never read)"),
    "rubric: 6 MB": Case(special_rubric("big"), "error: {tmp}/rubric.yaml: file is 6.0 MB, over the 5 MB this kind of file may have"),
    "templates: a FIFO among them": Case(fifo_in_templates, "error: {tmp}/templates/base.html: not a regular file (FIFOs, devices and sockets are never read)"),
    "validate: provider.yaml a FIFO": Case(folder_case(fifo("provider.yaml"), command="validate"), "error: {tmp}/providers/acme/provider.yaml: provider.yaml is not a regular file (FIFOs, devices and sockets are never read)"),
    "validate: a snapshot linked out": Case(
        folder_case(link("versions/2026-01-02.txt", lambda tmp: "/etc/passwd"), command="validate"), "error: {tmp}/providers/acme/versions/2026-01-02.txt: snapshot is a link to a file outside the provider folder; copy the file into the folder"),
    "review: a snapshot linked out": Case(
        folder_case(link("versions/2026-01-02.txt", lambda tmp: "/etc/passwd"), command="review"), "error: {tmp}/providers/acme/versions/2026-01-02.txt: snapshot is a link to a file outside the provider folder; copy the file into the folder"),
    "review: facts.yaml a link to /dev/null": Case(
        folder_case(link("facts.yaml", lambda tmp: "/dev/null"), command="review"), "error: {tmp}/providers/acme/facts.yaml: facts.yaml is a link to a file outside the provider folder; copy the file into the folder"),
    "review: a reserved slug": Case(review_of("compare"), "error: {tmp}/providers: provider slug 'compare' is a folder of the site itself; rename the provider folder (reserved: about, assets, changes, compare, data, feed, index, methodology, policy, practices, scorecards, search)"),
    "review: no such provider": Case(review_of("nobody"), "error: {tmp}/providers/nobody: provider folder not found"),
    "provider.yaml: a name of 201 characters": Case(folder_case(info("", name="A" * 201)), "error: {tmp}/providers/acme/provider.yaml:1:7: name is 201 characters long, over the limit of 200; shorten it"),
    "provider.yaml: policy_url with a user only": Case(
        folder_case(info("policy_url: https://someone@acme.example/privacy\n")), "error: {tmp}/providers/acme/provider.yaml:3:13: policy_url holds a user name or password before '@'; remove them (the URL is published on the site)"),
    "provider.yaml: ftp website with a password": Case(
        folder_case(info("website: ftp://u:p@files.acme.example/\n")), "error: {tmp}/providers/acme/provider.yaml:3:10: website holds a user name or password before '@'; remove them (the URL is published on the site)"),
    "facts.yaml: a practice key of 5,000 characters (echo cut short)": Case(
        facts_case("facts:\n  ? " + "k" * 5000 + "\n  : {value: sold}\n"), "error: {tmp}/providers/acme/facts.yaml:2:5: unknown practice 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'"),
    "facts.yaml: a node alias bomb": Case(facts_case(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"), "error: {tmp}/providers/acme/facts.yaml:1:32: more than 200000 values once aliases are expanded; write the values out instead of repeating aliases"),
    "policy: limit from the environment is 0": Case(
        extract_case("policy.txt", POLICY), "error: SCORECARD_MAX_POLICY_MB must be above 0", env=(("SCORECARD_MAX_POLICY_MB", "0"),)),
    "policy: --max-policy-mb 0": Case(extract_case("policy.txt", POLICY, "--max-policy-mb", "0"), "error: Invalid value for '--max-policy-mb': Input should be greater than or equal to 0.001 (see 'scorecard extract --help')"),
    "policy: 51 MB with the advised --max-policy-mb 52 is read (no hidden cap)": Case(
        sparse_policy_extract(51_000_000, "--max-policy-mb", "52"),
        "error: {tmp}/policy.txt: no policy text found (the file is empty or holds no sentences)"),
    "--jobs not a number": Case(usage("--jobs", "many"), "error: Invalid value for '--jobs' / '-j': Input should be a valid integer, unable to parse string as an integer (see 'scorecard build --help')"),
    "--page-size A5": Case(usage("--page-size", "A5"), "error: Invalid value for '--page-size': Value error, 'A5' is not one of 'A4', 'Letter'. (see 'scorecard build --help')"),
    "an unknown option": Case(usage("--colour", "red"), "error: No such option: --colour (Possible options: --out) (see 'scorecard build --help')"),
}

# Policies the text readers must refuse (their wording is theirs): one line, exit 2, naming the file.
POLICY_CASES: dict[str, tuple[str, bytes]] = {
    "empty": ("policy.txt", b""),
    "white space only": ("policy.txt", b" \n\t\r\n   \n"),
    "binary": ("policy.txt", bytes(range(256)) * 64),
    "PNG named .txt": ("policy.txt", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)),
    "not decodable": ("policy.txt", b"\xff\xfe\xfa" + bytes(range(128, 256)) * 40),
    "HTML with no text": ("policy.html", (b"<html><head><script>var a=1;</script><style>p{}</style></head>"
                                          b"<body><div></div></body></html>")),
    "Markdown with only markup": ("policy.md", b"# \n\n---\n\n<!-- nothing -->\n"),
    "truncated PDF": ("policy.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<<"),
    "not a PDF at all": ("policy.pdf", b"this is not a PDF\n"),
}




def snapshot(folder: Path) -> dict[str, object]:
    """Every file's content (a big sparse file: its size and time; it must never be read whole)."""
    found: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            stat = p.stat()
            found[str(p.relative_to(folder))] = p.read_bytes() if stat.st_size < 50_000_000 else (
                stat.st_size, stat.st_mtime_ns)
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_its_exact_line(name, tmp_path, capsys, monkeypatch):
    case = CASES[name]
    for key, value in case.env:
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    args = case.setup(tmp_path)
    before = snapshot(tmp_path)
    code, out, err = run_cli(args, capsys)
    assert err == case.line.replace("{tmp}", str(tmp_path)) + "\n"
    assert code == case.code
    assert "Traceback" not in out + err
    after = snapshot(tmp_path)
    if case.code == 1:  # --keep-going: the good provider is built, the hostile one fails alone
        assert (tmp_path / "site" / "good" / "index.html").is_file()
        assert not (tmp_path / "site" / "acme").exists()
        after = {rel: data for rel, data in after.items() if not rel.startswith("site/")}
    assert after == before, "a failed command must write nothing"
    assert not (tmp_path / "pwned").exists()
    assert SECRET_LINE not in out + err and "scorecard-canary" not in out + err  # never echoed


@pytest.mark.parametrize("name", list(POLICY_CASES))
def test_unreadable_policy_is_one_line_naming_the_file(name, tmp_path, capsys):
    file_name, content = POLICY_CASES[name]
    path = tmp_path / file_name
    path.write_bytes(content)
    code, out, err = run_cli(["extract", str(path)], capsys)
    assert code == 2, err
    assert err.startswith(f"error: {path}: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""


def test_encrypted_pdf_is_one_line_naming_the_file(tmp_path, capsys):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "policy.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    code, _out, err = run_cli(["extract", str(path)], capsys)
    assert code == 2 and err.startswith(f"error: {path}: ") and err.count("\n") == 1, err


def test_raising_the_limit_reads_the_file(tmp_path, capsys):
    path = tmp_path / "policy.txt"
    path.write_text(POLICY * 1000, encoding="utf-8")
    code, out, err = run_cli(["extract", "--max-policy-mb", "1", str(path)], capsys)
    assert code == 0, err
    assert '"facts"' in out


def test_debug_shows_the_traceback(tmp_path):
    import subprocess

    path = tmp_path / "rubric.yaml"
    path.write_text("version: [\n", encoding="utf-8")
    plain = subprocess.run([sys.executable, "-m", "scorecard", "validate", "--rubric", str(path)],
                           check=False, capture_output=True, text=True)
    debug = subprocess.run([sys.executable, "-m", "scorecard", "--debug", "validate", "--rubric", str(path)],
                           check=False, capture_output=True, text=True)
    assert plain.returncode == 2 and plain.stderr.count("\n") == 1 and "Traceback" not in plain.stderr
    assert "Traceback" in debug.stderr and "ScorecardError" in debug.stderr


def test_every_case_is_a_different_input():
    """The count in the report is honest: no case is listed twice under two names."""
    assert len(CASES) + len(POLICY_CASES) + 1 >= 60
    # Some share wording by design: a link out of the folder is one refusal whether it points at
    # /etc/passwd, /proc/self/environ or /dev/zero, and whether build, validate or review meets it;
    # --jobs 0 and -1 are the same usage error. Each such group is at most five cases.
    lines = [case.line for case in CASES.values()]
    assert max(lines.count(line) for line in lines) <= 5
    assert len(set(lines)) >= len(CASES) - 20


# --- the environment: permissions, read-only folders, a full disk (real ones, in a private mount
# namespace; as root, with the capabilities that bypass file permissions dropped) --------------------

def _no_dac() -> list[str]:
    """A prefix that makes file permissions bind even for root."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}"]


def _in_mount_namespace(script: str) -> list[str]:
    """`script` (sh) in a private mount namespace, where it may mount a small tmpfs or a read-only bind."""
    unshare = shutil.which("unshare")
    if not unshare:
        pytest.skip("no unshare: a full disk cannot be made")
    flags = "-m" if os.geteuid() == 0 else "-rm"
    probe = subprocess.run([unshare, flags, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], check=False,
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mounts not allowed here: a full disk cannot be made")
    return [unshare, flags, "sh", "-c", script]


SC = f"{sys.executable} -m scorecard"


def env_unreadable(what: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        folder = make_provider(tmp / "providers", "acme", POLICY)
        if what == "facts.yaml":
            (folder / "facts.yaml").write_text("facts: {}\n", encoding="utf-8")
        target = {"folder": folder, "providers": tmp / "providers"}.get(what, folder / what)
        target.chmod(0)
        return [*_no_dac(), sys.executable, "-m", "scorecard", *build_args(tmp)]
    return setup


def env_read_only_out(tmp: Path) -> list[str]:
    make_provider(tmp / "providers", "acme", POLICY)
    (tmp / "public").mkdir()
    (tmp / "public").chmod(0o555)
    return [*_no_dac(), sys.executable, "-m", "scorecard", "build", "--providers", str(tmp / "providers"),
            "--out", str(tmp / "public" / "site"), "--no-pdf"]


def env_read_only_mount(command: str) -> Callable[[Path], list[str]]:
    """The providers folder (review) or the site's folder (build) bind-mounted read-only: EROFS."""
    def setup(tmp: Path) -> list[str]:
        make_provider(tmp / "providers", "acme", POLICY)
        (tmp / "public").mkdir()
        target = tmp / ("providers" if command == "review" else "public")
        run = (f"{SC} review acme --providers {tmp}/providers" if command == "review" else
               f"{SC} build --providers {tmp}/providers --out {tmp}/public/site --no-pdf")
        return _in_mount_namespace(f"mount --bind {target} {target} && mount -o remount,ro,bind {target}"
                                   f" && exec {run}")
    return setup


def env_full_disk(tmp: Path) -> list[str]:
    """A site built on a small tmpfs, the disk filled, a full rebuild: ENOSPC, the old site intact."""
    make_provider(tmp / "providers", "acme", POLICY)
    disk = tmp / "disk"
    disk.mkdir()
    build = f"{SC} build --providers {tmp}/providers --out {disk}/site --no-pdf"
    return _in_mount_namespace(
        f"mount -t tmpfs -o size=4m tmpfs {disk} && {build} 2>/dev/null"
        f" && (cat /dev/zero > {disk}/filler 2>/dev/null; true) && {build} --full;"
        f" code=$?; test -f {disk}/site/acme/index.html && echo old-site-intact; exit $code")


def env_review_full_disk(tmp: Path) -> list[str]:
    make_provider(tmp / "providers", "acme", POLICY)
    return _in_mount_namespace(
        f"mount -t tmpfs -o size=1m tmpfs {tmp}/providers && {SC} validate --providers {tmp}/providers"
        f" >/dev/null 2>&1; mkdir -p {tmp}/providers/acme && printf 'name: Acme\\npolicy_file: policy.txt\\n'"
        f" > {tmp}/providers/acme/provider.yaml && printf '{POLICY.encode('unicode_escape').decode()}'"
        f" > {tmp}/providers/acme/policy.txt && (cat /dev/zero > {tmp}/providers/filler 2>/dev/null; true)"
        f" && exec {SC} review acme --providers {tmp}/providers")


@dataclass(frozen=True)
class EnvCase:
    setup: Callable[[Path], list[str]]
    line: str
    stdout: str = ""
    code: int = 2


ENV_CASES: dict[str, EnvCase] = {
    "env: provider folder unreadable": EnvCase(
        env_unreadable("folder"),
        "error: {tmp}/providers/acme: cannot read the provider folder: Permission denied"),
    "env: providers folder unreadable": EnvCase(
        env_unreadable("providers"),
        "error: Invalid value for '--providers': path '{tmp}/providers' is not readable. (see 'scorecard build"
        " --help')"),
    "env: provider.yaml unreadable": EnvCase(
        env_unreadable("provider.yaml"), "error: {tmp}/providers/acme/provider.yaml: cannot read: Permission denied"),
    "env: policy unreadable": EnvCase(
        env_unreadable("policy.txt"),
        "error: {tmp}/providers/acme/policy.txt: cannot read the policy file: permission denied"),
    "env: facts.yaml unreadable": EnvCase(
        env_unreadable("facts.yaml"), "error: {tmp}/providers/acme/facts.yaml: cannot read: Permission denied"),
    "env: the site's folder not writable": EnvCase(
        env_read_only_out, "error: {tmp}/public: cannot write the site: Permission denied"),
    "env: the site's folder on a read-only mount": EnvCase(
        env_read_only_mount("build"), "error: {tmp}/public: cannot write the site: Read-only file system"),
    "env: review on a read-only mount": EnvCase(
        env_read_only_mount("review"),
        "error: {tmp}/providers/acme/facts.yaml: cannot write facts.yaml: Read-only file system"),
    "env: full disk while writing the site": EnvCase(
        env_full_disk, "error: {tmp}/disk/site: cannot write the site: No space left on device",
        stdout="old-site-intact\n"),
    "env: full disk while review writes": EnvCase(
        env_review_full_disk,
        "error: {tmp}/providers/acme/facts.yaml: cannot write facts.yaml: No space left on device"),
}


@pytest.mark.parametrize("name", list(ENV_CASES))
def test_environment_failure_is_one_line_exit_2(name, tmp_path):
    case = ENV_CASES[name]
    args = case.setup(tmp_path)
    try:
        result = subprocess.run(args, check=False, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    finally:
        for path in [tmp_path, *tmp_path.rglob("*")]:  # let pytest remove what was made unreadable
            if not path.is_symlink():
                path.chmod(0o755)
    assert result.stderr == case.line.replace("{tmp}", str(tmp_path)) + "\n"
    assert result.returncode == case.code
    assert result.stdout == case.stdout


# --- bad inputs that end in a handled result (exit 0, checked) ------------------------------------

def beside(change: Callable[[Path, Path], None]) -> Callable[[Path], list[str]]:
    return folder_case(change)


def built(tmp: Path, out: str, err: str) -> None:
    assert (tmp / "site" / "acme" / "index.html").is_file(), err
    assert err.startswith("Built 1 scorecard,"), err


def review_name(name: str) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        folder = make_provider(tmp / "providers", "acme", POLICY)
        (folder / "provider.yaml").write_text(yaml.safe_dump({"name": name, "policy_file": "policy.txt"}),
                                              encoding="utf-8")
        return ["review", "acme", "--providers", str(tmp / "providers")]
    return setup


def reviewed_file_loads(tmp: Path, out: str, err: str) -> None:
    """The file review wrote loads again with the project's own loader; its header is comments only."""
    from scorecard.providers import load_provider
    from scorecard.rubric import load_rubric

    path = tmp / "providers" / "acme" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    header = text.split("\nfacts:\n")[0].split("\n")
    assert all(line.startswith("#") for line in header), header
    assert "\u2028" not in text and "\x85" not in text and "\r" not in text
    assert load_provider(tmp / "providers" / "acme", load_rubric(tmp / "rubric.yaml")).reviewed == {}
    data = yaml.safe_load(text)
    assert list(data) == ["facts"] and data["facts"]["data_sale"]["source"] == "extracted"


def with_rubric(setup: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    def wrapped(tmp: Path) -> list[str]:
        (tmp / "rubric.yaml").write_text(RUBRIC, encoding="utf-8")
        return [*setup(tmp), "--rubric", str(tmp / "rubric.yaml")]
    return wrapped


PERSON_WROTE = """\
# Our own notes on Acme. Do not remove.
facts:
  # checked by phone with their DPO on 3 March
  data_sale:
    source: reviewed     # Ann decided
    value: "not_sold"
    reviewer: Ann
    evidence:
      - {quote: 'We do not sell your personal information to anyone.', start: 30, end: 82}
"""


def review_twice(tmp: Path) -> list[str]:
    folder = make_provider(tmp / "providers", "acme", POLICY)
    (folder / "facts.yaml").write_text(PERSON_WROTE, encoding="utf-8")
    return ["review", "acme", "--providers", str(tmp / "providers")]


def kept_what_the_person_wrote(tmp: Path, out: str, err: str) -> None:
    text = (tmp / "providers" / "acme" / "facts.yaml").read_text(encoding="utf-8")
    assert text.startswith(PERSON_WROTE), text  # comments, order, quotes, flow style: as written
    assert "1 reviewed fact kept" in err


def stale_folder(marked: bool, kind: str = "new") -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        make_provider(tmp / "providers", "acme", POLICY)
        leftover = tmp / f".site-{kind}-anything"
        leftover.mkdir()
        (leftover / ("keep.txt" if not marked else ".scorecard-staging")).write_text("mine", encoding="utf-8")
        old = time.time() - 3600
        os.utime(leftover, (old, old))
        return build_args(tmp)
    return setup


def leftover_kept(tmp: Path, out: str, err: str) -> None:
    built(tmp, out, err)
    kept = [tmp / ".site-new-anything" / "keep.txt", tmp / ".site-old-anything" / "keep.txt"]
    assert [p.read_text(encoding="utf-8") for p in kept if p.exists()] == ["mine"]


def leftover_removed(tmp: Path, out: str, err: str) -> None:
    built(tmp, out, err)
    assert not (tmp / ".site-new-anything").exists()


def publisher_files(tmp: Path) -> list[str]:
    """A site built once, then the publisher adds their own files and a second provider goes away."""
    make_provider(tmp / "providers", "acme", POLICY)
    make_provider(tmp / "providers", "gone", POLICY)
    assert subprocess.run([sys.executable, "-m", "scorecard", *build_args(tmp)], check=False,
                          capture_output=True).returncode == 0
    shutil.rmtree(tmp / "providers" / "gone")
    site = tmp / "site"
    (site / "CNAME").write_text("scorecards.example.org\n", encoding="utf-8")
    (site / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (site / "acme" / "notes.txt").write_text("mine", encoding="utf-8")
    (site / "elsewhere").symlink_to("/etc")
    return build_args(tmp)


def publisher_files_kept(tmp: Path, out: str, err: str) -> None:
    site = tmp / "site"
    assert re.fullmatch(f"Built 1 scorecard, [0-9]+ files in {re.escape(str(site))}; kept 5 files"
                        " scorecard did not make: .git, CNAME, acme, elsewhere, robots.txt\n", err), err
    assert (site / "CNAME").read_text(encoding="utf-8") == "scorecards.example.org\n"
    assert (site / ".git" / "HEAD").is_file() and (site / "robots.txt").is_file()
    assert (site / "acme" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert os.readlink(site / "elsewhere") == "/etc"  # kept as a link, never followed
    assert not (site / "gone").exists(), "pages scorecard made for a provider now gone are removed"


@dataclass(frozen=True)
class Handled:
    setup: Callable[[Path], list[str]]
    check: Callable[[Path, str, str], None]
    code: int = 0


HANDLED: dict[str, Handled] = {
    "a FIFO beside the policy (not an input): never opened": Handled(beside(fifo("notes.fifo")), built),
    "a link to /dev/zero beside the policy: never read": Handled(
        beside(link("notes.txt", lambda tmp: "/dev/zero")), built),
    "a link to /etc/passwd beside the policy (not an input): never read": Handled(
        beside(link("notes.txt", lambda tmp: "/etc/passwd")), built),
    "a sparse 3 GB file beside the policy: never read or hashed": Handled(
        beside(sparse("huge.bin", 3_000_000_000)), built),
    "a FIFO in a hidden folder of versions/: skipped": Handled(beside(fifo("versions/.tmp")), built),
    "policy_url with an @ in its path (no credentials): accepted": Handled(
        beside(info("policy_url: https://acme.example/privacy@2024\n")), built),
    "facts.yaml with a few short aliases: loaded": Handled(
        beside(write("facts.yaml", "facts:\n  data_sale: &a {value: not_sold, source: extracted}\n")), built),
    "review: a newline in the provider's name stays in the comment": Handled(
        with_rubric(review_name("Acme\nfacts: {data_sale: {value: sold, source: reviewed}}")),
        reviewed_file_loads),
    "review: CR, U+0085, U+2028 and U+2029 in the name": Handled(
        with_rubric(review_name("Acme\r#\x85x: 1\u2028y: 2\u2029z")), reviewed_file_loads),
    "review: keeps comments, key order and formatting of a person's entries": Handled(
        with_rubric(review_twice), kept_what_the_person_wrote),
    "a snapshot and the policy as links to files inside the folder: read": Handled(
        beside(compose(write("texts/policy-2026.txt", POLICY), link("policy.txt", lambda tmp: "texts/policy-2026.txt"),
                       link("versions/2026-01-02.txt", lambda tmp: "../texts/policy-2026.txt"))), built),
    "a user's .site-old-anything beside --out, an hour old, unmarked: kept": Handled(
        stale_folder(marked=False, kind="old"), leftover_kept),
    "a user's .site-new-anything beside --out, an hour old, unmarked: kept": Handled(
        stale_folder(marked=False), leftover_kept),
    "a marked staging folder of a killed build, an hour old: removed": Handled(
        stale_folder(marked=True), leftover_removed),
    "CNAME, robots.txt, .git, a link and a note in the site: carried over, reported": Handled(
        publisher_files, publisher_files_kept),
}


@pytest.mark.parametrize("name", list(HANDLED))
def test_handled_bad_input(name, tmp_path, capsys, monkeypatch):
    case = HANDLED[name]
    monkeypatch.chdir(tmp_path)
    args = case.setup(tmp_path)
    code, out, err = run_cli(args, capsys)
    assert code == case.code, err
    assert "Traceback" not in out + err and SECRET_LINE not in out + err
    case.check(tmp_path, out, err)



@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=80).filter(lambda n: n.strip()))
def test_every_file_review_writes_loads_again(name, tmp_path_factory):
    """Any provider name (line breaks, quotes, '#', YAML syntax...): review's file loads with our loader."""
    from scorecard.providers import load_provider
    from scorecard.review import review
    from scorecard.rubric import load_rubric

    tmp = tmp_path_factory.mktemp("review")
    (tmp / "rubric.yaml").write_text(RUBRIC, encoding="utf-8")
    rubric = load_rubric(tmp / "rubric.yaml")
    folder = make_provider(tmp / "providers", "acme", POLICY)
    try:
        (folder / "provider.yaml").write_text(yaml.safe_dump({"name": name, "policy_file": "policy.txt"}),
                                              encoding="utf-8")
        provider = load_provider(folder, rubric)
    except ScorecardError:  # a name the YAML reader itself refuses (a control character): not review's file
        return
    path, _kept, _drafted = review(provider, rubric)
    text = path.read_text(encoding="utf-8")
    assert all(line.startswith("#") for line in text.split("\nfacts:\n")[0].split("\n"))
    again = load_provider(folder, rubric)  # the project's own loader, facts.yaml included
    assert again.reviewed == {} and yaml.safe_load(text)["facts"]["data_sale"]["source"] == "extracted"
    review(again, rubric)  # and a second review reads and rewrites it
    assert load_provider(folder, rubric).reviewed == {}


# --- signals: SIGTERM to the process group, SIGKILL of the main process (real PDF workers) ---------

def _pdf_build(tmp: Path) -> subprocess.Popen[str]:
    for i in range(6):
        make_provider(tmp / "providers", f"p{i}", POLICY * 40)
    return subprocess.Popen([sys.executable, "-m", "scorecard", "build", "--providers", str(tmp / "providers"),
                             "--out", str(tmp / "site"), "-j", "2"], cwd=tmp, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _workers(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_for_workers(proc: subprocess.Popen[str]) -> list[int]:
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        workers = _workers(proc.pid)
        if len(workers) >= 2:
            return workers
        time.sleep(0.05)
    pytest.fail("no PDF workers started")


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def sigterm_to_the_group(tmp: Path) -> None:
    proc = _pdf_build(tmp)
    _wait_for_workers(proc)
    os.killpg(proc.pid, signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err == "interrupted: nothing was changed\n", err  # no traceback from any worker
    assert not (tmp / "site").exists()


def sigkill_of_the_main_process(tmp: Path) -> None:
    proc = _pdf_build(tmp)
    workers = _wait_for_workers(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.time() + 20
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "PDF workers outlived the build"


PROCESS_CASES: dict[str, Callable[[Path], None]] = {
    "SIGTERM to the process group while PDFs render: exit 143, one line": sigterm_to_the_group,
    "SIGKILL of the main process: the PDF workers end too": sigkill_of_the_main_process,
}


@pytest.mark.parametrize("name", list(PROCESS_CASES))
def test_signal_outcome(name, tmp_path):
    PROCESS_CASES[name](tmp_path)


# --- the figure for the report ------------------------------------------------------------------

def outcome_counts() -> dict[str, int]:
    """Bad inputs covered, by how they end: `python -m tests.integration.cli.test_bad_inputs --count` prints this."""
    exit_2 = sum(c.code == 2 for c in CASES.values()) + len(POLICY_CASES) + 1 + len(ENV_CASES)  # +1: encrypted
    return {"clear exit-2 line": exit_2,
            "designed exit 1": sum(c.code == 1 for c in CASES.values()),
            "handled result": len(HANDLED) + len(PROCESS_CASES)}


def test_outcome_counts_cover_every_table():
    counts = outcome_counts()
    assert sum(counts.values()) == len(CASES) + len(POLICY_CASES) + 1 + len(ENV_CASES) + len(HANDLED) + len(
        PROCESS_CASES)
    assert all(c.code in (1, 2) for c in CASES.values())


if __name__ == "__main__" and sys.argv[1:] == ["--count"]:
    counts = outcome_counts()
    for outcome, n in counts.items():
        print(f"{n:4d}  {outcome}")
    print(f"{sum(counts.values()):4d}  bad inputs covered")
elif __name__ == "__main__":  # print what each case gives today, to review new cases
    import tempfile
    for name, case in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.update(dict(case.env))
            args = case.setup(Path(tmp))
            import subprocess
            r = subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True, cwd=tmp)
            for key, _ in case.env:
                os.environ.pop(key)
            print(f"{name}: [{r.returncode}] {r.stderr.replace(tmp, '{tmp}')!r}")
    _ = yaml
