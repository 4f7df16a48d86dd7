"""`scorecard extract PATH... --jobs N`: the same records as one process, in input order, on N cores.

One record per file is what `scorecard extract` prints: {"file": PATH, "facts": {PRACTICE: fact}}. A file
that cannot be read ends the run at that file, as it does in one process: the records before it are
given, its error is raised, nothing after it is. Workers are forked where the platform allows, so they
start with the rubric and its compiled detectors already loaded (copy-on-write, no start-up per worker).

Patterns compile on first use (spec.Rule), and compiling what the first policy wakes costs about 30 small
policies' worth of matching. Each worker compiling it again was most of what --jobs 2 spent over one
process, so before forking, the parent extracts the first file itself (its record comes first anyway)
and imports the readers the other files need: the workers inherit those patterns and modules.
"""
from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ScorecardError
from ..model import Rubric

Record = dict[str, Any]
T = TypeVar("T")
# Files are sent in chunks: fewer round trips. Many small chunks keep the spread even to the end: the
# last chunk of a worker is time the other waits (8 per worker left a tenth of a second of 500 small files).
CHUNKS_PER_WORKER = 32


def cores() -> int:
    """The cores this process may use (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_record(path: Path, rubric: Rubric, max_policy_mb: float | None = None) -> Record:
    """The `scorecard extract` record of one policy file; a ScorecardError for a file it cannot read."""
    from ..limits import check_policy_file
    from ..render.data import fact_json
    from . import extract_file

    check_policy_file(path, max_policy_mb)
    _doc, facts = extract_file(path, rubric)
    return {"file": str(path), "facts": {key: fact_json(facts[key]) for key in rubric.keys}}


def extract_line(path: Path, rubric: Rubric, max_policy_mb: float | None = None) -> str:
    """The record as the line `scorecard extract --format jsonl` prints, without its line break."""
    return json.dumps(extract_record(path, rubric, max_policy_mb), ensure_ascii=False)


# What a worker needs, set before the pool starts (inherited when forked, sent once when spawned).
_worker: dict[str, Any] = {}


def _init_worker(rubric: Rubric | None = None, max_policy_mb: float | None = None,
                 make: Callable[[Path, Rubric, float | None], Any] | None = None) -> None:
    # Ctrl-C and SIGTERM are the parent's to handle (it stops the pool): no traceback from a worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if rubric is not None:
        _worker["rubric"], _worker["max_policy_mb"], _worker["make"] = rubric, max_policy_mb, make


def _one(path: Path) -> Any:
    try:
        return _worker["make"](path, _worker["rubric"], _worker["max_policy_mb"])
    except ScorecardError as exc:  # handed back, raised in order by the parent
        return exc


def _forks() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _import_readers(paths: Sequence[Path]) -> None:
    """Import the readers loaded late (text.formats) that some of `paths` need, once, before forking."""
    suffixes = {path.suffix.lower() for path in paths}
    if suffixes & {".md", ".markdown"}:
        import markdown_it  # noqa: F401
    if ".pdf" in suffixes:
        import pypdf  # noqa: F401


def _pool(jobs: int, rubric: Rubric, max_policy_mb: float | None,
          make: Callable[[Path, Rubric, float | None], Any]) -> Executor:
    context = multiprocessing.get_context("fork" if _forks() else "spawn")
    if context.get_start_method() == "fork":
        _init_worker(rubric, max_policy_mb, make)
        from . import detectors_for
        detectors_for(rubric)  # loaded once here, inherited by every worker (patterns compile on first use)
        gc.freeze()  # the workers' collector leaves the inherited objects alone: their pages stay shared
        return ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker)
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                               initargs=(rubric, max_policy_mb, make))


def extract_records(paths: Sequence[Path], rubric: Rubric, max_policy_mb: float | None = None,
                    jobs: int | None = None) -> Iterator[Record]:
    """The record of every path, in the order given, on `jobs` processes (default: every core); one
    process (no pool) for one job or one file."""
    return _extracted(paths, rubric, max_policy_mb, jobs, extract_record)


def extract_lines(paths: Sequence[Path], rubric: Rubric, max_policy_mb: float | None = None,
                  jobs: int | None = None) -> Iterator[str]:
    """extract_records as `--format jsonl` lines (extract_line), each written where it is extracted: in the
    workers, which send a string back instead of a record for the parent to encode (work off its one core)."""
    return _extracted(paths, rubric, max_policy_mb, jobs, extract_line)


def _extracted(paths: Sequence[Path], rubric: Rubric, max_policy_mb: float | None, jobs: int | None,
               make: Callable[[Path, Rubric, float | None], T]) -> Iterator[T]:
    jobs = min(jobs or cores(), len(paths))
    if jobs > 1 and _forks():  # warm this process up before the workers are forked from it (see above)
        yield make(paths[0], rubric, max_policy_mb)
        paths = paths[1:]
        _import_readers(paths)
        jobs = min(jobs, len(paths))
    if jobs <= 1:
        for path in paths:
            yield make(path, rubric, max_policy_mb)
        return
    chunk = max(1, min(64, len(paths) // (jobs * CHUNKS_PER_WORKER)))
    with _pool(jobs, rubric, max_policy_mb, make) as pool:
        results: Iterable[T | ScorecardError] = pool.map(_one, paths, chunksize=chunk)
        for result in results:
            if isinstance(result, ScorecardError):
                pool.shutdown(wait=True, cancel_futures=True)
                raise result
            yield result
