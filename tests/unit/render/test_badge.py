"""The badge is the colour of its grade on the site: site.css's, or the site config's."""
from __future__ import annotations

import re

from scorecard.render.badge import badge_svg, grade_colours
from scorecard.render.config import SiteConfig
from scorecard.render.site import badge_colours
from scorecard.render.templating import make_environment
from tests.helpers import ROOT

SITE_CSS = (ROOT / "templates" / "site.css").read_text(encoding="utf-8")


def fill(svg: bytes) -> str:
    return re.findall(r'fill="([^"]+)"', svg.decode())[1]  # the second rect: the grade's side


def test_the_colours_come_from_site_css_light_scheme() -> None:
    light = re.search(r"--grade-b:\s*(#[0-9a-f]+)", SITE_CSS)
    assert light is not None
    assert grade_colours(SITE_CSS)["B"] == light[1]
    assert fill(badge_svg("B+", 80, grade_colours(SITE_CSS))) == light[1]


def test_the_site_config_colours_the_badge_too() -> None:
    colours = badge_colours(make_environment(), SiteConfig(colours={"grade_a": "#123456", "accent": "#654321"}))
    assert fill(badge_svg("A", 95, colours)) == "#123456"
    assert fill(badge_svg("C", 55, colours)) == grade_colours(SITE_CSS)["C"]


def test_a_users_site_css_colours_the_badge(tmp_path) -> None:
    (tmp_path / "site.css").write_text(":root { --grade-d: #abcdef; }\n", encoding="utf-8")
    assert fill(badge_svg("D", 40, badge_colours(make_environment(tmp_path), None))) == "#abcdef"
