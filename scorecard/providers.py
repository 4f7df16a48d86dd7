"""Load provider folders: providers/<slug>/provider.yaml, the policy file, reviewed facts.yaml."""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .errors import ScorecardError
from .model import Fact, Provider, ProviderInfo, Rubric
from .rubric import check_value
from .yamlsource import YamlDocument, load_yaml

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
PROVIDER_FILE = "provider.yaml"
FACTS_FILE = "facts.yaml"


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
    return slug


def load_provider(folder: Path, rubric: Rubric) -> Provider:
    folder = Path(folder)
    if not folder.exists():
        raise ScorecardError("provider folder not found", folder)
    if not folder.is_dir():
        raise ScorecardError("not a provider folder (give the folder that holds provider.yaml)", folder)
    slug = check_slug(folder.absolute().name if folder.name in ("", ".", "..") else folder.name, folder)
    info_path = folder / PROVIDER_FILE
    if not info_path.is_file():
        raise ScorecardError(f"no {PROVIDER_FILE} in provider folder; add one with name and policy_file",
                             folder)
    doc = load_yaml(info_path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "provider.yaml must be a mapping with name and policy_file")
    info: ProviderInfo = doc.validate(ProviderInfo)
    policy = folder / info.policy_file
    if Path(info.policy_file).name != info.policy_file or info.policy_file in ("", ".", ".."):
        raise doc.error(("policy_file",), "policy_file must be a file name beside provider.yaml")
    if not policy.is_file():
        raise doc.error(("policy_file",), f"policy file '{info.policy_file}' not found beside provider.yaml")
    if policy.is_symlink() and not policy.resolve().is_relative_to(folder.resolve()):
        raise doc.error(("policy_file",), f"policy file '{info.policy_file}' is a link to a file outside the"
                        " provider folder; copy the policy into the folder")
    provider = Provider(slug=slug, info=info, folder=folder)
    facts_path = folder / FACTS_FILE
    if facts_path.is_file():
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
