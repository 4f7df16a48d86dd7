"""Load provider folders: providers/<slug>/provider.yaml, the policy file, reviewed facts.yaml."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .errors import ScorecardError
from .model import Fact, Provider, ProviderInfo, Rubric
from .rubric import check_value
from .yamlsource import YamlDocument, load_yaml

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
PROVIDER_FILE = "provider.yaml"
FACTS_FILE = "facts.yaml"
VERSIONS = "versions"  # fetch/snapshots.py keeps dated copies of the policy here
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


def check_versions(folder: Path) -> None:
    """Every file of versions/ that a build reads (snapshots and their .yaml) is a regular file inside the
    provider folder; the folder itself may not lead elsewhere."""
    versions = folder / VERSIONS
    if not os.path.lexists(versions):
        return
    if not versions.resolve().is_relative_to(folder.resolve()):
        raise ScorecardError("versions/ is a link to a folder outside the provider folder; make it a folder",
                             versions)
    if not versions.is_dir():
        return  # fetch/snapshots.py says what versions/ must be
    for path in sorted(versions.iterdir()):
        if not path.name.startswith(".") and not (path.is_dir() and not path.is_symlink()):
            check_inside(path, folder, "snapshot")


def input_files(provider: Provider) -> list[Path]:
    """Every file of the provider folder that scorecard reads: what the build cache hashes."""
    folder = provider.folder
    files = [folder / PROVIDER_FILE, provider.policy_path]
    if os.path.lexists(folder / FACTS_FILE):
        files.append(folder / FACTS_FILE)
    versions = folder / VERSIONS
    if versions.is_dir():
        files += sorted(p for p in versions.iterdir() if not p.name.startswith(".") and p.is_file())
    return files


def policy_texts(provider: Provider) -> list[Path]:
    """The policy and its snapshots (not their .yaml): the files the policy size limit applies to."""
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
    policy = folder / info.policy_file
    if Path(info.policy_file).name != info.policy_file or info.policy_file in ("", ".", ".."):
        raise doc.error(("policy_file",), "policy_file must be a file name beside provider.yaml")
    if policy.is_symlink() and not policy.resolve().is_relative_to(folder.resolve()):
        raise doc.error(("policy_file",), f"policy file '{info.policy_file}' is a link to a file outside the"
                        " provider folder; copy the policy into the folder")
    if not policy.exists():
        raise doc.error(("policy_file",), f"policy file '{info.policy_file}' not found beside provider.yaml")
    if not policy.is_file():
        raise doc.error(("policy_file",), f"policy file '{info.policy_file}' is not a regular file (FIFOs,"
                        " devices, sockets and folders are never read)")
    check_versions(folder)
    provider = Provider(slug=slug, info=info, folder=folder)
    facts_path = folder / FACTS_FILE
    if os.path.lexists(facts_path):
        check_inside(facts_path, folder, FACTS_FILE)
        provider.reviewed = load_reviewed(facts_path, rubric)
    return provider


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
    for key, raw in (facts or {}).items():
        if isinstance(raw, dict):
            raw.setdefault("practice", key)
    parsed: ReviewedFacts = doc.validate(ReviewedFacts, data={**doc.data, "facts": facts or {}})
    reviewed: dict[str, Fact] = {}
    for key, fact in parsed.facts.items():
        _check_fact(doc, rubric, key, fact)
        if fact.source == "reviewed":
            reviewed[key] = fact
    return reviewed


def _check_fact(doc: YamlDocument, rubric: Rubric, key: str, fact: Fact) -> None:
    if fact.practice != key:
        raise doc.error(("facts", key, "practice"), f"fact under '{key}' names practice '{fact.practice}'")
    try:
        check_value(rubric, key, fact.value)
    except ScorecardError as exc:
        if key in rubric.keys:
            raise doc.error(("facts", key, "value"), exc.message) from None
        raise doc.error(("facts", key), exc.message, at_key=True) from None


def provider_folders(providers_dir: Path) -> list[Path]:
    """Every provider folder under `providers_dir` (hidden ones skipped), sorted by name."""
    providers_dir = Path(providers_dir)
    if not providers_dir.exists():
        raise ScorecardError("providers folder not found", providers_dir)
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
