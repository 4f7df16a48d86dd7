"""Download one policy page: one deadline, checked redirects, a size cap, a content-type check, a clear UA."""
from __future__ import annotations

import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from ..errors import ScorecardError
from ..text.decode import sniff_text
from .wayback import ARCHIVE_HOSTS

if TYPE_CHECKING:  # httpx is imported when a page is downloaded: a build never needs it
    import httpx

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain"}


def _user_agent() -> str:
    try:
        ours = version("scorecard")
    except PackageNotFoundError:  # running from a source tree that was never installed
        ours = "dev"
    return f"scorecard/{ours} (privacy policy scorecards; fetches one policy page per provider)"


USER_AGENT = _user_agent()


class FetchError(ScorecardError):
    """A page that could not be downloaded or read; the message says why, in one line."""


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # seconds to connect, and between two reads
    total_timeout: float = 60.0  # seconds for the whole download, redirects included, however slowly it trickles
    max_redirects: int = 5
    max_bytes: int = 5_000_000  # real policy pages are well under 1 MB
    min_chars: int = 200  # less main text than this is a cookie wall or a page drawn by JavaScript
    user_agent: str = USER_AGENT
    archive_hosts: frozenset[str] = ARCHIVE_HOSTS  # Wayback Machine hosts (a mirror may be added)


@dataclass(frozen=True)
class Page:
    url: str  # as asked for
    final_url: str  # after redirects
    media_type: str  # "text/html", lower case, no parameters
    content_type: str  # the header as sent
    charset: str | None
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.media_type in HTML_TYPES


def check_url(url: str, came_from: str | None = None, shown: str | None = None) -> httpx.URL:
    """`url` parsed, if it is one scorecard may fetch: http or https with a host; else a FetchError naming
    it as `shown` (a redirect's Location as sent)."""
    import httpx
    where = f"redirect from {came_from} to" if came_from else "cannot fetch"
    shown = (url if shown is None else shown)[:300]
    try:
        parsed = httpx.URL(url)
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ValueError("port out of range")
    except (httpx.InvalidURL, ValueError, UnicodeError):
        raise FetchError(f"{where} '{shown}': not a valid URL") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"{where} '{shown}': only http and https URLs are fetched")
    if not parsed.host:
        raise FetchError(f"{where} '{shown}': the URL has no host")
    if parsed.userinfo:  # a user name or password would be saved in the snapshot's .yaml and published
        raise FetchError(f"{where} a URL with a user name or password: refused, it would be published")
    return parsed


def download(url: str, options: FetchOptions | None = None) -> Page:
    """GET `url`, following at most `max_redirects` redirects (to http and https only), all within one
    deadline of `total_timeout` seconds; a FetchError for anything but a page of HTML or plain text of at
    most `max_bytes`."""
    import httpx

    from .deadline import deadline_transport

    options = options or FetchOptions()
    target = check_url(url)
    deadline = time.monotonic() + options.total_timeout
    headers = {"User-Agent": options.user_agent,
               "Accept": "text/html, application/xhtml+xml, text/plain;q=0.9", "Accept-Encoding": "gzip, deflate"}
    try:
        for _hop in range(options.max_redirects + 1):
            # Redirects are followed here, not by httpx: each Location is checked (http or https, a valid
            # URL) and named in the error, and one deadline spans every hop.
            request = httpx.Request("GET", target, headers=headers,
                                    extensions={"timeout": httpx.Timeout(options.timeout).as_dict()})
            with deadline_transport(target, deadline) as transport:
                response = transport.handle_request(request)
                response.request = request
                try:
                    final = str(response.url)
                    location = response.headers.get("location", "").strip()
                    if response.is_redirect and location:
                        target = check_url(_join(response.url, location), came_from=final, shown=location)
                        continue
                    return _page(url, final, response, options)
                finally:
                    response.close()
        raise FetchError(f"more than {options.max_redirects} redirects from {url}")
    except httpx.TimeoutException:
        if time.monotonic() >= deadline:
            raise FetchError(f"no complete answer from {url} within {options.total_timeout:g} s") from None
        raise FetchError(f"no answer from {url} within {options.timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"cannot download {url}: {exc or type(exc).__name__}") from None


def _join(base: httpx.URL, location: str) -> str:
    import httpx

    try:
        return str(base.join(location))
    except (httpx.InvalidURL, ValueError, UnicodeError):
        return location  # check_url names it as not a valid URL (or not http)


def _page(url: str, final: str, response: httpx.Response, options: FetchOptions) -> Page:
    if response.status_code != 200:
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise FetchError(f"HTTP {response.status_code}{reason} from {final}")
    content_type = response.headers.get("content-type", "")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type and media_type not in HTML_TYPES | TEXT_TYPES:
        raise FetchError(f"{final} is {media_type}, not an HTML page or plain text")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > options.max_bytes:
        raise FetchError(f"{final} is {_mb(int(declared))}, over the {_mb(options.max_bytes)} limit")
    body = _read_capped(response, options, final)
    if not media_type:  # no Content-Type: accept only what plainly is HTML
        if not looks_like_html(body):
            raise FetchError(f"{final} sent no Content-Type and does not look like HTML")
        media_type = "text/html"
    return Page(url=url, final_url=final, media_type=media_type, content_type=content_type,
                charset=response.charset_encoding, body=body)


def looks_like_html(body: bytes) -> bool:
    start = sniff_text(body[:4096]).lstrip().lower() if body else ""
    return start.startswith(("<!doctype html", "<html"))


def _read_capped(response: httpx.Response, options: FetchOptions, final: str) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > options.max_bytes:
            raise FetchError(f"{final} is over the {_mb(options.max_bytes)} limit")
    return bytes(body)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
