"""Facts identical before and after a speed change: snapshot every extraction, compare a later run.

    python bench/facts_identical.py --save snapshot.json   # with the code before the change
    python bench/facts_identical.py --compare snapshot.json  # after it: exit 1 on any difference

Extracts every policy of corpus/policies, the bundled providers, the same policies as plain text
hard-wrapped at 80 columns, and every sentence of tests/sentences/ alone, with the rubric of this
checkout, and records per document the sentence spans (offsets, section, kind) and every fact
(value, evidence quotes with offsets and rule ids, confidence, note, rules). Compare at the same rubric.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml

from scorecard.extract import detectors_for, extract
from scorecard.render.data import fact_json
from scorecard.rubric import load_rubric
from scorecard.text import Document, parse_text, read_policy


def record(document: Document, facts: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    spans = [(s.start, s.end, s.section, s.kind) for s in document.sentences]
    return {
        "text": hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
        "sentences": hashlib.sha256(json.dumps(spans).encode("utf-8")).hexdigest(),
        "facts": {key: fact_json(facts[key]) for key in keys},
    }


def wrapped(text: str) -> str:
    """The text hard-wrapped at 80 columns, paragraphs kept (as a .txt would be saved)."""
    return "\n\n".join(textwrap.fill(p, 80) for p in text.split("\n") if p.strip()) + "\n"


def snapshot() -> dict[str, Any]:
    rubric = load_rubric()
    detectors = detectors_for(rubric)
    keys = rubric.keys
    out: dict[str, Any] = {}
    files = sorted((ROOT / "corpus" / "policies").glob("*/policy.*")) + sorted((ROOT / "providers").glob("*/policy.*"))
    for path in files:
        document = read_policy(path)
        name = str(path.relative_to(ROOT))
        out[name] = record(document, extract(document, rubric, detectors), keys)
        again = parse_text(wrapped(document.text), "txt", Path(name + ".wrapped.txt"))
        out[name + " (wrapped)"] = record(again, extract(again, rubric, detectors), keys)
    for path in sorted((ROOT / "tests" / "sentences").glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        for n, (_value, sentence) in enumerate(cases):
            document = parse_text(sentence, "txt")
            out[f"{path.name}#{n}"] = record(document, extract(document, rubric, detectors), keys)
    return out


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    found = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a is None or b is None:
            found.append(f"{name}: only in {'after' if a is None else 'before'}")
            continue
        for part in ("text", "sentences"):
            if a[part] != b[part]:
                found.append(f"{name}: {part} differ")
        for key in sorted(set(a["facts"]) | set(b["facts"])):
            if a["facts"].get(key) != b["facts"].get(key):
                fa, fb = a["facts"].get(key) or {}, b["facts"].get(key) or {}
                found.append(f"{name}: {key}: {fa.get('value')} {fa.get('rules')} -> {fb.get('value')} {fb.get('rules')}")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = ap.parse_args()
    started = time.process_time()
    now = snapshot()
    print(f"{len(now)} documents extracted in {time.process_time() - started:.1f} s CPU")
    if args.save:
        args.save.write_text(json.dumps(now, sort_keys=True), encoding="utf-8")
        print(f"saved to {args.save}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    found = differences(before, now)
    for line in found[:50]:
        print(line)
    print("facts identical" if not found else f"{len(found)} DIFFERENCES")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
