"""Extraction over a corpus too big for one machine, on a Dask distributed cluster (`scorecard[cluster]`).

    scorecard extract-cluster corpus/ more/*.html --scheduler tcp://head:8786 --out facts.jsonl

    from scorecard.extract.cluster import extract_cluster
    extract_cluster(["corpus/"], "facts.jsonl", scheduler="tcp://head:8786")

The inputs (folders, files, glob patterns) are listed on the client; the files are read by the workers,
so they must be on a filesystem every worker sees under the same path (NFS, Lustre, a bucket mount).
Files go out in batches (one task per batch keeps the scheduler's per-task cost, about a millisecond,
off the per-file budget); at most a few batches per worker are in flight, so neither the cluster nor the
client holds more than a window of results. The client writes one JSON line per file in input order: the
very lines `scorecard extract --format jsonl` prints, and `{"file": ..., "error": ...}` for a file that
cannot be read (a million-file run goes on past a bad file, and says how many there were).

Without --scheduler, a local cluster of --workers processes is started and stopped: the same code path,
on one machine. Dask is imported only here, and only when called.
"""
from __future__ import annotations

import functools
import glob
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ScorecardError

if TYPE_CHECKING:
    from distributed import Client, Future

POLICY_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
DEFAULT_BATCH = 200  # files per task: ~1 s of work for small policies, against ~1 ms of scheduling
IN_FLIGHT_PER_WORKER = 4  # batches queued per worker: enough to hide latency, little memory
INSTALL_HINT = "the cluster extra is not installed: pip install 'scorecard[cluster]'"


@dataclass(frozen=True)
class ClusterReport:
    files: int
    errors: int
    batches: int
    workers: int
    seconds: float
    out: Path


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Every policy file named by `inputs`, in order: a folder gives its policy files (sorted, at any
    depth), a pattern with * ? or [ gives its matches (sorted; ** spans folders), a file itself."""
    found: list[Path] = []
    for item in inputs:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in POLICY_SUFFIXES and p.is_file())
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True))
            if not matches:
                raise ScorecardError("no file matches this pattern", text)
            found += [p for p in matches if p.is_file()]
        elif path.exists():
            found.append(path)
        else:
            raise ScorecardError("no such file or folder", text)
    return found


# --- on the workers -----------------------------------------------------------------------------------

def _rubric(path: str | None) -> Any:
    """The rubric, loaded once per worker process (and again if its file changes)."""
    from ..resources import default_rubric

    where = Path(path) if path else default_rubric()
    return _load_rubric(str(where), where.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load_rubric(where: str, mtime: int) -> Any:
    from ..rubric import load_rubric

    return load_rubric(Path(where))


def extract_batch(paths: Sequence[str], rubric_path: str | None = None,
                  max_policy_mb: float | None = None) -> tuple[list[str], int]:
    """One JSON line per file (the `scorecard extract --format jsonl` line, or an error line), and how
    many of them are errors."""
    from .parallel import extract_record

    rubric = _rubric(rubric_path)
    lines, errors = [], 0
    for path in paths:
        record: dict[str, Any]
        try:
            record = extract_record(Path(path), rubric, max_policy_mb)
        except ScorecardError as exc:
            record, errors = {"file": path, "error": str(exc)}, errors + 1
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines, errors


# --- on the client ------------------------------------------------------------------------------------


def _batches(paths: Sequence[Path], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield [str(p) for p in paths[start:start + size]]


def _connect(scheduler: str | None, workers: int | None) -> tuple[Client, Callable[[], None]]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ScorecardError(INSTALL_HINT) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise ScorecardError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        return client, client.close
    from .parallel import cores

    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers or cores(), threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=":0", silence_logs=50)
    client = Client(cluster)  # type: ignore[no-untyped-call]

    def close() -> None:
        client.close()  # type: ignore[no-untyped-call]
        cluster.close()
    return client, close


def extract_cluster(inputs: Iterable[str | Path], out: str | Path, *, scheduler: str | None = None,
                    workers: int | None = None, batch: int = DEFAULT_BATCH, rubric: str | Path | None = None,
                    max_policy_mb: float | None = None) -> ClusterReport:
    """Extract every policy file of `inputs` on a Dask cluster (`scheduler` address, else a local one
    of `workers` processes) into the JSONL file `out`, in input order; written to a temporary file and
    moved into place once complete."""
    started = time.perf_counter()
    paths = find_inputs(inputs)
    out = Path(out)
    rubric_path = str(Path(rubric).resolve()) if rubric else None
    if rubric_path:
        from ..rubric import load_rubric
        load_rubric(Path(rubric_path))  # a bad rubric is one line here, not an error on every worker
    client, close = _connect(scheduler, workers)
    tmp = out.with_name(f".{out.name}.part")
    errors = batches = 0
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})))
        window: deque[Future[tuple[list[str], int]]] = deque()
        # Small runs are cut finer, so that every worker gets work and the last batch is not a long tail.
        size = max(1, min(batch, -(-len(paths) // (nworkers * IN_FLIGHT_PER_WORKER))))
        pending = _batches(paths, size)
        with tmp.open("w", encoding="utf-8") as handle:
            while True:
                while len(window) < nworkers * IN_FLIGHT_PER_WORKER:
                    chunk = next(pending, None)
                    if chunk is None:
                        break
                    window.append(client.submit(extract_batch, chunk, rubric_path, max_policy_mb, pure=False))
                    batches += 1
                if not window:
                    break
                lines, failed = window.popleft().result()
                handle.writelines(line + "\n" for line in lines)
                errors += failed
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        close()
    return ClusterReport(files=len(paths), errors=errors, batches=batches, workers=nworkers,
                         seconds=time.perf_counter() - started, out=out)
