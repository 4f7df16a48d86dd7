"""The site is updated in place: a rebuild writes only the files whose bytes change, and a build killed while
it moves its new files into place is finished by the next one (the journal), so nothing already built is lost."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scorecard import build as build_module
from scorecard import cache as cache_module
from scorecard.build import JOURNAL, PENDING, BuildOptions, build
from tests.helpers import copy_providers


def stats(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of the site with its inode and modification time: a file written anew changes both."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, BuildOptions]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(cache_module, "RACY_NS", -10**12)  # files made a moment ago count as settled
    providers = copy_providers(tmp_path / "providers", ["cloudcone", "cloudpockets", "cloud9"])
    options = BuildOptions(providers=providers, out=tmp_path / "site", pdf=False, jobs=1)
    build(options)
    return providers, options


def rename(providers: Path, slug: str, new: str) -> None:
    info = providers / slug / "provider.yaml"
    lines = [f"name: {new}" if line.startswith("name: ") else line
             for line in info.read_text(encoding="utf-8").splitlines()]
    info.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_unchanged_rebuild_writes_no_file(site: tuple[Path, BuildOptions]) -> None:
    _providers, options = site
    before = stats(options.out)
    build(options)
    assert stats(options.out) == before
    assert not (options.out / PENDING).exists() and not (options.out / JOURNAL).exists()


def test_one_changed_provider_rewrites_only_what_shows_it(site: tuple[Path, BuildOptions]) -> None:
    providers, options = site
    out = options.out
    before = stats(out)
    rename(providers, "cloudpockets", "Pockets Renamed")
    build(options)
    after = stats(out)
    assert set(after) == set(before)
    rewritten = {rel for rel in after if after[rel] != before[rel]}
    assert {"cloudpockets/index.html", "index.html", "data/scorecards.json"} <= rewritten
    assert not any(rel.startswith(("cloudcone/", "cloud9/")) for rel in rewritten)
    assert not {"methodology/index.html", "compare/index.html", "assets/site.css", "assets/site.js"} & rewritten
    assert "Pockets Renamed" in (out / "index.html").read_text(encoding="utf-8")


def test_a_removed_provider_leaves_no_file_and_the_publishers_files_stay(site: tuple[Path, BuildOptions]) -> None:
    providers, options = site
    out = options.out
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    (out / "cloud9" / "notes.txt").write_text("mine\n", encoding="utf-8")
    for path in sorted((providers / "cloudcone").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (providers / "cloudcone").rmdir()
    build(options)
    assert not (out / "cloudcone").exists() and not (out / "data" / "compare" / "cloudcone.js").exists()
    assert (out / "CNAME").read_text(encoding="utf-8") == "example.org\n"
    assert (out / "cloud9" / "notes.txt").is_file()
    listed = set(json.loads((out / ".scorecard-manifest.json").read_text(encoding="utf-8"))["files"])
    assert not any(rel.startswith("cloudcone/") for rel in listed)


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the build runs after it."""


def kill_after_moves(monkeypatch: pytest.MonkeyPatch, moves: int) -> None:
    """os.replace dies once the journal is committed (the first replace) and `moves` files were moved."""
    real = os.replace
    calls = {"n": 0}

    def replace(source: object, target: object) -> None:
        calls["n"] += 1
        if calls["n"] > 1 + moves:
            raise Killed
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module.os, "replace", replace)


