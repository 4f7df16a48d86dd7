"""Incremental rebuilds: reuse what the previous site already holds for providers whose inputs did not change.

The previous build leaves a manifest in the site (`.scorecard-manifest.json`, small: hashes and the list of
files the build made) and one entry per provider in `.scorecard-cache/<slug>.json` (the hash of its folder,
the stat of the files it read, its provider.yaml as loaded, its scorecard and history). A rebuild then

- skips extraction for a provider whose folder and analysis inputs (rubric and the detectors beside it,
  scorecard's own code) are unchanged: the scorecard comes from the manifest;
- also reuses its pages and PDF from the previous site (hardlinked into the staging folder, so the new
  site is still swapped in atomically) when the render inputs (templates, site config, page size) are
  unchanged too;
- reuses each shared page (index, practice and compare pages, open data) whose content did not change: the
  manifest keeps, by page, a hash of what it shows (the keys of the providers on it, the counts it gives);
  scorecards.pdf is keyed on its own HTML.

Hashes are of file contents, never of times, so a `touch` or a fresh checkout rebuilds nothing. Times
only let a rebuild skip the reading: a provider whose files (and folders) have the same inode, size,
modification and change time as when the previous build hashed them is taken as unchanged without being
read again (`stamp`); any difference, or a file changed within the last seconds of that build (a
coarse clock could hide a later change), means reading and hashing it as before.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import __version__
from .errors import ScorecardError
from .limits import check_policy_file, open_regular, read_regular
from .model import Fact, Provider, Rubric, Scorecard
from .providers import VERSIONS, input_files, policy_texts
from .resources import prune, templates_dir, user_cache_dir
from .text import Document

MANIFEST = ".scorecard-manifest.json"
ENTRIES = ".scorecard-cache"  # <slug>.json: one provider's entry (see ProviderEntry)
FORMAT = 2
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


def read_manifest(out: Path) -> tuple[object, str]:
    """The previous build's manifest in `out` as JSON data (None if missing or unreadable) and the SHA-256 of
    its bytes. Read once per build, by BuildCache.open, which keeps what the build needs of it."""
    try:
        raw = read_regular(out / MANIFEST, 200_000_000)
        return json.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()
    except (ScorecardError, ValueError):
        return None, ""


def listed_files(data: object) -> set[str] | None:
    """The files a build wrote, from its manifest's data; None if it did not say (an older scorecard)."""
    files = data.get("files") if isinstance(data, dict) else None
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else None


def made_files(out: Path) -> set[str] | None:
    """The files the previous build wrote into `out` (from its manifest), None if it did not say."""
    return listed_files(read_manifest(Path(out))[0])


# --- the same text read and extracted once per process ---------------------------------------------------


MEMO_SIZE = 256  # texts kept: enough for the copies of one policy among the providers of one worker's share
_SEEDS: dict[str, dict[str, Fact]] = {}  # text digest -> facts the previous build extracted from it
_RECORDED: dict[str, dict[str, Fact]] = {}  # text digest -> facts, of the provider being analysed


@dataclass(frozen=True)
class Content:
    """The key of a cache by content: `key` (hashes and names) says what the value is made from. The inputs
    it is made from ride along outside the key, for a miss, and are let go once used (`take`), so the cache
    holds the values and their keys, never a policy's bytes or a document."""

    key: tuple[object, ...]
    inputs: list[Any] = field(compare=False, repr=False)

    def take(self) -> list[Any]:
        inputs = self.inputs[:]
        self.inputs.clear()
        return inputs


@functools.lru_cache(maxsize=MEMO_SIZE)
def _parsed(content: Content) -> Document:
    from .text import parse_policy

    path, data = content.take()
    return parse_policy(path, data)


def read_policy_once(path: Path) -> Document:
    """read_policy, reusing the Document of a file with the same bytes and format read before (providers
    that publish one policy, a snapshot identical to the policy file). The bytes are read once, then hashed."""
    from .text import PolicyError

    path = Path(path)
    try:
        data = read_regular(path)
    except ScorecardError as exc:
        raise PolicyError(exc.message, path) from None
    content = Content((path.suffix.lower(), hashlib.sha256(data).hexdigest()), [path, data])
    del data  # held by `content` alone until parsed, then by nobody
    found = _parsed(content)
    return found if found.path == path else replace(found, path=path)  # the lists are shared, never changed


def text_digest(document: Document) -> str:
    """What extraction reads of a document: its text and its sentences."""
    shape = repr([(s.start, s.end, s.section, s.kind) for s in document.sentences])
    return hashlib.sha256(f"{shape}\0{document.text}".encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=MEMO_SIZE)
