"""Load provider folders: providers/<slug>/provider.yaml, the policy file, reviewed facts.yaml, and the
versions of the policy kept in versions/.

A snapshot is `versions/<date>.md` (or .txt, .html, .pdf), with `<date>.yaml` beside it saying where and when
it was fetched and its SHA-256; a second change on the same day is `<date>-2.md`. The versions of another
document are in versions/<id>/. A provider without versions/ has one version: the policy file named in
provider.yaml. `scorecard fetch` writes snapshots (fetch/snapshots.py); everything here only reads.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .errors import ScorecardError
from .model import MAIN_DOCUMENT, Evidence, Fact, PolicyVersion, Provider, ProviderInfo, Rubric, SnapshotMeta
from .rubric import check_value
from .yamlsource import SHOWN, YamlDocument, load_yaml, shown

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
PROVIDER_FILE = "provider.yaml"
FACTS_FILE = "facts.yaml"
VERSIONS = "versions"  # dated copies of the policy, written by fetch/snapshots.py
POLICY_VERSION_ID = "policy"  # the version id of the policy file
SNAPSHOT = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:-(?P<n>[1-9]\d*))?\.(?P<ext>txt|md|html|htm|pdf)$")
# Top-level names the site itself writes (build.py, render/, history.py) and a few it will: a provider
# with one of these slugs would overwrite the site's own pages (tests/test_build.py checks the list).
RESERVED_SLUGS = frozenset({"assets", "changes", "compare", "data", "methodology", "policy", "practices",
                            "index", "feed", "scorecards", "about", "search"})
# Lengths of provider.yaml text fields: a 200 KB name would make every page and PDF crawl.
MAX_LENGTHS = {"name": 200, "website": 2000, "policy_url": 2000, "policy_file": 255}
CREDENTIALS = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:/+[^/?#\s]*@")  # scheme://user:pass@host


class ReviewedFacts(BaseModel):
    """providers/<slug>/facts.yaml: a person's decisions, practice by practice."""

    model_config = ConfigDict(extra="forbid")
    facts: dict[str, Fact] = {}


def check_slug(slug: str, where: Path | str) -> str:
    """A slug names a folder of the site: lowercase letters, digits and inner hyphens, at most 64."""
    if not SLUG.fullmatch(slug):
        hint = ""
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")[:64].strip("-")
        if suggestion and suggestion != slug:
            hint = f" (rename it to '{suggestion}')"
        raise ScorecardError(f"bad provider slug '{slug}': use lowercase letters, digits and hyphens,"
                             f" at most 64{hint}", where)
    if slug in RESERVED_SLUGS:
        raise ScorecardError(f"provider slug '{slug}' is a folder of the site itself; rename the provider"
                             f" folder (reserved: {', '.join(sorted(RESERVED_SLUGS))})", where)
    return slug


def check_inside(path: Path, folder: Path, what: str) -> None:
    """`path` must be a regular file inside `folder` once links are resolved: a link to /etc/passwd or
    /proc/self/environ would be published, a FIFO would hang the build, /dev/zero would fill memory."""
    try:
        real = Path(path).resolve(strict=True)
    except FileNotFoundError:
        raise ScorecardError(f"{what} is a link to nothing; remove it or copy the file in its place", path) from None
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise ScorecardError(f"{what} cannot be opened: {getattr(exc, 'strerror', None) or 'a loop of links'}",
                             path) from None
    if not real.is_relative_to(Path(folder).resolve()):
        raise ScorecardError(f"{what} is a link to a file outside the provider folder; copy the file into"
                             " the folder", path)
    if not stat.S_ISREG(os.stat(real).st_mode):
        raise ScorecardError(f"{what} is not a regular file (FIFOs, devices and sockets are never read)", path)


