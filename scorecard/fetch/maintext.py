"""The policy's main text from a downloaded page: trafilatura for HTML (no navigation, scripts, footers)."""
from __future__ import annotations

import re

from ..text.decode import decode_bytes, utf16_without_bom
from .http import FetchError, FetchOptions, Page
from .wayback import TOOLBAR_XPATHS, strip_notices, strip_toolbar

BLANK_LINES = re.compile(r"\n{3,}")


def main_text(page: Page, options: FetchOptions | None = None) -> tuple[str, str]:
    """(text, file extension): Markdown from HTML (headings kept for sections), plain text as it came."""
    options = options or FetchOptions()
    if page.is_html:
        text, ext = _from_html(page), "md"
    else:
        text, ext = decode_bytes(page.body, declared=page.charset or "", lenient=True), "txt"
    text = tidy(strip_notices(text))
    if len(text) < options.min_chars:
        raise FetchError(f"{page.final_url} has almost no text ({len(text)} characters): a cookie wall,"
                         " an error page or a page drawn by JavaScript?")
    return text, ext


def _from_html(page: Page) -> str:
    import trafilatura  # here, not at the top: a build reads snapshots without the fetch stack

    html = strip_toolbar(page.body)
    source: bytes | str = html  # with no charset, trafilatura detects it, except UTF-16 without a BOM
    if page.charset or utf16_without_bom(html):
        source = decode_bytes(html, declared=page.charset or "", lenient=True)
    tree = trafilatura.load_html(source)
    if tree is None:
        raise FetchError(f"{page.final_url} is not readable HTML")
    text = trafilatura.extract(
        tree, url=page.final_url, output_format="markdown", include_formatting=True, include_tables=True,
        include_comments=False, include_links=False, include_images=False, favor_recall=True,
        deduplicate=False, prune_xpath=TOOLBAR_XPATHS)
    return text or ""


def tidy(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line in a row, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").lstrip("\ufeff")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return BLANK_LINES.sub("\n\n", text).strip() + "\n"
