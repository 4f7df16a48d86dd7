"""`scorecard fetch` against hostile or broken servers: every case a real HTTP exchange on 127.0.0.1, run
through the real command line, with the exact lines the user sees and what is left on disk.

The table (CASES) is in the style of test_bad_inputs.py: each case sets up a server and one provider
(`acme`) beside a good one (`good`), whose fetch must go on whatever `acme` does.
"""
from __future__ import annotations

import codecs
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from scorecard.fetch import FetchError, FetchOptions, doubt, download, main_text
from scorecard.text.decode import decode_bytes, utf16_without_bom

from tests.helpers import make_provider, run_cli
from tests.httpserver import Server, serving

PARAGRAPHS = [
    "We collect your name, email address and payment details when you register for an account.",
    "We do not sell your personal information to anyone, for any reason.",
    "We share personal data with processors who host our servers, under contracts that bind them.",
    "You may ask us to delete your account and your data at any time by writing to privacy@acme.example.",
    "We keep server logs for thirty days, then delete them.",
    "You have the right to access, correct and export the personal information we hold about you.",
    "We use cookies to keep you signed in; we do not use third-party advertising cookies.",
    "We tell you by email thirty days before this policy changes.",
]
POLICY = "\n\n".join(PARAGRAPHS) + "\n"
OLDER = POLICY.replace("thirty days, then", "a year, then")
LONG_POLICY = "\n\n".join(f"{i + 1}. {p}" for i in range(6) for p in PARAGRAPHS) + "\n"  # about 4,000 chars


def html_page(text: str, title: str = "Privacy policy") -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<main><h1>{title}</h1>{paragraphs}</main></body></html>")


LOGIN_WALL = html_page(
    "Sign in to continue\nEmail address or username\nPassword\nRemember me on this computer\n"
    "Forgot your password? We will send you a link to choose a new one.\n"
    "New here? Create an account in a minute, it is free and you can cancel at any time.", title="Sign in")
SOFT_404 = html_page(
    "Oops! We looked everywhere but the page you are looking for has moved, or never was here.\n"
    "Try the search box above, or go back to the home page and start again from there.\n"
    "If you followed a link from another site, let them know about it so that they can fix it.",
    title="Acme - Help centre")
COOKIE_PAGE = html_page(
    "We use cookies and similar technologies to process personal data about your visit and to share it "
    "with our third-party partners for measurement and advertising.\nYou can accept all cookies, reject all "
    "non-essential ones, or choose in the cookie settings which purposes you allow.\nAccept all\nReject all\n"
    "Manage preferences", title="Your choices")
TITLED_404 = html_page(POLICY, title="Page not found")
NO_POLICY_WORDS = html_page(
    "Acme makes the fastest build servers on the market, with racks in twelve cities and more to come.\n"
    "Our team of forty engineers answers the phone day and night, in four languages, within minutes.\n"
    "Plans start at five euros a month; every plan comes with backups, monitoring and a free domain.",
    title="About us")


# --- servers that misbehave below HTTP ---------------------------------------------------------------


@contextmanager
def trickling(head: bytes, body: bytes = b"", every: float = 0.2) -> Iterator[str]:
    """A server on 127.0.0.1 that sends `head` then `body` one byte every `every` seconds, forever if need
    be (the bytes repeat): the kind of server that once held a `--timeout 5` fetch for minutes."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve_one(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                stream = head + body * 1000 if body else head * 1000
                for byte in stream:
                    if stop.wait(every):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/privacy"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)


TRICKLE_HEADERS = b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Slow-%d: yes\r\n" % i for i in range(10000))
TRICKLE_BODY_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 900000\r\n\r\n"


# --- the table ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """`setup(server, providers)` makes provider `acme` (and serves what it needs) and returns the
    extra arguments of `scorecard fetch`; `lines` are the lines on stderr, `{url}` the server's base URL;
    `acme_after` what acme's versions/ holds afterwards (file names, '.pending/...' for a page kept aside)."""
    setup: Callable[[Server, Path], list[str]]
    lines: list[str]
    code: int = 1
    acme_after: tuple[str, ...] = ()
    seconds: float = 20.0  # the whole command must end within this