def check_versions(folder: Path, documents: tuple[str, ...] = ()) -> None:
    """Every file of versions/ that a build reads (snapshots and their .yaml) is a regular file inside the
    provider folder; the folder itself may not lead elsewhere. Its sub-folders hold the versions of the
    provider's other documents (versions/<id>/) and must be named after one."""
    versions = folder / VERSIONS
    if not os.path.lexists(versions):
        return
    if not versions.resolve().is_relative_to(folder.resolve()):
        raise ScorecardError("versions/ is a link to a folder outside the provider folder; make it a folder",
                             versions)
    if not versions.is_dir():
        return  # list_versions says what versions/ must be
    for path in sorted(versions.iterdir()):
        if path.name.startswith("."):
            continue
        if not (path.is_dir() and not path.is_symlink()):
            check_inside(path, folder, "snapshot")
            continue
        if path.name not in documents:
            known = f" (documents: {', '.join(documents)})" if documents else " (provider.yaml lists no documents)"
            raise ScorecardError(f"versions/{path.name}/ is named after no document of provider.yaml{known};"
                                 " rename or remove it", path)
        for inner in sorted(path.iterdir()):
            if not inner.name.startswith("."):
                check_inside(inner, folder, "snapshot")


def version_files(folder: Path) -> list[Path]:
    """Snapshots and their .yaml in a versions folder (not its sub-folders)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())


def input_files(provider: Provider) -> list[Path]:
    """Every file of the provider folder that scorecard reads: what the build cache hashes. provider.yaml
    comes first."""
    folder = provider.folder
    files = [folder / PROVIDER_FILE]
    for document in provider.documents():
        if document.policy_path is not None:
            files.append(document.policy_path)
        files += version_files(document.versions_dir)
    if os.path.lexists(folder / FACTS_FILE):
        files.append(folder / FACTS_FILE)
    return files


def policy_texts(provider: Provider) -> list[Path]:
    """The policy, the other documents and their snapshots (not their .yaml): the files the policy size
    limit applies to."""
    return [p for p in input_files(provider)[1:] if p.name != FACTS_FILE and p.suffix != ".yaml"]


def check_info(doc: YamlDocument, info: ProviderInfo) -> None:
    """Lengths and credentials of provider.yaml's text fields."""
    for name, limit in MAX_LENGTHS.items():
        value = getattr(info, name)
        if len(value) > limit:
            raise doc.error((name,), f"{name} is {len(value):,} characters long, over the limit of {limit};"
                            " shorten it")
    for name in ("policy_url", "website"):
        if CREDENTIALS.match(getattr(info, name)):
            raise doc.error((name,), f"{name} holds a user name or password before '@'; remove them (the URL"
                            " is published on the site)")


def load_provider(folder: Path, rubric: Rubric) -> Provider:
    folder = Path(folder)
    if not folder.exists():
        raise ScorecardError("provider folder not found", folder)
    if not folder.is_dir():
        raise ScorecardError("not a provider folder (give the folder that holds provider.yaml)", folder)
    slug = check_slug(folder.absolute().name if folder.name in ("", ".", "..") else folder.name, folder)
    try:
        os.listdir(folder)
    except OSError as exc:
        raise ScorecardError(f"cannot read the provider folder: {exc.strerror}", folder) from None
    info_path = folder / PROVIDER_FILE
    if not os.path.lexists(info_path):
        raise ScorecardError(f"no {PROVIDER_FILE} in provider folder; add one with name and policy_file",
                             folder)
    check_inside(info_path, folder, PROVIDER_FILE)  # before reading: an error never quotes another file
    doc = load_yaml(info_path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "provider.yaml must be a mapping with name and policy_file")
    info: ProviderInfo = doc.validate(ProviderInfo)
    check_info(doc, info)
    if info.policy_file:
        check_document_file(doc, folder, info.policy_file, ("policy_file",), "policy file")
    elif not info.policy_url and not version_files(folder / VERSIONS):
        raise doc.error((), "provider.yaml names no policy_file and no policy_url; add policy_file (the"
                        " policy beside provider.yaml) or policy_url (then run 'scorecard fetch')")
    check_documents(doc, folder, info)
    check_versions(folder, tuple(d.key for d in info.documents))
    provider = Provider(slug=slug, info=info, folder=folder)
    facts_path = folder / FACTS_FILE
    if os.path.lexists(facts_path):
        check_inside(facts_path, folder, FACTS_FILE)
        provider.reviewed = load_reviewed(facts_path, rubric)
    return provider