def _extracted(content: Content) -> dict[str, Fact]:
    from .extract import extract

    document, rubric = content.take()
    return extract(document, rubric)


def extract_once(document: Document, rubric: Rubric) -> dict[str, Fact]:
    """extract, reusing the facts of a document with the same text and sentences: from the previous build
    (seeded by the build, whose analysis key says rubric, detectors and code are the same), or from this
    process for the same detectors (file, time and practices) and answer labels, what extraction reads
    besides the document."""
    digest = text_digest(document)
    seeded = _SEEDS.get(digest)
    if seeded is not None:  # no detectors compiled for a provider whose text did not change
        _RECORDED[digest] = seeded
        return dict(seeded)
    from .extract import detectors_key

    labels = tuple((p.key, tuple((v, rule.label) for v, rule in p.values.items())) for p in rubric.practices)
    found = _extracted(Content((detectors_key(rubric), labels, digest), [document, rubric]))
    _RECORDED[digest] = found
    return dict(found)


def seed_extraction(seeds: dict[str, Any]) -> None:
    """Facts the previous build extracted from texts (text digest -> facts as JSON data), for extract_once;
    and a fresh record of what the next analysis extracts."""
    from pydantic import TypeAdapter

    _SEEDS.clear()
    _RECORDED.clear()
    adapter = TypeAdapter(dict[str, Fact])
    for digest, data in seeds.items():
        try:
            _SEEDS[digest] = adapter.validate_python(data)
        except ValidationError:
            continue


def extracted_facts() -> dict[str, Any]:
    """What the analysis since seed_extraction extracted, by text digest, as JSON data for the entry."""
    return {digest: {k: fact.model_dump(mode="json") for k, fact in facts.items()}
            for digest, facts in sorted(_RECORDED.items())}


# --- telling an unchanged provider folder by stat ----------------------------------------------------


RACY_NS = 2_000_000_000  # a file changed this recently may change again within the same clock tick


