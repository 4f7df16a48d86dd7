"""How well extraction labels real policies (corpus mode) or labelled sentence sets (set mode).

    python bench/accuracy.py --half dev [--sentences] [--misses] [--practice KEY]   # the real corpus
    python bench/accuracy.py [DIR_OR_FILES...] [--misses]                          # labelled sets

Corpus mode is a thin entry point to `python bench/corpus.py score` (the one implementation of
corpus scoring): per practice accuracy, macro-F1, precision/recall per value and a confusion matrix
for the settled labels of one half; --sentences scores the labels' `sentences:` too, each read alone;
--misses lists every miss with the rule ids that decided it and the sentences quoted.
Rules are fixed against the dev half only: the test half is scored by the lead, once a round.

Set mode (the default without --half): tests/sentences/*.yaml style files, `practice: KEY` and
`cases: [[expected_value, text], ...]`, each text read as a whole policy (parse_text). A folder
holding `labels.yaml` is a set of whole policies instead: `FILE: {practice: value}`.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # corpus.py, the corpus scorer this delegates to

from scorecard.extract import extract
from scorecard.model import Fact, Rubric
from scorecard.rubric import load_rubric
from scorecard.text import parse_text, read_policy


@dataclass
class Row:
    """One labelled case: what the label says, what extraction gave, and why."""

    expected: str
    got: str
    where: str
    accept: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    quote: str = ""
    label_quote: str = ""

    @property
    def right(self) -> bool:
        return self.got == self.expected or self.got in self.accept

    @property
    def pair(self) -> tuple[str, str]:
        """(expected, got) for scoring; an accepted alternative counts as the expected value (as corpus.py does)."""
        return (self.expected, self.expected) if self.right else (self.expected, self.got)


@dataclass
class Results:
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, practice: str, row: Row) -> None:
        self.rows[practice].append(row)


def per_value(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, float, int]]:
    """Precision, recall, F1 and support for every value that occurs as a label or a guess."""
    out = {}
    for label in sorted({e for e, _ in pairs} | {g for _, g in pairs}):
        tp = sum(1 for e, g in pairs if e == label and g == label)
        fp = sum(1 for e, g in pairs if e != label and g == label)
        fn = sum(1 for e, g in pairs if e == label and g != label)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[label] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, tp + fn)
    return out


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    scores = [f1 for _p, _r, f1, _n in per_value(pairs).values()]
    return sum(scores) / len(scores) if scores else 0.0


# --- corpus mode: bench/corpus.py score -------------------------------------------------------

def score_corpus(args: argparse.Namespace) -> int:
    """Whole policies of one half, then (with --sentences) their labelled sentences, via corpus.py."""
    import corpus

    common = ["score", "--half", args.half]
    common += ["--misses"] if args.misses else []
    common += ["--practice", args.practice] if args.practice else []
    common += ["--rubric", str(args.rubric)] if args.rubric else []
    status = corpus.main(common)
    if args.sentences and status == 0:
        print()
        status = corpus.main([*common, "--sentences"])
    return status


def first_quote(fact: Fact) -> str:
    return fact.evidence[0].quote if fact.evidence else ""


# --- set mode -----------------------------------------------------------------------------------

def score_sets(paths: list[Path], rubric: Rubric) -> tuple[Results, int]:
    results = Results()
    files: list[Path] = []
    for p in paths:
        if (p / "labels.yaml").is_file():
            labels = yaml.safe_load((p / "labels.yaml").read_text(encoding="utf-8"))
            for name, expected in labels.items():
                facts = extract(read_policy(p / name), rubric)
                for practice, value in expected.items():
                    fact = facts[practice]
                    results.add(practice, Row(str(value), fact.value, f"<{name}>", (), tuple(fact.rules),
                                              first_quote(fact)))
                files.append(p / name)
        else:
            files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    for path in [f for f in files if f.suffix == ".yaml"]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        practice = data["practice"]
        for n, (expected, text) in enumerate(data["cases"]):
            fact = extract(parse_text(text), rubric)[practice]
            results.add(practice, Row(str(expected), fact.value, f"{path.stem}#{n}", (), tuple(fact.rules), text))
    return results, len(files)


# --- report -------------------------------------------------------------------------------------

def report(title: str, results: Results, misses: bool, only: str | None) -> None:
    rows = {k: v for k, v in results.rows.items() if only in (None, k)}
    total = sum(len(v) for v in rows.values())
    print(f"\n== {title}: {total} labelled cases\n")
    print(f"{'practice':22} {'cases':>5} {'accuracy':>8} {'macro-F1':>8}   precision/recall per value")
    f1s = []
    for practice in sorted(rows):
        pairs = [r.pair for r in rows[practice]]
        accuracy = sum(r.right for r in rows[practice]) / len(pairs)
        f1 = macro_f1(pairs)
        f1s.append(f1)
        values = "  ".join(f"{v} {p:.2f}/{r:.2f} (n={n})" for v, (p, r, _f, n) in per_value(pairs).items())
        print(f"{practice:22} {len(pairs):5} {accuracy:8.3f} {f1:8.3f}   {values}")
    if f1s:
        print(f"{'mean':22} {'':5} {'':8} {sum(f1s) / len(f1s):8.3f}")
    for practice in sorted(rows):
        pairs = [r.pair for r in rows[practice]]
        values = sorted({e for e, _ in pairs} | {g for _, g in pairs})
        counts = Counter(pairs)
        width = max(12, *(len(v) + 1 for v in values))
        print(f"\n{practice}: confusion (rows: label, columns: extracted)")
        print(" " * width + "".join(f"{v:>{width}}" for v in values))
        for e in values:
            print(f"{e:<{width}}" + "".join(f"{counts.get((e, g), 0):>{width}}" for g in values))
        if misses:
            for r in rows[practice]:
                if not r.right:
                    rules = ", ".join(r.rules) or "no rule"
                    print(f"  [{r.where}] label {r.expected} got {r.got} ({rules})")
                    if r.quote:
                        print(f"      quoted: {r.quote[:300]!r}")
                    if r.label_quote and r.label_quote != r.quote:
                        print(f"      label:  {r.label_quote[:300]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="labelled sets (set mode)")
    parser.add_argument("--half", choices=["dev", "test"], help="corpus mode: score this half of corpus/split.yaml")
    parser.add_argument("--sentences", action="store_true", help="corpus mode: also the labels' sentences, read alone")
    parser.add_argument("--misses", action="store_true", help="print every miss with the rule ids that decided it")
    parser.add_argument("--practice", default=None, help="only this practice")
    parser.add_argument("--rubric", type=Path, default=None)
    args = parser.parse_args()
    if args.half:
        return score_corpus(args)
    rubric = load_rubric(args.rubric) if args.rubric else load_rubric()
    results, files = score_sets(args.paths or [ROOT / "tests" / "sentences"], rubric)
    print(f"{files} files")
    report("labelled sets", results, args.misses, args.practice)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