def check_document_file(doc: YamlDocument, folder: Path, name: str, where: tuple[str | int, ...], what: str) -> None:
    """A document's file is a regular file beside provider.yaml (a link may not lead out of the folder)."""
    policy = folder / name
    if Path(name).name != name or name in (".", ".."):
        raise doc.error(where, f"{where[-1]} must be a file name beside provider.yaml")
    if policy.is_symlink() and not policy.resolve().is_relative_to(folder.resolve()):
        raise doc.error(where, f"{what} '{name}' is a link to a file outside the provider folder; copy the"
                        " policy into the folder")
    if not policy.exists():
        raise doc.error(where, f"{what} '{name}' not found beside provider.yaml")
    if not policy.is_file():
        raise doc.error(where, f"{what} '{name}' is not a regular file (FIFOs, devices, sockets and folders"
                        " are never read)")


# Document ids that would clash with the privacy policy's own pages and versions.
RESERVED_DOCUMENT_IDS = frozenset({MAIN_DOCUMENT, POLICY_VERSION_ID})


def check_documents(doc: YamlDocument, folder: Path, info: ProviderInfo) -> None:
    """Each other document has a file or a URL, an id of its own, and credentials in no URL."""
    seen: set[str] = set()
    for i, document in enumerate(info.documents):
        where: tuple[str | int, ...] = ("documents", i)
        key = document.key
        if key in RESERVED_DOCUMENT_IDS:
            raise doc.error(where, f"document id '{key}' is taken by the privacy policy (provider.yaml's own"
                            " policy_file and policy_url); give this document another id")
        if key in seen:
            raise doc.error(where, f"two documents have the id '{key}'; give each an id of its own (id: ...)")
        seen.add(key)
        for field, limit in (("file", 255), ("url", 2000), ("title", 200)):
            if len(getattr(document, field)) > limit:
                raise doc.error((*where, field), f"{field} is over the limit of {limit} characters; shorten it")
        if CREDENTIALS.match(document.url):
            raise doc.error((*where, "url"), "url holds a user name or password before '@'; remove them (the"
                            " URL is published on the site)")
        if document.file:
            check_document_file(doc, folder, document.file, (*where, "file"), f"{document.heading} file")
        elif not document.url:
            raise doc.error(where, f"document '{key}' has neither file nor url; add one")


def load_reviewed(path: Path, rubric: Rubric) -> dict[str, Fact]:
    """Facts a person confirmed or overrode. Only entries with source 'reviewed' win over extraction."""
    doc = load_yaml(path)
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        raise doc.error((), "facts.yaml must be a mapping with a 'facts' key")
    facts = dict(doc.data.get("facts") or {}) if isinstance(doc.data.get("facts"), dict) else None
    if facts is None and "facts" in doc.data:
        raise doc.error(("facts",), "'facts' must be a mapping of practice to fact")
    _check_fields(doc, (), doc.data, ReviewedFacts.model_fields, "facts.yaml")
    for key, raw in (facts or {}).items():
        if isinstance(raw, dict):
            _check_fields(doc, ("facts", key), raw, Fact.model_fields, f"the fact for '{key}'")
            for i, ev in enumerate(raw.get("evidence") or [] if isinstance(raw.get("evidence"), list) else []):
                if isinstance(ev, dict):
                    _check_fields(doc, ("facts", key, "evidence", i), ev, Evidence.model_fields, "a quote")
            raw.setdefault("practice", key)
    parsed: ReviewedFacts = doc.validate(ReviewedFacts, data={**doc.data, "facts": facts or {}})
    reviewed: dict[str, Fact] = {}
    for key, fact in parsed.facts.items():
        _check_fact(doc, rubric, key, fact)
        if fact.source == "reviewed":
            reviewed[key] = fact
    return reviewed


