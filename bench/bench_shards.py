"""A simulation of a big site, built the sharded way: extraction on a cluster, rendering per shard.

    python bench/bench_shards.py [--providers 20000] [--shards 4] [--workers 2] [--skip-render]

Makes --providers provider folders from the bundled ones (bench_build.py's varied names), then:
  1. extraction: every policy through `extract_cluster` on a local Dask cluster of --workers processes
     (what a real cluster runs, one task per batch of files);
  2. rendering: the providers split into --shards folders by a stable hash of the slug, and each shard
     built by `scorecard build --no-pdf` through the command line (process start included), one after
     another, as separate machines would build them;
and reports wall and CPU time of each stage, per provider, and the largest file of a shard's site.
The README turns these figures into the cost of a 100,000-provider run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import make_providers

from scorecard.extract.cluster import extract_cluster, find_inputs


def shard_of(slug: str, shards: int) -> int:
    """A stable shard for a slug: the same provider lands on the same machine run after run."""
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:4], "big") % shards


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--providers", type=int, default=20000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-render", action="store_true")
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        shards = [tmp / f"shard-{k}" / "providers" for k in range(args.shards)]
        for folder in shards:
            folder.mkdir(parents=True)
        every = make_providers(tmp / "all", args.providers)
        for provider in sorted(every.iterdir()):
            provider.rename(shards[shard_of(provider.name, args.shards)] / provider.name)
        sizes = [len(list(folder.iterdir())) for folder in shards]
        print(f"{args.providers} providers in {args.shards} shards of {min(sizes)}-{max(sizes)}"
              f" (made in {time.perf_counter() - started:.0f} s)", flush=True)

        # 1. Extraction on the cluster.
        policies = find_inputs(shards)
        policies = [p for p in policies if p.name.startswith("policy.")]
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=":0", silence_logs=50) as cluster, Client(cluster) as client:
            cpu0 = own_cpu() + sum(client.run(own_cpu).values())
            wall0 = time.perf_counter()
            report = extract_cluster(policies, tmp / "facts.jsonl", scheduler=cluster.scheduler_address)
            wall = time.perf_counter() - wall0
            cpu = own_cpu() + sum(client.run(own_cpu).values()) - cpu0
        extract_cpu = cpu
        size = sum(p.stat().st_size for p in policies)
        print(f"extraction: {report.files} policies ({size / 1e6:.0f} MB) on {report.workers} workers:"
              f" wall {wall:.1f} s, CPU {cpu:.1f} s, {cpu / report.files * 1000:.1f} ms CPU per policy,"
              f" {report.files / wall:.0f} policies/s; {report.errors} errors;"
              f" facts.jsonl {(tmp / 'facts.jsonl').stat().st_size / 1e6:.0f} MB", flush=True)
        if args.skip_render:
            return 0

        # 2. Rendering per shard, each its own `scorecard build` (as separate machines would run it).
        total_cpu = total_wall = 0.0
        largest = (0, "")
        for k, folder in enumerate(shards):
            cpu0, wall0 = children_cpu(), time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "scorecard", "build", "--providers", str(folder),
                                   "--out", str(folder.parent / "site"), "--no-pdf", "--keep-going"],
                                  capture_output=True, text=True, check=False,
                                  env={**os.environ, "PYTHONHASHSEED": "0"})
            wall, cpu = time.perf_counter() - wall0, children_cpu() - cpu0
            total_cpu, total_wall = total_cpu + cpu, total_wall + wall
            files = [p for p in (folder.parent / "site").rglob("*") if p.is_file()]
            big = max(files, key=lambda p: p.stat().st_size)
            if big.stat().st_size > largest[0]:
                largest = (big.stat().st_size, str(big.relative_to(folder.parent / "site")))
            print(f"shard {k}: {sizes[k]} providers, exit {done.returncode}, wall {wall:.1f} s, CPU {cpu:.1f} s"
                  f" ({cpu / sizes[k] * 1000:.1f} ms CPU per provider, extraction included),"
                  f" {len(files)} files, largest {big.relative_to(folder.parent / 'site')}"
                  f" {big.stat().st_size / 1e6:.1f} MB", flush=True)
            if done.returncode not in (0, 1):
                print(done.stderr[-2000:])
        print(f"rendering: {args.providers} providers in {args.shards} shards: CPU {total_cpu:.1f} s"
              f" ({total_cpu / args.providers * 1000:.1f} ms per provider), wall {total_wall:.1f} s one after"
              f" another, {total_wall / args.shards:.1f} s per shard in parallel; largest file {largest[1]}"
              f" {largest[0] / 1e6:.1f} MB")
        print(json.dumps({"providers": args.providers, "extract_cpu_ms_per_policy": extract_cpu / report.files * 1000,
                          "render_cpu_ms_per_provider": total_cpu / args.providers * 1000}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
