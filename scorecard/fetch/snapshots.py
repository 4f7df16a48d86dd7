"""providers/<slug>/versions/: every text a provider's policy has had, oldest first.

A snapshot is `<date>.md` (or .txt), with `<date>.yaml` beside it saying where and when it was fetched and
its SHA-256. A second change on the same day is `<date>-2.md`. Snapshots are only ever added, never
rewritten. A provider without versions/ has one version: the policy file named in provider.yaml.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import yaml

from ..errors import ScorecardError
from ..model import PolicyVersion, Provider, SnapshotMeta
from ..yamlsource import load_yaml

try:
    from ..atomic import write_bytes_atomic
except ImportError:  # pragma: no cover - before scorecard.atomic existed
    import os
    import tempfile

    def write_bytes_atomic(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

VERSIONS_DIR = "versions"
POLICY_VERSION_ID = "policy"
SNAPSHOT = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:-(?P<n>[1-9]\d*))?\.(?P<ext>txt|md|html|htm|pdf)$")
META_HEADER = "# Written by `scorecard fetch`: where and when the snapshot beside this file came from.\n"


def normalized(text: str) -> str:
    """The text with white space runs made single spaces: what 'changed' is judged on."""
    return " ".join(text.split())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def _order(version: PolicyVersion) -> tuple:
    match = SNAPSHOT.match(version.path.name) if version.id != POLICY_VERSION_ID else None
    n = int(match["n"] or 1) if match else 0
    return (version.date or dt.date.min, n)


def _snapshots(folder: Path) -> list[PolicyVersion]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix == ".yaml" or (path.is_dir() and not path.is_symlink()):
            continue  # a folder holds another document's versions (providers.check_versions names them)
        match = SNAPSHOT.match(path.name)
        if not match or not path.is_file():
            raise ScorecardError("not a policy snapshot: name them like 2026-11-23.md or 2026-11-23-2.txt",
                                 path)
        try:
            day = dt.date.fromisoformat(match["date"])
        except ValueError:
            raise ScorecardError(f"'{match['date']}' is not a date", path) from None
        stem = path.name[: -len(match["ext"]) - 1]
        meta = _meta(folder / f"{stem}.yaml")
        found.append(PolicyVersion(
            id=stem, date=day, date_kind="archived" if meta and meta.archived_on else "retrieved", path=path,
            url=meta.url if meta else "", sha256=meta.sha256 if meta else "",
            retrieved=meta.retrieved if meta else None))
    return found


def _meta(path: Path) -> SnapshotMeta | None:
    if not path.is_file():
        return None
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise doc.error((), "a snapshot's .yaml must be a mapping with file, url, retrieved and sha256")
    return doc.validate(SnapshotMeta)


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
