"""`scorecard serve`: the built site over real HTTP on 127.0.0.1, started and stopped as a user does."""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers import copy_providers


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    copy_providers(root / "providers", ["cloudcone"])
    built = subprocess.run([sys.executable, "-m", "scorecard", "build", "--no-pdf", "--out", "site"], cwd=root,
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    (root / "secret.txt").write_text("not part of the site", encoding="utf-8")
    (root / "site" / "leak.txt").symlink_to(root / "secret.txt")
    return root


def start(cwd: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "scorecard", "serve", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line


def test_serve_answers_on_loopback_and_stops_on_ctrl_c(site: Path):
    proc, line = start(site, "--port", "0")
    try:
        assert line.startswith("Serving site at http://127.0.0.1:"), line + (proc.stderr.read() if proc.stderr else "")
        base = line.split(" at ")[1].split(" ")[0]
        with httpx.Client(base_url=base, timeout=10) as client:
            index = client.get("/")
            assert index.status_code == 200 and "CloudCone" in index.text
            assert index.headers["content-type"].startswith("text/html")
            page = client.get("/cloudcone/policy/")
            assert page.status_code == 200 and "<mark" in page.text
            assert client.get("/assets/site.css").headers["content-type"].startswith("text/css")
            assert client.get("/nothing-here/").status_code == 404
            assert client.get("/leak.txt").status_code == 404  # a link out of the site is never followed
            assert client.get("/../secret.txt").status_code == 404
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=20)
    assert code == 0
    assert proc.stderr is not None and "Traceback" not in proc.stderr.read()


def test_a_port_in_use_is_one_line(site: Path):
    first, line = start(site, "--port", "0")
    try:
        port = line.split("127.0.0.1:")[1].split("/")[0]
        second = subprocess.run([sys.executable, "-m", "scorecard", "serve", "--port", port], cwd=site,
                                capture_output=True, text=True, timeout=60, check=False)
        assert second.returncode == 2
        assert second.stderr == (f"error: port {port} on 127.0.0.1 is in use; choose another with --port (0: any"
                                 " free one)\n")
    finally:
        first.terminate()
        assert first.wait(timeout=20) == 0


def test_serve_without_a_site_says_to_build(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "scorecard", "serve"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr == "error: site: no site here; run 'scorecard build' first (or give --out the folder it built)\n"
    (tmp_path / "notes").mkdir()
    other = subprocess.run([sys.executable, "-m", "scorecard", "serve", "--out", "notes"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60, check=False)
    assert other.returncode == 2 and "not a site built by scorecard" in other.stderr
