"""Peak memory of `scorecard extract` on one big policy, against the policy's size.

    python bench/bench_memory.py [--mb 50] [--format txt|md]

Writes a policy of --mb megabytes (the bundled policies repeated), runs `scorecard extract` on it in
a fresh process and reports its peak RSS, the peak of a tiny policy (the constant: interpreter,
libraries, compiled detectors) and their difference as a multiple of the policy's size. Also against
the bundled policies once (25 KB): a tiny policy wakes few practices, so it compiles few of the patterns
(compiled on first use) that a big one compiles all of, about 5 MB; that figure is printed beside it.
Target (issue 13): peak RSS at most 4 times the largest policy plus a constant.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss(policy: Path, limit_mb: float) -> tuple[int, float]:
    """Peak RSS in bytes and CPU seconds of one `scorecard extract` process (run alone, so its own peak)."""
    code = ("import resource, subprocess, sys, time\n"
            "c = time.process_time()\n"
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print(u.ru_maxrss * 1024, u.ru_utime + u.ru_stime)\n")
    env = dict(os.environ, SCORECARD_MAX_POLICY_MB=str(limit_mb))
    done = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "scorecard", "extract", str(policy)],
                          check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    rss, cpu = done.stdout.split()
    return int(rss), float(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--format", choices=["txt", "md"], default="txt")
    ap.add_argument("--target", type=float, default=4.0, help="allowed multiple of the policy's size")
    args = ap.parse_args()
    sources = sorted((ROOT / "providers").glob(f"*/policy.{args.format}"))
    text = "\n\n".join(s.read_text(encoding="utf-8") for s in sources)
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / f"tiny.{args.format}"
        tiny.write_text("We do not sell your personal data. You may delete your account.\n", encoding="utf-8")
        big = Path(tmp) / f"big.{args.format}"
        with big.open("w", encoding="utf-8") as out:
            written = 0
            while written < args.mb * 1_000_000:
                written += out.write(text + "\n\n")
        size = big.stat().st_size
        base, _ = peak_rss(tiny, args.mb * 2)
        once = Path(tmp) / f"once.{args.format}"
        once.write_text(text + "\n\n", encoding="utf-8")
        full, _ = peak_rss(once, args.mb * 2)
        started = time.perf_counter()
        peak, cpu = peak_rss(big, args.mb * 2)
        wall = time.perf_counter() - started
    ratio = (peak - base) / size
    once_size = len((text + "\n\n").encode("utf-8"))
    print(f"policy: {size / 1e6:.1f} MB .{args.format}; extract took {cpu:.1f} s CPU, {wall:.1f} s wall")
    print(f"peak RSS: {peak / 1e6:.0f} MB; tiny policy {base / 1e6:.0f} MB; "
          f"growth {ratio:.1f} x the policy's size (target {args.target:g} x)")
    print(f"bundled policies once ({once_size / 1e3:.0f} KB, every practice's patterns compiled): {full / 1e6:.0f} MB; "
          f"growth over it {(peak - full) / size:.1f} x")
    return 0 if ratio <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
