"""Hostile policies: nothing they contain runs in the site, nothing is fetched, no file leaks into a page or PDF.

The policy is plain text holding markup, so every tag stays in the extracted text and reaches the pages and
PDFs through a reviewed quote, the provider's name and URLs, and a reviewer's note.
"""
from __future__ import annotations

import functools
import http.server
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from scorecard.build import policy_day
from scorecard.history import provider_history
from scorecard.providers import load_provider
from scorecard.render.pdf import RefusingFetcher, pdf_html, render_pdf
from scorecard.render.templating import make_environment
from scorecard.rubric import load_rubric
from tests.system import require_tool

SECRET = "root:x:0:0:scorecard-canary-7f3a"  # the content of the file a policy points at
ATTACKS = [
    '<script>window.__pwned = "script"</script>',
    '<img src="file://{secret}" onerror="window.__pwned = \'onerror\'">',
    '<a href="javascript:window.__pwned = \'link\'">Click to opt out</a>',
    '<iframe src="file://{secret}"></iframe>',
    '<style>body {{ background: url("file://{secret}") }} @import url("http://127.0.0.1:9/x.css");</style>',
    '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">',
    '<svg onload="window.__pwned = \'svg\'"><image href="file://{secret}"/></svg>',
    '<object data="file://{secret}"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
    '"><script>window.__pwned = "attribute"</script>',
]


