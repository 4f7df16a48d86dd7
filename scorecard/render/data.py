"""Open data: every scorecard as JSON and CSV, stable ordering, byte-identical between builds."""
from __future__ import annotations

import csv
import io
import json

from ..model import Fact, Scorecard


def fact_json(fact: Fact) -> dict:
    """The `scorecard extract` contract for one fact; also used in site/data."""
    data = {
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


def scorecard_json(card: Scorecard) -> dict:
    info = card.info
    return {
        "slug": card.slug,
        "name": card.name,
        "score": card.score,
        "grade": card.grade,
        "rubric_version": card.rubric_version,
        "policy": {
            "url": info.policy_url if info else "",
            "date": info.policy_date.isoformat() if info and info.policy_date else None,
            "date_kind": info.policy_date_kind if info else None,
        },
        "practices": {
            row.practice: {**fact_json(row.fact), "points": row.points, "possible": row.possible}
            for row in card.practices
        },
    }


def dumps(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def scorecards_json(cards: list[Scorecard]) -> bytes:
    return dumps([scorecard_json(card) for card in cards])


def scorecards_csv(cards: list[Scorecard]) -> bytes:
    """One row per provider; per practice its value, points and evidence (quotes joined by ' | ')."""
    keys = [row.practice for row in cards[0].practices] if cards else []
    header = ["slug", "name", "score", "grade", "rubric_version"]
    for key in keys:
        header += [f"{key}.value", f"{key}.points", f"{key}.source", f"{key}.evidence"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for card in cards:
        row: list[object] = [card.slug, card.name, card.score, card.grade, card.rubric_version]
        for practice in card.practices:
            quotes = " | ".join(" ".join(ev.quote.split()) for ev in practice.fact.evidence)
            row += [practice.value, practice.points, practice.fact.source, quotes]
        writer.writerow(row)
    return out.getvalue().encode("utf-8")
