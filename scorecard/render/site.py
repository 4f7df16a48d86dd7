"""The static site: index (compare at a glance), a page per provider, methodology, compare view.

Every link is relative (`root` is "" or "../"), so the site works from file:// and any static host.
"""
from __future__ import annotations

import json
import posixpath
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ..errors import PolicyError, ScorecardError
from ..history import History, VersionCard
from ..model import DOCUMENT_KINDS, MAIN_DOCUMENT, NOT_STATED, PolicyVersion, PracticeScore, Rubric, Scorecard
from ..providers import RESERVED_SLUGS
from ..text import Document, read_policy
from .badge import badge_svg, grade_colours
from .config import SiteConfig
from .context import (
    CompareColumnContext,
    CompareContext,
    IndexContext,
    MethodologyContext,
    PageContext,
    PolicyContext,
    PracticeContext,
    ProviderContext,
)
from .data import dumps, scorecard_json, scorecards_csv, scorecards_json
from .doubt import checked
from .policy import annotate
from .templating import read_asset

SiteFiles = dict[str, bytes | Path]  # a Path: reuse that file of the previous site (see cache.py)
SHARED_FILES = ("index.html", "methodology/index.html", "compare/index.html", "assets/site.css", "assets/site.js",
                "data/scorecards.json", "data/scorecards.csv")


def grade_key(letter: str) -> tuple[str, int]:
    """A before B; A+ before A before A- (grade letters are ^[A-F][+-]?$)."""
    return letter[:1], {"+": 0, "": 1, "-": 2}.get(letter[1:], 1)


def rank(cards: list[Scorecard]) -> list[Scorecard]:
    """Best grade first (a capped grade ranks as given), then best score; ties by name, then slug, so the
    order never depends on the file system."""
    return sorted(cards, key=lambda c: (grade_key(c.grade), -c.score, c.name.lower(), c.slug))


def as_config(config: SiteConfig | dict[str, Any] | None) -> SiteConfig:
    if isinstance(config, SiteConfig):
        return config
    return SiteConfig(**(config or {}))


def page_context(rubric: Rubric, config: SiteConfig | dict[str, Any] | None, root: str, page: str = "",
                 has_pdf: bool = True) -> dict[str, Any]:
    """The fields of PageContext, which every page's context starts from: what templates/base.html uses."""
    return PageContext(rubric=rubric, site=as_config(config), root=root, page=page, has_pdf=has_pdf).variables()


# What a build's environment makes once (badge colours, the compare column's macros): kept on the environment
# itself, so it goes with it; an entry naming an object by id holds that object and is checked against it.
_PER_ENV: weakref.WeakKeyDictionary[Environment, dict[tuple[object, ...], tuple[tuple[object, ...], Any]]] = (
    weakref.WeakKeyDictionary())


def _once(env: Environment, key: tuple[object, ...], held: tuple[object, ...], make: Callable[[], Any]) -> Any:
    """make(), kept with `env` for this key while the objects it names by id are the ones `held` here."""
    made = _PER_ENV.setdefault(env, {})
    found = made.get(key)
    if found is None or any(a is not b for a, b in zip(found[0], held, strict=True)):
        found = made[key] = (held, make())
    return found[1]


def badge_colours(env: Environment, config: SiteConfig | dict[str, Any] | None) -> Mapping[str, str]:
    """The grade colours of this site: its site.css (the user's, if they have one) and its config."""
    assert env.loader is not None
    colours = tuple(sorted(as_config(config).colours.items()))

    def make() -> Mapping[str, str]:
        assert env.loader is not None
        return grade_colours(env.loader.get_source(env, "site.css")[0], colours)

    result: Mapping[str, str] = _once(env, ("badge", colours), (), make)
    return result


def value_labels(rubric: Rubric) -> dict[tuple[str, str], tuple[str, str]]:
    """(practice, value) -> (label, kind) for every answer of the rubric."""
    return {(p.key, v): (rule.label, "unknown" if v == NOT_STATED else rule.verdict)
            for p in rubric.practices for v, rule in p.values.items()}


@dataclass
class PolicyPage:
    """One annotated page: a version of one of the provider's documents, shown with the scorecard of the
    last provider version in which it was in force."""

    document: str  # MAIN_DOCUMENT or a DocumentInfo id
    title: str  # "Privacy policy", "Cookie policy"
    version: PolicyVersion
    card: VersionCard
    latest: bool
    name: str  # its file under <slug>/: policy/index.html, policy/cookies/2026-11-23/index.html

    @property
    def root(self) -> str:
        return "../" * self.name.count("/")