def url_case(policy_url: str) -> Callable[[Server, Path], list[str]]:
    def setup(server: Server, root: Path) -> list[str]:
        make_provider(root, "acme", POLICY, policy_url=policy_url)
        return []
    return setup


def redirect_case(location: str) -> Callable[[Server, Path], list[str]]:
    def setup(server: Server, root: Path) -> list[str]:
        make_provider(root, "acme", POLICY, policy_url=server.redirect("/moved", location))
        return []
    return setup


def page_case(body: str | bytes, content_type: str | None = "text/html; charset=utf-8",
              previous: str | None = None) -> Callable[[Server, Path], list[str]]:
    """acme's policy_url serves `body`; `previous` is the text of acme's last version (its policy file)."""
    def setup(server: Server, root: Path) -> list[str]:
        make_provider(root, "acme", previous or POLICY, policy_url=server.page("/acme", body,
                                                                                content_type=content_type))
        return []
    return setup


def trickle_case(head: bytes, body: bytes = b"") -> Callable[[Server, Path], list[str]]:
    def setup(server: Server, root: Path) -> list[str]:
        context = trickling(head, body)
        url = context.__enter__()
        OPEN.append(context)
        make_provider(root, "acme", POLICY, policy_url=url)
        return ["--timeout", "2"]
    return setup


OPEN: list = []  # trickling servers a case started, closed after it
U = "{url}"
HELD = ("acme: held: not saved as a version: {url}/acme {why}; kept aside in acme/versions/.pending/{day}.md;"
        " if it is the policy, run 'scorecard fetch acme --accept'")
HELD_END = ("error: 1 page kept aside, not saved: check them, then 'scorecard fetch SLUG --accept'; nothing"
            " saved before was changed")
FAILED_END = "error: 1 of 2 providers could not be fetched; nothing saved before was changed"

