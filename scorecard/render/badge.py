"""An embeddable SVG grade badge: letter and score in text, colour only as a second cue."""
from __future__ import annotations

from xml.sax.saxutils import escape

GRADE_COLOURS = {"A": "#116329", "B": "#3f6f12", "C": "#7d4e00", "D": "#9a3a00", "E": "#a40e26", "F": "#a40e26"}  # site.css; white text at AA


def badge_svg(grade: str, score: int, label: str = "privacy") -> bytes:
    colour = GRADE_COLOURS.get(grade[:1], "#57606a")
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
