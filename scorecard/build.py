"""The pipeline: load, extract, score, render, then update the site in place.

Nothing in --out changes until every page and PDF is in memory and every changed file is written under
--out/.scorecard-pending; then a journal commits the moves (write_site), so a failure or Ctrl-C leaves the
previous site exactly as it was, and a build killed while moving files is finished by the next one.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import json
import os
import shutil
import signal
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment

from . import history as analysis
from .cache import (
    MANIFEST,
    BuildCache,
    analysis_key,
    extracted_facts,
    pdf_key,
    provider_key,
    render_key,
    seed_extraction,
)
from .errors import BuildFailed, ScorecardError, templates_as_errors
from .history import History, site_histories
from .limits import max_policy_mb, read_regular
from .model import Provider, Rubric, Scorecard
from .providers import load_provider, provider_folders
from .render.changes import render_changes
from .render.config import SiteConfig, load_config
from .render.site import (
    SHARED_FILES,
    SiteFiles,
    provider_file_names,
    rank,
    render_provider_files,
    shared_pages,
)
from .render.templating import make_environment
from .resources import bundled_providers, default_rubric
from .rubric import load_rubric
from .words import plural

ALL_PDF = "scorecards.pdf"  # every provider in one comparison document
SITE_MARKER = ".scorecard-site"  # only a folder with this file may be replaced by a build
STAGING_MARKER = ".scorecard-staging"  # first file of a staging folder: only a marked leftover is deleted


@dataclass
class BuildOptions:
    providers: Path | None = None
    rubric: Path | None = None
    out: Path = Path("site")
    pdf: bool = True
    templates: Path | None = None
    page_size: str = "A4"
    keep_going: bool = False
    jobs: int | None = None  # PDF worker processes; None: every core
    max_policy_mb: float | None = None  # None: $SCORECARD_MAX_POLICY_MB or limits.DEFAULT_MAX_POLICY_MB
    config: Path | None = None  # site config file: title, intro, colours (render/config.py)
    incremental: bool = True  # reuse the previous site's work for providers whose inputs did not change


@dataclass
class BuildReport:
    out: Path
    cards: list[Scorecard] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    kept: list[str] = field(default_factory=list)  # files in --out that scorecard did not make, carried over


Progress = Callable[[str, int, int], None]


def default_providers_dir() -> Path:
    local = Path("providers")
    return local if local.is_dir() else bundled_providers()


@templates_as_errors
def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    progress = progress or (lambda stage, done, total: None)
    check_options(options)
    rubric = load_rubric(options.rubric)
    folders = provider_folders(options.providers or default_providers_dir())
    out = Path(options.out)
    recover_leftovers(out.absolute())
    check_output_folder(out)
    if out.is_dir():
        with site_lock(out.absolute()):  # a build killed while moving its files: finished first
            recover_journal(out.absolute())

    config = load_config(options.config)
    # Loading the previous manifest and every scorecard makes millions of objects that all stay: a collection
    # meanwhile would only walk them again, more of them each time (the one super-linear term at 10,000
    # providers). So no collection until they are made, then they are frozen out of every later one.
    collecting = gc.isenabled()
    gc.disable()
    try:
        cache = BuildCache.open(out, analysis_key(options.rubric or default_rubric()),
                                render_key(options.templates, options.config, options.pdf),
                                pdf_key(options.templates, options.page_size, config.base_url),
                                reuse=options.incremental, limit=max_policy_mb(options.max_policy_mb))
        report, kept_slugs, loaded, computed = analyse_all(folders, rubric, cache, options, progress)
        gc.freeze()  # every scorecard is made: from here the build only renders and writes
        if collecting:
            gc.enable()
        return finish(options, rubric, config, cache, folders, report, kept_slugs, loaded, computed, progress)
    finally:
        gc.unfreeze()  # a library caller's next build starts as a fresh one would
        if collecting:
            gc.enable()


def analyse_all(folders: list[Path], rubric: Rubric, cache: BuildCache, options: BuildOptions,
                progress: Progress) -> tuple[BuildReport, set[str], dict[str, Provider], dict[str, History]]:
    """Every provider's scorecard, from the build cache or extracted (in worker processes, one per core:
    extraction is CPU-bound), in folder order. The first failure in that order stops the build, as it
    would one provider at a time; with --keep-going a failed provider keeps its last good scorecard.
    Also the histories computed (with their texts, for the policy pages), by slug."""
    report = BuildReport(out=Path(options.out))
    kept_slugs: set[str] = set()  # failed providers shown with their last good scorecard
    loaded: dict[str, Provider] = {}
    computed: dict[str, History] = {}
    outcomes: list[Scorecard | ScorecardError | None] = []
    todo: list[tuple[int, Provider, str]] = []
    progress("extract", 0, len(folders))
    for i, folder in enumerate(folders):
        unchanged = cache.unchanged(folder)  # by stat: neither read nor hashed again
        if unchanged is not None:
            provider, key = unchanged
            loaded[folder.name] = provider
            outcomes.append(cache.card(folder.name, key))
        else:
            try:
                provider = load_provider(folder, rubric)  # every file it reads checked before one is hashed
                key = provider_key(provider, options.max_policy_mb)
                loaded[folder.name] = provider
            except ScorecardError as exc:
                if not options.keep_going:
                    raise
                outcomes.append(exc)
                continue
            outcomes.append(cache.card(folder.name, key, provider))
        if outcomes[-1] is None:
            todo.append((i, provider, key))
    jobs = [(provider, rubric, options.max_policy_mb, cache.seeds(provider.slug)) for _i, provider, _key in todo]
    for (i, provider, key), outcome in zip(todo, analyse_each(jobs, options, progress, len(folders)), strict=True):
        if isinstance(outcome, tuple):
            history, extracted = outcome
            cache.remember(history.current, key, provider, extracted)
            computed[provider.slug] = history
            outcomes[i] = history.current
            continue
        if not options.keep_going and not any(isinstance(o, ScorecardError) for o in outcomes[:i]):
            raise outcome  # the first failure in folder order, as a build one provider at a time stops
        outcomes[i] = outcome
    for folder, result in zip(folders, outcomes, strict=True):
        if isinstance(result, Scorecard):
            report.cards.append(result)
            continue
        kept = cache.last_good_card(folder.name)
        if kept is not None:
            report.cards.append(kept)
            kept_slugs.add(kept.slug)
        report.failures.append((folder.name, str(result) + (" (its previous scorecard was kept)" if kept else "")))
    progress("extract", len(folders), len(folders))
    return report, kept_slugs, loaded, computed


Job = tuple[Provider, Rubric, float | None, dict[str, Any]]  # a provider to analyse, and its seeds (cache.py)
Analysed = tuple[History, dict[str, Any]] | ScorecardError  # its history and the facts extracted, or the error


def analyse_each(todo: list[Job], options: BuildOptions, progress: Progress, total: int) -> Iterator[Analysed]:
    """Histories (or the error each provider gave) in the order of `todo`: the latest version's scorecard,
    and every version's text for the policy pages (so that no policy is read twice)."""
    done = total - len(todo)
    workers = min(options.jobs or os.cpu_count() or 1, len(todo))
    if workers > 1 and any(not seeds for _provider, _rubric, _limit, seeds in todo):  # new text: detectors needed
        from .extract import detectors_for

        detectors_for(todo[0][1])  # compiled (or loaded) once, here: the forked workers share them
        # Their patterns compile on first use: the first provider is analysed here, before forking, so that the
        # workers inherit what it compiled instead of each compiling it again (extract.parallel does the same).
        yield analyse_or_error(todo[0])
        done += 1
        progress("extract", done, total)
        todo = todo[1:]
        workers = min(workers, len(todo))
    if workers <= 1:
        for job in todo:
            yield analyse_or_error(job)
            done += 1
            progress("extract", done, total)
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # see render_pdfs
    with ProcessPoolExecutor(max_workers=workers, initializer=quiet_worker, initargs=(os.getpid(),)) as pool:
        try:
            try:
                outcomes = pool.map(analyse_or_error, todo, chunksize=max(1, min(16, len(todo) // (workers * 8))))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for outcome in outcomes:
                done += 1
                progress("extract", done, total)
                yield outcome
        except BaseException:  # Ctrl-C or the first failure: drop what is queued instead of waiting for it
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def analyse_or_error(job: Job) -> Analysed:
    provider, rubric, max_policy_mb, seeds = job
    seed_extraction(seeds)
    try:
        return analysis.provider_history(provider, rubric, max_policy_mb), extracted_facts()
    except ScorecardError as exc:
        return exc


def finish(options: BuildOptions, rubric: Rubric, config: SiteConfig, cache: BuildCache, folders: list[Path],
           report: BuildReport, kept_slugs: set[str], loaded: dict[str, Provider], computed: dict[str, History],
           progress: Progress) -> BuildReport:
    """Render every page (reusing the previous site's where nothing changed) and write the site."""
    out = Path(options.out)
    if len(report.cards) == len(kept_slugs):  # never replace a site with an empty or an unchanged one
        raise ScorecardError("no provider could be built, the site was left as it was: "
                          + "; ".join(msg for _slug, msg in report.failures), out)

    env = make_environment(options.templates)
    files: SiteFiles = {SITE_MARKER: b"Built by scorecard. This folder is replaced by each build.\n"}
    fresh = [f for f in folders if f.name not in kept_slugs]  # a kept provider's history is in its kept pages
    histories = site_histories(fresh, report.cards, rubric, options.max_policy_mb, cache, loaded, computed)
    keys = {slug: entry.key for slug, entry in cache.entries.items()}
    files.update(changes_files(histories, rubric, env, config, cache, keys))
    htmls: dict[str, str] = {}  # PDFs to render
    if options.pdf:  # WeasyPrint is imported only for a build that draws PDFs: 1 s of start-up otherwise
        from .render.pdf import comparison_html, pdf_html
    for card in report.cards:
        history = histories.get(card.slug)
        names = provider_file_names(card.slug, history)
        if card.slug in kept_slugs:  # its history was not computed: keep every page the last build made for it
            made = [n for n in sorted(cache.made or ()) if n.startswith(f"{card.slug}/")
                    and n != f"{card.slug}/scorecard.pdf"]
            names = made + [n for n in names if not n.startswith(f"{card.slug}/")] if made else names
        pages = cache.reusable(card.slug, names)
        files.update(pages or render_provider_files(card, rubric, env, config, has_pdf=options.pdf, history=history))
        pdf = options.pdf and cache.reusable(card.slug, [f"{card.slug}/scorecard.pdf"], pdf=True)
        if pdf:
            files.update(pdf)
        elif options.pdf:
            htmls[f"{card.slug}/scorecard.pdf"] = pdf_html(card, rubric, env, page_size=options.page_size,
                                                           built_on=policy_day(card),
                                                           user_templates=options.templates, site=config,
                                                           has_policy=history is not None)
    shared = shared_pages(report.cards, rubric, env, config, options.templates, has_pdf=options.pdf,
                          policy_slugs=frozenset(histories), written=lambda: card_files(files, report.cards),
                          keys=keys)
    for name, page in shared.items():  # only a page whose content changed is rendered again
        files[name] = cache.reusable_page(name, page.shows) or page.make()
    if options.pdf:  # redrawn only when its own HTML changed: a provider's new quote does not redraw it
        html = comparison_html(rank(report.cards), rubric, env, site=config, page_size=options.page_size,
                               built_on=max(map(policy_day, report.cards)))
        kept_pdf = cache.reusable_document(ALL_PDF, html)
        if kept_pdf:
            files.update(kept_pdf)
        else:
            htmls.update(comparison_pdf_parts(report.cards, rubric, env, config, options, html))
    files.update(merge_comparison(render_pdfs(htmls, options.jobs, progress), report.cards, rubric, env, config,
                                  options))
    files.update(cache.entry_files())
    entries = site_entries(out)
    report.kept = foreign_files(out, set(files), cache.made, entries)
    files[MANIFEST] = manifest = cache.manifest(files)
    kept = set(report.kept)
    write_site(out, files, [rel for rel in entries if rel not in kept and rel not in files],
               rewrite=not options.incremental)
    cache.save_stamps(manifest)
    report.files = len(files)
    if report.failures:
        raise BuildFailed(f"{plural(len(report.failures), 'provider')} failed: "
                          + "; ".join(f"{slug}: {msg}" for slug, msg in report.failures), out)
    return report


CHANGES_FILES = ("changes/index.html", "feed.xml", "data/changes.json")


def changes_files(histories: dict[str, History], rubric: Rubric, env: Environment, config: SiteConfig,
                  cache: BuildCache, keys: dict[str, str]) -> SiteFiles:
    """The changes page, the feed and data/changes.json: the previous site's when every provider's history is
    (each stands for its provider's key), else made again."""
    shows = None if any(slug not in keys for slug in histories) else \
        "changes\0" + ";".join(f"{slug}={keys[slug]}" for slug in sorted(histories))
    kept = {name: cache.reusable_page(name, shows) for name in CHANGES_FILES}
    if all(kept.values()):
        return {name: path for name, path in kept.items() if path is not None}
    return render_changes(histories, rubric, env, config)


def card_files(files: SiteFiles, cards: list[Scorecard]) -> dict[str, bytes]:
    """Each provider's scorecard.json as this build writes it: rendered, or the previous site's file reused."""
    found: dict[str, bytes] = {}
    for card in cards:
        data = files.get(f"{card.slug}/scorecard.json")
        if isinstance(data, Path):
            try:
                data = data.read_bytes()
            except OSError:
                continue  # encoded again
        if isinstance(data, bytes):
            found[card.slug] = data
    return found


def policy_day(card: Scorecard) -> dt.date:
    """The date a PDF carries: SOURCE_DATE_EPOCH if set, else the policy's own date, never 'now'."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    if card.info and card.info.policy_date:
        return card.info.policy_date
    return dt.date(1970, 1, 1)


def check_options(options: BuildOptions) -> None:
    """Usage errors found before any work (the CLI checks the same; this is for library callers)."""
    if options.jobs is not None and options.jobs < 1:
        raise ScorecardError(f"--jobs must be 1 or more (leave it out to use every core), not {options.jobs}")
    if options.templates is not None and not Path(options.templates).is_dir():
        raise ScorecardError("templates folder not found", options.templates)


PART = f"{ALL_PDF}.part-"  # scorecards.pdf.part-000...: parts of the comparison drawn in parallel, then merged


def comparison_pdf_parts(cards: list[Scorecard], rubric: Rubric, env: Environment, config: SiteConfig,
                         options: BuildOptions, html: str) -> dict[str, str]:
    """scorecards.pdf to draw: whole for a small site, else in parts, one table of rows each, so that every
    core draws some of its pages (merge_comparison puts them together)."""
    from .render.pdf import comparison_html, comparison_parts

    ranked = rank(cards)
    parts = comparison_parts(ranked, options.jobs or os.cpu_count() or 1)
    if len(parts) == 1:
        return {ALL_PDF: html}
    return {f"{PART}{i:03d}": comparison_html(rows, rubric, env, site=config, page_size=options.page_size,
                                              built_on=max(map(policy_day, cards)), part=i, parts=len(parts),
                                              all_cards=ranked)
            for i, rows in enumerate(parts)}


def merge_comparison(pdfs: SiteFiles, cards: list[Scorecard], rubric: Rubric, env: Environment, config: SiteConfig,
                     options: BuildOptions) -> SiteFiles:
    """The parts of scorecards.pdf merged with pypdf in order, each page numbered "Page n of N" (laid over
    from a document of N empty numbered pages, cheap to draw)."""
    names = sorted(n for n in pdfs if n.startswith(PART))
    if not names:
        return pdfs
    from .render.pdf import comparison_html, merge_parts, page_count, render_pdf

    parts = [pdfs.pop(n) for n in names]
    drawn = [p for p in parts if isinstance(p, bytes)]
    numbers = render_pdf(comparison_html([], rubric, env, site=config, page_size=options.page_size,
                                         built_on=max(map(policy_day, cards)), footer_pages=sum(map(page_count, drawn))))
    pdfs[ALL_PDF] = merge_parts(drawn, numbers)
    return pdfs


def render_pdfs(htmls: dict[str, str], jobs: int | None, progress: Progress) -> SiteFiles:
    """WeasyPrint in parallel over all cores (it is CPU-bound and single-threaded)."""
    names = sorted(htmls, key=lambda n: (not n.startswith(ALL_PDF), n))  # long documents first, while others queue
    workers = jobs or os.cpu_count() or 1
    result: SiteFiles = {}
    jobs_in = [(n, htmls[n]) for n in names]
    if not names:
        return result
    if workers == 1 or len(names) == 1:
        pdfs: Iterable[bytes] = map(render_named_pdf, jobs_in)
        for i, (name, pdf) in enumerate(zip(names, pdfs, strict=True)):
            result[name] = pdf
            progress("pdf", i + 1, len(names))
        return result
    # Workers are forked with this process's signal handlers until quiet_worker replaces them: a SIGTERM in
    # that window would run our handler inside a worker and break the pool. So Ctrl-C and SIGTERM wait,
    # blocked, while the workers start (map submits every task, which forks them all); a signal that came
    # meanwhile is delivered as soon as each process unblocks it.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    with ProcessPoolExecutor(max_workers=min(workers, len(names)), initializer=quiet_worker,
                             initargs=(os.getpid(),)) as pool:
        try:
            try:
                pdfs = pool.map(render_named_pdf, jobs_in, chunksize=4)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for i, (name, pdf) in enumerate(zip(names, pdfs, strict=True)):
                result[name] = pdf
                progress("pdf", i + 1, len(names))
        except BaseException:  # Ctrl-C: drop the queued PDFs instead of waiting for them
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return result


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def render_named_pdf(job: tuple[str, str]) -> bytes:
    """A provider's scorecard.pdf is fitted to one page; the comparison document runs as long as it needs."""
    from .render.pdf import render_one_page_pdf, render_pdf

    name, html = job
    return render_pdf(html) if name.startswith(ALL_PDF) else render_one_page_pdf(html)


def quiet_worker(parent: int) -> None:
    """PDF workers leave Ctrl-C to the main process, which stops the build and cleans up; SIGTERM (to the
    process group) ends them at once without a traceback; and they end when the main process dies, even
    by SIGKILL (Linux: the kernel sends them SIGTERM)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler, inherited by fork
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})  # blocked by render_pdfs
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: workers still end at their next task, the pool sees the parent gone
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)



def check_output_folder(out: Path) -> None:
    """Refuse to replace a folder that is not a scorecard site (say --out . by mistake)."""
    if out.is_symlink():
        raise ScorecardError("output folder is a symbolic link; give a real folder", out)
    if out.exists() and not out.is_dir():
        raise ScorecardError("output path exists and is not a folder", out)
    if out.is_dir() and any(p.name not in INTERNAL for p in out.iterdir()) and not (out / SITE_MARKER).is_file():
        raise ScorecardError(f"output folder is not empty and was not made by scorecard (no {SITE_MARKER});"
                             " choose another --out", out)


STALE_AFTER = 600  # seconds: a staging folder this old belongs to no running build


def recover_leftovers(out: Path, now: float | None = None) -> None:
    """Tidy what a killed build (SIGKILL, power loss) left beside `out`.

    A build killed between its two renames leaves the previous site as `.NAME-old-*` and no
    `out`: put it back. Staging folders (`.NAME-new-*`) and old sites older than STALE_AFTER
    are removed; younger ones may belong to a build still running, so they stay.
    """
    if not out.parent.is_dir():
        return
    now = time.time() if now is None else now
    olds = sorted((p for p in out.parent.glob(f".{out.name}-old-*") if p.is_dir() and (p / SITE_MARKER).is_file()),
                  key=lambda p: p.stat().st_mtime)
    if not out.exists() and olds:
        os.replace(olds.pop(), out)
    for leftover in [*olds, *out.parent.glob(f".{out.name}-new-*")]:
        try:
            if leftover.is_symlink() or not leftover.is_dir() or now - leftover.stat().st_mtime <= STALE_AFTER:
                continue
            if (leftover / STAGING_MARKER).is_file() or (leftover / SITE_MARKER).is_file():
                shutil.rmtree(leftover, ignore_errors=True)  # ours: write_site marks it before anything else
            else:
                leftover.rmdir()  # an empty one may be ours (killed right after mkdtemp); anything else stays
        except OSError:
            continue


PENDING = ".scorecard-pending"  # a build's new files, written here first (flat: 0, 1, 2...), then moved into place
JOURNAL = ".scorecard-journal.json"  # written once every new file is ready: the moves and removals left to make
INTERNAL = frozenset({PENDING, JOURNAL, STAGING_MARKER})


def site_entries(out: Path) -> list[str]:
    """Every file, link and empty folder in `out` (relative, with /), but the build's own pending work."""
    if not out.is_dir() or out.is_symlink():
        return []
    root = os.fspath(out)
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        base = folder[len(root) + 1:].replace(os.sep, "/")
        prefix = f"{base}/" if base else ""
        if not base:
            dirs[:] = [d for d in dirs if d not in INTERNAL]
            names = [n for n in names if n not in INTERNAL]
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        if links:
            dirs[:] = [d for d in dirs if d not in links]
        found += [prefix + name for name in names]
        found += [prefix + name for name in links]
        if base and not names and not dirs and not links:
            found.append(base)  # an empty folder: kept as a folder
    return found


def foreign_files(out: Path, writing: set[str], made: set[str] | None,
                  entries: list[str] | None = None) -> list[str]:
    """Files, links and empty folders in `out` that scorecard did not make (CNAME, robots.txt, .git...): the
    build leaves them where they are. What scorecard made is listed in the previous manifest (`made`, which
    BuildCache.open read); a site from an
    older scorecard without that list keeps what sits outside the names this build writes and outside
    provider folders (those holding a scorecard.json). `entries`: site_entries(out), if already listed."""
    if not out.is_dir() or out.is_symlink():
        return []
    tops: set[str] = set()
    if made is None:
        tops = {rel.split("/")[0] for rel in [*writing, *SHARED_FILES, ALL_PDF, "feed.xml", "changes/"]} | {
            p.name for p in out.iterdir() if p.is_dir() and (p / "scorecard.json").is_file()}
    ours = {MANIFEST, SITE_MARKER, STAGING_MARKER} | writing
    folders = {rel.rpartition("/")[0] for rel in writing}
    while "" in folders:
        folders.remove("")
    for folder in list(folders):
        while "/" in folder:
            folder = folder.rpartition("/")[0]
            folders.add(folder)
    ours |= folders
    return sorted(rel for rel in (site_entries(out) if entries is None else entries)
                  if not (rel in ours or (made is not None and rel in made)
                          or (made is None and rel.split("/")[0] in tops)))


def write_site(out: Path, files: SiteFiles, remove: Iterable[str] = (), rewrite: bool = False) -> int:
    """Bring `out` to hold `files` in place, writing only those whose bytes differ, and removing `remove` (files
    of the previous build that this one does not make); the publisher's own files are not touched. Nothing
    in `out` changes until every new file is written, under out/.scorecard-pending; then a journal of the
    moves and removals is written (atomically: the commit point) and applied. A failure before the
    journal leaves `out` as it was (the pending files are removed); a build killed while applying it is
    finished by the next one (recover_journal), so the site is always one build's or the next's.
    `rewrite`: write every file anew, even one whose bytes are there (a --full build trusts nothing of the
    previous site). Returns how many files were written or removed."""
    out = out.absolute()
    for rel in files:
        check_relative(rel, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # named: the folder it cannot be made in
        raise ScorecardError(f"cannot write the site: {exc.strerror}", out.parent) from None
    with site_lock(out):
        return _write_site(out, files, remove, rewrite)


@contextlib.contextmanager
def site_lock(out: Path) -> Iterator[None]:
    """One build at a time writes into a site (they share its pending folder): a second waits for the first."""
    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise ScorecardError(f"cannot write the site: {exc.strerror}", out) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and the lock with it


def _write_site(out: Path, files: SiteFiles, remove: Iterable[str], rewrite: bool) -> int:
    recover_journal(out)
    pending = out / PENDING
    writes: list[str] = []
    checked_folders: dict[str, bool] = {"": True}
    try:
        for rel, data in sorted(files.items(), key=lambda item: (item[0] == MANIFEST, item[0] != SITE_MARKER, item[0])):  # marker first, manifest last
            target = out / rel
            if isinstance(data, Path) and data == target and not rewrite:
                continue  # the previous build's file, reused where it is
            if check_folders(out, rel, checked_folders) and not rewrite and same_file(target, data):
                continue  # the same bytes are there (a folder still to make holds nothing yet)
            if not writes:
                pending.mkdir(exist_ok=True)
            name = pending / str(len(writes))
            if isinstance(data, Path):
                link_or_copy(data, name)
            else:
                name.write_bytes(data)
            writes.append(rel)
        removals = sorted(set(remove) - set(files))
        if not writes and not removals:
            return 0
        journal = json.dumps({"write": writes, "remove": removals}, ensure_ascii=False).encode("utf-8")
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # a Ctrl-C now waits for the commit
        try:
            pending.mkdir(exist_ok=True)
            (pending / "journal").write_bytes(journal)
            os.replace(pending / "journal", out / JOURNAL)  # the commit: from here the new site is the one
            apply_journal(out, writes, removals)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    except OSError as exc:
        if not (out / JOURNAL).exists():
            shutil.rmtree(pending, ignore_errors=True)
        raise ScorecardError(f"cannot write the site: {exc.strerror}", out) from None
    except BaseException:
        if not (out / JOURNAL).exists():
            shutil.rmtree(pending, ignore_errors=True)
        raise
    return len(writes) + len(removals)


def check_relative(rel: str, out: Path) -> None:
    parts = rel.split("/")
    if rel.startswith("/") or "\\" in rel or "\0" in rel or any(p in ("", ".", "..") for p in parts) \
            or parts[0] in INTERNAL:
        raise ScorecardError(f"refusing to write outside the output folder: {rel}", out)


def check_folders(out: Path, rel: str, known: dict[str, bool]) -> bool:
    """True if every folder of `rel` is there (a real folder, never a link), False if one is still to make;
    a link or a file in the way is refused before anything is written."""
    folder = rel.rpartition("/")[0]
    if folder in known:
        return known[folder]
    there = check_folders(out, folder, known)
    if there:
        try:
            info = os.lstat(out / folder)
        except FileNotFoundError:
            there = False
        else:
            if not stat.S_ISDIR(info.st_mode):
                raise ScorecardError(f"refusing to write through a link or a file in the output folder: {folder}",
                                     out)
    known[folder] = there
    return there


def same_file(target: Path, data: bytes | Path) -> bool:
    """True if `target` is a plain file holding these bytes."""
    try:
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode):
            return False
        if isinstance(data, Path):
            return os.path.samefile(data, target) or (info.st_size == data.stat().st_size
                                                      and data.read_bytes() == target.read_bytes())
        return info.st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def apply_journal(out: Path, writes: list[str], removals: list[str]) -> None:
    """Move each pending file into place and remove what the build no longer makes (then the folders that
    leaves empty); each step may already be done, by a build killed meanwhile."""
    pending = out / PENDING
    made: set[str] = set()
    for i, rel in enumerate(writes):
        source = pending / str(i)
        if not source.exists():
            continue  # moved already
        folder = rel.rpartition("/")[0]
        if folder and folder not in made:
            (out / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        target = out / rel
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)  # an old folder of ours where a file now goes
        os.replace(source, target)
    emptied: set[str] = set()
    for rel in removals:
        target = out / rel
        try:
            if target.is_dir() and not target.is_symlink():
                target.rmdir()
            else:
                target.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            continue  # a folder no longer empty: what is in it stays
        emptied.add(rel.rpartition("/")[0])
    for folder in sorted(emptied, key=lambda f: -f.count("/")):
        while folder:
            try:
                (out / folder).rmdir()
            except OSError:
                break  # not empty (or gone)
            folder = folder.rpartition("/")[0]
    (out / JOURNAL).unlink()
    shutil.rmtree(pending, ignore_errors=True)


def recover_journal(out: Path) -> None:
    """Finish the update a killed build committed (its journal is there), or drop the files of one that was
    killed before its commit (pending files without a journal): either way the site is one build's."""
    journal = out / JOURNAL
    if not journal.exists() and not journal.is_symlink():
        if (out / PENDING).is_dir() and not (out / PENDING).is_symlink():
            shutil.rmtree(out / PENDING, ignore_errors=True)
        return
    try:
        data = json.loads(read_regular(journal, 200_000_000).decode("utf-8"))
    except (ScorecardError, ValueError):
        data = None
    writes = data.get("write") if isinstance(data, dict) else None
    removals = data.get("remove") if isinstance(data, dict) else None
    if not (isinstance(writes, list) and isinstance(removals, list)
            and all(isinstance(r, str) for r in [*writes, *removals])):
        raise ScorecardError("the journal of an interrupted build is damaged, so the site cannot be finished; "
                             f"remove it and {PENDING}/ to build the site afresh", journal)
    for rel in [*writes, *removals]:
        check_relative(rel, out)
    try:
        apply_journal(out, writes, removals)
    except OSError as exc:
        raise ScorecardError(f"cannot finish the interrupted build: {exc.strerror}", journal) from None


def link_or_copy(source: Path, target: Path) -> None:
    """A hardlink costs no copy; other file systems get a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
