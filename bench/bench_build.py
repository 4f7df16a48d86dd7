"""Build speed over 1,000 providers made from the bundled ones (varied names), in a temporary folder.

    python bench/bench_build.py [--providers 1000] [--no-pdf] [--jobs 0] [--sample 20]

Reports, in this order:
  1. HTML only (full build, no PDFs)
  2. HTML and PDFs (full build)
  3. a second build with nothing changed (incremental: everything reused from the previous site)
  4. a build with one provider changed
  5. PDF time per provider: ours (the build's PDF stage, wall and per core) against WeasyPrint's own
     HTML(string).write_pdf() for the same HTML, serially on one core.
Targets on a 2-core machine: (1) < 30 s, (3) < 3 s, ours per provider <= 1.3 x WeasyPrint's.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml
from weasyprint import HTML

from scorecard.build import BuildOptions, analyse, build, policy_day
from scorecard.providers import load_provider
from scorecard.render.pdf import RefusingFetcher, pdf_html, render_page
from scorecard.render.templating import make_environment
from scorecard.rubric import load_rubric

WORDS = ["North", "Blue", "Quiet", "Open", "Harbor", "Summit", "Pixel", "Cedar", "Nimbus", "Atlas", "Vault",
         "Echo", "Lumen", "Orbit", "Tidal", "Maple"]


def make_providers(folder: Path, count: int) -> Path:
    sources = sorted(p for p in (ROOT / "providers").iterdir() if p.is_dir())
    for i in range(count):
        source = sources[i % len(sources)]
        dest = folder / f"{source.name}-{i:04d}"
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns("versions"))
        info = yaml.safe_load((dest / "provider.yaml").read_text(encoding="utf-8"))
        info["name"] = f"{WORDS[i % len(WORDS)]} {WORDS[(i // len(WORDS)) % len(WORDS)]} {info['name']} {i}"
        (dest / "provider.yaml").write_text(yaml.safe_dump(info, sort_keys=False), encoding="utf-8")
    return folder


def timed(label: str, options: BuildOptions) -> float:
    start = time.perf_counter()
    report = build(options)
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s   ({len(report.cards)} providers, {report.files} files)", flush=True)
    return seconds


def weasyprint_own(providers: Path, sample: int) -> tuple[float, float]:
    """Seconds per provider: WeasyPrint's write_pdf on our HTML, and our render_page on the same HTML."""
    rubric = load_rubric()
    env = make_environment()
    htmls = []
    for folder in sorted(providers.iterdir())[:sample]:
        card = analyse(load_provider(folder, rubric), rubric)
        htmls.append(pdf_html(card, rubric, env, built_on=policy_day(card)))
    HTML(string=htmls[0]).write_pdf()  # warm up fonts and caches
    start = time.perf_counter()
    for html in htmls:
        HTML(string=html, url_fetcher=RefusingFetcher()).write_pdf()
    theirs = (time.perf_counter() - start) / len(htmls)
    start = time.perf_counter()
    for html in htmls:
        render_page(html)
    ours = (time.perf_counter() - start) / len(htmls)
    return theirs, ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--providers", type=int, default=1000)
    parser.add_argument("--no-pdf", action="store_true", help="only the HTML figures (1, 3, 4 without PDFs)")
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--sample", type=int, default=20, help="providers for the WeasyPrint comparison")
    args = parser.parse_args()
    cores = args.jobs or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as tmp:
        providers = make_providers(Path(tmp) / "providers", args.providers)
        print(f"{args.providers} providers, {cores} PDF workers", flush=True)
        html_only = timed("1. HTML only", BuildOptions(providers=providers, out=Path(tmp) / "html", pdf=False,
                                                        incremental=False))
        out = Path(tmp) / "site"
        pdf = not args.no_pdf
        full = timed("2. HTML and PDFs" if pdf else "2. (skipped: --no-pdf) HTML again",
                     BuildOptions(providers=providers, out=out, pdf=pdf, jobs=args.jobs, incremental=False))
        timed("3. second build, nothing changed", BuildOptions(providers=providers, out=out, pdf=pdf, jobs=args.jobs))
        changed = sorted(providers.iterdir())[len(list(providers.iterdir())) // 2] / "provider.yaml"
        changed.write_text(changed.read_text(encoding="utf-8").replace("name: ", "name: Changed ", 1),
                           encoding="utf-8")
        timed("4. one provider changed", BuildOptions(providers=providers, out=out, pdf=pdf, jobs=args.jobs))
        if pdf:
            theirs, ours_serial = weasyprint_own(providers, args.sample)
            wall = (full - html_only) / args.providers
            print(f"5. WeasyPrint's own write_pdf, one core       {theirs * 1000:8.1f} ms per provider")
            print(f"   our render_page, same HTML, one core        {ours_serial * 1000:8.1f} ms per provider"
                  f"  ({ours_serial / theirs:.2f} x)")
            print(f"   our build's PDF stage, wall, {cores} workers      {wall * 1000:8.1f} ms per provider"
                  f"  ({wall / theirs:.2f} x WeasyPrint; {wall * cores / theirs:.2f} x per core;"
                  " includes scorecards.pdf)")


if __name__ == "__main__":
    main()
