"""Download one policy page: timeouts, caps on redirects and size, a content-type check, a clear UA."""
from __future__ import annotations

import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from ..errors import ScorecardError
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
    total_timeout: float = 60.0  # seconds for the whole download, however slowly it trickles
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


def download(url: str, options: FetchOptions | None = None) -> Page:
    """GET `url`, following at most `max_redirects` redirects; a FetchError for anything but a page of HTML
    or plain text of at most `max_bytes`."""
    import httpx

    options = options or FetchOptions()
    if httpx.URL(url).scheme not in ("http", "https"):
        raise FetchError(f"cannot fetch '{url}': only http and https URLs are fetched")
    timeout = httpx.Timeout(options.timeout)
    headers = {"User-Agent": options.user_agent,
               "Accept": "text/html, application/xhtml+xml, text/plain;q=0.9"}
    try:
        with httpx.Client(follow_redirects=True, max_redirects=options.max_redirects, timeout=timeout,
                          headers=headers) as client, client.stream("GET", url) as response:
            final = str(response.url)
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
            charset = response.charset_encoding
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {options.max_redirects} redirects from {url}") from None
    except httpx.TimeoutException:
        raise FetchError(f"no answer from {url} within {options.timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot download {url}: {exc or type(exc).__name__}") from None
    if not media_type:  # no Content-Type: accept only what plainly is HTML
        if not body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            raise FetchError(f"{final} sent no Content-Type and does not look like HTML")
        media_type = "text/html"
    return Page(url=url, final_url=final, media_type=media_type, content_type=content_type, charset=charset,
                body=body)


def _read_capped(response: httpx.Response, options: FetchOptions, final: str) -> bytes:
    body = bytearray()
    deadline = time.monotonic() + options.total_timeout
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > options.max_bytes:
            raise FetchError(f"{final} is over the {_mb(options.max_bytes)} limit")
        if time.monotonic() > deadline:
            raise FetchError(f"{final} took more than {options.total_timeout:g} s to download")
    return bytes(body)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