def _check_fields(doc: YamlDocument, where: tuple[str | int, ...], raw: dict[object, object],
                  fields: Mapping[str, object], what: str) -> None:
    """A misspelt field in a hand-edited file names every field it may have (and the likeliest one)."""
    import difflib

    for name in raw:
        if str(name) not in fields:
            close = difflib.get_close_matches(str(name), list(fields), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise doc.error((*where, str(name)), f"unknown field '{name}' in {what} ({hint}valid fields:"
                            f" {', '.join(fields)})", at_key=True)


def _check_fact(doc: YamlDocument, rubric: Rubric, key: str, fact: Fact) -> None:
    if key not in rubric.keys and len(key) > SHOWN:  # said short: a message never carries a whole file
        raise doc.error(("facts", key), f"unknown practice '{shown(key)}'", at_key=True)
    if fact.practice != key:
        raise doc.error(("facts", key, "practice"), f"fact under '{key}' names practice '{fact.practice}'")
    try:
        check_value(rubric, key, fact.value)
    except ScorecardError as exc:
        if key in rubric.keys:
            raise doc.error(("facts", key, "value"), exc.message) from None
        raise doc.error(("facts", key), exc.message, at_key=True) from None


# --- versions/ ------------------------------------------------------------------------------------


def list_versions(provider: Provider) -> list[PolicyVersion]:
    """The provider's own policy file (if it names one) and every snapshot, by date (the policy file first
    on a tie). `provider` may be one of its documents (Provider.documents): its snapshots are in versions/<id>/."""
    info = provider.info
    versions = []
    if provider.policy_path is not None:
        versions.append(PolicyVersion(id=POLICY_VERSION_ID, date=info.policy_date, date_kind=info.policy_date_kind,
                                      path=provider.policy_path, url=info.policy_url))
    versions += _snapshots(provider.versions_dir)
    return sorted(versions, key=_order)


def _order(version: PolicyVersion) -> tuple[dt.date, int]:
    match = SNAPSHOT.match(version.path.name) if version.id != POLICY_VERSION_ID else None
    n = int(match["n"] or 1) if match else 0
    return (version.date or dt.date.min, n)


def _snapshots(folder: Path) -> list[PolicyVersion]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix == ".yaml" or (path.is_dir() and not path.is_symlink()):
            continue  # a folder holds another document's versions (check_versions names them)
        match = SNAPSHOT.match(path.name)
        if not match or not path.is_file():
            raise ScorecardError("not a policy snapshot: name them like 2026-11-23.md or 2026-11-23-2.txt",
                                 path)
        try:
            day = dt.date.fromisoformat(match["date"])
        except ValueError:
            raise ScorecardError(f"'{match['date']}' is not a date", path) from None
        stem = path.name[: -len(match["ext"]) - 1]
        meta = snapshot_meta(folder / f"{stem}.yaml")
        found.append(PolicyVersion(
            id=stem, date=day, date_kind="archived" if meta and meta.archived_on else "retrieved", path=path,
            url=meta.url if meta else "", sha256=meta.sha256 if meta else "",
            retrieved=meta.retrieved if meta else None))
    return found


def snapshot_meta(path: Path) -> SnapshotMeta | None:
    """A snapshot's .yaml (None when there is none)."""
    if not path.is_file():
        return None
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "a snapshot's .yaml must be a mapping with file, url, retrieved and sha256")
    meta: SnapshotMeta = doc.validate(SnapshotMeta)
    return meta


def versions_of(provider: Provider) -> list[PolicyVersion]:
    """Every version of the provider's policy (or one of its documents), oldest first; a clear error when
    there is none yet: a policy_url that was never fetched."""
    versions = list_versions(provider)
    if not versions:
        what = "the policy" if provider.document == MAIN_DOCUMENT else f"document '{provider.document}'"
        field = "policy_file" if provider.document == MAIN_DOCUMENT else "a file"
        raise ScorecardError(f"{what} has no file and no fetched version yet: run 'scorecard fetch"
                             f" {provider.slug}' to download its URL, or add {field}", provider.folder / PROVIDER_FILE)
    return versions


