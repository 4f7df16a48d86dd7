"""Incremental rebuilds: reuse what the previous site already holds for providers whose inputs did not change.

The previous build leaves a manifest in the site (`.scorecard-manifest.json`): for each provider, a hash of
its folder and the scorecard it produced; for the whole build, a hash of everything else that shapes the
output. A rebuild then

- skips extraction for a provider whose folder and analysis inputs (rubric and the detectors beside it,
  scorecard's own code) are unchanged: the scorecard comes from the manifest;
- also reuses its pages and PDF from the previous site (hardlinked into the staging folder, so the new
  site is still swapped in atomically) when the render inputs (templates, site config, page size) are
  unchanged too;
- reuses the shared pages and scorecards.pdf when nothing at all changed.

Hashes are of file contents, never of times, so a `touch` or a fresh checkout rebuilds nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import __version__
from .errors import ScorecardError
from .limits import check_policy_file, open_regular, read_regular
from .model import Provider, Scorecard
from .providers import input_files, policy_texts
from .resources import templates_dir

MANIFEST = ".scorecard-manifest.json"
FORMAT = 1
PACKAGE = Path(__file__).resolve().parent


def _hash_files(digest: hashlib._Hash, root: Path, files: Iterable[Path]) -> None:
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(file_digest(path))
        digest.update(b"\0")


def file_digest(path: Path) -> bytes:
    """SHA-256 of a regular file, read in blocks (never whole, never a FIFO or a device)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def tree_files(root: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    """Regular files under `root` (hidden and cache folders skipped)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in files:
            if not name.startswith(".") and (suffixes is None or name.endswith(suffixes)):
                found.append(Path(folder) / name)
    return found


def hash_tree(root: Path, suffixes: tuple[str, ...] | None = None) -> str:
    digest = hashlib.sha256()
    if root.is_dir():
        _hash_files(digest, root, tree_files(root, suffixes))
    return digest.hexdigest()


def analysis_key(rubric_path: Path) -> str:
    """What turns a provider folder into a scorecard, besides the folder: rubric, detectors, our code."""
    digest = hashlib.sha256(f"scorecard {__version__} manifest {FORMAT}\0".encode())
    rubric_path = Path(rubric_path)
    digest.update(rubric_path.read_bytes())
    digest.update(hash_tree(rubric_path.parent, (".yaml", ".yml")).encode())  # detectors beside the rubric
    digest.update(hash_tree(PACKAGE, (".py",)).encode())
    return digest.hexdigest()


PDF_TEMPLATES = ("pdf.html", "pdf.css", "pdf-all.html")


def render_key(user_templates: Path | None, config_path: Path | None, pdf: bool) -> str:
    """What turns a scorecard into pages: templates (ours and the user's), site config, PDF links or not."""
    digest = hashlib.sha256()
    digest.update(hash_tree(templates_dir()).encode())
    if user_templates:
        digest.update(hash_tree(Path(user_templates)).encode())
    if config_path:
        digest.update(Path(config_path).read_bytes())
    digest.update(f"{pdf}".encode())
    return digest.hexdigest()


def pdf_key(user_templates: Path | None, page_size: str, base_url: str = "") -> str:
    """What turns a scorecard into its PDF: only the PDF templates (and the site address its links use),
    so restyling the site keeps the PDFs."""
    digest = hashlib.sha256(base_url.encode())
    for folder in ([Path(user_templates)] if user_templates else []) + [templates_dir()]:
        for name in PDF_TEMPLATES:
            path = folder / name
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    digest.update(f"{page_size}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return digest.hexdigest()


def provider_key(provider: Provider, max_policy_mb: float | None = None) -> str:
    """The files of the provider folder that scorecard reads (provider.yaml, the policy, facts.yaml,
    versions/), each checked first: load_provider checked that they are regular files inside the folder,
    and the policy texts are checked against the size limit here, before a byte is hashed."""
    for path in policy_texts(provider):
        check_policy_file(path, max_policy_mb)
    digest = hashlib.sha256()
    _hash_files(digest, provider.folder, input_files(provider))
    return digest.hexdigest()


_READ: dict[tuple[str, int, int, int], object] = {}


def read_manifest(out: Path) -> object:
    """The previous build's manifest as JSON data (None if unreadable). Read once per build, though the cache
    and the list of files scorecard made both need it: at 10,000 providers it is tens of megabytes."""
    path = out / MANIFEST
    try:
        info = path.stat()
    except OSError:
        return None
    signature = (str(path.absolute()), info.st_ino, info.st_size, info.st_mtime_ns)
    if signature not in _READ:
        try:
            data: object = json.loads(read_regular(path, 200_000_000).decode("utf-8"))
        except (ScorecardError, ValueError):
            data = None
        _READ.clear()  # one manifest at a time
        _READ[signature] = data
    return _READ[signature]


def made_files(out: Path) -> set[str] | None:
    """The files the previous build wrote into `out` (from its manifest), None if it did not say."""
    data = read_manifest(Path(out))
    files = data.get("files") if isinstance(data, dict) else None
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else None


@dataclass
class BuildCache:
    """The previous build's manifest, and the one this build writes."""

    out: Path
    analysis: str
    render: str
    pdf: str = ""
    previous: dict[str, Any] = field(default_factory=dict)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    hits: int = 0
    reused_files: int = 0
    documents: dict[str, str] = field(default_factory=dict)  # a document of the site -> hash of its HTML

    @classmethod
    def open(cls, out: Path, analysis: str, render: str, pdf: str = "", reuse: bool = True) -> BuildCache:
        """The manifest of the site in `out`; with reuse=False, none (a full build that still writes one)."""
        cache = cls(out=Path(out), analysis=analysis, render=render, pdf=pdf)
        _READ.clear()  # read afresh by each build (the cache changes what it adopts), then shared in it
        if not reuse:
            return cache
        data = read_manifest(cache.out)
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("analysis") == analysis:
            cache.previous = data
        return cache

    @property
    def same_render(self) -> bool:
        return bool(self.previous) and self.previous.get("render") == self.render

    @property
    def same_pdf(self) -> bool:
        return bool(self.previous) and self.previous.get("pdf") == self.pdf

    def card(self, slug: str, key: str) -> Scorecard | None:
        """The previous scorecard of this provider if its folder did not change."""
        entry = self.previous.get("providers", {}).get(slug)
        return self._adopt(slug, entry) if entry and entry.get("key") == key else None

    def last_good_card(self, slug: str) -> Scorecard | None:
        """The previous build's scorecard of this provider whatever changed since (for --keep-going: a
        provider whose new input fails keeps its last good pages instead of vanishing from the site).
        Its old key stays in the manifest, so the next build tries the provider again."""
        entry = self.previous.get("providers", {}).get(slug)
        return self._adopt(slug, entry) if entry else None

    def _adopt(self, slug: str, entry: dict[str, Any]) -> Scorecard | None:
        """Take over a previous manifest entry (its card, pages and key) for this build."""
        try:
            card = Scorecard.model_validate(entry["card"])
        except (KeyError, ValidationError):
            return None
        self.hits += 1
        self.entries[slug] = entry
        return card

    def history(self, slug: str) -> object | None:
        """The stored history (JSON data) of a provider whose folder did not change since the last build."""
        entry = self.entries.get(slug)
        if entry is None or entry is not self.previous.get("providers", {}).get(slug):
            return None
        return entry.get("history")

    def remember_history(self, slug: str, data: object) -> None:
        if slug in self.entries:
            self.entries[slug]["history"] = data

    def remember(self, card: Scorecard, key: str) -> None:
        self.entries[card.slug] = {"key": key, "card": card.model_dump(mode="json")}

    def reusable(self, slug: str, names: Iterable[str], pdf: bool = False) -> dict[str, Path] | None:
        """Previous files of an unchanged provider (its pages, or with pdf=True its PDF), when they were
        rendered the same way and all exist."""
        if not (self.same_pdf if pdf else self.same_render) or slug not in self.previous.get("providers", {}):
            return None
        if self.entries.get(slug) is not self.previous["providers"].get(slug):
            return None  # the card was recomputed
        return self._previous_files(names)

    def shared_key(self) -> str:
        digest = hashlib.sha256(self.render.encode() + self.pdf.encode())
        for slug in sorted(self.entries):
            digest.update(f"{slug}\0{self.entries[slug]['key']}\0".encode())
        return digest.hexdigest()

    def reusable_shared(self, names: Iterable[str]) -> dict[str, Path] | None:
        """index, compare, data, scorecards.pdf... from the previous site if no provider changed at all."""
        if not self.same_render or self.previous.get("shared") != self.shared_key():
            return None
        if self.hits != len(self.entries) or set(self.entries) != set(self.previous.get("providers", {})):
            return None
        return self._previous_files(names)

    def reusable_document(self, name: str, html: str) -> dict[str, Path] | None:
        """A PDF of the previous site drawn from exactly this HTML, with the same PDF templates and page size
        (scorecards.pdf: keyed on its own content, not on every provider's inputs). Remembers the HTML's hash
        for the next build either way."""
        digest = hashlib.sha256(f"{self.pdf}\0".encode() + html.encode("utf-8")).hexdigest()
        self.documents[name] = digest
        if not self.same_pdf or self.previous.get("documents", {}).get(name) != digest:
            return None
        return self._previous_files([name])

    def _previous_files(self, names: Iterable[str]) -> dict[str, Path] | None:
        """The named files of the previous site, if every one is still a plain file there."""
        paths = {name: self.out / name for name in names}
        if not all(p.is_file() and not p.is_symlink() for p in paths.values()):
            return None
        self.reused_files += len(paths)
        return paths

    def manifest(self, files: Iterable[str] = ()) -> bytes:
        """The manifest, listing `files`: what this build wrote, so the next one knows what it did not."""
        data = {"format": FORMAT, "scorecard": __version__, "analysis": self.analysis, "render": self.render, "pdf": self.pdf,
                "shared": self.shared_key(), "documents": dict(sorted(self.documents.items())),
                "providers": {slug: self.entries[slug] for slug in sorted(self.entries)},
                "files": sorted(set(files) | {MANIFEST})}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