CASES: dict[str, Case] = {
    # --- URLs that are not http(s) pages -----------------------------------------------------------
    "policy_url: javascript:": Case(
        url_case("javascript:alert(1)"),
        ["acme: failed: cannot fetch 'javascript:alert(1)': only http and https URLs are fetched", FAILED_END]),
    "policy_url: unclosed IPv6 bracket": Case(
        url_case("http://[::1"), ["acme: failed: cannot fetch 'http://[::1': not a valid URL", FAILED_END]),
    "policy_url: no host": Case(
        url_case("https:///privacy"), ["acme: failed: cannot fetch 'https:///privacy': the URL has no host",
                                       FAILED_END]),
    "policy_url: file:": Case(
        url_case("file:///etc/passwd"),
        ["acme: failed: cannot fetch 'file:///etc/passwd': only http and https URLs are fetched", FAILED_END]),
    "policy_url: port out of range": Case(
        url_case("http://127.0.0.1:99999/privacy"),
        ["acme: failed: cannot fetch 'http://127.0.0.1:99999/privacy': not a valid URL", FAILED_END]),
    "redirect to javascript:": Case(
        redirect_case("javascript:alert(document.cookie)"),
        [(f"acme: failed: redirect from {U}/moved to 'javascript:alert(document.cookie)': only http and https"
         " URLs are fetched"), FAILED_END]),
    "redirect to an unclosed IPv6 bracket": Case(
        redirect_case("http://[::1"),
        [f"acme: failed: redirect from {U}/moved to 'http://[::1': not a valid URL", FAILED_END]),
    "redirect to file:": Case(
        redirect_case("file:///etc/passwd"),
        [(f"acme: failed: redirect from {U}/moved to 'file:///etc/passwd': only http and https URLs are"
         " fetched"), FAILED_END]),
    "redirect to ftp:": Case(
        redirect_case("ftp://127.0.0.1/policy.txt"),
        [(f"acme: failed: redirect from {U}/moved to 'ftp://127.0.0.1/policy.txt': only http and https URLs"
         " are fetched"), FAILED_END]),
    "redirect to data:": Case(
        redirect_case("data:text/html,<p>hi</p>"),
        [(f"acme: failed: redirect from {U}/moved to 'data:text/html,<p>hi</p>': only http and https URLs"
         " are fetched"), FAILED_END]),
    "redirect to a URL with a password": Case(
        redirect_case("http://user:secret@127.0.0.1/policy"),
        [(f"acme: failed: redirect from {U}/moved to a URL with a user name or password: refused, it would be"
          " published"), FAILED_END]),
    "redirect without a Location": Case(
        redirect_case(""), [f"acme: failed: HTTP 302 Found from {U}/moved", FAILED_END]),
    # --- servers that trickle: one deadline for the whole page -----------------------------------------
    "headers trickled one byte at a time": Case(
        trickle_case(TRICKLE_HEADERS),
        ["acme: failed: no complete answer from http://127.0.0.1:{port}/privacy within 2 s", FAILED_END],
        seconds=8),
    "body trickled one byte at a time": Case(
        trickle_case(TRICKLE_BODY_HEAD, b"<p>We collect your name.</p>"),
        ["acme: failed: no complete answer from http://127.0.0.1:{port}/privacy within 2 s", FAILED_END],
        seconds=8),
    # --- pages that are not the policy: kept aside, never a new version ---------------------------------
    "login wall": Case(
        page_case(LOGIN_WALL),
        [HELD.format(url=U, day="{day}", why="looks like a login page ('sign in', 'password', 'forgot' on a"
                     " page of 244 characters)"), HELD_END], acme_after=(".pending/{day}.md", ".pending/{day}.yaml")),
    "soft 404 (status 200)": Case(
        page_case(SOFT_404),
        [HELD.format(url=U, day="{day}", why="looks like a 'page not found' page ('page you are looking for'"
                     " on a page of 282 characters)"), HELD_END], acme_after=(".pending/{day}.md", ".pending/{day}.yaml")),
    "cookie banner page": Case(
        page_case(COOKIE_PAGE),
        [HELD.format(url=U, day="{day}", why="looks like a cookie notice ('accept all cookies', 'reject all',"
                     " 'cookie settings' on a page of 334 characters)"), HELD_END],
        acme_after=(".pending/{day}.md", ".pending/{day}.yaml")),
    "error page title over policy text": Case(
        page_case(TITLED_404),
        [HELD.format(url=U, day="{day}", why="looks like an error page (its title is 'Page not found')"),
         HELD_END], acme_after=(".pending/{day}.md", ".pending/{day}.yaml")),
    "a page about something else": Case(
        page_case(NO_POLICY_WORDS),
        [HELD.format(url=U, day="{day}", why="does not read like a privacy policy (no word of privacy,"
                     " personal data, collection or sharing)"), HELD_END], acme_after=(".pending/{day}.md", ".pending/{day}.yaml")),
    "a tenth of the version before": Case(
        page_case(html_page("\n".join(PARAGRAPHS[:4])), previous=LONG_POLICY),
        [HELD.format(url=U, day="{day}", why="is 367 characters, under 25% of the 4013 of the version before"
                     " (a page cut short, or another page?)"), HELD_END], acme_after=(".pending/{day}.md", ".pending/{day}.yaml")),
    # --- text in UTF-16 with no BOM and no charset: decoded, saved --------------------------------------
    "UTF-16LE plain text, no BOM, no charset": Case(
        page_case(POLICY.replace("\n", "\r\n").encode("utf-16-le"), content_type="text/plain", previous=OLDER),
        [], code=0, acme_after=("{day}.txt", "{day}.yaml")),
    "UTF-16BE HTML, no BOM, no charset": Case(
        page_case(html_page(POLICY).encode("utf-16-be"), content_type="text/html"),
        [], code=0, acme_after=("{day}.md", "{day}.yaml")),
    "UTF-16LE HTML, no BOM, no Content-Type": Case(
        page_case(html_page(POLICY).encode("utf-16-le"), content_type=None),
        [], code=0, acme_after=("{day}.md", "{day}.yaml")),
    "UTF-16 declared without a BOM (big-endian bytes)": Case(
        page_case(POLICY.encode("utf-16-be"), content_type="text/plain; charset=utf-16", previous=OLDER),
        [], code=0, acme_after=("{day}.txt", "{day}.yaml")),
}




