"""Build speed through the command line, process start included, over providers made from the bundled ones.

    python bench/bench_build.py [--providers 1000 10000] [--pdf] [--distinct] [--code DIR] [--repeat 3] [--keep DIR]

For each count, in a temporary folder: copies of the five bundled providers with varied names, then
`python -m scorecard build --no-pdf` (with --pdf: PDFs too) as a fresh process, three ways:

  1. first build (no previous site)
  2. unchanged rebuild
  3. one provider changed (its provider.yaml)

Each figure is wall time and CPU time (user + system of the child process and its children, from
resource.getrusage(RUSAGE_CHILDREN)), so a loaded machine does not hide the truth; with --repeat N the
rebuilds run N times and the fastest (by CPU) is shown. Then the largest page (.html) and the largest
file of the site. --code DIR runs another checkout's scorecard package (PYTHONPATH=DIR), for figures
before a change. Targets at 1,000 providers, HTML only: 6 s, 1 s and 1.5 s.

The copies share five policy texts, and a build reads and extracts a text once per process however many
providers publish it; --distinct gives each provider a text of its own (the bundled one and a sentence
naming the provider), so that the first build extracts every policy, as a real site of different policies
would.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["North", "Blue", "Quiet", "Open", "Harbor", "Summit", "Pixel", "Cedar", "Nimbus", "Atlas", "Vault",
         "Echo", "Lumen", "Orbit", "Tidal", "Maple"]


def make_providers(folder: Path, count: int, distinct: bool = False) -> Path:
    """`count` provider folders, each a copy of a bundled one (without versions/) under a new name.
    Policies are hardlinked (the build reads them, never writes them), or with `distinct` copied with a
    sentence of their own at the end."""
    sources = sorted(p for p in (ROOT / "providers").iterdir() if p.is_dir())
    folder.mkdir(parents=True)
    for i in range(count):
        source = sources[i % len(sources)]
        dest = folder / f"{source.name}-{i:05d}"
        dest.mkdir()
        for path in source.iterdir():
            if path.name == "provider.yaml":
                lines = path.read_text(encoding="utf-8").splitlines()
                named = [f"name: {WORDS[i % len(WORDS)]} {WORDS[(i // len(WORDS)) % len(WORDS)]} {line[6:]} {i}"
                         if line.startswith("name: ") else line for line in lines]
                (dest / path.name).write_text("\n".join(named) + "\n", encoding="utf-8")
            elif path.is_file() and distinct:
                text = path.read_text(encoding="utf-8")
                (dest / path.name).write_text(f"{text.rstrip()}\n\nThis policy is number {i} of the bench.\n",
                                              encoding="utf-8")
            elif path.is_file():
                os.link(path, dest / path.name)
    return folder


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], code: str) -> tuple[float, float]:
    """Wall and CPU seconds of one `python -m scorecard ...` process (and its PDF workers)."""
    env = dict(os.environ, PYTHONPATH=code) if code else dict(os.environ)
    cpu, start = cpu_children(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scorecard", *args], env=env, capture_output=True, text=True, check=False,
                          cwd=tempfile.gettempdir())  # not here: python -m puts the working folder first
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"scorecard {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return wall, cpu_children() - cpu


def largest(site: Path, suffix: str = "") -> tuple[int, str]:
    sizes = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob(f"*{suffix}") if p.is_file()]
    return max(sizes) if sizes else (0, "-")


def show(label: str, wall: float, cpu: float, target: float | None = None) -> None:
    goal = f"   (target {target:g} s)" if target is not None else ""
    print(f"  {label:<28} wall {wall:7.2f} s   CPU {cpu:7.2f} s{goal}", flush=True)


def bench(count: int, args: argparse.Namespace, tmp: Path) -> None:
    providers = make_providers(tmp / f"providers-{count}", count, args.distinct)
    out = tmp / f"site-{count}"
    build = ["build", "--providers", str(providers), "--out", str(out)] + ([] if args.pdf else ["--no-pdf"])
    small = count == 1000 and not args.pdf
    print(f"{count} providers{' (a policy text each)' if args.distinct else ''},"
          f" {'HTML and PDFs' if args.pdf else 'HTML only'}, code: {args.code or ROOT}",
          flush=True)
    show("1. first build", *run(build, args.code), 6 if small else None)
    show("2. unchanged rebuild", *min((run(build, args.code) for _ in range(args.repeat)), key=lambda r: r[1]),
         1 if small else None)
    changed = sorted(providers.iterdir())[count // 2] / "provider.yaml"
    best: tuple[float, float] | None = None
    for n in range(args.repeat):
        changed.write_text(changed.read_text(encoding="utf-8").replace("name: ", f"name: Changed{n} ", 1),
                           encoding="utf-8")
        result = run(build, args.code)
        best = result if best is None or result[1] < best[1] else best
    assert best is not None
    show("3. one provider changed", *best, 1.5 if small else None)
    size, name = largest(out, ".html")
    print(f"  largest page: {name} {size / 1e6:.2f} MB", flush=True)
    size, name = largest(out)
    print(f"  largest file: {name} {size / 1e6:.2f} MB", flush=True)
    manifest = out / ".scorecard-manifest.json"
    print(f"  manifest: {manifest.stat().st_size / 1e6:.2f} MB", flush=True)
    if args.keep:
        target = Path(args.keep) / f"site-{count}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(out, target, symlinks=True)
        print(f"  site kept in {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--providers", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--pdf", action="store_true", help="build PDFs too")
    parser.add_argument("--distinct", action="store_true", help="a policy text of its own for each provider")
    parser.add_argument("--code", default="", help="a checkout whose scorecard package to run (default: this one)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each rebuild; the fastest is shown")
    parser.add_argument("--keep", default="", help="copy each site into this folder")
    args = parser.parse_args()
    if args.code:
        args.code = str(Path(args.code).resolve())
    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as tmp:
        for count in args.providers:
            bench(count, args, Path(tmp))


if __name__ == "__main__":
    main()
