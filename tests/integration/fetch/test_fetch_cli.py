"""`scorecard fetch` run as a user runs it, against a real HTTP server on 127.0.0.1, then `scorecard diff`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import make_provider
from tests.httpserver import serving

OLD = ("We collect your name and email address when you register. We do not sell your personal information.\n"
       "You may ask us to delete your account at any time. We keep logs for thirty days.\n"
       "We tell you by email before this policy changes. Write to privacy@acme.example with any question.\n")
NEW = OLD.replace("We do not sell your personal information.", "We may sell your personal information.")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def page(text: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return f"<!DOCTYPE html><html><head><title>Privacy</title></head><body><main><h1>Privacy</h1>{paragraphs}</main></body></html>"


def test_fetch_then_diff(tmp_path: Path):
    root = tmp_path / "providers"
    with serving() as server:
        url = server.page("/privacy", page(OLD))
        make_provider(root, "acme", OLD, name="Acme", policy_url=url, policy_date="2026-01-01")
        make_provider(root, "broken", OLD, policy_url=server.url("/missing"))

        first = run("fetch", "acme", cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith("acme: saved: new version acme/versions/")

        again = run("fetch", "acme", cwd=tmp_path)
        assert again.returncode == 0 and again.stdout.startswith("acme: unchanged: same text as acme/versions/")

        server.page("/privacy", page(NEW))
        every = run("fetch", "--timeout", "2", cwd=tmp_path)
        assert every.returncode == 1
        assert "acme: saved: new version acme/versions/" in every.stdout
        assert f"broken: failed: HTTP 404 Not Found from {server.url('/missing')}" in every.stderr
        assert every.stderr.rstrip().endswith(
            "error: 1 of 2 providers could not be fetched; nothing saved before was changed")

    assert len(list((root / "acme" / "versions").glob("*.md"))) == 2
    diff = run("diff", "acme", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    assert "  - We do not sell your personal information.\n  + We may sell your personal information.\n" \
        in diff.stdout

    unknown = run("fetch", "nobody", cwd=tmp_path)
    assert unknown.returncode == 2 and "no provider folder named 'nobody'" in unknown.stderr
