"""Writing providers/<slug>/versions/: a new snapshot and its .yaml, or a doubted page kept aside.

Snapshots are only ever added, never rewritten; reading them is the provider folder's job
(providers.list_versions), so a build never imports the fetch stack.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from pathlib import Path

import yaml

from ..atomic import write_bytes_atomic
from ..errors import ScorecardError
from ..model import PolicyVersion, Provider, SnapshotMeta
from ..providers import VERSIONS, snapshot_meta

META_HEADER = "# Written by `scorecard fetch`: where and when the snapshot beside this file came from.\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_text(version: PolicyVersion) -> str:
    return version.path.read_text(encoding="utf-8-sig", errors="replace")


def save_snapshot(provider: Provider, text: str, ext: str, day: dt.date, *, url: str, final_url: str,
                  retrieved: dt.datetime, content_type: str = "",
                  archived_on: dt.date | None = None) -> PolicyVersion:
    """Add a snapshot and its .yaml under versions/, under a name no earlier file has."""
    folder = provider.versions_dir
    folder.mkdir(parents=True, exist_ok=True)
    stem = _free_stem(folder, day)
    data = text.encode("utf-8")
    meta = SnapshotMeta(file=f"{stem}.{ext}", url=url, final_url=final_url if final_url != url else "",
                        retrieved=retrieved.replace(microsecond=0), archived_on=archived_on,
                        content_type=content_type, sha256=sha256(data))
    meta_path, text_path = folder / f"{stem}.yaml", folder / meta.file
    dumped = yaml.safe_dump(meta.model_dump(mode="json", exclude_defaults=True), sort_keys=False,
                            allow_unicode=True)
    write_bytes_atomic(meta_path, (META_HEADER + dumped).encode("utf-8"))
    try:
        write_bytes_atomic(text_path, data)  # the snapshot exists once this is in place
    except BaseException:
        meta_path.unlink(missing_ok=True)
        raise
    return PolicyVersion(id=stem, date=day, date_kind="archived" if archived_on else "retrieved",
                         path=text_path, url=url, sha256=meta.sha256, retrieved=meta.retrieved)


def _free_stem(folder: Path, day: dt.date) -> str:
    taken = {p.name.split(".")[0] for p in folder.iterdir()}
    stem, n = day.isoformat(), 1
    while stem in taken:
        n += 1
        stem = f"{day.isoformat()}-{n}"
    return stem


# --- pages kept aside -------------------------------------------------------------------------------
# A page that does not read like a privacy policy (fetch/vetting.py) waits in versions/.pending/ (a dot
# folder, which every reader of versions/ skips) until a person accepts it: `scorecard fetch SLUG --accept`.
PENDING_DIR = ".pending"
PENDING_HEADER = ("# Kept aside by `scorecard fetch`, not a version: {reason}\n"
                  "# If it is the policy after all: scorecard fetch {slug} --accept\n")


def pending_folder(provider: Provider) -> Path:
    return provider.folder / VERSIONS / PENDING_DIR


def pending_page(provider: Provider) -> tuple[Path, SnapshotMeta] | None:
    """The page kept aside for `provider` and its metadata, if there is one."""
    folder = pending_folder(provider)
    if not folder.is_dir() or folder.is_symlink():
        return None
    for meta_path in sorted(folder.glob("*.yaml")):
        if meta_path.is_file() and not meta_path.is_symlink():
            meta = snapshot_meta(meta_path)
            text_path = folder / meta.file if meta else None
            if meta and text_path and text_path.parent == folder and text_path.is_file() \
                    and not text_path.is_symlink():
                return text_path, meta
    return None


def hold_snapshot(provider: Provider, text: str, ext: str, day: dt.date, reason: str, *, url: str,
                  final_url: str, retrieved: dt.datetime, content_type: str = "",
                  archived_on: dt.date | None = None) -> Path:
    """Keep a doubted page in versions/.pending/ (replacing any page kept before); the versions are not
    touched."""
    folder = pending_folder(provider)
    if folder.is_symlink():
        raise ScorecardError("refusing to write through a link", folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file() or old.is_symlink():
            old.unlink()
    data = text.encode("utf-8")
    meta = SnapshotMeta(file=f"{day.isoformat()}.{ext}", url=url,
                        final_url=final_url if final_url != url else "",
                        retrieved=retrieved.replace(microsecond=0), archived_on=archived_on,
                        content_type=content_type, sha256=sha256(data))
    dumped = yaml.safe_dump(meta.model_dump(mode="json", exclude_defaults=True), sort_keys=False,
                            allow_unicode=True)
    header = PENDING_HEADER.format(reason=" ".join(reason.split()), slug=provider.slug)
    write_bytes_atomic(folder / meta.file, data)
    write_bytes_atomic(folder / f"{day.isoformat()}.yaml", (header + dumped).encode("utf-8"))
    return folder / meta.file


def accept_pending(provider: Provider) -> PolicyVersion | None:
    """Make the page kept aside a version (under a free name for its day); None if nothing waits."""
    found = pending_page(provider)
    if found is None:
        return None
    text_path, meta = found
    ext = text_path.suffix.lstrip(".")
    day = meta.archived_on or meta.retrieved.date()
    data = text_path.read_bytes()
    if sha256(data) != meta.sha256:
        raise ScorecardError("the page kept aside was changed since it was fetched (its SHA-256 differs);"
                             " fetch again", text_path)
    version = save_snapshot(provider, data.decode("utf-8"), ext, day, url=meta.url,
                            final_url=meta.final_url or meta.url, retrieved=meta.retrieved,
                            content_type=meta.content_type, archived_on=meta.archived_on)
    discard_pending(provider)
    return version


def discard_pending(provider: Provider) -> bool:
    """Remove the page kept aside (once accepted, or once a fetch got a real policy again)."""
    folder = pending_folder(provider)
    if not folder.is_dir() or folder.is_symlink():
        return False
    for path in folder.iterdir():
        if path.is_file() or path.is_symlink():
            path.unlink()
    with contextlib.suppress(OSError):  # something a person put there: leave it
        folder.rmdir()
    return True