def document_titles(card: Scorecard) -> dict[str, str]:
    """Document id -> its title, the privacy policy first."""
    titles = {MAIN_DOCUMENT: DOCUMENT_KINDS[MAIN_DOCUMENT]}
    for doc in card.info.documents if card.info else []:
        titles[doc.key] = doc.heading
    return titles


def policy_pages(history: History, titles: dict[str, str]) -> list[PolicyPage]:
    """Every annotated page of a provider: per document, its latest version, then each older one."""
    pages: list[PolicyPage] = []
    versions: list[VersionCard] = history.versions
    for doc, title in titles.items():
        shown: dict[str, tuple[PolicyVersion, VersionCard]] = {}  # version id -> (version, last state with it)
        for state in versions:
            version = state.in_force().get(doc)
            if version is not None:
                shown[version.id] = (version, state)
        if not shown:
            continue
        latest_id = next(reversed(shown))
        folder = "policy" if doc == MAIN_DOCUMENT else f"policy/{doc}"
        for version_id, (version, state) in reversed(shown.items()):
            latest = version_id == latest_id
            name = f"{folder}/index.html" if latest else f"policy/{version_id}/index.html"
            pages.append(PolicyPage(doc, title, version, state, latest, name))
    return pages


PAGE_ROWS = 100  # providers on one index or practice page (about 6,000 elements: it opens in well under 0.5 s);
# more go on further pages, linked next and previous


@dataclass(frozen=True)
class Pages:
    """Where one page of a long list sits among its pages: index.html, index-2.html, index-3.html..."""

    number: int  # from 1
    count: int
    first: int  # the first row shown, from 1
    last: int
    total: int

    @staticmethod
    def name(number: int) -> str:
        return "index.html" if number == 1 else f"index-{number}.html"

    @property
    def previous(self) -> str:
        return self.name(self.number - 1) if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.name(self.number + 1) if self.number < self.count else ""


