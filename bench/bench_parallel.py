"""`scorecard extract --jobs`: 500 small policy files on 1 core and on 2, through the command line.

    python bench/bench_parallel.py [--files 500] [--repeat 3] [--jobs 1 2]

Cuts the bundled policies into --files small files (a few KB each, paragraphs kept whole), then runs
`scorecard extract --format jsonl --jobs N FILE...` as a user would (process start included) for each N.
Reports the best wall time of --repeat runs and the CPU time (user + system, all processes) of that run,
the speed-up against one job, and checks that every run printed the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard.text import read_policy

TARGET_CHARS = 4000  # a small policy: the size of many real ones


def make_files(folder: Path, count: int) -> list[Path]:
    """`count` Markdown files of about TARGET_CHARS, cut from the bundled policies at paragraph breaks."""
    pieces: list[str] = []
    for source in sorted((ROOT / "providers").glob("*/policy.*")):
        paragraphs = [p for p in read_policy(source).text.split("\n\n") if p.strip()]
        piece: list[str] = []
        for paragraph in paragraphs:
            piece.append(paragraph)
            if sum(map(len, piece)) >= TARGET_CHARS:
                pieces.append("\n\n".join(piece) + "\n")
                piece = []
    paths = []
    for n in range(count):
        path = folder / f"{n:05d}.md"
        path.write_text(pieces[n % len(pieces)], encoding="utf-8")
        paths.append(path)
    return paths


def run(jobs: int, paths: list[Path]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (every process of the run) and a digest of stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scorecard", "extract", "--format", "jsonl", "--jobs", str(jobs),
                           *map(str, paths)], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(done.stdout).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_files(Path(tmp), args.files)
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} files, {size / 1e6:.2f} MB, {size // len(paths)} bytes each on average")
        digests, best = set(), {}
        for _ in range(args.repeat):  # interleaved, so that a busy moment of the machine hits every N
            for jobs in args.jobs:
                wall, cpu, digest = run(jobs, paths)
                digests.add(digest)
                if jobs not in best or wall < best[jobs][0]:
                    best[jobs] = (wall, cpu)
        base = best[args.jobs[0]][0]
        for jobs in args.jobs:
            wall, cpu = best[jobs]
            print(f"--jobs {jobs}: wall {wall:.2f} s, CPU {cpu:.2f} s, {len(paths) / wall:.0f} files/s,"
                  f" speed-up {base / wall:.2f}x")
        print("output identical across runs and job counts" if len(digests) == 1
              else f"OUTPUT DIFFERS: {len(digests)} distinct outputs")
        return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
