"""Start-up cost of the command line: CPU and wall time of a tiny `scorecard extract` (a two-sentence policy),
process start included, over --runs fresh processes (fastest and median). Target: under 0.4 s CPU.

    python bench/bench_startup.py [--runs 7] [--code DIR]

--code DIR runs another checkout's scorecard package (PYTHONPATH=DIR), for the figure before a change.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import cpu_children

TINY = "We do not sell your personal data. You may delete your account at any time.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--code", default="")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(Path(args.code).resolve())) if args.code else dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        policy = Path(tmp) / "tiny.txt"
        policy.write_text(TINY, encoding="utf-8")
        cpus, walls = [], []
        for _ in range(args.runs):
            cpu, start = cpu_children(), time.perf_counter()
            subprocess.run([sys.executable, "-m", "scorecard", "extract", str(policy)], env=env, cwd=tmp,
                           check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            cpus.append(cpu_children() - cpu)
    print(f"tiny extract, {args.runs} runs, code: {args.code or Path(__file__).resolve().parent.parent}")
    print(f"  CPU  fastest {min(cpus):.2f} s  median {statistics.median(cpus):.2f} s   (target 0.4 s)")
    print(f"  wall fastest {min(walls):.2f} s  median {statistics.median(walls):.2f} s")


if __name__ == "__main__":
    main()
