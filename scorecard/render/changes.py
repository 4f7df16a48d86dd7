"""What changed, for readers: the changes page, the Atom feed, data/changes.json, and `scorecard diff`'s text."""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from jinja2 import Environment

from ..history import Change, History, VersionCard
from ..model import Rubric
from .config import SiteConfig
from .context import ChangesContext, FeedContext
from .site import SiteFiles, as_config, page_context


def render_changes(histories: dict[str, History], rubric: Rubric, env: Environment,
                   config: SiteConfig | dict[str, Any] | None) -> SiteFiles:
    """changes/index.html, feed.xml and data/changes.json: every change of every provider, latest first."""
    changes = sorted((c for h in histories.values() for c in h.changes),
                     key=lambda c: (c.date or dt.date.min, c.slug, c.after.version.id), reverse=True)
    site = as_config(config)
    page = ChangesContext(**page_context(rubric, site, "../"), changes=changes).render(env)
    dates = [c.date for c in changes if c.date] or [
        v.date for h in histories.values() for v in h.versions if v.date]
    updated = max(dates, default=dt.date(1970, 1, 1))  # from the versions, never the clock: builds reproduce
    feed = FeedContext(changes=changes, site=site, feed_id=_urn("feed", site.title), updated=_atom_date(updated),
                       entry_id=lambda c: _urn("change", c.id), atom_date=_atom_date, xml_text=xml_text).render(env)
    data = [change_json(c) for c in changes]
    return {"changes/index.html": page.encode("utf-8"), "feed.xml": feed.encode("utf-8"),
            "data/changes.json": (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")}


def change_json(change: Change) -> dict[str, Any]:
    """One change as open data: which versions, score and grade before and after, facts, sentences."""
    def side(v: VersionCard) -> dict[str, Any]:
        return {"version": v.version.id, "date": v.date.isoformat() if v.date else None,
                "url": v.version.url, "score": v.card.score, "grade": v.card.grade}

    return {
        "slug": change.slug, "name": change.name, "before": side(change.before), "after": side(change.after),
        **({"documents": change.documents} if change.documents else {}),
        "facts": [{"practice": fc.practice, "before": fc.before.value, "after": fc.after.value,
                   "needs_review": fc.after.fact.needs_review, "reason": fc.reason} for fc in change.facts],
        "sentences": [{"before": p.before, "after": p.after} for p in change.sentences],
    }


def _urn(kind: str, name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"scorecard:{kind}:{name}").urn


def _atom_date(day: dt.date | None) -> str:
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Characters XML 1.0 cannot carry (policy text may have form feeds) are dropped; escaping is
    left to autoescape."""
    return INVALID_XML.sub("", text)


def change_text(change: Change) -> str:
    """`scorecard diff` in plain text: score and grade, the facts that changed, then each changed sentence
    (- before, + after)."""
    a, b = change.before.card, change.after.card
    delta = f" ({change.score_delta:+d})" if change.score_delta else ""
    lines = [f"{change.name}: version {change.before.version.label} -> {change.after.version.label}",
             f"Score {a.score} -> {b.score}{delta}; grade {a.grade} -> {b.grade}", ""]
    if change.documents:
        lines[1:1] = [f"Documents changed: {', '.join(change.changed_titles)}"]
    lines.append(f"Facts changed: {len(change.facts)}" if change.facts else "Facts changed: none")
    for fc in change.facts:
        lines.append(f"  {fc.practice}: {fc.before.label} -> {fc.after.label} ({fc.reason})")
    lines += ["", f"Sentences changed: {len(change.sentences) or 'none'}"]
    for pair in change.sentences:
        lines += [f"  - {pair.before}"] if pair.before else []
        lines += [f"  + {pair.after}"] if pair.after else []
    return "\n".join(lines) + "\n"
