"""An embeddable SVG grade badge: letter and score in text, colour only as a second cue."""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping


def escape(text: str) -> str:
    """&, < and > as XML entities (what xml.sax.saxutils.escape does; that module imports urllib.request)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

LIGHT_ROOT = re.compile(r":root\s*\{([^}]*)\}")  # the first :root block of site.css: the light scheme
GRADE_VAR = re.compile(r"--grade-([a-f])\s*:\s*([^;}\s]+)")
NO_GRADE = "#57606a"


@functools.lru_cache(maxsize=8)
def grade_colours(site_css: str, overrides: tuple[tuple[str, str], ...] = ()) -> Mapping[str, str]:
    """Grade letter -> colour, as the site shows it: site.css's light-scheme --grade-* properties, with the site
    config's grade_a ... grade_f over them (`overrides`: SiteConfig.colours as sorted pairs)."""
    found = LIGHT_ROOT.search(site_css)
    colours = {m[1].upper(): m[2] for m in GRADE_VAR.finditer(found[1] if found else "")}
    colours.update({name[-1].upper(): value for name, value in overrides if name.startswith("grade_")})
    return colours


def badge_svg(grade: str, score: int, colours: Mapping[str, str], label: str = "privacy") -> bytes:
    """`colours`: grade_colours() of the site, so a badge is the colour of its grade on the site."""
    colour = colours.get(grade[:1], NO_GRADE)
    value = f"{grade} · {score}/100"
    left = 8 + 7 * len(label)
    right = 10 + 7 * len(value)
    width = left + right
    title = escape(f"Privacy grade {grade}, score {score} out of 100")
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}">
<title>{title}</title>
<rect width="{left}" height="20" fill="#24292f"/>
<rect x="{left}" width="{right}" height="20" fill="{colour}"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="{left // 2}" y="14" text-anchor="middle">{escape(label)}</text>
<text x="{left + right // 2}" y="14" text-anchor="middle">{escape(value)}</text>
</g>
</svg>
"""
    return svg.encode("utf-8")


def badge_alt(name: str, grade: str, score: int) -> str:
    return f"{name}: privacy grade {grade}, score {score} out of 100"


def embed_code(name: str, grade: str, score: int, page_url: str, badge_url: str) -> dict[str, str]:
    """Copy-paste code that shows the badge and links to the provider's page: {"html": ..., "markdown": ...}."""
    from html import escape as html_escape

    alt = badge_alt(name, grade, score)
    width = badge_width(grade, score)
    html = (f'<a href="{html_escape(page_url)}"><img src="{html_escape(badge_url)}" alt="{html_escape(alt)}" '
            f'width="{width}" height="20"></a>')
    md_alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    markdown = f"[![{md_alt}]({badge_url.replace(')', '%29')})]({page_url.replace(')', '%29')})"
    return {"html": html, "markdown": markdown}


def badge_width(grade: str, score: int, label: str = "privacy") -> int:
    return 8 + 7 * len(label) + 10 + 7 * len(f"{grade} · {score}/100")
