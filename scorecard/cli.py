"""The `scorecard` command: thin Typer commands over the library.

Exit status: 0 success, 1 some providers failed under --keep-going, 2 bad input or usage,
3 a bug in scorecard, 130 or 143 interrupted.
"""
from __future__ import annotations

import enum
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from .errors import ScorecardError
from .model import Rubric, Scorecard
from .words import plural

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID
    from rich.table import Table


def plain_help(params: list[Any]) -> list[Any]:
    """--help in words, not Typer's type placeholders (<bool>, <list[Path]>, {paths}): a flag shows no
    value, an option its METAVAR, an argument its name in capitals (optional ones in brackets)."""
    for param in params:
        if isinstance(param, TyperArgument):
            param.metavar = param.metavar or (param.name or "").upper()
            setattr(param, "display_type_rich", _no_type)  # noqa: B010 - a method slot: mypy refuses plain assignment
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = "" if param.is_flag else (param.name or "").upper()
    return params


def _no_type(ctx: Any) -> None:
    return None


class Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return plain_help(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = ["[OPTIONS]"]
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = (param.metavar or "") + ("..." if param.nargs != 1 else "")
                pieces.append(name if param.required else f"[{name}]")
        return pieces


class Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return plain_help(super().get_params(ctx))


app = typer.Typer(cls=Group, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Privacy scorecards: extract facts from policies, score them, build a site and PDFs.")


class _Console:
    """A rich Console made on first use: importing rich is a tenth of a small `extract`, which prints none."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.made: Console | None = None

    @property
    def console(self) -> Console:
        if self.made is None:
            from rich.console import Console
            self.made = Console(**self.options)
        return self.made

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


err = _Console(stderr=True, highlight=False, soft_wrap=True)
out = _Console(highlight=False)
state = {"debug": False}


class Format(enum.StrEnum):
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"


class PageSize(enum.StrEnum):
    a4 = "A4"
    letter = "Letter"


RubricOpt = Annotated[Path | None, typer.Option("--rubric", metavar="FILE", help="Rubric YAML file (default: the packaged one).")]
ProvidersOpt = Annotated[Path | None, typer.Option(
    "--providers", metavar="FOLDER", help="Folder of provider folders (default: ./providers, else the bundled examples).")]
WritableProvidersOpt = Annotated[Path, typer.Option(  # review and fetch write into it: never the bundled examples
    "--providers", metavar="FOLDER", help="Folder of provider folders (default: ./providers).")]
MaxPolicyOpt = Annotated[float | None, typer.Option(
    "--max-policy-mb", min=0.001, metavar="MB", help="Refuse policy files bigger than this (default: $SCORECARD_MAX_POLICY_MB or 20).")]


@app.callback()
def options(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    state["debug"] = debug


@app.command("build", cls=Command)
def build_command(
    providers: ProvidersOpt = None,
    rubric: RubricOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Output folder, updated in place (a build killed midway is finished by the next).")] = Path("site"),
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Render a PDF per provider.")] = True,
    templates: Annotated[Path | None, typer.Option(
        "--templates", metavar="FOLDER", exists=True, file_okay=False, dir_okay=True,
        help="Folder of templates to use before the packaged ones.")] = None,
    page_size: Annotated[PageSize, typer.Option("--page-size", metavar="A4|Letter", help="PDF page size.")] = PageSize.a4,
    keep_going: Annotated[bool, typer.Option(
        "--keep-going", help="Build every provider that can be built; exit 1 if any failed.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N", help="PDF worker processes (default: every core).", show_default=False)] = None,
    max_policy_mb: MaxPolicyOpt = None,
    config: Annotated[Path | None, typer.Option(
        "--config", metavar="FILE", help="Site config YAML: title, intro, colours (rebrand without new templates).")] = None,
    incremental: Annotated[bool, typer.Option(
        "--incremental/--full", help="Reuse the previous site's work for unchanged providers.")] = True,
) -> None:
    """Build the static site, PDFs and open data from provider folders."""
    from .build import BuildOptions, build

    options = BuildOptions(providers=providers, rubric=rubric, out=out_dir, pdf=pdf, templates=templates,
                           page_size=page_size.value, keep_going=keep_going, jobs=jobs,
                           max_policy_mb=max_policy_mb, config=config, incremental=incremental)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err.console, transient=True, disable=not err.is_terminal) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task({"extract": "Extracting", "pdf": "Rendering PDFs"}.get(stage, stage),
                                            total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = build(options, progress)
    kept = ""
    if report.kept:  # the publisher's own files (CNAME, .git, robots.txt): carried over, said so
        tops = sorted({rel.split("/")[0] for rel in report.kept})
        kept = (f"; kept {plural(len(report.kept), 'file')} scorecard did not make: {', '.join(tops[:5])}"
                + (f" and {len(tops) - 5} more" if len(tops) > 5 else ""))
    err.print(f"Built {plural(len(report.cards), 'scorecard')}, {plural(report.files, 'file')} in {report.out}{kept}",
              markup=False)


@app.command(cls=Command)
def extract(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE", help="Policy files (.txt .md .html .pdf).")],
    rubric: RubricOpt = None,
    fmt: Annotated[Format, typer.Option("--format", metavar="json|jsonl|yaml", help="json, jsonl (one line per file) or yaml.")] = Format.json,
    max_policy_mb: MaxPolicyOpt = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes (default: every core); output is in input order.",
        show_default=False)] = None,
) -> None:
    """Print the facts found in policy files, without building."""
    from .extract.parallel import extract_lines, extract_records
    from .rubric import load_rubric

    results = []
    if fmt is Format.jsonl:  # each line made in the worker that extracted it
        for line in extract_lines(paths, load_rubric(rubric), max_policy_mb, jobs):
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
    else:
        results = list(extract_records(paths, load_rubric(rubric), max_policy_mb, jobs))
    if fmt is Format.json:
        data = results[0] if len(results) == 1 else results
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.yaml:
        import yaml
        sys.stdout.write(yaml.safe_dump_all(results, allow_unicode=True, sort_keys=False))


@app.command("extract-cluster", cls=Command)
def extract_cluster(
    inputs: Annotated[list[str], typer.Argument(
        help="Policy files, folders (every policy file inside) or glob patterns, on a filesystem every"
        " worker sees.")],
    out_file: Annotated[Path, typer.Option("--out", help="JSONL file to write, one line per file.")],
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address, tcp://HOST:8786 (default: a local cluster).")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Local cluster only: worker processes (default: every core).",
        show_default=False)] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Files per task.")] = 200,
    rubric: RubricOpt = None,
    max_policy_mb: MaxPolicyOpt = None,
) -> None:
    """Extract facts from a whole corpus on a Dask cluster (pip install 'scorecard[cluster]'): the lines
    of 'extract --format jsonl', in input order; a file that cannot be read is an error line (exit 1)."""
    from .errors import BuildFailed
    from .extract.cluster import extract_cluster as run_cluster

    report = run_cluster(inputs, out_file, scheduler=scheduler, workers=workers, batch=batch, rubric=rubric,
                         max_policy_mb=max_policy_mb)
    err.print(f"Extracted {report.files} files in {report.batches} tasks on {report.workers} workers in"
              f" {report.seconds:.1f} s: {report.out}", markup=False)
    if report.errors:
        raise BuildFailed(f"{report.errors} of {report.files} files could not be read; their lines in"
                          f" {report.out} say why")


@app.command(cls=Command)
def score(
    dirs: Annotated[list[Path], typer.Argument(metavar="FOLDER", help="Provider folders.")],
    rubric: RubricOpt = None,
    max_policy_mb: MaxPolicyOpt = None,
) -> None:
    """Print the grade and breakdown of provider folders."""
    from .history import provider_history
    from .providers import load_providers
    from .rubric import load_rubric

    loaded = load_rubric(rubric)
    for provider in load_providers(dirs, loaded):
        card = provider_history(provider, loaded, max_policy_mb).current  # the latest version's scorecard
        out.print(score_table(card, loaded))


def score_table(card: Scorecard, rubric: Rubric) -> Table:
    """Questions and labels, as on the site; a cap and any doubt in words."""
    from rich.table import Table

    from .render.doubt import doubt

    title = f"{card.name}: grade {card.grade}, {card.score}/100"
    if card.caps:
        title += f" (capped at {card.grade} by '{card.caps[0].label}'; the score alone gives {card.uncapped_grade})"
    table = Table(title=title, title_justify="left", box=None, pad_edge=False, padding=(0, 1), header_style="bold",
                  caption="? unsure: the policy says two things, or no person checked a doubtful answer. "
                          "By: a person checked it, or it was found automatically.", caption_justify="left")
    table.add_column("Question", no_wrap=True)
    table.add_column("Answer", no_wrap=True)
    table.add_column("Points", justify="right", no_wrap=True)
    table.add_column("By", no_wrap=True)
    for row in card.practices:
        answer = ("? " if doubt(row, rubric) else "") + row.label + (" (partly)" if row.partial else "")
        table.add_row(row.question, answer, f"{row.points}/{row.possible}",
                      "person" if row.fact.source == "reviewed" else "auto")
    return table


@app.command(cls=Command)
def validate(rubric: RubricOpt = None, providers: ProvidersOpt = None, max_policy_mb: MaxPolicyOpt = None) -> None:
    """Check the rubric, detectors and every provider folder; exit 0 or 2."""
    from .build import default_providers_dir
    from .extract import check_detection
    from .history import provider_history
    from .providers import discover
    from .rubric import load_rubric

    loaded = load_rubric(rubric)
    check_detection(loaded)  # a practice without detection rules would read not_stated forever
    found = discover(providers or default_providers_dir(), loaded)
    for provider in found:
        provider_history(provider, loaded, max_policy_mb)  # the same checks as a build: size, text, reviewed quotes
    out.print(f"OK: rubric {loaded.version} with {plural(len(loaded.practices), 'practice')},"
              f" {plural(len(found), 'provider')}", markup=False)


@app.command(cls=Command)
def review(
    slug: Annotated[str, typer.Argument(help="The provider to review.")],
    providers: WritableProvidersOpt = Path("providers"),
    rubric: RubricOpt = None,
    max_policy_mb: MaxPolicyOpt = None,
) -> None:
    """Write providers/SLUG/facts.yaml: extracted facts with quotes, for a person to confirm or override."""
    from .providers import check_slug, load_provider, require_providers_dir
    from .review import review as write_review
    from .rubric import load_rubric

    loaded = load_rubric(rubric)
    provider = load_provider(require_providers_dir(providers) / check_slug(slug, providers), loaded)
    path, kept, drafted = write_review(provider, loaded, max_policy_mb)
    err.print(f"Wrote {path}: {plural(kept, 'reviewed fact')} kept, {drafted:,} drafted for review", markup=False)


@app.command(cls=Command)
def fetch(
    slugs: Annotated[list[str] | None, typer.Argument(
        help="Providers to fetch (default: every provider with a policy_url).", show_default=False)] = None,
    providers: WritableProvidersOpt = Path("providers"),
    rubric: RubricOpt = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, metavar="SECONDS",
        help="Seconds for a whole page: connecting, redirects, headers and body.")] = 20.0,
    accept: Annotated[bool, typer.Option(
        "--accept", help="Download nothing: make the page kept aside for each named provider (one that did"
        " not read like a privacy policy) its newest version.")] = False,
) -> None:
    """Download each policy_url; keep a dated snapshot in versions/ when the text changed. A page that does
    not read like a policy is kept aside in versions/.pending/. Exit 1 if any failed or was kept aside."""
    from .errors import BuildFailed
    from .fetch import FetchOptions, fetch_providers
    from .providers import require_providers_dir
    from .rubric import load_rubric

    results = fetch_providers(require_providers_dir(providers), load_rubric(rubric), slugs,
                              FetchOptions(timeout=timeout, total_timeout=timeout), accept=accept,
                              report=lambda r: (err if r.failed or r.held else out).print(
                                  f"{r.slug}: {r.status}: {r.message}", markup=False, soft_wrap=True))
    failed = len({r.slug.split("/")[0] for r in results if r.failed})  # a provider of several documents counts once
    held = sum(r.held for r in results)
    if failed or held:
        total = len({r.slug.split("/")[0] for r in results})
        problems = [f"{failed:,} of {plural(total, 'provider')} could not be fetched"] if failed else []
        if held:
            problems.append(f"{plural(held, 'page')} kept aside, not saved: check them, then 'scorecard fetch SLUG"
                            " --accept'")
        raise BuildFailed(f"{', '.join(problems)}; nothing saved before was changed")


@app.command(cls=Command)
def add(
    slug: Annotated[str, typer.Argument(help="The new provider's folder name: lowercase letters, digits, hyphens.")],
    url: Annotated[str, typer.Option("--url", metavar="URL", help="Address of its privacy policy.", show_default=False)],
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="Its name as readers see it (default: from the slug).",
                                      show_default=False)] = "",
    providers: Annotated[Path, typer.Option(
        "--providers", metavar="FOLDER", help="Folder of provider folders, made if missing.")] = Path("providers"),
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", help="Seconds to wait for the server.")] = 20.0,
) -> None:
    """Add a provider by the URL of its policy: write providers/SLUG/provider.yaml and fetch the first version."""
    import shutil

    from .errors import BuildFailed
    from .fetch import FetchOptions, fetch_provider
    from .providers import PROVIDER_FILE, load_provider, new_provider
    from .rubric import load_rubric

    folder = new_provider(providers, slug, url, name)
    result = fetch_provider(load_provider(folder, load_rubric(None)), FetchOptions(timeout=timeout))
    if result.failed:  # an empty provider would fail every build: nothing is added
        shutil.rmtree(folder, ignore_errors=True)
        raise BuildFailed(f"{slug}: the policy could not be fetched: {result.message}; nothing was added")
    out.print(f"Added {slug}: {folder / PROVIDER_FILE}, {result.message}", markup=False, soft_wrap=True)


@app.command(cls=Command)
def diff(
    slug: Annotated[str, typer.Argument(help="The provider.")],
    since: Annotated[datetime | None, typer.Option(
        "--from", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="The version in force on this day (default: the one before --to).")] = None,
    until: Annotated[datetime | None, typer.Option(
        "--to", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="The version in force on this day (default: the latest).")] = None,
    providers: ProvidersOpt = None,
    rubric: RubricOpt = None,
) -> None:
    """Print what changed between two versions of a policy: score, grade, facts and sentences."""
    from .build import default_providers_dir
    from .history import pick, provider_history
    from .providers import check_slug, load_provider, require_providers_dir
    from .render.changes import change_text
    from .rubric import load_rubric

    loaded = load_rubric(rubric)
    folder = require_providers_dir(providers or default_providers_dir())
    provider = load_provider(folder / check_slug(slug, folder), loaded)
    history = provider_history(provider, loaded)
    change = pick(history, since and since.date(), until and until.date())
    if change is None:
        err.print(f"{slug} has one version ({history.versions[0].version.label}): nothing to compare yet;"
                  " 'scorecard fetch' adds versions", markup=False)
        return
    sys.stdout.write(change_text(change))


@app.command(cls=Command)
def serve(
    out_dir: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="The built site's folder.")] = Path("site"),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="N", help="Port on 127.0.0.1 (0: any free one).")] = 8000,
) -> None:
    """Preview the built site at http://127.0.0.1:PORT/ (this computer only); Ctrl-C stops it."""
    from .serve import preview_server

    server = preview_server(out_dir, port)
    host, bound = server.server_address[:2]
    out.print(f"Serving {out_dir} at http://{host!s}:{bound}/ (only this computer can open it; Ctrl-C stops)",
              markup=False, soft_wrap=True)
    sys.stdout.flush()  # the address is read by whoever started us, maybe through a pipe
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: stopping is what the user asked for
        pass
    finally:
        server.server_close()


def main() -> None:
    """Console entry point: bad input is one line on stderr and exit 2, never a traceback (--debug shows it).

    Ctrl-C or SIGTERM: exit 130 or 143, and a build leaves the previous site as it was."""
    import signal

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = app(standalone_mode=False, prog_name="scorecard")  # we print errors ourselves, Ctrl-C too
    except ScorecardError as exc:
        _fail(exc, f"error: {exc}", exc.exit_code)
    except (KeyboardInterrupt, typer.Abort) as exc:
        code = 143 if isinstance(exc, _Terminated) else 130
        _fail(exc, "interrupted: nothing was changed", code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except OSError as exc:  # the environment, not scorecard: permission denied, read-only, disk full
        where = exc.filename or ""
        _fail(exc, f"error: {where}{': ' if where else ''}{exc.strerror or exc}", 2)
    except typer.TyperException as exc:  # usage errors: Typer's own words on one line, exit 2
        if type(exc).__name__ == "NoArgsIsHelpError":  # plain `scorecard`: the help, as Typer shows it
            show = getattr(exc, "show", None)
            if show is not None:
                show()
            sys.exit(exc.exit_code)
        hint = ""
        context = getattr(exc, "ctx", None)
        if context is not None and getattr(context, "command_path", None):
            hint = f" (see '{context.command_path} --help')"
        err.print(" ".join(f"error: {exc.format_message()}{hint}".split()), markup=False)
        sys.exit(exc.exit_code)
    except Exception as exc:
        _fail(exc, f"error: unexpected {type(exc).__name__}: {exc} (a bug in scorecard; run with --debug"
                   " for the traceback and report it)", 3)
    if code == 130:  # Typer turns Ctrl-C into exit 130 without a word
        _fail(None, "interrupted: nothing was changed", 143 if state.get("terminated") else 130)
    sys.exit(code if isinstance(code, int) else 0)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C so that nothing is left half done."""


def _interrupt(signum: int, frame: object) -> None:
    state["terminated"] = True
    raise _Terminated()


def _fail(exc: BaseException | None, line: str, code: int) -> None:
    if state["debug"] and exc is not None:
        raise exc
    err.print(" ".join(line.split()), markup=False)
    sys.exit(code)