def versions_of(folder: Path) -> list[str]:
    versions = folder / "versions"
    if not versions.is_dir():
        return []
    return sorted(str(p.relative_to(versions)) for p in versions.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", list(CASES))
def test_fetch_bad_input(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "providers"
    day = time.strftime("%Y-%m-%d", time.gmtime())
    with serving() as server:
        make_provider(root, "good", POLICY, policy_url=server.page("/good", html_page(
            POLICY.replace("thirty days, then", "fourteen days, then"))))
        try:
            extra = case.setup(server, root)
            port = (root / "acme" / "provider.yaml").read_text().split("127.0.0.1:")[-1].split("/")[0]
            started = time.monotonic()
            code, out, err = run_cli(["fetch", "--providers", str(root), *extra], capsys)
            took = time.monotonic() - started
        finally:
            while OPEN:
                OPEN.pop().__exit__(None, None, None)
    expected = [line.replace("{url}", server.base).replace("{port}", port).replace("{day}", day)
                for line in case.lines]
    assert err.splitlines() == expected
    assert code == case.code
    assert "Traceback" not in out + err
    assert took < case.seconds, f"took {took:.1f} s"
    # The good provider was fetched whatever acme did; acme's versions are what the case says.
    assert "good: saved: new version good/versions/" in out
    assert versions_of(root / "acme") == sorted(p.replace("{day}", day) for p in case.acme_after)
    for path in (root / "acme" / "versions").rglob("*") if (root / "acme" / "versions").is_dir() else []:
        if path.suffix in (".md", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert ("\x00" not in text and "We do not sell" in text) or path.parent.name == ".pending"


def test_every_case_is_a_different_input() -> None:
    assert len(CASES) >= 20
    assert len({tuple(case.lines) for case in CASES.values() if case.lines}) == \
        len([case for case in CASES.values() if case.lines]) - 1  # the two trickles end alike


# --- the deadline, on its own --------------------------------------------------------------------------


@pytest.mark.parametrize("head, body", [(TRICKLE_HEADERS, b""), (TRICKLE_BODY_HEAD, b"<p>slow</p>")],
                         ids=["headers", "body"])
def test_one_deadline_covers_headers_and_body(head: bytes, body: bytes) -> None:
    # Each byte comes well within the per-read timeout (1 s); only the overall deadline can stop it.
    options = FetchOptions(timeout=1, total_timeout=1.5)
    with trickling(head, body, every=0.05) as url:
        started = time.monotonic()
        with pytest.raises(FetchError, match=rf"^no complete answer from {url} within 1\.5 s$"):
            download(url, options)
        assert time.monotonic() - started < 2.5


def test_the_deadline_counts_every_redirect() -> None:
    with serving() as server:
        for i in range(4):  # each hop answers in 0.4 s, under the per-read timeout, 1.6 s in all
            server.redirect(f"/hop{i}", server.url(f"/hop{i + 1}"))
            server.routes[f"/hop{i}"].delay = 0.4
        server.page("/hop4", html_page(POLICY))
        with pytest.raises(FetchError, match=r"^no complete answer from .*/hop0 within 1 s$"):
            download(server.url("/hop0"), FetchOptions(timeout=0.8, total_timeout=1, max_redirects=5))
        assert download(server.url("/hop0"), FetchOptions(timeout=0.8, total_timeout=5)).final_url \
            == server.url("/hop4")


# --- kept aside, then accepted --------------------------------------------------------------------------


def test_a_page_kept_aside_is_accepted_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "providers"
    day = time.strftime("%Y-%m-%d", time.gmtime())
    with serving() as server:
        make_provider(root, "acme", POLICY, policy_url=server.page("/acme", LOGIN_WALL))
        code, _out, err = run_cli(["fetch", "--providers", str(root)], capsys)
        assert code == 1 and "acme: held: not saved as a version" in err
        assert versions_of(root / "acme") == [f".pending/{day}.md", f".pending/{day}.yaml"]
        meta = (root / "acme" / "versions" / ".pending" / f"{day}.yaml").read_text()
        assert meta.startswith("# Kept aside by `scorecard fetch`, not a version: looks like a login page")

        # The build, diff and review see no new version while it waits.
        from scorecard.providers import list_versions, load_provider
        from scorecard.rubric import load_rubric
        assert [v.id for v in list_versions(load_provider(root / "acme", load_rubric()))] == ["policy"]

        # A second doubtful fetch replaces the page kept aside rather than piling up.
        assert run_cli(["fetch", "--providers", str(root)], capsys)[0] == 1
        assert versions_of(root / "acme") == [f".pending/{day}.md", f".pending/{day}.yaml"]

        code, out, err = run_cli(["fetch", "--providers", str(root), "acme", "--accept"], capsys)
        assert (code, err) == (0, "")
        assert out == f"acme: accepted: new version acme/versions/{day}.md\n"
        assert versions_of(root / "acme") == [f"{day}.md", f"{day}.yaml"]
        assert "Forgot your password" in (root / "acme" / "versions" / f"{day}.md").read_text()
        assert not (root / "acme" / "versions" / ".pending").exists()

        code, out, err = run_cli(["fetch", "--providers", str(root), "acme", "--accept"], capsys)
        assert code == 1 and err.splitlines()[0] == \
            "acme: failed: no page kept aside to accept; run 'scorecard fetch acme' first"

        code, out, err = run_cli(["fetch", "--providers", str(root), "--accept"], capsys)
        assert (code, err) == (2, ("error: name the providers whose pages kept aside you accept: scorecard"
                                  " fetch SLUG --accept\n"))


def test_a_real_policy_again_discards_the_page_kept_aside(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "providers"
    with serving() as server:
        make_provider(root, "acme", POLICY, policy_url=server.page("/acme", SOFT_404))
        assert run_cli(["fetch", "--providers", str(root)], capsys)[0] == 1
        assert (root / "acme" / "versions" / ".pending").is_dir()
        server.page("/acme", html_page(POLICY))
        code, out, _err = run_cli(["fetch", "--providers", str(root)], capsys)
        assert code == 0 and out.startswith("acme: saved: new version acme/versions/")
        assert not (root / "acme" / "versions" / ".pending").exists()


# --- the vetting rules on their own: real policies are never doubted -------------------------------------


@pytest.mark.parametrize("slug", ["cloud9", "cloudcone", "cloudmailstore", "cloudonex", "cloudpockets"])
def test_the_bundled_policies_read_like_policies(slug: str) -> None:
    from tests.helpers import PROVIDERS
    folder = PROVIDERS / slug
    policy = next(p for p in folder.iterdir() if p.name.startswith("policy."))
    if policy.suffix == ".pdf":
        pytest.skip("a PDF policy: its text is read by scorecard.text, not by fetch")
    from scorecard.text import read_policy
    text = read_policy(policy).text
    assert doubt(text, "Privacy Policy", previous=text) is None


def test_a_short_policy_that_mentions_signing_in_is_not_a_login_page() -> None:
    assert doubt(POLICY, "Privacy") is None  # 'signed in' and 'cookies' appear, but so does a policy's vocabulary


# --- UTF-16 without a BOM, on disk too ------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(codec: str, tmp_path: Path) -> None:
    data = POLICY.encode(codec)
    assert not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert utf16_without_bom(data) == codec
    assert decode_bytes(data, tmp_path / "policy.txt") == POLICY
    assert utf16_without_bom(POLICY.encode("utf-8")) is None
    assert utf16_without_bom(bytes(200)) is None  # all NULs is binary, not UTF-16


def test_utf16_policy_file_without_bom_extracts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(POLICY.encode("utf-16-le"))
    code, out, err = run_cli(["extract", "--format", "jsonl", str(path)], capsys)
    assert code == 0, err
    assert '"data_sale"' in out and "\\u0000" not in out


def test_main_text_of_utf16_page_has_no_nul(tmp_path: Path) -> None:
    with serving() as server:
        url = server.page("/u", html_page(POLICY).encode("utf-16-le"), content_type="text/html")
        text, ext = main_text(download(url))
    assert ext == "md" and "\x00" not in text and "We do not sell your personal information" in text
