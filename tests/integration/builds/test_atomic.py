"""Nothing lost: a failed, interrupted or partial build leaves the previous site byte for byte; user files are
written atomically."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scorecard.atomic import write_bytes_atomic, write_text_atomic
from scorecard.build import write_site
from scorecard.errors import ScorecardError

from tests.helpers import ROOT, make_provider

POLICY = "We do not sell your personal information. We keep your data for 30 days.\n"


def scorecard(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True, cwd=cwd)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, out: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{out.name}-"))


@pytest.fixture()
def built(tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    """Three providers and the site built from them (no PDFs, for speed)."""
    providers = tmp_path / "providers"
    for slug in ("alpha", "beta", "gamma"):
        make_provider(providers, slug, POLICY, policy_date="2026-01-01")
    out = tmp_path / "site"
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return providers, out, snapshot(out)


def test_a_bad_provider_stops_the_build_and_changes_nothing(built, tmp_path):
    providers, out, before = built
    (providers / "beta" / "facts.yaml").write_text("facts:\n  data_sale: {value: rented}\n", encoding="utf-8")
    (providers / "alpha" / "policy.txt").write_text(POLICY + "We sell your data.\n", encoding="utf-8")
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {providers / 'beta' / 'facts.yaml'}:2:")
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


def test_a_template_that_raises_mid_render_changes_nothing(built, tmp_path):
    providers, out, before = built
    templates = tmp_path / "templates"
    templates.mkdir()
    packaged = (ROOT / "templates" / "provider.html").read_text(encoding="utf-8")
    assert packaged.count("{% block main %}") == 1
    (templates / "provider.html").write_text(packaged.replace(
        "{% block main %}", "{% block main %}{% if card.slug == 'gamma' %}{{ card.no_such_field }}{% endif %}"),
        encoding="utf-8")
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf",
                       "--templates", str(templates), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {templates / 'provider.html'}:")
    assert "no_such_field" in result.stderr
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


def test_keep_going_builds_the_others_and_exits_1(built, tmp_path):
    providers, out, before = built
    (providers / "beta" / "provider.yaml").write_text("name: Beta\n", encoding="utf-8")
    (providers / "Delta").mkdir()
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", "--keep-going",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {out}: 2 providers failed: ")
    assert "Delta: " in result.stderr and "beta: " in result.stderr and "names no policy_file and no policy_url" in result.stderr
    assert (out / "alpha" / "index.html").is_file() and (out / "gamma" / "index.html").is_file()
    assert "beta: " in result.stderr and "(its previous scorecard was kept)" in result.stderr
    # Nothing already built is lost: beta keeps its last good pages and stays on the index.
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k.startswith("beta/")} == \
        {k: v for k, v in before.items() if k.startswith("beta/")}
    assert 'href="beta/index.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "Delta").exists()


def test_keep_going_drops_a_failed_provider_that_was_never_built(built, tmp_path):
    providers, out, _before = built
    (providers / "delta").mkdir()
    (providers / "delta" / "provider.yaml").write_text("name: Delta\n", encoding="utf-8")
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", "--keep-going",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert "delta: " in result.stderr and "kept" not in result.stderr
    assert not (out / "delta").exists()


def test_keep_going_with_nothing_buildable_changes_nothing(built, tmp_path):
    providers, out, before = built
    for slug in ("alpha", "beta", "gamma"):
        (providers / slug / "provider.yaml").write_text("- not a mapping\n", encoding="utf-8")
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", "--keep-going",
                       cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {out}: no provider could be built, the site was left as it was: ")
    assert snapshot(out) == before


def test_a_failure_while_writing_leaves_the_old_site(built, tmp_path):
    """write_site fails after some files are written (a path that would escape): the old site stays."""
    _providers, out, before = built
    files = {".scorecard-site": b"x", "a/index.html": b"new", "b/index.html": b"new", "c/../../escape": b"x"}
    with pytest.raises(ScorecardError, match="refusing to write outside the output folder"):
        write_site(out, files)
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == [] and not (tmp_path / "escape").exists()


def _wait_for_pdf_workers(proc: subprocess.Popen[str]) -> None:
    """Until the build has forked its PDF workers (children of the main process)."""
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        children = [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()
                    and _parent_of(entry) == proc.pid]
        if len(children) >= 2:
            return
        time.sleep(0.05)
    pytest.fail("the build started no PDF workers")


def _parent_of(entry: Path) -> int:
    try:
        return int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_an_interrupted_build_changes_nothing(tmp_path, how):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM while PDFs render."""
    providers = tmp_path / "providers"
    for i in range(24):
        make_provider(providers, f"p{i:02d}", POLICY * 50, policy_date="2026-01-01")
    out = tmp_path / "site"
    first = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)

    def default_sigint() -> None:  # a test runner may start us with SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    proc = subprocess.Popen([sys.executable, "-m", "scorecard", "build", "--providers", str(providers),
                             "--out", str(out), "-j", "2"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=default_sigint)
    _wait_for_pdf_workers(proc)  # then the signal lands while PDFs render, however loaded the machine
    if how == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == (130 if how == "SIGINT" else 143), err
    assert err == "interrupted: nothing was changed\n"
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


# --- atomic writes of a user's files ------------------------------------------------------------


def test_atomic_write_replaces_and_keeps_the_mode(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o600)
    write_text_atomic(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.yaml"]


def test_atomic_write_through_a_symlink_rewrites_the_target(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "facts.yaml"
    link.symlink_to(target)
    write_text_atomic(link, "new\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new\n"


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("what a person wrote\n", encoding="utf-8")
    with pytest.raises(TypeError):
        write_bytes_atomic(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == "what a person wrote\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.yaml"]


def test_atomic_write_creates_a_new_file(tmp_path):
    write_bytes_atomic(tmp_path / "new.yaml", b"x: 1\n")
    assert (tmp_path / "new.yaml").read_bytes() == b"x: 1\n"


def test_the_next_build_tidies_what_a_killed_build_left(built, tmp_path):
    """SIGKILL cannot be caught, so a build killed while writing leaves its staging folder, and one killed
    between its two renames leaves the previous site aside as .site-old-* with no site at all. The next
    build puts the previous site back, then removes stale staging folders."""
    providers, out, before = built
    staged = tmp_path / f".{out.name}-new-killed"
    (staged / "cloudcone").mkdir(parents=True)
    (staged / "cloudcone" / "index.html").write_text("half written", encoding="utf-8")
    (staged / ".scorecard-staging").write_bytes(b"")  # write_site marks its staging folder first
    stale = time.time() - 3600
    os.utime(staged, (stale, stale))
    os.replace(out, tmp_path / f".{out.name}-old-killed")
    (providers / "alpha" / "facts.yaml").write_text("facts:\n  data_sale: {value: rented}\n", encoding="utf-8")
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert result.returncode == 2  # the build fails, and still the previous site is back in place
    assert snapshot(out) == before
    assert leftovers(tmp_path, out) == []


def test_a_young_staging_folder_may_be_a_running_build_and_stays(built, tmp_path):
    providers, out, _ = built
    young = tmp_path / f".{out.name}-new-running"
    young.mkdir()
    result = scorecard("build", "--providers", str(providers), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert leftovers(tmp_path, out) == [young.name]
