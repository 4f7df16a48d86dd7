"""What each template is given: one typed dataclass per template, passed explicitly.

Every field is a variable the template (with what it extends, includes and imports) uses, and every variable
it uses is a field (tests/test_template_context.py checks both ways); the environment holds only functions
and filters (templating.py), never data. Templates render with StrictUndefined, so a missing name fails the
build instead of showing nothing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from jinja2 import Environment

if TYPE_CHECKING:
    from ..history import Change, History
    from ..model import PracticeScore, Rubric, RubricPractice, Scorecard
    from .config import SiteConfig
    from .doubt import Checked
    from .policy import AnnotatedPolicy
    from .site import Pages, PolicyPage


@dataclass(frozen=True, kw_only=True)
class Context:
    template: ClassVar[str]  # the template this context is for (each subclass names its own)

    def variables(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # shallow: no copy of the scorecards

    def render(self, env: Environment) -> str:
        return env.get_template(self.template).render(self.variables())


@dataclass(frozen=True, kw_only=True)
class PageContext(Context):
    """What base.html (so every page of the site) uses."""

    template = "base.html"
    rubric: Rubric
    site: SiteConfig
    root: str  # "" or "../" or "../../": every link is relative
    page: str  # the nav entry marked current: "index", "compare", ...; "" for none
    has_pdf: bool


@dataclass(frozen=True, kw_only=True)
class IndexContext(PageContext):
    template = "index.html"
    cards: list[Scorecard]  # the providers on this page
    all_cards: list[Scorecard]  # every provider, ranked
    pages: Pages
    counts: Checked
    grade_order: dict[str, int]


@dataclass(frozen=True, kw_only=True)
class MethodologyContext(PageContext):
    template = "methodology.html"


@dataclass(frozen=True, kw_only=True)
class CompareContext(PageContext):
    template = "compare.html"
    cards: list[Scorecard]


@dataclass(frozen=True, kw_only=True)
class PracticeContext(PageContext):
    template = "practice.html"
    practice: RubricPractice
    pages: Pages
    answers: dict[str, int]  # providers per answer, on every page of the practice
    groups: dict[str, list[tuple[Scorecard, PracticeScore]]]
    policy_slugs: frozenset[str]  # providers with an annotated policy page


@dataclass(frozen=True, kw_only=True)
class ProviderContext(PageContext):
    template = "provider.html"
    card: Scorecard
    has_policy: bool
    history: History | None


@dataclass(frozen=True, kw_only=True)
class PolicyContext(PageContext):
    template = "policy.html"
    card: Scorecard  # the scorecard of the version shown
    current: Scorecard  # the provider's latest
    annotated: AnnotatedPolicy
    policy_page: PolicyPage
    latest: bool
    what: str  # "privacy policy", "cookie policy"
    provider_href: str
    version_links: list[tuple[str, str, bool, bool]]  # label, href, this page, latest
    documents: list[tuple[str, str, bool]]  # title, href, this document
    canonical: str


@dataclass(frozen=True, kw_only=True)
class CompareColumnContext(Context):
    """_compare.html, used as a module of macros (head, cell) for one provider's column."""

    template = "_compare.html"
    rubric: Rubric
    root: str
    has_policy: bool

    def module(self, env: Environment) -> Any:
        return env.get_template(self.template).make_module(self.variables())


@dataclass(frozen=True, kw_only=True)
class ChangesContext(PageContext):
    template = "changes.html"
    changes: list[Change]


@dataclass(frozen=True, kw_only=True)
class FeedContext(Context):
    template = "feed.xml"
    site: SiteConfig
    changes: list[Change]
    feed_id: str
    updated: str
    entry_id: Callable[[Change], str]
    atom_date: Callable[[dt.date | None], str]
    xml_text: Callable[[str], str]


@dataclass(frozen=True, kw_only=True)
class PdfContext(Context):
    template = "pdf.html"
    card: Scorecard
    rubric: Rubric
    site: SiteConfig
    css: str
    built_on: dt.date | None
    has_policy: bool  # its quotes link to the annotated policy on the site (with a base_url)


@dataclass(frozen=True, kw_only=True)
class ComparisonPdfContext(Context):
    template = "pdf-all.html"
    cards: list[Scorecard]  # the rows of this part
    all_cards: list[Scorecard]
    rubric: Rubric
    site: SiteConfig
    page_size: str
    built_on: dt.date
    part: int
    parts: int
    footer_pages: int


__all__ = ["ChangesContext", "CompareColumnContext", "CompareContext", "ComparisonPdfContext", "Context",
           "FeedContext", "IndexContext", "MethodologyContext", "PageContext", "PdfContext", "PolicyContext",
           "PracticeContext", "ProviderContext"]
