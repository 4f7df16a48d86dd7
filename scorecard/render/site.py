"""The static site: index (compare at a glance), a page per provider, methodology, compare view.

Every link is relative (`root` is "" or "../"), so the site works from file:// and any static host.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from ..model import Rubric, Scorecard
from .badge import badge_svg
from .config import SiteConfig
from .data import dumps, scorecard_json, scorecards_csv, scorecards_json
from .templating import read_asset

SiteFiles = dict[str, bytes | Path]  # a Path: reuse that file of the previous site (see cache.py)
SHARED_FILES = ("index.html", "methodology/index.html", "compare/index.html", "assets/site.css", "assets/site.js",
                "data/scorecards.json", "data/scorecards.csv")


def rank(cards: list[Scorecard]) -> list[Scorecard]:
    """Best first; ties by name, then slug, so the order never depends on the file system."""
    return sorted(cards, key=lambda c: (-c.score, c.name.lower(), c.slug))


def as_config(config: SiteConfig | dict | None) -> SiteConfig:
    if isinstance(config, SiteConfig):
        return config
    return SiteConfig(**(config or {}))


def page_context(rubric: Rubric, config: SiteConfig | dict | None, root: str, page: str = "",
                 has_pdf: bool = True) -> dict:
    """What every page template may use: see templates/base.html."""
    return {"rubric": rubric, "site": as_config(config), "root": root, "page": page, "has_pdf": has_pdf}


def render_provider_files(card: Scorecard, rubric: Rubric, env: Environment, config: SiteConfig | dict | None,
                          has_pdf: bool = True) -> SiteFiles:
    """Everything under <slug>/ except the PDF."""
    ctx = page_context(rubric, config, "../", "provider", has_pdf)
    html = env.get_template("provider.html").render(card=card, **ctx)
    return {
        f"{card.slug}/index.html": html.encode("utf-8"),
        f"{card.slug}/scorecard.json": dumps(scorecard_json(card)),
        f"{card.slug}/badge.svg": badge_svg(card.grade, card.score),
    }


def render_shared_files(cards: list[Scorecard], rubric: Rubric, env: Environment,
                        config: SiteConfig | dict | None, user_templates: Path | None = None,
                        has_pdf: bool = True) -> SiteFiles:
    """Pages that show every provider, plus assets and open data."""
    ranked = rank(cards)
    site = as_config(config)

    def page(template: str, name: str, root: str, **extra: object) -> bytes:
        ctx = page_context(rubric, site, root, name, has_pdf)
        return env.get_template(template).render(**ctx, **extra).encode("utf-8")

    grade_order = {g.letter: i for i, g in enumerate(sorted(rubric.grades, key=lambda g: -g.min_score))}
    return {
        "index.html": page("index.html", "index", "", cards=ranked, grade_order=grade_order),
        "methodology/index.html": page("methodology.html", "methodology", "../"),
        "compare/index.html": page("compare.html", "compare", "../", cards=ranked),
        "assets/site.css": (read_asset("site.css", user_templates) + site.css()).encode("utf-8"),
        "assets/site.js": read_asset("site.js", user_templates).encode("utf-8"),
        "data/scorecards.json": scorecards_json(ranked),
        "data/scorecards.csv": scorecards_csv(ranked),
    }
