"""Is a downloaded page a privacy policy? A login wall, a soft 404, a cookie notice or a page shrunk to a
fraction of the version before is not saved as a new version: it would be announced as a policy change.

The signs are deliberately plain (phrases of walls and error pages on a short page, the vocabulary every
policy uses, the size against the version before); a page they doubt is kept aside for a person, who
accepts it with `scorecard fetch SLUG --accept` when it is a real policy after all.
"""
from __future__ import annotations

import html
import re

from ..text.decode import sniff_text
from .http import Page

SHORT_PAGE = 3000  # characters: walls, error pages and cookie notices are short; policies rarely are
SHRINK = 0.25  # a new text under this share of the version before is doubted
SHRINK_FROM = 2000  # ... when the version before had at least this many characters

# What a privacy policy talks about; three of these and a short page is a policy, not a wall.
POLICY_WORDS = [re.compile(p) for p in (
    r"\bpersonal (?:data|information)\b", r"\bcollect", r"\bthird[- ]part", r"\bretain|\bretention\b",
    r"\brights?\b", r"\bdisclos", r"\bshar(?:e|ing)\b", r"\bprocess(?:ing|es)?\b", r"\bprivacy\b",
    r"\bcookies?\b", r"\bdelet")]
WALLS = {
    "a login page": [re.compile(p) for p in (
        r"\b(?:sign|log) ?in\b", r"\bpassword\b", r"\bforgot\b", r"\bcreate an account\b", r"\bsign up\b",
        r"\bremember me\b", r"\busername\b")],
    "a 'page not found' page": [re.compile(p) for p in (
        r"\bpage (?:was |could not be |cannot be |can't be )?not found\b", r"\b404\b",
        r"\b(?:does not|doesn't|no longer) exists?\b", r"\bpage you (?:are|were|'re) looking for\b",
        r"\b(?:could not|cannot|can't|couldn't) be found\b", r"\bbroken link\b")],
    "a cookie notice": [re.compile(p) for p in (
        r"\baccept (?:all )?cookies\b", r"\b(?:reject|decline) (?:all|cookies)\b",
        r"\bcookie (?:settings|preferences|consent)\b", r"\bmanage (?:cookies|preferences|consent)\b",
        r"\bwe use cookies\b", r"\baccept all\b")],
}
# Cues needed on a short page, and whether the page must also not read like a policy (a cookie notice
# speaks of personal data, partners and consent as a policy does; a short policy never says 'accept all').
WALL_CUES = {"a login page": (2, True), "a 'page not found' page": (1, True), "a cookie notice": (2, False)}
NOT_FOUND_TITLE = re.compile(r"\b(?:404|not found|page not found|error)\b", re.IGNORECASE)
TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def page_title(page: Page) -> str:
    """The <title> of an HTML page, one line ('' when there is none)."""
    if not page.is_html:
        return ""
    match = TITLE.search(sniff_text(page.body[:65536]))
    return " ".join(html.unescape(match[1]).split())[:200] if match else ""


def doubt(text: str, title: str = "", previous: str | None = None) -> str | None:
    """Why `text` is likely not the privacy policy (one line), or None when it reads like one.
    `previous` is the text of the version it would follow, when that is text."""
    words = " ".join(text.split())
    lowered = words.lower()
    if title and NOT_FOUND_TITLE.search(title):
        return f"looks like an error page (its title is '{title}')"
    policy_like = sum(bool(p.search(lowered)) for p in POLICY_WORDS) >= 3
    if len(words) < SHORT_PAGE:
        for kind, cues in WALLS.items():
            needed, unless_policy = WALL_CUES[kind]
            if unless_policy and policy_like:
                continue
            found = [m[0] for p in cues if (m := p.search(lowered))]
            if len(found) >= needed:
                shown = ", ".join(f"'{cue}'" for cue in found[:3])
                return f"looks like {kind} ({shown} on a page of {len(words)} characters)"
    if not any(p.search(lowered) for p in POLICY_WORDS):
        return "does not read like a privacy policy (no word of privacy, personal data, collection or sharing)"
    if previous is not None:
        before = len(" ".join(previous.split()))
        if before >= SHRINK_FROM and len(words) < before * SHRINK:
            return (f"is {len(words)} characters, under {SHRINK:.0%} of the {before} of the version before"
                    " (a page cut short, or another page?)")
    return None