def paged(cards: list[Scorecard]) -> list[tuple[Pages, list[Scorecard]]]:
    """The ranked providers cut into pages of PAGE_ROWS (one page when there are none)."""
    count = max(1, -(-len(cards) // PAGE_ROWS))
    return [(Pages(n + 1, count, min(len(cards), n * PAGE_ROWS + 1), min(len(cards), (n + 1) * PAGE_ROWS),
                   len(cards)), cards[n * PAGE_ROWS:(n + 1) * PAGE_ROWS]) for n in range(count)]


COMPARE_DATA = "data/compare"  # <slug>.js: one provider's column of the compare page, loaded when picked


def provider_file_names(slug: str, history: History | None) -> list[str]:
    """Every file render_provider_files writes for this provider (the build cache reuses exactly these)."""
    names = [f"{slug}/{name}" for name in ("index.html", "scorecard.json", "badge.svg")]
    names.append(f"{COMPARE_DATA}/{slug}.js")
    if history is not None:
        names += [f"{slug}/{page.name}" for page in policy_pages(history, document_titles(history.current))]
    return names


def _document(page: PolicyPage) -> Document | None:
    """The version's text: kept from extraction, or read again (a history from the build cache has none)."""
    document: Document | None = page.card.texts.get(page.document)
    if document is None and page.document == MAIN_DOCUMENT and not page.card.versions:
        document = page.card.document  # one document: the text extraction read
    if document is not None:
        return document
    try:
        return read_policy(page.version.path)
    except PolicyError:
        return None


def render_policy_pages(card: Scorecard, history: History, rubric: Rubric, env: Environment,
                        config: SiteConfig | dict[str, Any] | None, has_pdf: bool = True) -> SiteFiles:
    """<slug>/policy/index.html (the privacy policy's latest text), policy/<version>/index.html for each
    older one, and the same under policy/<document>/ for each other document."""
    labels = value_labels(rubric)
    titles = document_titles(card)
    pages = policy_pages(history, titles)
    latest_of = {page.document: page for page in pages if page.latest}
    files: SiteFiles = {}
    for page in pages:
        document = _document(page)
        if document is None:
            continue
        shown = card if page.latest else page.card.card
        here = page.name.removesuffix("index.html")

        def rel(name: str, here: str = here) -> str:
            return posixpath.relpath(name, here or ".")

        html = PolicyContext(
            **page_context(rubric, config, page.root + "../", "policy", has_pdf),
            card=shown, current=card, annotated=annotate(document, shown, labels, page.document), policy_page=page,
            latest=page.latest, what=page.title[:1].lower() + page.title[1:], provider_href=rel("index.html"),
            version_links=[(p.version.label, rel(p.name), p is page, p.latest) for p in pages
                           if p.document == page.document],
            documents=[(p.title, rel(p.name), p.document == page.document) for p in latest_of.values()],
            canonical=here).render(env)
        files[f"{card.slug}/{page.name}"] = html.encode("utf-8")
    return files


def render_provider_files(card: Scorecard, rubric: Rubric, env: Environment, config: SiteConfig | dict[str, Any] | None,
                          has_pdf: bool = True, history: History | None = None) -> SiteFiles:
    """Everything under <slug>/ except the PDF: the page, its data, the badge and, with its history (every
    version's text), the annotated policy."""
    if card.slug in RESERVED_SLUGS:
        raise ScorecardError(f"the provider slug '{card.slug}' is the name of a folder of the site; "
                             f"rename the provider's folder (reserved: {', '.join(sorted(RESERVED_SLUGS))})")
    policy = render_policy_pages(card, history, rubric, env, config, has_pdf) if history is not None else {}
    html = ProviderContext(**page_context(rubric, config, "../", "provider", has_pdf), card=card,
                           has_policy=bool(policy), history=history).render(env)
    return {
        f"{card.slug}/index.html": html.encode("utf-8"),
        f"{card.slug}/scorecard.json": dumps(scorecard_json(card)),
        f"{card.slug}/badge.svg": badge_svg(card.grade, card.score, badge_colours(env, config)),
        f"{COMPARE_DATA}/{card.slug}.js": compare_script(card, rubric, env, has_policy=bool(policy)),
        **policy,
    }


def compare_script(card: Scorecard, rubric: Rubric, env: Environment, has_policy: bool = False) -> bytes:
    """data/compare/<slug>.js: the provider's column of the compare page (its heading and a cell per practice,
    rendered and escaped here like any page), which site.js adds with a <script> element when a reader picks
    the provider. A script, not JSON: it loads from file:// too. Its links are relative to compare/."""
    macros = _once(env, ("compare", id(rubric), has_policy), (rubric,),
                   lambda: CompareColumnContext(rubric=rubric, root="../", has_policy=has_policy).module(env))
    column = {"slug": card.slug, "head": str(macros.head(card)),
              "cells": [str(macros.cell(card, row)) for row in card.practices]}
    return f"scorecardCompare({json.dumps(column, ensure_ascii=False)});\n".encode()


def compare_choices(cards: list[Scorecard]) -> bytes:
    """data/compare/_providers.js (no slug has an underscore): every provider's slug, name, grade and score, best first, for the pickers
    of the compare page (a list of names, never the tables: those load one provider at a time)."""
    rows = [[c.slug, c.name, c.grade, c.score] for c in cards]
    listed = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return f"window.scorecardProviders = {listed};\n".encode()


def by_answer(cards: list[Scorecard], practice: str) -> dict[str, list[tuple[Scorecard, PracticeScore]]]:
    """The providers of a practice page grouped by their answer, in rank order (grouped here, once, rather
    than by the template looping over every provider for every answer)."""
    groups: dict[str, list[tuple[Scorecard, PracticeScore]]] = {}
    for card in cards:
        for row in card.practices:
            if row.practice == practice:
                groups.setdefault(row.value, []).append((card, row))
    return groups


def shared_file_names(rubric: Rubric, providers: int = 0) -> list[str]:
    """Every file render_shared_files writes for this many providers (the build cache reuses exactly these)."""
    count = max(1, -(-providers // PAGE_ROWS))
    pages = [Pages.name(n) for n in range(2, count + 1)]
    return (list(SHARED_FILES) + [f"{COMPARE_DATA}/_providers.js"] + pages
            + [f"practices/{p.key}/{name}" for p in rubric.practices for name in ["index.html", *pages]])


Written = Mapping[str, bytes] | Callable[[], Mapping[str, bytes]] | None


@dataclass
class SharedPage:
    """A file of render_shared_files: `shows` says all it is made from besides the render inputs (templates,
    site config, rubric: the build cache adds those), so that an unchanged one is not rendered again; None
    when it is cheaper to make than to key."""

    shows: str | None
    make: Callable[[], bytes]


def shown_cards(cards: list[Scorecard], keys: Mapping[str, str] | None, policy_slugs: frozenset[str]) -> str | None:
    """What a page of these cards shows of them: each card stands for its provider's key (a card is made
    from its provider's files, which the key hashes), with whether it has a policy page."""
    if keys is None or any(c.slug not in keys for c in cards):
        return None
    return ";".join(f"{c.slug}={keys[c.slug]}{'+' if c.slug in policy_slugs else ''}" for c in cards)


def _keyed(*parts: object) -> str | None:
    return None if any(p is None for p in parts) else "\0".join(map(str, parts))


def shared_pages(cards: list[Scorecard], rubric: Rubric, env: Environment,
                 config: SiteConfig | dict[str, Any] | None, user_templates: Path | None = None,
                 has_pdf: bool = True, policy_slugs: frozenset[str] = frozenset(),
                 written: Written = None, keys: Mapping[str, str] | None = None) -> dict[str, SharedPage]:
    """The files of render_shared_files, each made only when asked, with what it shows (`keys`: each
    provider's key, by slug; without it no page says what it shows)."""
    ranked = rank(cards)
    site = as_config(config)

    def base(root: str, name: str) -> dict[str, Any]:
        return page_context(rubric, site, root, name, has_pdf)

    grade_order = {g.letter: i for i, g in enumerate(sorted(rubric.grades, key=lambda g: -g.min_score))}
    pages = paged(ranked)
    counts = checked(ranked, rubric)  # of the whole site, on every index page: counted once
    answers = {p.key: dict.fromkeys(p.values, 0) for p in rubric.practices}  # providers per answer, every page
    for card in ranked:
        for row in card.practices:
            if row.value in answers.get(row.practice, {}):
                answers[row.practice][row.value] += 1

    def index(at: Pages, shown: list[Scorecard]) -> bytes:
        return IndexContext(**base("", "index"), cards=shown, pages=at, all_cards=ranked, counts=counts,
                            grade_order=grade_order).render(env).encode("utf-8")

    def practice(p: Any, at: Pages, shown: list[Scorecard]) -> bytes:
        return PracticeContext(**base("../../", "practice"), practice=p, pages=at, answers=answers[p.key],
                               groups=by_answer(shown, p.key), policy_slugs=policy_slugs).render(env).encode("utf-8")

    def open_data() -> bytes:
        return scorecards_json(ranked, written() if callable(written) else written)

    everyone = shown_cards(ranked, keys, policy_slugs)
    files: dict[str, SharedPage] = {}
    for at, shown in pages:
        files[Pages.name(at.number)] = SharedPage(
            _keyed("index", at, counts, len(ranked), shown_cards(shown, keys, policy_slugs)),
            lambda at=at, shown=shown: index(at, shown))  # type: ignore[misc]
    files["methodology/index.html"] = SharedPage("methodology", lambda: MethodologyContext(
        **base("../", "methodology")).render(env).encode("utf-8"))
    files["compare/index.html"] = SharedPage(f"compare\0{len(ranked)}", lambda: CompareContext(
        **base("../", "compare"), cards=ranked).render(env).encode("utf-8"))
    files[f"{COMPARE_DATA}/_providers.js"] = SharedPage(None, lambda: compare_choices(ranked))
    for p in rubric.practices:
        for at, shown in pages:
            files[f"practices/{p.key}/{Pages.name(at.number)}"] = SharedPage(
                _keyed("practice", p.key, at, answers[p.key], shown_cards(shown, keys, policy_slugs)),
                lambda p=p, at=at, shown=shown: practice(p, at, shown))  # type: ignore[misc]
    files["assets/site.css"] = SharedPage(None, lambda: (read_asset("site.css", user_templates)
                                                         + site.css()).encode("utf-8"))
    files["assets/site.js"] = SharedPage(None, lambda: read_asset("site.js", user_templates).encode("utf-8"))
    files["data/scorecards.json"] = SharedPage(_keyed("json", everyone), open_data)
    files["data/scorecards.csv"] = SharedPage(_keyed("csv", everyone), lambda: scorecards_csv(ranked))
    return files


def render_shared_files(cards: list[Scorecard], rubric: Rubric, env: Environment,
                        config: SiteConfig | dict[str, Any] | None, user_templates: Path | None = None,
                        has_pdf: bool = True, policy_slugs: frozenset[str] = frozenset(),
                        written: Written = None) -> SiteFiles:
    """Pages that show every provider, plus assets and open data. `policy_slugs`: the providers with an
    annotated policy page (their quotes link to it); `written`: each provider's scorecard.json as this build
    writes it, by slug (data/scorecards.json joins them)."""
    return {name: page.make() for name, page in shared_pages(cards, rubric, env, config, user_templates, has_pdf,
                                                              policy_slugs, written).items()}
