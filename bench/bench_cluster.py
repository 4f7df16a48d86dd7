"""Extraction on a local Dask cluster against one process: throughput per worker, and the overhead.

    python bench/bench_cluster.py [--files 1000] [--workers 1 2] [--batch 200]

Cuts the bundled policies into --files small files (as bench_parallel.py does), extracts them once in
this process (the single-process run: `extract_records(..., jobs=1)`), then with `extract_cluster` on a
local cluster of each --workers count. For each: wall time, CPU time (user + system of this process and
of every worker process, measured on the workers), files per second per worker, and the overhead
against the single-process run; cluster start-up is reported apart. Checks the JSONL is identical.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_parallel import make_files

from scorecard.extract.cluster import extract_cluster
from scorecard.extract.parallel import extract_records
from scorecard.rubric import load_rubric


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def workers_cpu(client) -> float:  # type: ignore[no-untyped-def]
    return sum(client.run(own_cpu).values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        paths = make_files(Path(tmp), args.files)
        rubric = load_rubric()
        next(extract_records(paths[:1], rubric, jobs=1))  # warm: detectors compiled, modules imported
        cpu0, wall0 = own_cpu(), time.perf_counter()
        single = [json.dumps(r, ensure_ascii=False) for r in extract_records(paths, rubric, jobs=1)]
        base_wall, base_cpu = time.perf_counter() - wall0, own_cpu() - cpu0
        print(f"{len(paths)} files; single process: wall {base_wall:.2f} s, CPU {base_cpu:.2f} s,"
              f" {len(paths) / base_wall:.0f} files/s")
        same = True
        for n in args.workers:
            started = time.perf_counter()
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=":0", silence_logs=50) as cluster, Client(cluster) as client:
                up = time.perf_counter() - started
                # Workers import scorecard and load the rubric on their first task: a warm-up run.
                extract_cluster(paths[: n * 2], Path(tmp) / "warm.jsonl", scheduler=cluster.scheduler_address,
                                batch=1)
                cpu0, wcpu0, wall0 = own_cpu(), workers_cpu(client), time.perf_counter()
                out = Path(tmp) / f"facts-{n}.jsonl"
                report = extract_cluster(paths, out, scheduler=cluster.scheduler_address, batch=args.batch)
                wall = time.perf_counter() - wall0
                cpu = own_cpu() - cpu0 + workers_cpu(client) - wcpu0
            same &= out.read_text(encoding="utf-8").splitlines() == single
            per_worker = len(paths) / wall / n
            print(f"{n} worker(s): start-up {up:.2f} s; wall {wall:.2f} s, CPU {cpu:.2f} s (client and workers),"
                  f" {per_worker:.0f} files/s per worker ({report.batches} tasks);"
                  f" overhead against one process: CPU {cpu / base_cpu - 1:+.0%},"
                  f" wall x{n} workers {wall * n / base_wall - 1:+.0%}")
        print("JSONL identical to the single-process run" if same else "JSONL DIFFERS from the single-process run")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
