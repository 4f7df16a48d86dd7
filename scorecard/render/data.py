"""Open data: every scorecard as JSON and CSV, stable ordering, byte-identical between builds."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from ..model import Fact, Scorecard


def fact_json(fact: Fact) -> dict[str, Any]:
    """The `scorecard extract` contract for one fact; also used in site/data."""
    data: dict[str, Any] = {
        "value": fact.value,
        "evidence": [ev.model_dump() for ev in fact.evidence],
        "source": fact.source,
        "confidence": round(fact.confidence, 3),
        "needs_review": fact.needs_review,
    }
    if fact.note:
        data["note"] = fact.note
    if fact.rules:  # the ids of the detection rules that decided the value
        data["rules"] = fact.rules
    if fact.partial:
        data["partial"] = True
    if fact.reviewer:
        data["reviewer"] = fact.reviewer
    if fact.reviewed_on:
        data["reviewed_on"] = fact.reviewed_on.isoformat()
    return data


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    info = card.info
    return {
        "slug": card.slug,
        "name": card.name,
        "score": card.score,
        "grade": card.grade,
        **({"uncapped_grade": card.uncapped_grade,
            "capped_by": [{"practice": c.practice, "value_label": c.label, "cap": c.cap} for c in card.caps]}
           if card.caps else {}),
        "rubric_version": card.rubric_version,
        "policy": {
            "url": info.policy_url if info else "",
            "date": info.policy_date.isoformat() if info and info.policy_date else None,
            "date_kind": info.policy_date_kind if info else None,
            **({"documents": [{"id": d.key, "kind": d.kind, "title": d.heading, "url": d.url}
                              for d in info.documents]} if info and info.documents else {}),
        },
        "practices": {
            row.practice: {**fact_json(row.fact), "label": row.label, "points": row.points,
                           "possible": row.possible, **({"partial": True} if row.partial else {})}
            for row in card.practices
        },
    }


def dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def scorecards_json(cards: list[Scorecard], written: Mapping[str, bytes] | None = None) -> bytes:
    """Every scorecard in one list, compact (no indentation, one line: a third of the size, and the C encoder
    writes it); each element is what the provider's scorecard.json holds. `written`: those files (by slug) as
    already made, read back instead of encoded again."""
    items = []
    for card in cards:
        text = (written or {}).get(card.slug)
        items.append(json.loads(text) if text is not None else scorecard_json(card))
    return (json.dumps(items, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# OWASP "CSV injection": a cell a spreadsheet would read as a formula gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text from policies and provider files must never run as a spreadsheet formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def scorecards_csv(cards: list[Scorecard]) -> bytes:
    """One row per provider: its policy's address and date, then per practice the value (key and label),
    points, who found it and the evidence (quotes joined by ' | ')."""
    keys = [row.practice for row in cards[0].practices] if cards else []
    header = ["slug", "name", "score", "grade", "rubric_version", "policy_url", "policy_date", "policy_date_kind"]
    for key in keys:
        header += [f"{key}.value", f"{key}.label", f"{key}.points", f"{key}.source", f"{key}.evidence"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for card in cards:
        info = card.info
        row: list[object] = [card.slug, card.name, card.score, card.grade, card.rubric_version,
                             info.policy_url if info else "",
                             info.policy_date.isoformat() if info and info.policy_date else "",
                             info.policy_date_kind if info else ""]
        for practice in card.practices:
            quotes = " | ".join(" ".join(ev.quote.split()) for ev in practice.fact.evidence)
            row += [practice.value, practice.label, practice.points, practice.fact.source, quotes]
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")