def test_a_build_killed_after_its_commit_is_finished_by_the_next(site: tuple[Path, BuildOptions], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    providers, options = site
    rename(providers, "cloudpockets", "Pockets Renamed")
    with monkeypatch.context() as patch:
        kill_after_moves(patch, 1)
        with pytest.raises(Killed):
            build(options)
    assert (options.out / JOURNAL).is_file()  # half applied: the journal says what is left
    # The next build, here with a bad provider: it finishes the killed one first, then stops with one line.
    facts = providers / "cloud9" / "facts.yaml"
    good = facts.read_bytes() if facts.is_file() else None
    facts.write_text("facts:\n  data_sale: {value: rented}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "scorecard", "build", "--providers", str(providers),
                             "--out", str(options.out), "--no-pdf"], capture_output=True, text=True, check=False,
                            cwd=tmp_path, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "user-cache")})
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {providers / 'cloud9' / 'facts.yaml'}:")
    assert not (options.out / JOURNAL).exists() and not (options.out / PENDING).exists()
    if good is None:
        facts.unlink()
    else:
        facts.write_bytes(good)
    clean = BuildOptions(providers=providers, out=tmp_path / "clean", pdf=False, jobs=1)
    build(clean)  # the same inputs built from nothing: the recovered site is that site
    recovered, fresh = snapshot(options.out), snapshot(clean.out)
    assert set(recovered) == set(fresh)
    assert [rel for rel in fresh if recovered[rel] != fresh[rel] and not rel.startswith(".scorecard")] == []
    assert "Pockets Renamed" in (options.out / "index.html").read_text(encoding="utf-8")


def test_a_build_killed_before_its_commit_leaves_the_previous_site(site: tuple[Path, BuildOptions],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    providers, options = site
    before = snapshot(options.out)
    rename(providers, "cloudpockets", "Pockets Renamed")
    with monkeypatch.context() as patch:
        kill_after_moves(patch, -1)  # the commit itself dies
        with pytest.raises(Killed):
            build(options)
    assert not (options.out / JOURNAL).exists()
    assert {rel: data for rel, data in snapshot(options.out).items() if not rel.startswith(PENDING)} == before
    rename(providers, "cloudpockets", "CloudPockets")
    build(options)
    assert snapshot(options.out) == before  # the pending files are gone


def test_a_damaged_journal_is_one_line_and_exit_2(site: tuple[Path, BuildOptions], tmp_path: Path) -> None:
    providers, options = site
    before = snapshot(options.out)
    (options.out / JOURNAL).write_text("{not json", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "scorecard", "build", "--providers", str(providers),
                             "--out", str(options.out), "--no-pdf"], capture_output=True, text=True, check=False,
                            cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: {options.out / JOURNAL}: the journal of an interrupted build is damaged")
    assert {rel: data for rel, data in snapshot(options.out).items() if rel != JOURNAL} == before


def test_only_the_shared_pages_that_show_a_changed_provider_are_rendered_again(
        site: tuple[Path, BuildOptions], monkeypatch: pytest.MonkeyPatch) -> None:
    """One provider per index page: renaming one renders its index page and its page of each practice,
    the open data, and nothing else that every provider's build shows."""
    from scorecard.render import site as site_module

    providers, options = site
    monkeypatch.setattr(site_module, "PAGE_ROWS", 1)
    build(options)  # three index pages
    names = {}
    for page in ("index.html", "index-2.html", "index-3.html"):
        text = (options.out / page).read_text(encoding="utf-8")
        names[page] = next(slug for slug in ("cloudcone", "cloudpockets", "cloud9") if f'href="{slug}/index.html"' in text)
    rendered: list[str] = []
    for context in ("IndexContext", "PracticeContext", "CompareContext", "MethodologyContext"):
        real = getattr(site_module, context).render

        def render(self: object, env: object, real: object = real, context: str = context) -> str:
            rendered.append(context)
            return real(self, env)  # type: ignore[operator]

        monkeypatch.setattr(getattr(site_module, context), "render", render)
    before = stats(options.out)
    rename(providers, "cloudpockets", "CloudPockets")  # the same name: nothing changes
    build(options)
    assert rendered == [] and stats(options.out) == before
    rename(providers, "cloudpockets", "CloudPockets Renamed")
    build(options)
    practices = len({rel.split("/")[1] for rel in before if rel.startswith("practices/")})
    assert sorted(rendered) == ["IndexContext"] + ["PracticeContext"] * practices
    after = stats(options.out)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    own = next(page for page, slug in names.items() if slug == "cloudpockets")
    assert {page for page in names if page in changed} == {own}
    assert {rel for rel in changed if rel.startswith("practices/")} == {
        f"practices/{p}/{own}" for p in {rel.split("/")[1] for rel in before if rel.startswith("practices/")}}
