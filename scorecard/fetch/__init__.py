"""`scorecard fetch`: download each provider's policy, keep a dated snapshot when its text changed.

download (http.py, one deadline) -> main text (maintext.py, wayback.py) -> compare with the version it
follows -> is it a policy at all (vetting.py)? -> save under versions/, or keep it aside in
versions/.pending/ for a person to accept (snapshots.py). One provider's failure is reported and the
others go on; nothing saved before is ever rewritten.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..diff import normalized
from ..errors import ScorecardError
from ..model import MAIN_DOCUMENT, PolicyVersion, Provider, Rubric
from ..providers import list_versions, load_provider
from .http import USER_AGENT, FetchError, FetchOptions, Page, download
from .maintext import main_text
from .snapshots import (
    accept_pending,
    discard_pending,
    hold_snapshot,
    read_text,
    save_snapshot,
)
from .vetting import doubt, page_title
from .wayback import capture_day, original_page_url

__all__ = ["USER_AGENT", "FetchError", "FetchOptions", "FetchResult", "Page", "accept_provider", "doubt",
           "download", "fetch_provider", "fetch_providers", "main_text"]

Status = Literal["saved", "unchanged", "failed", "skipped", "held", "accepted"]
TEXT_SUFFIXES = (".md", ".txt")  # versions whose file is the text itself (a PDF's bytes are not)


@dataclass(frozen=True)
class FetchResult:
    slug: str
    status: Status
    message: str
    version: PolicyVersion | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def held(self) -> bool:
        """Downloaded but kept aside: it does not read like a privacy policy."""
        return self.status == "held"


def fetch_provider(provider: Provider, options: FetchOptions | None = None,
                   now: dt.datetime | None = None) -> FetchResult:
    """Fetch one provider's policy_url; save a snapshot only if its text differs, white space aside,
    from the version it would follow."""
    url = provider.info.policy_url
    if not url:
        return FetchResult(provider.slug, "skipped", "no policy_url in provider.yaml")
    options = options or FetchOptions()
    hosts = options.archive_hosts
    now = now or dt.datetime.now(dt.UTC)
    try:
        versions = list_versions(provider)  # a broken versions/ folder fails before the download
        page = download(original_page_url(url, hosts), options)
        text, ext = main_text(page, options)
    except ScorecardError as exc:
        return FetchResult(provider.slug, "failed", str(exc))  # one line, whatever a URL holds
    archived = capture_day(page.final_url, hosts) or capture_day(url, hosts)
    day = archived or now.date()
    before = [v for v in versions if v.date is None or v.date <= day]
    previous = before[-1] if before else None
    previous_text = read_text(previous) if previous is not None else None
    if previous is not None and normalized(previous_text or "") == normalized(text):
        discard_pending(provider)  # the policy is back: a page kept aside before is stale
        return FetchResult(provider.slug, "unchanged", f"same text as {_where(provider, previous)}", previous)
    textual = previous is not None and previous.path.suffix.lower() in TEXT_SUFFIXES
    why = doubt(text, page_title(page), previous_text if textual else None)
    if why is not None:
        try:
            kept = hold_snapshot(provider, text, ext, day, why, url=url, final_url=page.final_url,
                                 retrieved=now, content_type=page.content_type, archived_on=archived)
        except OSError as exc:
            return FetchResult(provider.slug, "failed", f"cannot keep the page aside: {exc.strerror or exc}")
        except ScorecardError as exc:
            return FetchResult(provider.slug, "failed", str(exc))
        return FetchResult(provider.slug, "held", f"not saved as a version: {page.final_url} {why}; kept aside"
                           f" in {_where_path(provider, kept)}; if it is the policy, run"
                           f" 'scorecard fetch {provider.slug} --accept'")
    try:
        version = save_snapshot(provider, text, ext, day, url=url, final_url=page.final_url, retrieved=now,
                                content_type=page.content_type, archived_on=archived)
    except OSError as exc:
        return FetchResult(provider.slug, "failed", f"cannot save the snapshot: {exc.strerror or exc}")
    discard_pending(provider)
    return FetchResult(provider.slug, "saved", f"new version {_where(provider, version)}", version)


def accept_provider(provider: Provider) -> FetchResult:
    """Make the page kept aside for `provider` its newest version, without downloading anything."""
    try:
        version = accept_pending(provider)
    except OSError as exc:
        return FetchResult(provider.slug, "failed", f"cannot accept the page kept aside: {exc.strerror or exc}")
    except ScorecardError as exc:
        return FetchResult(provider.slug, "failed", str(exc))
    if version is None:
        return FetchResult(provider.slug, "failed", "no page kept aside to accept; run 'scorecard fetch"
                           f" {provider.slug}' first")
    return FetchResult(provider.slug, "accepted", f"new version {_where(provider, version)}", version)


def _where(provider: Provider, version: PolicyVersion) -> str:
    return _where_path(provider, version.path)


def _where_path(provider: Provider, path: Path) -> str:
    try:
        return str(path.relative_to(provider.folder.parent))
    except ValueError:
        return str(path)


def fetch_providers(providers_dir: Path, rubric: Rubric, slugs: list[str] | None = None,
                    options: FetchOptions | None = None,
                    report: Callable[[FetchResult], None] | None = None,
                    accept: bool = False) -> list[FetchResult]:
    """Fetch the named providers (default: all), one after another; every outcome is returned (and passed
    to `report` as it comes). An unknown slug is a ScorecardError before anything is fetched. With
    `accept`, nothing is downloaded: the pages kept aside for the named providers become versions."""
    providers_dir = Path(providers_dir)
    if accept and not slugs:
        raise ScorecardError("name the providers whose pages kept aside you accept: scorecard fetch SLUG"
                             " --accept")
    if not providers_dir.is_dir():
        raise ScorecardError("providers folder not found", providers_dir)
    if slugs:
        missing = [slug for slug in slugs if not (providers_dir / slug).is_dir()]
        if missing:
            names = ", ".join(repr(s) for s in missing)
            raise ScorecardError(f"no provider folder named {names}", providers_dir)
        folders = [providers_dir / slug for slug in dict.fromkeys(slugs)]
    else:
        folders = sorted(p for p in providers_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    results = []
    for folder in folders:
        try:
            documents = load_provider(folder, rubric).documents()
        except ScorecardError as exc:
            documents, failed = [], FetchResult(folder.name, "failed", str(exc))
            results.append(failed)
            if report:
                report(failed)
        for document in documents:  # the privacy policy, then each other document (slug/id)
            try:
                result = accept_provider(document) if accept else fetch_provider(document, options)
            except ScorecardError as exc:
                result = FetchResult(folder.name, "failed", str(exc))
            if document.document != MAIN_DOCUMENT:
                result = replace(result, slug=f"{folder.name}/{document.document}")
                if result.status == "skipped":
                    result = replace(result, message="no url for this document in provider.yaml")
            results.append(result)
            if report:
                report(result)
    return results
