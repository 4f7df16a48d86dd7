"""`scorecard review SLUG`: a facts.yaml draft for a person to confirm or override.

Every practice gets an entry. Entries a person decided (source: reviewed) are kept
exactly as they were, note and date included; the others are refreshed from the
current extraction, so re-running review never undoes a decision.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .atomic import write_text_atomic
from .extract import extract_file
from .fetch.snapshots import list_versions
from .model import Fact, Provider, Rubric
from .providers import FACTS_FILE, load_reviewed

HEADER = """\
# Reviewed facts for {name}. Written by `scorecard review {slug}`.
#
# For each practice: read the quotes, then either confirm the value or change it,
# and set `source: reviewed` (add your name, the date and a note if you like).
# Reviewed entries win over automatic extraction and are never overwritten by
# `scorecard review`; entries left as `source: extracted` are refreshed each time.
# Values allowed per practice are listed on the site's methodology page.
"""


def fact_entry(fact: Fact) -> dict:
    data = fact.model_dump(mode="json", exclude={"practice"})
    if not data["note"]:
        data.pop("note")
    if fact.source == "extracted":
        for key in ("reviewer", "reviewed_on"):
            data.pop(key)
    return data


def review(provider: Provider, rubric: Rubric) -> tuple[Path, int, int]:
    """Write the draft; return its path, how many entries were kept, how many drafted."""
    path = provider.folder / FACTS_FILE
    decided = load_reviewed(path, rubric) if path.is_file() else {}
    latest = list_versions(provider)[-1].path  # review what the site shows: the newest version
    _document, extracted = extract_file(latest, rubric)
    facts = {}
    for key in rubric.keys:
        facts[key] = fact_entry(decided.get(key) or extracted[key])
    text = HEADER.format(name=provider.info.name, slug=provider.slug)
    text += yaml.safe_dump({"facts": facts}, sort_keys=False, allow_unicode=True, width=100)
    write_text_atomic(path, text)
    return path, len(decided), len(rubric.keys) - len(decided)
