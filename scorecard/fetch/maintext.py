"""The policy's main text from a downloaded page: trafilatura for HTML (no navigation, scripts, footers)."""
from __future__ import annotations

import re

from ..text.decode import decode_utf16, utf16_without_bom
from .http import FetchError, FetchOptions, Page
from .wayback import TOOLBAR_XPATHS, strip_notices, strip_toolbar

BLANK_LINES = re.compile(r"\n{3,}")


def main_text(page: Page, options: FetchOptions | None = None) -> tuple[str, str]:
    """(text, file extension): Markdown from HTML (headings kept for sections), plain text as it came."""
    options = options or FetchOptions()
    if page.is_html:
        text, ext = _from_html(page), "md"
    else:
        text, ext = _decode(page.body, page.charset), "txt"
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
        source = _decode(html, page.charset)
    tree = trafilatura.load_html(source)
    if tree is None:
        raise FetchError(f"{page.final_url} is not readable HTML")
    text = trafilatura.extract(
        tree, url=page.final_url, output_format="markdown", include_formatting=True, include_tables=True,
        include_comments=False, include_links=False, include_images=False, favor_recall=True,
        deduplicate=False, prune_xpath=TOOLBAR_XPATHS)
    return text or ""


def _decode(body: bytes, charset: str | None) -> str:
    """The declared charset if it fits; UTF-16 told by its BOM or NUL bytes (a declared 'utf-16' without a
    BOM says nothing of byte order); UTF-8; else cp1252 with replacements, never NUL-ridden mojibake."""
    declared = (charset or "").lower().replace("_", "-")
    if declared and declared not in ("utf-16", "utf16"):
        try:
            return body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        text = decode_utf16(body)
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return text.removeprefix("\ufeff")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def tidy(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line in a row, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").lstrip("\ufeff")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return BLANK_LINES.sub("\n\n", text).strip() + "\n"
