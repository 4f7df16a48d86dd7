"""The optional site config file: a publisher's title, intro and colours, without forking the templates.

```yaml
# scorecard.yaml, passed with `scorecard build --config scorecard.yaml`
title: Privacy scorecards for cloud storage
base_url: https://privacy.example.org/   # optional: absolute links in feed, badges, PDFs
intro: We read the privacy policies so you don't have to.
colours:
  accent: "#6639ba"
  grade_a: "#116329"
```
Colours become CSS custom properties appended to assets/site.css (the CSP forbids inline styles),
so they are validated strictly: a config file must not be a way to inject CSS.
"""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator

from ..errors import ScorecardError
from ..model import Strict
from ..yamlsource import load_yaml

COLOUR = re.compile(r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z]{3,20})$")

# Config name -> CSS custom property used by site.css.
COLOUR_VARS = {
    "background": "--bg", "text": "--fg", "muted": "--muted", "line": "--line", "link": "--link",
    "accent": "--accent", "good": "--good", "bad": "--bad", "neutral": "--neutral",
    "grade_a": "--grade-a", "grade_b": "--grade-b", "grade_c": "--grade-c", "grade_d": "--grade-d",
    "grade_e": "--grade-e", "grade_f": "--grade-f",
}


class SiteConfig(Strict):
    """What a publisher may change without touching a template."""

    title: str = Field(default="Privacy scorecards", min_length=1, max_length=120,
                       description="Site name: page titles, header, PDF footers.")
    intro: str = Field(default=("Each provider's privacy policy, read for you: a grade, and the sentences "
                                "that justify every point."),
                       description="One paragraph under the title on the home page.")
    base_url: str = Field(default="", max_length=500, description=(
        "Where the site is published, e.g. https://privacy.example.org/: the feed, badges' embed code and PDFs "
        "then carry absolute links, and pages get canonical and Open Graph tags. Empty: every link stays "
        "relative, and the site works from file://."))
    colours: dict[str, str] = Field(default_factory=dict, description=(
        "Light-scheme colours by name: " + ", ".join(COLOUR_VARS) + ". Hex (#1a7f37) or a CSS colour word. "
        "Grade colours carry white text: keep a contrast of 4.5:1."))
    dark_colours: dict[str, str] = Field(default_factory=dict,
                                         description="The same names, for readers who prefer a dark scheme.")

    @field_validator("base_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return ""
        if not re.match(r"^https?://[^\s/?#\"'<>]+(/[^\s?#\"'<>]*)?$", value):
            raise ValueError(f"base_url must be an http(s) address without query or fragment, like "
                             f"https://privacy.example.org/, not '{value}'")
        return value.rstrip("/") + "/"

    def absolute(self, rel: str) -> str:
        """`rel` (a path inside the site) as an absolute URL, or "" when no base_url is set."""
        return self.base_url + rel if self.base_url else ""

    @field_validator("colours", "dark_colours")
    @classmethod
    def _known_colours(cls, value: dict[str, str]) -> dict[str, str]:
        for name, colour in value.items():
            if name not in COLOUR_VARS:
                raise ValueError(f"unknown colour '{name}'; known: {', '.join(COLOUR_VARS)}")
            if not COLOUR.match(str(colour)):
                raise ValueError(f"colour '{name}' must be #rgb, #rrggbb or a CSS colour word, not '{colour}'")
        return value

    def __getitem__(self, key: str) -> object:  # templates written for a plain dict keep working
        return getattr(self, key)

    def css(self) -> str:
        """CSS custom properties overriding site.css's defaults; empty when no colour is set."""
        parts = []
        if self.colours:
            parts.append(":root { " + " ".join(f"{COLOUR_VARS[k]}: {v};" for k, v in self.colours.items()) + " }")
        if self.dark_colours:
            body = " ".join(f"{COLOUR_VARS[k]}: {v};" for k, v in self.dark_colours.items())
            parts.append("@media (prefers-color-scheme: dark) { :root { " + body + " } }")
        return ("\n/* colours from the site config file */\n" + "\n".join(parts) + "\n") if parts else ""


def load_config(path: Path | None) -> SiteConfig:
    """The config file's settings over the defaults; no file, the defaults."""
    if path is None:
        return SiteConfig()
    path = Path(path)
    if not path.is_file():
        raise ScorecardError("site config file not found", path)
    doc = load_yaml(path)
    if doc.data is None:
        return SiteConfig()
    doc.mapping("the site config", "(title, intro, colours)")
    return doc.validate(SiteConfig)