def document_versions(provider: Provider) -> dict[str, list[PolicyVersion]]:
    """Every version of each of the provider's documents, oldest first, the privacy policy first. The
    versions of another document get ids under its own (cookies/2026-11-23): they name its pages."""
    found: dict[str, list[PolicyVersion]] = {}
    for view in provider.documents():
        versions = versions_of(view)
        if view.document != MAIN_DOCUMENT:
            versions = [v.model_copy(update={"id": f"{view.document}/{v.id}"}) for v in versions]
        found[view.document] = versions
    return found


# Every command says the same when the folder of providers is missing (build, validate and diff fall back
# to the bundled examples first: build.default_providers_dir).
NO_PROVIDERS = ("providers folder not found; give --providers FOLDER, or start one here with"
                " 'scorecard add SLUG --url URL'")


def require_providers_dir(providers_dir: Path) -> Path:
    providers_dir = Path(providers_dir)
    if not os.path.lexists(providers_dir):
        raise ScorecardError(NO_PROVIDERS, providers_dir)
    return providers_dir


def provider_folders(providers_dir: Path) -> list[Path]:
    """Every provider folder under `providers_dir` (hidden ones skipped), sorted by name."""
    providers_dir = require_providers_dir(providers_dir)
    if not providers_dir.is_dir():
        raise ScorecardError("not a folder; give the folder that holds one folder per provider", providers_dir)
    folders = sorted(p for p in providers_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise ScorecardError("no provider folders found; add one folder per provider", providers_dir)
    check_unique_slugs(folders)
    return folders


def check_unique_slugs(folders: list[Path]) -> None:
    """Two folders may not become the same page: same name from two places, or names differing in case."""
    seen: dict[str, Path] = {}
    for folder in folders:
        name = Path(folder).absolute().name.lower()
        if name in seen:
            raise ScorecardError(f"two provider folders have the slug '{name}': {seen[name]} and {folder};"
                                 " rename one", folder)
        seen[name] = Path(folder)


def load_providers(folders: list[Path], rubric: Rubric) -> list[Provider]:
    check_unique_slugs(folders)
    return [load_provider(folder, rubric) for folder in folders]


def discover(providers_dir: Path, rubric: Rubric) -> list[Provider]:
    """Every provider folder under `providers_dir`, sorted by slug."""
    return [load_provider(folder, rubric) for folder in provider_folders(providers_dir)]


def new_provider(providers_dir: Path, slug: str, url: str, name: str = "") -> Path:
    """`scorecard add`: providers/<slug>/provider.yaml with the policy's URL (no file: the first fetch
    saves its text in versions/). Refuses a bad or reserved slug, a folder that exists, and a URL that is
    not http(s) or holds credentials."""
    from urllib.parse import urlsplit

    import yaml

    from .atomic import write_text_atomic

    providers_dir = Path(providers_dir)
    check_slug(slug, providers_dir)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScorecardError(f"--url must be an http:// or https:// address of the policy, not '{url}'")
    if CREDENTIALS.match(url):
        raise ScorecardError("--url holds a user name or password before '@'; remove them (the URL is published"
                             " on the site)")
    name = " ".join(name.split()) or slug.replace("-", " ").title()
    if len(name) > MAX_LENGTHS["name"] or len(url) > MAX_LENGTHS["policy_url"]:
        raise ScorecardError("--name or --url is too long for provider.yaml; shorten it")
    folder = providers_dir / slug
    if os.path.lexists(folder):
        raise ScorecardError("a provider folder with this slug exists already; choose another slug or run"
                             f" 'scorecard fetch {slug}'", folder)
    if os.path.lexists(providers_dir) and not providers_dir.is_dir():
        raise ScorecardError("not a folder; give the folder that holds one folder per provider", providers_dir)
    providers_dir.mkdir(parents=True, exist_ok=True)
    folder.mkdir()
    data = {"name": name, "website": f"{parts.scheme}://{parts.netloc}", "policy_url": url.strip()}
    text = ("# Made by `scorecard add`. The policy's text is fetched into versions/ by `scorecard fetch`;\n"
            "# policy_file (a file beside this one) would be read instead.\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    write_text_atomic(folder / PROVIDER_FILE, text)
    return folder
