"""One-page PDF summaries with WeasyPrint, fetching nothing a policy could point at."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ..model import Rubric, Scorecard
from .config import SiteConfig
from .templating import read_asset


class RefusingFetcher(URLFetcher):
    """Serves nothing: our CSS is inlined, so any URL comes from untrusted text. Refused URLs are kept."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.refused.append(url)
        raise ValueError(f"scorecard fetches nothing: {url}")

    def open(self, fullurl, data=None, timeout=None):
        """The opener underneath is never used either, whatever path a future WeasyPrint takes."""
        url = getattr(fullurl, "full_url", fullurl)
        self.refused.append(url)
        raise ValueError(f"scorecard fetches nothing: {url}")


def pdf_html(card: Scorecard, rubric: Rubric, env: Environment, *, page_size: str = "A4",
             built_on: dt.date | None = None, user_templates: Path | None = None,
             template: str = "pdf.html", site: SiteConfig | None = None) -> str:
    """With the site's base_url known, the PDF names the site and its quotes link to the annotated policy."""
    css = read_asset("pdf.css", user_templates).replace("__PAGE_SIZE__", page_size)
    return env.get_template(template).render(card=card, rubric=rubric, css=css, built_on=built_on,
                                             site=site or SiteConfig())


def render_pdf(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    """PDF bytes; dates come from the <meta name=dcterms.*> in the HTML, so builds are reproducible."""
    document = HTML(string=html, base_url=None, url_fetcher=fetcher or RefusingFetcher())
    return document.write_pdf(uncompressed_pdf=False)


FIT_STEPS = ("compact", "tiny")  # body classes of pdf.css, each smaller than the last


def render_page(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    """A provider's PDF on exactly one page: if it runs over, render again with a tighter layout."""
    rendered = HTML(string=html, base_url=None, url_fetcher=fetcher or RefusingFetcher()).render()
    for step in FIT_STEPS:
        if len(rendered.pages) <= 1 or '<body class="' not in html:
            break
        tighter = html.replace('<body class="', f'<body class="{step} ', 1)
        rendered = HTML(string=tighter, base_url=None, url_fetcher=fetcher or RefusingFetcher()).render()
    if len(rendered.pages) > 1:  # a rubric with very many practices: keep the page people print
        rendered = rendered.copy(rendered.pages[:1])
    return rendered.write_pdf(uncompressed_pdf=False)


def comparison_html(cards: list[Scorecard], rubric: Rubric, env: Environment, *, site: object,
                    page_size: str = "A4", built_on: dt.date | None = None,
                    template: str = "pdf-all.html") -> str:
    """site/scorecards.pdf: every provider in one table, best first, landscape."""
    return env.get_template(template).render(cards=cards, rubric=rubric, site=site, page_size=page_size,
                                             built_on=built_on or dt.date(1970, 1, 1))
