"""`scorecard add SLUG --url URL`: a provider made from the address of its policy, fetched from a real
HTTP server on 127.0.0.1, then built from its fetched version alone (no policy_file)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.httpserver import serving
from tests.integration.fetch.test_fetch_cli import OLD, page


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], check=False, capture_output=True, text=True,
                          cwd=cwd, timeout=180)


def test_add_fetches_the_first_version_and_the_site_builds_from_it(tmp_path: Path):
    with serving() as server:
        url = server.page("/legal/privacy", page(OLD))
        added = run("add", "acme-cloud", "--url", url, cwd=tmp_path)
        assert added.returncode == 0, added.stderr
        assert added.stdout.startswith("Added acme-cloud: providers/acme-cloud/provider.yaml, new version"
                                       " acme-cloud/versions/")
        again = run("fetch", "acme-cloud", cwd=tmp_path)
        assert again.returncode == 0 and "unchanged" in again.stdout, again.stderr

    folder = tmp_path / "providers" / "acme-cloud"
    info = yaml.safe_load((folder / "provider.yaml").read_text(encoding="utf-8"))
    assert info == {"name": "Acme Cloud", "website": server.base, "policy_url": url}
    assert len(list((folder / "versions").glob("*.md"))) == 1

    built = run("build", "--no-pdf", "--out", "site", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    card = json.loads((tmp_path / "site" / "acme-cloud" / "scorecard.json").read_text(encoding="utf-8"))
    assert card["name"] == "Acme Cloud" and card["policy"]["url"] == url
    assert card["policy"]["date_kind"] == "retrieved" and card["policy"]["date"]
    assert card["practices"]["data_sale"]["value"] == "not_sold"  # read from the fetched text
    assert "We do not sell your personal information." in (
        tmp_path / "site" / "acme-cloud" / "policy" / "index.html").read_text(encoding="utf-8")
    review = run("review", "acme-cloud", cwd=tmp_path)
    assert review.returncode == 0, review.stderr


def test_add_with_a_name(tmp_path: Path):
    with serving() as server:
        url = server.page("/p", page(OLD))
        added = run("add", "acme", "--url", url, "--name", "ACME  Inc.", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    info = yaml.safe_load((tmp_path / "providers" / "acme" / "provider.yaml").read_text(encoding="utf-8"))
    assert info["name"] == "ACME Inc."


@pytest.mark.parametrize(("slug", "url", "message"), [
    ("compare", "https://acme.example/privacy", ("error: providers: provider slug 'compare' is a folder of the"
                                                 " site itself; rename the provider folder (reserved: ")),
    ("Acme Cloud", "https://acme.example/privacy", ("error: providers: bad provider slug 'Acme Cloud': use lowercase"
                                                    " letters, digits and hyphens, at most 64 (rename it to"
                                                    " 'acme-cloud')")),
    ("acme", "ftp://acme.example/privacy", ("error: --url must be an http:// or https:// address of the policy,"
                                            " not 'ftp://acme.example/privacy'")),
    ("acme", "https://ada:secret@acme.example/privacy", "error: --url holds a user name or password before '@'"),
])
def test_add_refuses_bad_slugs_and_urls(tmp_path: Path, slug: str, url: str, message: str):
    result = run("add", slug, "--url", url, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "providers").exists() or not any((tmp_path / "providers").iterdir())


def test_add_refuses_an_existing_provider(tmp_path: Path):
    (tmp_path / "providers" / "acme").mkdir(parents=True)
    result = run("add", "acme", "--url", "https://acme.example/privacy", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: providers/acme: a provider folder with this slug exists already; choose"
                             " another slug or run 'scorecard fetch acme'\n")


def test_a_failed_first_fetch_adds_nothing(tmp_path: Path):
    with serving() as server:
        result = run("add", "acme", "--url", server.url("/gone"), "--timeout", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"error: acme: the policy could not be fetched: HTTP 404 Not Found from"
                             f" {server.url('/gone')}; nothing was added\n")
    assert not (tmp_path / "providers" / "acme").exists()


def test_a_url_never_fetched_is_one_clear_line(tmp_path: Path):
    folder = tmp_path / "providers" / "acme"
    folder.mkdir(parents=True)
    (folder / "provider.yaml").write_text("name: Acme\npolicy_url: https://acme.example/privacy\n", encoding="utf-8")
    for args in (["build", "--no-pdf"], ["validate"], ["review", "acme"], ["score", "providers/acme"]):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr == ("error: providers/acme/provider.yaml: the policy has no file and no fetched"
                                 " version yet: run 'scorecard fetch acme' to download its URL, or add policy_file\n")


def test_neither_a_file_nor_a_url(tmp_path: Path):
    folder = tmp_path / "providers" / "acme"
    folder.mkdir(parents=True)
    (folder / "provider.yaml").write_text("name: Acme\n", encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: providers/acme/provider.yaml:1:1: provider.yaml names no policy_file and no"
                             " policy_url; add policy_file (the policy beside provider.yaml) or policy_url (then"
                             " run 'scorecard fetch')\n")
