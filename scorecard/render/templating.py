"""The Jinja2 environment: user templates first, packaged ones after, autoescape always on."""
from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
)
from jinja2.bccache import Bucket

from ..model import DOCUMENT_KINDS, MAIN_DOCUMENT, NOT_STATED, PracticeScore, Scorecard
from ..resources import prune, templates_dir, user_cache_dir
from ..words import plural
from .badge import embed_code
from .doubt import checked, doubt, doubt_with_quotes, reader_note, shorten

# A verdict's kind: good, bad, neutral (a stated answer that is neither) or unknown (not stated).
VERDICT_ICONS = {"good": "✓", "bad": "✗", "neutral": "○", "unknown": "–"}
VERDICT_WORDS = {"good": "good", "bad": "bad", "neutral": "neutral", "unknown": "not stated"}


class TrustedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates, kept between builds (compiling them is a fifth of an unchanged rebuild).
    Their bytecode runs, so a file is read only when it and its folder are this user's and nobody else can
    write them, as for the compiled detectors (extract/spec.py). Jinja keys each file on the template's
    name and source, and refuses bytecode of another Jinja or Python."""

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._get_cache_filename(bucket)
        try:
            for part, kind in ((os.path.dirname(path), stat.S_ISDIR), (path, stat.S_ISREG)):
                info = os.lstat(part)
                if not kind(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                    return
        except OSError:
            return
        super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only cache folder: compiled each time
            super().dump_bytecode(bucket)  # written beside, then renamed: never half a file


TEMPLATES_KEEP = 256  # compiled templates kept: every template of a few versions of them


def bytecode_cache() -> BytecodeCache | None:
    """In the user's cache folder ($SCORECARD_CACHE, as for the compiled detectors; empty: none)."""
    chosen = os.environ.get("SCORECARD_CACHE")
    if chosen == "":
        return None
    folder = (Path(chosen) if chosen else user_cache_dir()) / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    tag = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]  # these settings: autoescape, trim_blocks...
    prune(folder, "jinja-*.cache", TEMPLATES_KEEP)
    return TrustedBytecodeCache(str(folder), f"jinja-{tag}-%s.cache")


def make_environment(user_templates: Path | None = None) -> Environment:
    """`{% extends "default:base.html" %}` reaches the packaged template from an override."""
    packaged = FileSystemLoader(str(templates_dir()))
    loaders: list[BaseLoader] = [FileSystemLoader(str(user_templates))] if user_templates else []
    loaders += [packaged, PrefixLoader({"default": packaged}, delimiter=":")]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,  # policy text is written by third parties
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(),
        auto_reload=False,  # a build's templates do not change while it renders: no stat per page
    )
    env.globals["verdict_icon"] = VERDICT_ICONS.get
    env.globals["verdict_word"] = verdict_word
    env.globals["kind"] = verdict_kind
    env.globals["summary_rows"] = summary_rows
    env.globals["doubt"] = doubt
    env.globals["doubt_with_quotes"] = doubt_with_quotes
    env.globals["reader_note"] = reader_note
    env.globals["checked"] = checked
    env.globals["embed_code"] = embed_code
    env.filters["web_url"] = web_url
    env.filters["shorten"] = shorten
    env.filters["plural"] = plural  # {{ n | plural("provider") }}: "1 provider", "2 providers"
    env.filters["in_document"] = in_document
    env.filters["document_name"] = document_name
    return env


def verdict_kind(verdict: str, value: str = "") -> str:
    """good, bad, neutral, or unknown when the policy says nothing: drives icon, word and colour."""
    return "unknown" if value == NOT_STATED else verdict


def verdict_word(verdict: str, value: str = "") -> str:
    """The word beside the icon, so colour and shape are never the only cue."""
    return VERDICT_WORDS.get(verdict_kind(verdict, value), verdict)


def summary_rows(card: Scorecard) -> list[PracticeScore]:
    """A provider's practices for the plain-words summary: good first, then bad, then silence."""
    order = {"good": 0, "bad": 1, "neutral": 2}
    return sorted(card.practices, key=lambda r: (r.value == NOT_STATED, order.get(r.verdict, 3)))


def in_document(policy_page: str, document: str) -> str:
    """The annotated page of a quote's document: .../policy/index.html for the privacy policy,
    .../policy/<document>/index.html for another (render/site.py writes them there)."""
    if not document or document == MAIN_DOCUMENT or not policy_page.endswith("policy/index.html"):
        return policy_page
    return policy_page.removesuffix("index.html") + f"{document}/index.html"


def document_name(document: str) -> str:
    """How a link names a quote's document: 'policy' for the privacy policy, else its kind in words."""
    if not document or document == MAIN_DOCUMENT:
        return "policy"
    title = DOCUMENT_KINDS.get(document, document.replace("-", " "))
    return title[:1].lower() + title[1:]


def web_url(url: str) -> str:
    """The URL if it is http(s), else "": a provider.yaml must not put javascript: links on the site."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def read_asset(name: str, user_templates: Path | None = None) -> str:
    """A CSS/JS asset, from the user's templates folder if it has one of that name."""
    for folder in ([user_templates] if user_templates else []) + [templates_dir()]:
        path = Path(folder) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(name)
