"""Wayback Machine URLs: ask for the original page (the `id_` form), and drop the archive's own markup.

https://web.archive.org/web/20190607123948/https://example.com/privacy serves the page wrapped in the
archive's toolbar; https://web.archive.org/web/20190607123948id_/https://example.com/privacy serves it
as it was captured. Fetching rewrites the first form into the second, and in case a toolbar still comes
(a mirror, a saved copy), its markup is removed before the main text is extracted.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection

ARCHIVE_HOSTS = frozenset({"web.archive.org", "wayback.archive.org"})
# /web/<14-digit timestamp><optional modifier like id_, if_, im_>/<original URL>
CAPTURE = re.compile(r"^/web/(?P<ts>\d{4,14})(?P<mod>[a-z]{2}_)?/(?P<original>.+)$")

# The toolbar the archive inserts, delimited by comments of its own.
TOOLBAR_BLOCK = re.compile(rb"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->",
                           re.DOTALL | re.IGNORECASE)
# Elements the archive adds around a page (toolbar, donation banner, notices), for trafilatura to prune.
TOOLBAR_XPATHS = [
    '//*[starts-with(@id, "wm-")]',
    '//*[@id="donato"]',
    '//*[@id="playback"]',
    '//script[contains(@src, "archive.org") or starts-with(@src, "/_static/")]',
    '//link[contains(@href, "archive.org") or starts-with(@href, "/_static/")]',
]
NOTICE_LINE = re.compile(r"^\s*The Wayback Machine\s*-\s*https?://web\.archive\.org/\S*\s*$", re.MULTILINE)


def _capture(url: str, hosts: Collection[str] = ARCHIVE_HOSTS) -> re.Match[str] | None:
    import httpx  # here, not at the top: a build reads snapshots without the fetch stack

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return None
    if parsed.host not in hosts:
        return None
    return CAPTURE.match(parsed.raw_path.decode("ascii", "replace"))


def original_page_url(url: str, hosts: Collection[str] = ARCHIVE_HOSTS) -> str:
    """The `id_` form of a Wayback capture URL (the page without the toolbar); other URLs unchanged."""
    match = _capture(url, hosts)
    if match is None or match["mod"] == "id_":
        return url
    import httpx

    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}/web/{match['ts']}id_/{match['original']}"


def capture_day(url: str, hosts: Collection[str] = ARCHIVE_HOSTS) -> dt.date | None:
    """The day a Wayback capture was made, from its timestamp; None for other URLs."""
    match = _capture(url, hosts)
    if match is None or len(match["ts"]) < 8:
        return None
    ts = match["ts"]
    try:
        return dt.date(int(ts[:4]), int(ts[4:6]), int(ts[6:8]))
    except ValueError:
        return None


def strip_toolbar(html: bytes) -> bytes:
    """Remove the toolbar block the archive inserts; the rest is pruned by TOOLBAR_XPATHS."""
    return TOOLBAR_BLOCK.sub(b"", html)


def strip_notices(text: str) -> str:
    return NOTICE_LINE.sub("", text)
