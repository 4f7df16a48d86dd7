"""How fast the pages a reader opens load, in headless Chromium (Debian's /usr/bin/chromium), from file://.

    python bench/bench_pages.py [--providers 1000 20000] [--site DIR ...] [--synthetic] [--runs 3]

Builds an HTML-only site of each size from the bundled providers (as bench_build.py does; --site uses sites
already built instead; --synthetic renders only the pages that list every provider, the index pages, compare
and its scripts, from the five bundled scorecards copied under new names: minutes less at 20,000), then opens index.html and compare/index.html (which loads its two providers'
columns) --runs times each in a fresh page and reports the fastest and slowest load: for the index, until
the load event; for compare, until both chosen providers' tables are in the page. Also the page's size,
its elements, and the largest page of the site. Target: 0.5 s at 1,000 and at 20,000 providers.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import largest, make_providers

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
COMPARED = "document.querySelectorAll('[data-compare] thead th[data-slug]').length >= 2"


def build_site(count: int, tmp: Path) -> Path:
    providers = make_providers(tmp / f"providers-{count}", count)
    out = tmp / f"site-{count}"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scorecard", "build", "--no-pdf", "--providers", str(providers),
                    "--out", str(out)], check=True, cwd=tempfile.gettempdir())
    print(f"built {count} providers in {time.perf_counter() - start:.0f} s", flush=True)
    return out


def synthetic_site(count: int, tmp: Path) -> Path:
    """The shared pages and compare scripts of a site of `count` providers, from the bundled five analysed once
    and copied under new names (provider pages are not written: the pages measured only link to them)."""
    from scorecard.history import provider_history
    from scorecard.providers import discover
    from scorecard.render.site import compare_script, render_shared_files
    from scorecard.render.templating import make_environment
    from scorecard.resources import bundled_providers
    from scorecard.rubric import load_rubric

    rubric = load_rubric()
    bundled = [provider_history(p, rubric).current for p in discover(bundled_providers(), rubric)]
    cards = [bundled[i % len(bundled)].model_copy(update={"slug": f"{bundled[i % len(bundled)].slug}-{i:05d}",
                                                          "name": f"{bundled[i % len(bundled)].name} {i}"})
             for i in range(count)]
    env = make_environment()
    files = render_shared_files(cards, rubric, env, None, has_pdf=False)
    files.update({f"data/compare/{c.slug}.js": compare_script(c, rubric, env) for c in cards})
    out = tmp / f"synthetic-{count}"
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data if isinstance(data, bytes) else data.read_bytes())
    print(f"rendered the shared pages of {count} providers (synthetic)", flush=True)
    return out


def load(page: Page, url: str, compare: bool) -> float:
    """Seconds from the start of navigation to the load event (index) or to both tables shown (compare)."""
    page.goto("about:blank")
    page.goto(url, wait_until="load")
    if compare:
        shown = page.wait_for_function(f"({COMPARED}) && performance.now()", timeout=30_000, polling=10)
        return float(shown.json_value()) / 1000
    return float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")) / 1000


def measure(site: Path, runs: int, browser: object) -> None:
    print(f"{site}: largest page {largest(site, '.html')[1]} {largest(site, '.html')[0] / 1e6:.2f} MB")
    for name, rel, compare in (("index", "index.html", False), ("compare", "compare/index.html", True)):
        context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        page = context.new_page()
        outside: list[str] = []
        page.on("request", lambda r, seen=outside: seen.append(r.url) if not r.url.startswith(site.as_uri()) else None)
        times = [load(page, f"{site.as_uri()}/{rel}", compare) for _ in range(runs)]
        elements = page.evaluate("document.getElementsByTagName('*').length")
        size = (site / rel).stat().st_size
        print(f"  {name:<8} fastest {min(times):5.2f} s  slowest {max(times):5.2f} s   {size / 1e6:5.2f} MB,"
              f" {elements} elements (target 0.5 s){'  REQUESTS OUTSIDE THE SITE: ' + str(outside) if outside else ''}",
              flush=True)
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--providers", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--site", type=Path, nargs="*", default=[], help="sites already built (skips building)")
    parser.add_argument("--synthetic", action="store_true", help="only the shared pages, from copied scorecards")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scorecard-pages-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        make = synthetic_site if args.synthetic else build_site
        for site in args.site or [make(n, Path(tmp)) for n in args.providers]:
            measure(site.resolve(), args.runs, browser)
        browser.close()


if __name__ == "__main__":
    main()