def hostile_provider(root: Path) -> tuple[Path, Path]:
    secret = root / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    attacks = [a.format(secret=secret) for a in ATTACKS]
    folder = root / "providers" / "evil"
    folder.mkdir(parents=True)
    policy = "Evil Corp privacy policy.\n\n" + "\n\n".join(
        f"We do not sell your personal information {attack} to anyone." for attack in attacks) + "\n"
    (folder / "policy.txt").write_text(policy, encoding="utf-8")
    name = '<script>window.__pwned = "name"</script>Evil'
    (folder / "provider.yaml").write_text(
        f"name: '{name}'\nwebsite: 'javascript:window.__pwned = 1'\npolicy_url: ' javascript:window.__pwned=1'\n"
        "policy_date: 2026-01-01\npolicy_file: policy.txt\n", encoding="utf-8")
    quote = f"We do not sell your personal information {attacks[1]} to anyone."
    assert quote in policy
    start = policy.index(quote)
    note = attacks[0].replace('"', "'")
    (folder / "facts.yaml").write_text(
        "facts:\n  data_sale:\n    value: not_sold\n    source: reviewed\n"
        f"    note: \"{note}\"\n    evidence:\n      - quote: '{quote.replace(chr(39), chr(39) * 2)}'\n"
        f"        start: {start}\n        end: {start + len(quote)}\n", encoding="utf-8")
    return root / "providers", secret


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    providers, secret = hostile_provider(root)
    out = root / "site"
    result = subprocess.run([sys.executable, "-m", "scorecard", "build", "--providers", str(providers),
                             "--out", str(out), "-j", "1"], check=False, capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stderr
    return out, secret


def test_the_hostile_text_reaches_the_page_escaped(hostile_site):
    out, _secret = hostile_site
    page = (out / "evil" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned" in page  # shown, as text (name and reviewer's note)
    assert "&lt;img src=&#34;file://" in page  # the reviewed quote, as text
    for raw in ("<script>window.__pwned", "<img src=\"file:", "<iframe", "<object", "<svg onload",
                "href=\"javascript:", "href=\" javascript:", "<meta http-equiv=\"refresh", "<link rel=\"stylesheet\" href=\"http"):
        assert raw not in page
    for name in ("index.html", "compare/index.html", "methodology/index.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html


def test_no_file_content_in_any_output(hostile_site):
    out, _secret = hostile_site
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            if path.suffix == ".pdf":
                text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
                assert "scorecard-canary" not in text, path


def test_weasyprint_fetches_nothing_for_a_hostile_scorecard(tmp_path):
    """The real PDF of the hostile provider: the fetcher is never even asked (everything is escaped text)."""
    providers, _secret = hostile_provider(tmp_path)
    rubric = load_rubric()
    card = provider_history(load_provider(providers / "evil", rubric), rubric).current
    html = pdf_html(card, rubric, make_environment(), built_on=policy_day(card))
    fetcher = RefusingFetcher()
    pdf = render_pdf(html, fetcher)
    assert fetcher.refused == []
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "scorecard-canary" not in text and SECRET.encode() not in pdf


def test_refusing_fetcher_refuses_raw_markup_urls(tmp_path):
    """Even markup that reached WeasyPrint unescaped fetches nothing: every URL is refused and recorded."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    css_file = tmp_path / "evil.css"
    css_file.write_text("body::before { content: 'scorecard-canary' }", encoding="utf-8")
    html = ("<html><head>" + f'<link rel="stylesheet" href="file://{css_file}">'
            + "".join(a.format(secret=secret) for a in ATTACKS)
            + f"</head><body><p>Policy</p><img src='file://{secret}'>"
            + "<p style=\"background: url('http://127.0.0.1:9/bg.png')\">x</p></body></html>")
    fetcher = RefusingFetcher()
    pdf = render_pdf(html, fetcher)
    assert f"file://{css_file}" in fetcher.refused
    assert f"file://{secret}" in fetcher.refused
    assert "http://127.0.0.1:9/bg.png" in fetcher.refused
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "scorecard-canary" not in text and SECRET.encode() not in pdf
    with pytest.raises(ValueError):
        fetcher.open(f"file://{secret}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_nothing_runs_or_is_fetched_in_a_browser(hostile_site):
    chromium_path = require_tool("chromium")
    out, secret = hostile_site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    requests: list[str] = []
    dialogs: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for path in ("evil/index.html", "index.html", "compare/index.html", "methodology/index.html"):
                page.goto(f"{origin}/{path}")
                page.wait_for_load_state("networkidle")
                assert page.evaluate("window.__pwned") is None, path
                hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
                assert not [h for h in hrefs if not h.startswith(("http://", "https://"))], path
                assert "scorecard-canary" not in page.content()
            browser.close()
    finally:
        server.shutdown()
    assert dialogs == []
    foreign = [url for url in requests if not url.startswith(origin + "/")]
    assert foreign == [], foreign
    assert not [url for url in requests if str(secret) in url]
    for url in requests:  # everything the pages asked for is ours and exists
        assert (out / url[len(origin) + 1:].split("?")[0].split("#")[0]).exists(), url


def test_links_out_of_provider_folders_publish_nothing(tmp_path):
    """Folders whose files lead outside (a snapshot, provider.yaml, facts.yaml linked to a secret) fail
    alone under --keep-going; the secret is in no page, data file, feed or message."""
    secret = tmp_path / "shadow"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    providers = tmp_path / "providers"
    for slug, name in [("good", None), ("snap", "versions/2026-01-02.txt"), ("info", "provider.yaml"),
                       ("facts", "facts.yaml"), ("environ", "versions/2026-01-03.txt")]:
        folder = providers / slug
        folder.mkdir(parents=True)
        (folder / "policy.txt").write_text("Acme privacy policy.\n\nWe do not sell your data.\n", encoding="utf-8")
        (folder / "provider.yaml").write_text(f"name: {slug}\npolicy_file: policy.txt\n", encoding="utf-8")
        if name:
            path = folder / name
            path.parent.mkdir(exist_ok=True)
            path.unlink(missing_ok=True)
            path.symlink_to("/proc/self/environ" if slug == "environ" else secret)
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "scorecard", "build", "--providers", str(providers), "--out",
                             str(out), "--no-pdf", "--keep-going"], check=False, capture_output=True, text=True,
                            cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "CANARY": SECRET,
                                                   "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]})  # not ~/.cache
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "4 providers failed" in result.stderr
    assert "scorecard-canary" not in result.stdout + result.stderr
    assert sorted(p.name for p in out.iterdir() if (p / "scorecard.json").exists()) == ["good"]
    for path in out.rglob("*"):
        if path.is_file():
            assert b"scorecard-canary" not in path.read_bytes(), path