def stamps_file(out: Path) -> Path:
    """Where the stamps of the site in `out` are kept: in the user's cache folder, not in the site (they hold
    inode numbers and times, which would make two builds of the same inputs differ)."""
    name = hashlib.sha256(str(Path(out).absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return user_cache_dir() / "stamps" / f"{name}.json"


def watched(provider: Provider) -> list[str]:
    """What a stamp covers, relative to the folder: the folder and its versions folders (a file added or
    removed changes their times) and every file the build reads."""
    folder = provider.folder
    names = ["", VERSIONS, *(f"{VERSIONS}/{doc.key}" for doc in provider.info.documents)]
    return names + [path.relative_to(folder).as_posix() for path in input_files(provider)]


def stamp(folder: Path, names: Iterable[str]) -> str | None:
    """A hash of the stat (followed through links) of each named path under `folder`: inode, size, mode,
    modification and change time. None when one of them changed within RACY_NS: then the next build reads
    and hashes the folder instead of trusting the clock."""
    digest = hashlib.sha256(str(Path(folder).absolute()).encode("utf-8", "surrogateescape"))
    recent = time.time_ns() - RACY_NS
    for name in names:
        try:
            info = os.stat(os.path.join(folder, name))
        except OSError:
            digest.update(f"{name}\0-\0".encode("utf-8", "surrogateescape"))
            continue
        if info.st_mtime_ns >= recent or info.st_ctime_ns >= recent:
            return None
        digest.update(f"{name}\0{info.st_dev}:{info.st_ino}:{info.st_mode}:{info.st_size}:{info.st_mtime_ns}:"
                      f"{info.st_ctime_ns}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


# --- the build cache ---------------------------------------------------------------------------------


class ProviderEntry(BaseModel):
    """.scorecard-cache/<slug>.json: what the next build needs to reuse one provider without reading it."""

    key: str  # provider_key: the hash of the files it read
    provider: dict[str, Any] | None = None  # the loaded provider.yaml and facts.yaml, without the folder
    card: Scorecard
    history: Any = None  # several versions: the history as JSON data (history.history_to_json)
    extracted: dict[str, Any] = {}  # text digest -> its facts before reviewed ones are carried (JSON data)


@dataclass
class BuildCache:
    """The previous build's manifest and provider entries, and the ones this build writes."""

    out: Path
    analysis: str
    render: str
    pdf: str = ""
    limit: float | None = None  # the policy size limit the previous build checked the files against
    previous: dict[str, Any] = field(default_factory=dict)
    entries: dict[str, ProviderEntry] = field(default_factory=dict)
    hits: int = 0
    reused_files: int = 0
    made: set[str] | None = None  # the files the previous build wrote (its manifest's list), None if unknown
    documents: dict[str, str] = field(default_factory=dict)  # a document of the site -> hash of its HTML
    pages: dict[str, str] = field(default_factory=dict)  # a shared page -> hash of what it shows (reusable_page)
    _previous_entries: dict[str, ProviderEntry | None] = field(default_factory=dict)
    stamps: dict[str, Any] = field(default_factory=dict)  # slug -> [key, stamp, watched] of the previous build
    new_stamps: dict[str, list[Any]] = field(default_factory=dict)  # ... and of this one
    _changed: set[str] = field(default_factory=set)  # entries to write anew (the others are hardlinked)
    _recomputed: set[str] = field(default_factory=set)  # providers whose scorecard this build computed

    @classmethod
    def open(cls, out: Path, analysis: str, render: str, pdf: str = "", reuse: bool = True,
             limit: float | None = None) -> BuildCache:
        """The manifest of the site in `out`; with reuse=False, none (a full build that still writes one)."""
        cache = cls(out=Path(out), analysis=analysis, render=render, pdf=pdf, limit=limit)
        data, digest = read_manifest(cache.out)
        cache.made = listed_files(data)
        if not reuse:
            return cache
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("analysis") == analysis \
                and isinstance(data.get("providers"), dict):
            cache.previous = data
            cache.stamps = read_stamps(cache.out, digest, limit)
        return cache

    @property
    def same_render(self) -> bool:
        return bool(self.previous) and self.previous.get("render") == self.render

    @property
    def same_pdf(self) -> bool:
        return bool(self.previous) and self.previous.get("pdf") == self.pdf

    def previous_entry(self, slug: str) -> ProviderEntry | None:
        """The previous build's entry for this provider (read from its file once), None if there is none."""
        if slug not in self._previous_entries:
            entry = None
            if isinstance(self.previous.get("providers", {}).get(slug), str):
                try:
                    data = read_regular(self.out / ENTRIES / f"{slug}.json", 200_000_000)
                    entry = ProviderEntry.model_validate_json(data)
                except (ScorecardError, ValidationError, ValueError):
                    entry = None
                if entry is not None and entry.key != self.previous["providers"][slug]:
                    entry = None  # not the entry the manifest lists
            self._previous_entries[slug] = entry
        return self._previous_entries[slug]

    def unchanged(self, folder: Path) -> tuple[Provider, str] | None:
        """The provider and its key from the previous build, without reading its folder, when every file and
        folder it watched has the same stat as when that build hashed them (with the same size limit)."""
        kept = self.stamps.get(folder.name)
        if not (isinstance(kept, list) and len(kept) == 3 and isinstance(kept[2], list)):
            return None
        key, old, names = kept
        entry = self.previous_entry(folder.name)
        if entry is None or entry.key != key or entry.provider is None or stamp(folder, names) != old:
            return None
        try:
            provider = Provider.model_validate({**entry.provider, "folder": folder})
        except ValidationError:
            return None
        self.new_stamps[folder.name] = kept
        return provider, key

    def card(self, slug: str, key: str, provider: Provider | None = None) -> Scorecard | None:
        """The previous scorecard of this provider if its folder did not change. `provider`: the folder was
        read and hashed again (not `unchanged`), so its stat is taken anew."""
        if provider is not None:
            self.restamp(provider, key)
        entry = self.previous_entry(slug)
        if entry is None or entry.key != key:
            return None
        self._adopt(slug, entry)
        return entry.card

    def last_good_card(self, slug: str) -> Scorecard | None:
        """The previous build's scorecard of this provider whatever changed since (for --keep-going: a
        provider whose new input fails keeps its last good pages instead of vanishing from the site).
        Its old key stays, so the next build tries the provider again."""
        entry = self.previous_entry(slug)
        if entry is None:
            return None
        self._adopt(slug, entry)
        return entry.card

    def _adopt(self, slug: str, entry: ProviderEntry) -> None:
        self.hits += 1
        self.entries[slug] = entry

    def restamp(self, provider: Provider, key: str) -> None:
        names = watched(provider)
        new = stamp(provider.folder, names)
        if new is not None:
            self.new_stamps[provider.slug] = [key, new, names]

    def seeds(self, slug: str) -> dict[str, Any]:
        """The facts the previous build extracted from this provider's texts (see extract_once)."""
        entry = self.previous_entry(slug)
        return dict(entry.extracted) if entry is not None else {}

    def history(self, slug: str) -> object | None:
        """The stored history (JSON data) of a provider whose folder did not change since the last build."""
        entry = self.entries.get(slug)
        return None if entry is None or slug in self._recomputed else entry.history

    def remember_history(self, slug: str, data: object) -> None:
        if slug in self.entries:
            self.entries[slug] = self.entries[slug].model_copy(update={"history": data})
            self._changed.add(slug)

    def remember(self, card: Scorecard, key: str, provider: Provider, extracted: dict[str, Any] | None = None) -> None:
        self.entries[card.slug] = ProviderEntry(key=key, provider=provider_data(provider), card=card,
                                                extracted=extracted or {})
        self._changed.add(card.slug)
        self._recomputed.add(card.slug)

    def reusable(self, slug: str, names: Iterable[str], pdf: bool = False) -> dict[str, Path] | None:
        """Previous files of an unchanged provider (its pages, or with pdf=True its PDF), when they were
        rendered the same way and all exist."""
        if not (self.same_pdf if pdf else self.same_render) or slug not in self.entries:
            return None
        if slug in self._recomputed or self.previous_entry(slug) is None:
            return None  # the card was recomputed
        return self._previous_files(names)

    def reusable_page(self, name: str, shows: str | None) -> Path | None:
        """A page shown by every provider's build (index, practice and compare pages, open data...) from the
        previous site, if it was made from what this one shows (`shows`, render/site.SharedPage) with the
        same templates, config, rubric and code. Remembers what it shows for the next build either way."""
        if shows is None:
            return None
        digest = hashlib.sha256(f"{self.analysis}\0{self.render}\0{name}\0{shows}".encode("utf-8",
                                                                                        "surrogatepass")).hexdigest()
        self.pages[name] = digest
        previous = self.previous.get("pages")
        if not isinstance(previous, dict) or previous.get(name) != digest:
            return None
        found = self._previous_files([name])
        return found[name] if found else None

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
        try:
            if not all(stat.S_ISREG(os.lstat(p).st_mode) for p in paths.values()):  # a plain file, not a link
                return None
        except OSError:
            return None
        self.reused_files += len(paths)
        return paths

    def entry_files(self) -> dict[str, bytes | Path]:
        """.scorecard-cache/<slug>.json of every provider of this build: the previous file where the entry is
        the one it holds, else the new entry."""
        files: dict[str, bytes | Path] = {}
        for slug, entry in self.entries.items():
            name = f"{ENTRIES}/{slug}.json"
            if slug not in self._changed and self.previous_entry(slug) is entry and (self.out / name).is_file():
                files[name] = self.out / name
            else:
                files[name] = entry.model_dump_json(exclude_defaults=True).encode("utf-8")
        return files

    def manifest(self, files: Iterable[str] = ()) -> bytes:
        """The manifest, listing `files`: what this build wrote, so the next one knows what it did not."""
        data = {"format": FORMAT, "scorecard": __version__, "analysis": self.analysis, "render": self.render,
                "pdf": self.pdf, "documents": dict(sorted(self.documents.items())),
                "pages": dict(sorted(self.pages.items())),
                "providers": {slug: self.entries[slug].key for slug in sorted(self.entries)},
                "files": sorted(set(files) | {MANIFEST})}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


    def save_stamps(self, manifest: bytes) -> None:
        """The stat of every provider folder this build read, for the next build of the site it wrote (the
        manifest's hash ties them to it). Best effort: without them the next build reads every folder."""
        path = stamps_file(self.out)
        data = {"manifest": hashlib.sha256(manifest).hexdigest(), "limit": self.limit,
                "providers": {slug: self.new_stamps[slug] for slug in sorted(self.new_stamps) if slug in self.entries}}
        text = json.dumps(data, separators=(",", ":")).encode("utf-8")
        try:
            if path.is_file() and not path.is_symlink() and path.read_bytes() == text:
                return  # an unchanged rebuild: the same stamps
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}")
            temporary.write_bytes(text)
            os.replace(temporary, path)
        except OSError:
            return
        prune(path.parent, "*.json", STAMPS_KEEP, keep=path)


STAMPS_KEEP = 64  # sites whose stamps are kept (one file each): the most recently built


def read_stamps(out: Path, manifest: str, limit: float | None) -> dict[str, Any]:
    """The stamps the build that wrote this manifest took (empty if they are of another build or unreadable)."""
    try:
        data = json.loads(read_regular(stamps_file(out), 200_000_000))
    except (ScorecardError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("manifest") != manifest or data.get("limit") != limit:
        return {}
    providers = data.get("providers")
    return providers if isinstance(providers, dict) else {}


def provider_data(provider: Provider) -> dict[str, Any]:
    """A loaded provider as JSON data, without its folder (the folder it is found in is the truth)."""
    return provider.model_dump(mode="json", exclude={"folder"})
