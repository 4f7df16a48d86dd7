"""Pick the sentences two labellers label independently, the same list for both, without the extractor.

    python bench/sample_sentences.py IDS_FILE --out DIR [--per-policy 30] [--seed 6]

For each corpus policy id in IDS_FILE (one per line) it reads corpus/policies/<id>/policy.* as the
extractor reads it (scorecard.text.read_policy: the same sentences the score compares) and writes
DIR/<id>.yaml with `sentences: [{text: ...}]` for the labellers to copy and label.

Why a mechanical pick: when each labeller picks their own sentences, the two files share few, and the
sentence labels of a test policy cannot be compared and settled. The pick is blind to the rules: for each
practice, up to two sentences that hold one of its plain cue words (so positives and near misses both
turn up: "sell" finds "we do not sell" and "we sell products"), then ordinary sentences drawn at random
until --per-policy. The cue words are a reader's list, not the detectors' patterns. Seeded by policy id.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard.text import read_policy

CUES = {
    "data_sale": r"\bsell|\bsale\b|\bsold\b",
    "dnt": r"do[- ]not[- ]track|\bDNT\b",
    "deletion": r"\bdelet|\beras|\bremov",
    "encryption": r"encrypt|\bSSL\b|\bTLS\b|secure socket",
    "third_party_tracking": r"cookie|pixel|beacon|analytics|advertis|third[- ]part",
    "breach_notification": r"breach|unauthori[sz]ed access|security incident",
    "policy_changes": r"chang|updat|revis|modif",
    "retention": r"retain|retention|\bkeep\b|\bstore\b|as long as",
    "access": r"\baccess\b|\bcopy\b|portab|right to know",
    "marketing_opt_out": r"marketing|promotion|unsubscribe|opt[- ]out",
    "opt_out_signals": r"global privacy control|\bGPC\b|preference signal",
}
PER_CUE = 2
MIN_WORDS = 6
MAX_CHARS = 600  # a long run-on "sentence" (a list read as one) is hard to label alone: skip it


def candidates(path: Path) -> list[str]:
    document = read_policy(path)
    seen: set[str] = set()
    texts = []
    for sentence in document.sentences:
        text = " ".join(document.quote(sentence).split())
        if len(text.split()) < MIN_WORDS or len(text) > MAX_CHARS or text in seen:
            continue
        seen.add(text)
        texts.append(text)
    return texts


def pick(policy_id: str, texts: list[str], per_policy: int, seed: int) -> list[str]:
    rng = random.Random(int(hashlib.sha256(f"{seed}:{policy_id}".encode()).hexdigest()[:16], 16))
    chosen: list[str] = []
    for cue in CUES.values():
        matching = [t for t in texts if re.search(cue, t, re.IGNORECASE) and t not in chosen]
        chosen += rng.sample(matching, min(PER_CUE, len(matching)))
    rest = [t for t in texts if t not in chosen]
    chosen += rng.sample(rest, max(0, min(per_policy - len(chosen), len(rest))))
    picked = set(chosen)
    return [t for t in texts if t in picked]  # in the policy's order: easier to read


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-policy", type=int, default=30)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for policy_id in args.ids.read_text().split():
        [path] = sorted((ROOT / "corpus" / "policies" / policy_id).glob("policy.*"))
        sentences = pick(policy_id, candidates(path), args.per_policy, args.seed)
        out = args.out / f"{policy_id}.yaml"
        out.write_text(yaml.safe_dump({"id": policy_id, "sentences": [{"text": t} for t in sentences]},
                                      sort_keys=False, allow_unicode=True, width=120))
        print(f"{policy_id}: {len(sentences)} sentences -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
