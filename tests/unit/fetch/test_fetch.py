"""scorecard fetch against a real HTTP server on 127.0.0.1: nothing here reaches the internet."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest
import yaml

from scorecard.fetch import FetchError, FetchOptions, download, fetch_provider, fetch_providers, main_text
from scorecard.fetch.wayback import capture_day, original_page_url
from scorecard.providers import list_versions, load_provider
from scorecard.rubric import load_rubric

from tests.helpers import make_provider
from tests.httpserver import Server, serving

FAST = FetchOptions(timeout=0.5, total_timeout=3, max_redirects=3, max_bytes=200_000)
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)

POLICY = ("We collect your name and email address when you register for an account. "
          "We do not sell your personal information to anyone, for any reason. "
          "You may ask us to delete your account and data at any time by writing to us.")
CHANGED = POLICY.replace("We do not sell your personal information to anyone, for any reason.",
                         "We may share your personal information with our advertising partners.")


def html(body: str, title: str = "Privacy policy", extra: str = "") -> str:
    return f"""<!DOCTYPE html><html><head><title>{title}</title><script>var tracking = 1;</script></head>
<body>{extra}<nav><ul><li><a href="/">Home</a></li><li><a href="/pricing">Pricing</a></li></ul></nav>
<main><h1>Privacy Policy</h1>
{''.join(f'<p>{p}</p>' for p in body.split('. '))}
</main><footer>Copyright 2026 Example Inc. All rights reserved. Terms. Careers.</footer></body></html>"""


WAYBACK_TOOLBAR = """<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<script src="//archive.org/includes/analytics.js?v=cf34f82"></script>
<div id="wm-ipp-base"><div id="wm-ipp"><p>The Wayback Machine - https://web.archive.org/web/20190607123948/https://example.com/privacy</p>
<p>4 captures 07 Jun 2019 - 12 Aug 2020. Donate to the Internet Archive. Close toolbar. Help. About this capture.</p></div></div>
<div id="donato"><p>Support the Internet Archive's mission with a donation today, every dollar counts.</p></div>
<!-- END WAYBACK TOOLBAR INSERT -->
<div id="wm-ipp-print">The Wayback Machine - https://web.archive.org/web/20190607123948/https://example.com/privacy</div>
"""


@pytest.fixture
def server():
    with serving() as running:
        yield running


@pytest.fixture
def rubric():
    return load_rubric()


def provider_at(tmp_path: Path, rubric, url: str, slug: str = "example"):
    folder = make_provider(tmp_path / "providers", slug, POLICY, policy_url=url, policy_date="2026-01-01",
                           policy_date_kind="effective")
    return load_provider(folder, rubric)


def snapshot_files(provider) -> list[str]:
    folder = provider.folder / "versions"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


# --- download ---------------------------------------------------------------------------------------


def test_download_sends_a_clear_user_agent(server: Server):
    url = server.page("/p", html(POLICY))
    page = download(url, FAST)
    assert page.media_type == "text/html" and page.charset == "utf-8"
    agent = server.requests[-1][1]["User-Agent"]
    assert agent.startswith("scorecard/") and "privacy policy" in agent


def test_main_text_drops_navigation_scripts_and_footer(server: Server):
    text, ext = main_text(download(server.page("/p", html(POLICY)), FAST))
    assert ext == "md"
    assert "We do not sell your personal information" in text
    assert "Pricing" not in text and "tracking" not in text and "Careers" not in text


def test_redirects_are_followed_up_to_the_cap(server: Server):
    target = server.page("/final", html(POLICY))
    server.redirect("/r1", target)
    assert download(server.url("/r1"), FAST).final_url == target
    for i in range(5):
        server.redirect(f"/loop{i}", server.url(f"/loop{i + 1}"))
    with pytest.raises(FetchError, match=r"^more than 3 redirects from http://127\.0\.0\.1:\d+/loop0$"):
        download(server.url("/loop0"), FAST)


def test_timeout(server: Server):
    url = server.page("/slow", html(POLICY), delay=2)
    with pytest.raises(FetchError, match=r"^no answer from http://127\.0\.0\.1:\d+/slow within 0\.5 s$"):
        download(url, FAST)


@pytest.mark.parametrize("status, words", [(404, "Not Found"), (500, "Internal Server Error")])
def test_http_errors(server: Server, status, words):
    url = server.page("/gone", "nope", status=status)
    with pytest.raises(FetchError, match=rf"^HTTP {status} {words} from {url}$"):
        download(url, FAST)


def test_not_html(server: Server):
    url = server.page("/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png")
    with pytest.raises(FetchError, match=r"is image/png, not an HTML page or plain text$"):
        download(url, FAST)


def test_huge_body_with_a_length(server: Server):
    url = server.page("/huge", b"<p>" + b"x" * 300_000 + b"</p>")
    with pytest.raises(FetchError, match=r"is 0\.3 MB, over the 0\.2 MB limit$"):
        download(url, FAST)


def test_huge_body_without_a_length_is_cut_off_while_streaming(server: Server):
    url = server.page("/stream", b"<p>" + b"y" * 10_000 + b"</p>", repeat=True, chunks=10_000)  # 100 MB
    with pytest.raises(FetchError, match=r"is over the 0\.2 MB limit$"):
        download(url, FAST)


def test_plain_text_is_kept_as_text(server: Server):
    url = server.page("/policy.txt", POLICY + "\r\n\r\n\r\n\r\nLast line.  \r\n", content_type="text/plain")
    text, ext = main_text(download(url, FAST), FAST)
    assert ext == "txt" and text == POLICY + "\n\nLast line.\n"


def test_a_page_with_almost_no_text_is_refused(server: Server):
    url = server.page("/app", "<html><body><div id='root'></div><script>render()</script></body></html>")
    with pytest.raises(FetchError, match=r"has almost no text \(\d+ characters\)"):
        main_text(download(url, FAST), FAST)


def test_only_http_urls():
    with pytest.raises(FetchError, match=r"^cannot fetch 'file:///etc/passwd': only http and https"):
        download("file:///etc/passwd", FAST)


# --- Wayback Machine --------------------------------------------------------------------------------


def test_wayback_urls_ask_for_the_page_without_toolbar():
    assert original_page_url("https://web.archive.org/web/20190607123948/https://cloudcone.com/policies/privacy") \
        == "https://web.archive.org/web/20190607123948id_/https://cloudcone.com/policies/privacy"
    already = "https://web.archive.org/web/20190607123948id_/https%3A//cloudcone.com/policies/privacy"
    assert original_page_url(already) == already
    assert original_page_url("https://web.archive.org/web/20180417092430if_/http://x.com/p") \
        == "https://web.archive.org/web/20180417092430id_/http://x.com/p"
    assert original_page_url("https://example.com/web/2019/x") == "https://example.com/web/2019/x"
    assert capture_day(already) == dt.date(2019, 6, 7)
    assert capture_day("https://example.com/privacy") is None


def test_wayback_toolbar_and_notices_are_not_policy_text(server: Server):
    url = server.page("/web/20190607123948/https://example.com/privacy", html(POLICY, extra=WAYBACK_TOOLBAR))
    text, _ext = main_text(download(url, FAST), FAST)
    assert "We do not sell your personal information" in text
    for archive_words in ("Wayback", "captures", "Donate", "donation", "toolbar", "archive.org"):
        assert archive_words not in text


# --- snapshots --------------------------------------------------------------------------------------


def test_a_snapshot_is_saved_only_when_the_text_changed(tmp_path: Path, server: Server, rubric):
    url = server.page("/privacy", html(POLICY))
    provider = provider_at(tmp_path, rubric, url)

    first = fetch_provider(provider, FAST, now=NOW)
    assert first.status == "saved", first.message
    assert first.message == "new version example/versions/2026-11-23.md"
    assert snapshot_files(provider) == ["2026-11-23.md", "2026-11-23.yaml"]
    meta = yaml.safe_load((provider.folder / "versions" / "2026-11-23.yaml").read_text())
    data = (provider.folder / "versions" / "2026-11-23.md").read_bytes()
    assert meta == {"file": "2026-11-23.md", "url": url, "retrieved": "2026-11-23T09:30:00Z",
                    "content_type": "text/html; charset=utf-8", "sha256": hashlib.sha256(data).hexdigest()}

    # The same text laid out differently (white space aside) is not a new version.
    server.page("/privacy", html(POLICY).replace("<p>", "<p>\n   ").replace("</main>", "\n\n</main>"))
    again = fetch_provider(provider, FAST, now=LATER)
    assert again.status == "unchanged" and again.message == "same text as example/versions/2026-11-23.md"
    assert snapshot_files(provider) == ["2026-11-23.md", "2026-11-23.yaml"]

    server.page("/privacy", html(CHANGED))
    changed = fetch_provider(provider, FAST, now=LATER)
    assert changed.status == "saved"
    assert snapshot_files(provider) == ["2026-11-23.md", "2026-11-23.yaml", "2026-12-01.md", "2026-12-01.yaml"]
    assert (provider.folder / "versions" / "2026-11-23.md").read_bytes() == data  # never rewritten
    assert [v.id for v in list_versions(provider)] == ["policy", "2026-11-23", "2026-12-01"]

    server.page("/privacy", html(POLICY))  # changed back the same day: a second version of that day
    assert fetch_provider(provider, FAST, now=LATER).status == "saved"
    assert [v.id for v in list_versions(provider)][-2:] == ["2026-12-01", "2026-12-01-2"]


def test_the_text_of_the_policy_file_counts_as_the_first_version(tmp_path: Path, server: Server, rubric):
    url = server.page("/policy.txt", POLICY + "\n", content_type="text/plain")
    provider = provider_at(tmp_path, rubric, url)
    result = fetch_provider(provider, FAST, now=NOW)
    assert result.status == "unchanged" and result.message == "same text as example/policy.txt"
    assert snapshot_files(provider) == []


def test_a_wayback_snapshot_is_dated_by_its_capture(tmp_path: Path, server: Server, rubric):
    # A local stand-in for the archive: the URLs have the archive's shape; its host is 127.0.0.1.
    url = server.url("/web/20190607123948/https://example.com/privacy")
    server.page("/web/20190607123948id_/https://example.com/privacy", html(CHANGED, extra=WAYBACK_TOOLBAR))
    provider = provider_at(tmp_path, rubric, url)
    archive = dataclasses.replace(FAST, archive_hosts=frozenset({"127.0.0.1"}))
    saved = fetch_provider(provider, archive, now=NOW)
    assert saved.status == "saved", saved.message
    assert [path for path, _headers in server.requests] == ["/web/20190607123948id_/https://example.com/privacy"]
    assert saved.version is not None and saved.version.id == "2019-06-07" and saved.version.date_kind == "archived"
    meta = yaml.safe_load((provider.folder / "versions" / "2019-06-07.yaml").read_text())
    assert meta["archived_on"] == "2019-06-07" and meta["retrieved"] == "2026-11-23T09:30:00Z"
    assert "Wayback" not in saved.version.path.read_text()


def test_one_failure_is_reported_and_the_others_go_on(tmp_path: Path, server: Server, rubric):
    root = tmp_path / "providers"
    good_url = server.page("/good", html(POLICY))
    make_provider(root, "a-good", POLICY, policy_url=good_url)
    make_provider(root, "b-gone", POLICY, policy_url=server.url("/missing"))
    make_provider(root, "c-slow", POLICY, policy_url=server.page("/slow", html(POLICY), delay=2))
    make_provider(root, "d-image", POLICY, policy_url=server.page("/img", b"\x89PNG", content_type="image/png"))
    make_provider(root, "e-no-url", POLICY)
    broken = make_provider(root, "f-broken", POLICY, policy_url=good_url)
    (broken / "provider.yaml").write_text("name: [unclosed\n")
    # b-gone had a version before: a failure leaves it exactly as it was.
    old = root / "b-gone" / "versions"
    old.mkdir()
    (old / "2026-01-01.txt").write_text("An old snapshot.\n")

    seen = []
    results = fetch_providers(root, rubric, options=FAST, report=seen.append)
    assert seen == results
    outcome = {r.slug: (r.status, r.message) for r in results}
    assert outcome["a-good"][0] == "saved"
    assert outcome["b-gone"] == ("failed", f"HTTP 404 Not Found from {server.url('/missing')}")
    assert outcome["c-slow"] == ("failed", f"no answer from {server.url('/slow')} within 0.5 s")
    assert outcome["d-image"] == ("failed", f"{server.url('/img')} is image/png, not an HTML page or plain text")
    assert outcome["e-no-url"] == ("skipped", "no policy_url in provider.yaml")
    assert outcome["f-broken"][0] == "failed" and "provider.yaml" in outcome["f-broken"][1]
    assert sorted(p.name for p in old.iterdir()) == ["2026-01-01.txt"]
    assert (old / "2026-01-01.txt").read_text() == "An old snapshot.\n"
    for slug in ("c-slow", "d-image", "e-no-url"):
        assert not (root / slug / "versions").exists()


def test_unknown_slugs_are_an_error_before_any_fetch(tmp_path: Path, server: Server, rubric):
    from scorecard.errors import ScorecardError

    root = tmp_path / "providers"
    make_provider(root, "known", POLICY, policy_url=server.page("/p", html(POLICY)))
    with pytest.raises(ScorecardError, match=r"no provider folder named 'nope'$"):
        fetch_providers(root, rubric, ["known", "nope"], FAST)
    assert server.requests == []
