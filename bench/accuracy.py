"""How well extraction labels real policies (corpus mode) or labelled sentence sets (set mode).

    python bench/accuracy.py --half dev [--sentences] [--misses] [--practice KEY]   # the real corpus
    python bench/accuracy.py [DIR_OR_FILES...] [--misses]                          # labelled sets

Corpus mode reads corpus/split.yaml, and for every policy of the chosen half that has settled
labels (corpus/labels/<id>.yaml), extracts the whole policy as `scorecard extract` does and
compares each practice with its label (a value in the label's `accept:` list counts as right).
It prints, per practice, accuracy and macro-F1 over the practice's values, precision and recall
per value, and a confusion matrix; --sentences scores the labels' `sentences:` too, each read
alone; --misses lists every miss with the rule ids that decided it and the sentence quoted.
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

from scorecard.extract import extract, extract_file
from scorecard.model import NOT_STATED, Fact, Rubric
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


# --- corpus mode ------------------------------------------------------------------------------

def half_ids(corpus: Path, half: str) -> list[str]:
    split = yaml.safe_load((corpus / "split.yaml").read_text(encoding="utf-8")) or {}
    return sorted(pid for ids in (split.get(half) or {}).values() for pid in ids)


def policy_file(corpus: Path, pid: str) -> Path:
    found = sorted(p for p in (corpus / "policies" / pid).glob("policy.*"))
    if not found:
        raise SystemExit(f"{corpus / 'policies' / pid}: no policy file")
    return found[0]


def first_quote(fact: Fact) -> str:
    return fact.evidence[0].quote if fact.evidence else ""


# The practices every labels file decides (CORPUS.md); a missing one is not_stated. Global Privacy Control
# is noted apart (`notes: {gpc: honored}`) and scores the opt_out_signals practice.
LABELLED = ("data_sale", "dnt", "deletion", "encryption", "third_party_tracking", "breach_notification",
            "policy_changes", "retention", "access", "marketing_opt_out")


def expected_label(labels: dict, practice: str) -> dict | None:
    facts = labels.get("facts") or {}
    if practice in facts and isinstance(facts[practice], dict):
        return facts[practice]
    if practice in LABELLED:
        return {"value": NOT_STATED}
    if practice == "opt_out_signals":
        gpc = (labels.get("notes") or {}).get("gpc") if isinstance(labels.get("notes"), dict) else None
        return {"value": str(gpc) if gpc in ("honored", "not_honored") else NOT_STATED}
    return None


def score_corpus(corpus: Path, half: str, rubric: Rubric, sentences: bool) -> tuple[Results, Results, int]:
    """Whole policies of one half with settled labels; their sentences too when asked."""
    policies, lone = Results(), Results()
    scored = 0
    for pid in half_ids(corpus, half):
        label_path = corpus / "labels" / f"{pid}.yaml"  # settled labels only, never a labeller's raw file
        if not label_path.is_file():
            continue
        labels = yaml.safe_load(label_path.read_text(encoding="utf-8")) or {}
        _document, facts = extract_file(policy_file(corpus, pid), rubric)
        scored += 1
        for practice in rubric.keys:
            label = expected_label(labels, practice)
            if label is None:
                continue
            fact = facts[practice]
            policies.add(practice, Row(str(label.get("value", NOT_STATED)), fact.value, pid,
                                       tuple(str(v) for v in label.get("accept") or ()), tuple(fact.rules),
                                       first_quote(fact), str(label.get("quote") or "")))
        if not sentences:
            continue
        for n, item in enumerate(labels.get("sentences") or ()):
            if not isinstance(item, dict):
                continue
            text = str(item.get("text", ""))
            said = item.get("labels") or {}
            got = extract(parse_text(text), rubric)
            for practice in rubric.keys:
                if practice not in LABELLED and practice not in said:
                    continue  # a practice the labellers were not asked about (opt_out_signals)
                expected = str(said.get(practice, NOT_STATED))
                fact = got[practice]
                if expected == NOT_STATED and fact.value == NOT_STATED:
                    lone.add(practice, Row(expected, fact.value, f"{pid}#{n}"))
                    continue
                lone.add(practice, Row(expected, fact.value, f"{pid}#{n}", (), tuple(fact.rules), text, text))
    return policies, lone, scored


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
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--sentences", action="store_true", help="corpus mode: also the labels' sentences, read alone")
    parser.add_argument("--misses", action="store_true", help="print every miss with the rule ids that decided it")
    parser.add_argument("--practice", default=None, help="only this practice")
    parser.add_argument("--rubric", type=Path, default=None)
    args = parser.parse_args()
    rubric = load_rubric(args.rubric) if args.rubric else load_rubric()
    if args.half:
        policies, lone, scored = score_corpus(args.corpus, args.half, rubric, args.sentences)
        print(f"{args.half} half: {scored} labelled policies of {len(half_ids(args.corpus, args.half))}")
        report(f"{args.half} half, whole policies", policies, args.misses, args.practice)
        if args.sentences:
            report(f"{args.half} half, labelled sentences read alone", lone, args.misses, args.practice)
        return 0
    results, files = score_sets(args.paths or [ROOT / "tests" / "sentences"], rubric)
    print(f"{files} files")
    report("labelled sets", results, args.misses, args.practice)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
