"""One-page PDF summaries with WeasyPrint, fetching nothing a policy could point at."""
from __future__ import annotations

import datetime as dt
import io
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from jinja2 import Environment
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ..model import Rubric, Scorecard
from .config import SiteConfig
from .context import ComparisonPdfContext, PdfContext
from .templating import read_asset


class RefusingFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types: its classes are Any
    """Serves nothing: our CSS is inlined, so any URL comes from untrusted text. Refused URLs are kept."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> NoReturn:
        self.refused.append(url)
        raise ValueError(f"scorecard fetches nothing: {url}")

    def open(self, fullurl: str | urllib.request.Request, data: bytes | None = None,
             timeout: float | None = None) -> NoReturn:
        """The opener underneath is never used either, whatever path a future WeasyPrint takes."""
        url = fullurl.full_url if isinstance(fullurl, urllib.request.Request) else fullurl
        self.refused.append(url)
        raise ValueError(f"scorecard fetches nothing: {url}")


def pdf_html(card: Scorecard, rubric: Rubric, env: Environment, *, page_size: str = "A4",
             built_on: dt.date | None = None, user_templates: Path | None = None,
             site: SiteConfig | None = None, has_policy: bool = False) -> str:
    """With the site's base_url known, the PDF names the site, and its quotes link to the annotated policy
    when the site has one (`has_policy`)."""
    css = read_asset("pdf.css", user_templates).replace("__PAGE_SIZE__", page_size)
    return PdfContext(card=card, rubric=rubric, css=css, built_on=built_on, site=site or SiteConfig(),
                      has_policy=has_policy).render(env)


def render_pdf(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    """PDF bytes; dates come from the <meta name=dcterms.*> in the HTML, so builds are reproducible."""
    document = HTML(string=html, base_url=None, url_fetcher=fetcher or RefusingFetcher())
    pdf: bytes = document.write_pdf(uncompressed_pdf=False)
    return pdf


FIT_STEPS = ("compact", "tiny")  # body classes of pdf.css, each smaller than the last


def render_one_page_pdf(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    """A provider's PDF on exactly one page: if it runs over, render again with a tighter layout."""
    rendered = HTML(string=html, base_url=None, url_fetcher=fetcher or RefusingFetcher()).render()
    for step in FIT_STEPS:
        if len(rendered.pages) <= 1 or '<body class="' not in html:
            break
        tighter = html.replace('<body class="', f'<body class="{step} ', 1)
        rendered = HTML(string=tighter, base_url=None, url_fetcher=fetcher or RefusingFetcher()).render()
    if len(rendered.pages) > 1:  # a rubric with very many practices: keep the page people print
        rendered = rendered.copy(rendered.pages[:1])
    pdf: bytes = rendered.write_pdf(uncompressed_pdf=False)
    return pdf


def comparison_html(cards: list[Scorecard], rubric: Rubric, env: Environment, *, site: SiteConfig | None,
                    page_size: str = "A4", built_on: dt.date | None = None, part: int = 0, parts: int = 1,
                    footer_pages: int = 0, all_cards: list[Scorecard] | None = None) -> str:
    """site/scorecards.pdf: every provider in one table, best first, landscape. With parts > 1, the HTML of
    one part (`cards` are its rows; the first part has the title, the last the legend) and no page numbers;
    with footer_pages, a document of that many empty pages that only carry the page numbers."""
    return ComparisonPdfContext(cards=cards, all_cards=cards if all_cards is None else all_cards, rubric=rubric,
                                site=site or SiteConfig(), page_size=page_size,
                                built_on=built_on or dt.date(1970, 1, 1), part=part, parts=parts,
                                footer_pages=footer_pages).render(env)


PART_ROWS = 150  # providers per part of scorecards.pdf drawn in parallel: fewer and one process draws it whole


def comparison_parts(cards: list[Scorecard], workers: int) -> list[list[Scorecard]]:
    """The rows of scorecards.pdf cut into parts for `workers` processes (one part for a small site)."""
    count = min(workers * 2, len(cards) // PART_ROWS) if workers > 1 else 1
    if count <= 1:
        return [cards]
    size = -(-len(cards) // count)
    return [cards[i:i + size] for i in range(0, len(cards), size)]


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def merge_parts(parts: list[bytes], numbers: bytes) -> bytes:
    """One PDF from parts drawn apart, in order, each page given its number from `numbers` (a document of
    as many pages holding only the page numbers). Metadata (title, dates) from the first part; no random
    file identifier, so two builds stay byte-identical."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    footers = PdfReader(io.BytesIO(numbers)).pages
    for page, footer in zip(writer.pages, footers, strict=True):
        page.merge_page(footer)
        page.compress_content_streams()  # merging leaves the page's drawing uncompressed
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)  # the numbers' font, once
    first = PdfReader(io.BytesIO(parts[0])).metadata
    if first:
        writer.add_metadata({key: str(value) for key, value in first.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
