"""How well extraction labels a set of labelled sentences and passages: per-practice accuracy,
macro-F1 over the practice's values, a confusion table, and every miss.

    python bench/accuracy.py [DIR_OR_FILES...] [--misses]

Default: the labelled set in tests/sentences/. Each file: `practice: KEY` and
`cases: [[expected_value, text], ...]`, the text a sentence or a short passage. The text is
read as a whole policy (parse_text), so passages exercise context rules too.

A folder holding `labels.yaml` is a set of whole policies instead: `FILE: {practice: value}`
for policy files beside it (.txt, .md, .html, .pdf), each read as `scorecard extract` reads it.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard.extract import extract
from scorecard.rubric import load_rubric
from scorecard.text import parse_text, read_policy


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = sorted({e for e, _ in pairs} | {g for _, g in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for e, g in pairs if e == label and g == label)
        fp = sum(1 for e, g in pairs if e != label and g == label)
        fn = sum(1 for e, g in pairs if e == label and g != label)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "tests" / "sentences"])
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument("--rubric", type=Path, default=None)
    parser.add_argument("--half", choices=["even", "odd"], default=None,
                        help="only the cases at even (tuning) or odd (held-out) positions of each file")
    args = parser.parse_args()
    rubric = load_rubric(args.rubric) if args.rubric else load_rubric()
    results: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    files = []
    for p in args.paths:
        if (p / "labels.yaml").is_file():
            labels = yaml.safe_load((p / "labels.yaml").read_text(encoding="utf-8"))
            for name, expected in labels.items():
                facts = extract(read_policy(p / name), rubric)
                for practice, value in expected.items():
                    results[practice].append((str(value), facts[practice].value, f"<{name}>"))
                files.append(p / name)
        else:
            files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    for path in [f for f in files if f.suffix == ".yaml"]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        practice = data["practice"]
        for n, (expected, text) in enumerate(data["cases"]):
            if args.half and n % 2 != (args.half == "odd"):
                continue
            got = extract(parse_text(text), rubric)[practice].value
            results[practice].append((str(expected), got, text))
    total = sum(len(v) for v in results.values())
    print(f"{total} cases from {len(files)} files\n")
    print(f"{'practice':24} {'cases':>5} {'accuracy':>8} {'macro-F1':>8}")
    for practice in sorted(results):
        rows = results[practice]
        pairs = [(e, g) for e, g, _ in rows]
        accuracy = sum(e == g for e, g in pairs) / len(pairs)
        print(f"{practice:24} {len(rows):5} {accuracy:8.3f} {macro_f1(pairs):8.3f}")
    for practice in sorted(results):
        confusion = Counter((e, g) for e, g, _ in results[practice] if e != g)
        if confusion:
            print(f"\n{practice}: " + ", ".join(f"{e}->{g} x{n}" for (e, g), n in confusion.most_common()))
        if args.misses:
            for e, g, text in results[practice]:
                if e != g:
                    print(f"  [{e} got {g}] {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
