"""The real-policy corpus (corpus/, laid out as corpus/LABELLING.md describes): counts, the dev/test split, validation.

    python bench/corpus.py stats     counts and whether each goal of issue 10 §1 is met
    python bench/corpus.py split [--new-half dev|test]
                                     write corpus/split.yaml (every organisation in dev or test); with
                                     --new-half, organisations new to the file all go to that half
    python bench/corpus.py check     validate every meta.yaml and every labels file
    python bench/corpus.py score --half dev|test [--sentences] [--misses] [--code DIR] [--json FILE]
                                 [--ids FILE] [--added-since COMMIT] [--practice KEY] [--rubric FILE]
                                     extraction against the settled labels of one half: per practice
                                     accuracy, macro-F1, precision/recall per value, confusion matrix;
                                     --ids / --added-since score only those policies of the half (the ids
                                     listed in FILE, or the policies whose meta.yaml was added since COMMIT);
                                     opt_out_signals (labels' `notes: {gpc: ...}`) is shown, not averaged.
                                     bench/accuracy.py --half is a thin entry point to this.

Scoring protocol (issue 10): rules are fixed against --half dev only; --half test is run once per round, at a
named commit, and its misses (--misses) are read only after its figures are recorded. --code DIR scores the
scorecard package of another checkout (an earlier commit) against today's labels.

Works on whatever policies/ holds, so on the union of several builders' branches.
Bad input: one line naming the file (and line:col where YAML gives one), exit 2; `check` lists every
problem and exits 1 when there is any.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "corpus"
POLICIES = CORPUS / "policies"
LABELS = CORPUS / "labels"
SPLIT = CORPUS / "split.yaml"

SECTORS = frozenset({
    "social", "search-ads", "retail", "finance", "health", "news-media", "education", "travel", "telecom",
    "cloud-hosting", "software-saas", "gaming", "government-nonprofit", "dating", "messaging", "streaming",
    "transport", "food", "devices", "other",
})
ERAS = frozenset({"ccpa-gdpr", "pre-ccpa"})
FORMATS = frozenset({"txt", "md", "html", "pdf"})
REQUIRED = ("id", "organisation", "service", "sector", "document", "date", "era", "format", "source", "obtained", "terms")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VOCABULARY: dict[str, frozenset[str]] = {
    "data_sale": frozenset({"not_sold", "sold", "not_stated"}),
    "dnt": frozenset({"honored", "not_honored", "not_stated"}),
    "deletion": frozenset({"on_request", "limited", "not_stated"}),
    "encryption": frozenset({"claimed", "not_stated"}),
    "third_party_tracking": frozenset({"yes", "no", "not_stated"}),
    "breach_notification": frozenset({"committed", "discretionary", "not_stated"}),
    "policy_changes": frozenset({"direct_notice", "posted_only", "not_stated"}),
    "retention": frozenset({"limited", "indefinite", "not_stated"}),
    "access": frozenset({"yes", "with_fee", "not_stated"}),
    "marketing_opt_out": frozenset({"yes", "not_stated"}),
}
# Issue 10 §1 goals for the whole corpus.
GOAL_POLICIES, GOAL_ORGANISATIONS, GOAL_SECTORS = 80, 60, 10
GOAL_CCPA_GDPR, GOAL_HTML, GOAL_PDF, GOAL_SENTENCES = 30, 10, 5, 2000
YEARS = (2012, 2026)


class CorpusError(Exception):
    """A corpus file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Policy:
    folder: Path
    meta: dict[str, Any]

    @property
    def id(self) -> str:
        return self.folder.name

    @property
    def organisation(self) -> str:
        return str(self.meta.get("organisation", ""))

    @property
    def file(self) -> Path:
        return self.folder / f"policy.{self.meta.get('format', '')}"

    @property
    def year(self) -> int | None:
        date = self.meta.get("date")
        if isinstance(date, dt.date):
            return date.year
        match = re.match(r"(\d{4})-\d{2}-\d{2}$", str(date))
        return int(match.group(1)) if match else None


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise CorpusError(f"{path}{where}: invalid YAML: {exc.problem or exc}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read: {exc}") from None


def load_policies() -> list[Policy]:
    if not POLICIES.is_dir():
        raise CorpusError(f"{POLICIES}: no policies folder")
    policies = []
    for folder in sorted(p for p in POLICIES.iterdir() if p.is_dir()):
        meta = load_yaml(folder / "meta.yaml") if (folder / "meta.yaml").exists() else {}
        policies.append(Policy(folder, meta if isinstance(meta, dict) else {}))
    return policies


def normalize_organisation(name: str) -> str:
    """Case, accents, punctuation and legal suffixes folded, so two builders' spellings meet."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"\([^)]*\)", " ", text)
    words = re.findall(r"[a-z0-9]+", text)
    suffixes = {"inc", "llc", "ltd", "limited", "corp", "corporation", "co", "plc", "sa", "sas", "ab", "bv", "gmbh", "the"}
    while words and words[-1] in suffixes:
        words.pop()
    return " ".join(w for w in words if w != "the") or name.casefold()


def shown(message: str) -> str:
    """Messages name files relative to the repository root, as the reader typed them."""
    return message.replace(f"{ROOT}/", "")


def fold(text: str) -> str:
    return " ".join(text.split())


def label_files() -> list[Path]:
    return sorted(LABELS.glob("*.yaml")) if LABELS.is_dir() else []


def sentence_count() -> int:
    """Labelled sentences in settled label files, or in raw ones where a policy has no settled file yet."""
    settled = {p.stem for p in label_files() if "." not in p.stem}
    total = 0
    for path in label_files():
        policy_id = path.stem.split(".")[0]
        if "." in path.stem and policy_id in settled:
            continue
        data = load_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("sentences"), list):
            total += len(data["sentences"])
    return total


# --- stats -------------------------------------------------------------------------------------------

def stats() -> int:
    policies = load_policies()
    organisations = {normalize_organisation(p.organisation) for p in policies}
    sectors = Counter(str(p.meta.get("sector")) for p in policies)
    eras = Counter(str(p.meta.get("era")) for p in policies)
    formats = Counter(str(p.meta.get("format")) for p in policies)
    years = sorted(y for p in policies if (y := p.year) is not None)
    total_bytes = sum(p.file.stat().st_size for p in policies if p.file.exists())
    labelled = {p.stem.split(".")[0] for p in label_files()}
    sentences = sentence_count()

    def line(name: str, value: object) -> None:
        print(f"{name:<16} {value}")

    line("policies", len(policies))
    line("organisations", len(organisations))
    line("sectors", f"{len(sectors)}: " + ", ".join(f"{k} {v}" for k, v in sorted(sectors.items())))
    line("years", f"{years[0]}..{years[-1]}: " + ", ".join(f"{y} {n}" for y, n in sorted(Counter(years).items()))
         if years else "none")
    line("era", ", ".join(f"{k} {v}" for k, v in sorted(eras.items())))
    line("formats", ", ".join(f"{k} {v}" for k, v in sorted(formats.items())))
    line("total bytes", f"{total_bytes:,}")
    line("labelled", f"{len(labelled & {p.id for p in policies})} policies, {sentences} sentences")
    goals = [
        (f">= {GOAL_POLICIES} policies", len(policies) >= GOAL_POLICIES),
        (f">= {GOAL_ORGANISATIONS} organisations", len(organisations) >= GOAL_ORGANISATIONS),
        (f"dates within {YEARS[0]}..{YEARS[1]}", bool(years) and len(years) == len(policies)
         and YEARS[0] <= years[0] and years[-1] <= YEARS[1]),
        (f">= {GOAL_SECTORS} sectors", len(sectors) >= GOAL_SECTORS),
        (f">= {GOAL_CCPA_GDPR} ccpa-gdpr", eras["ccpa-gdpr"] >= GOAL_CCPA_GDPR),
        (f">= {GOAL_HTML} html pages", formats["html"] >= GOAL_HTML),
        (f">= {GOAL_PDF} pdfs", formats["pdf"] >= GOAL_PDF),
        ("every policy labelled", bool(policies) and {p.id for p in policies} <= labelled),
        (f">= {GOAL_SENTENCES} labelled sentences", sentences >= GOAL_SENTENCES),
    ]
    print("goals (issue 10 §1):")
    for name, met in goals:
        print(f"  [{'x' if met else ' '}] {name}")
    return 0


# --- split -------------------------------------------------------------------------------------------

SPLIT_HEADER = """\
# Dev/test split of corpus/policies by ORGANISATION (every policy of one organisation is in one half).
# Made by `python bench/corpus.py split`; do not edit by hand. Rule:
#  1. normalize each organisation name (NFKD to ASCII, casefold, drop parentheses, punctuation and
#     trailing legal suffixes such as Inc, LLC, Ltd);
#  2. order organisations by sha256 of the normalized name (hex digest);
#  3. in that order, put each organisation in the half that keeps the halves most even, measured as
#     4 x |policy count difference| + |difference| per era value + |difference| per format value;
#     a tie goes to dev when the digest's first byte is even, else to test.
#  An organisation already in this file keeps its half (a split is never redrawn once labels exist):
#  only organisations new to the corpus are placed by the rule above.
#  Round 2 additions go to dev (`split --new-half dev`) so the test half stays the same 64 policies
#  across rounds: new organisations are placed in the half named, not by the rule.
#  Round 3 additions are placed by `split --new-even`: the rule above (sha256 order, the same cost),
#  but the balance counts only the organisations new to this file, so the new ones split about half and
#  half among themselves (policy count, era, format), whatever the imbalance of the halves already here.
#  Added in batches, each run names the round's start (`--new-even --round-since 6b17fa6`): the round's
#  organisations already placed keep their half but count in the balance, so the round is even as a whole.
# Fixing rules uses dev only; test is scored once per round at a named commit, its misses unread before.
"""


def imbalance(one: Counter[str], other: Counter[str]) -> int:
    """How uneven two halves are: policy counts weigh four times each era or format count."""
    return sum((4 if key == "policies" else 1) * abs(one[key] - other[key]) for key in set(one) | set(other))


def make_split(policies: list[Policy], previous: dict[str, str] | None = None,
               new_half: str | None = None, new_even: bool = False,
               round_ids: set[str] | None = None) -> dict[str, str]:
    """Organisation -> half. `previous` (organisation -> half, from the file) is kept as it was;
    organisations not in it go to `new_half` when one is named, else where the balance rule puts them.
    With `new_even` the balance rule counts only the organisations not in `previous`, so the new ones
    are balanced among themselves; organisations of `previous` all of whose policies are in `round_ids`
    (the round's earlier batches) are counted too, keeping their half, so a round added in batches is
    balanced as a whole."""
    previous = previous or {}
    groups: dict[str, list[Policy]] = {}
    for p in policies:
        groups.setdefault(normalize_organisation(p.organisation), []).append(p)
    counts = {half: Counter[str]() for half in ("dev", "test")}
    assignment: dict[str, str] = {}
    kept = {normalize_organisation(org): half for org, half in previous.items()}
    this_round = {name for name, members in groups.items() if round_ids and all(p.id in round_ids for p in members)}
    for name in sorted(groups, key=lambda n: (n not in kept, hashlib.sha256(n.encode()).hexdigest())):
        digest = hashlib.sha256(name.encode()).digest()
        members = groups[name]
        added = Counter[str]({"policies": len(members)})
        for p in members:
            added[f"era:{p.meta.get('era')}"] += 1
            added[f"format:{p.meta.get('format')}"] += 1

        dev_cost, test_cost = imbalance(counts["dev"] + added, counts["test"]), imbalance(counts["test"] + added, counts["dev"])
        half = "dev" if dev_cost < test_cost or (dev_cost == test_cost and digest[0] % 2 == 0) else "test"
        half = kept.get(name, new_half or half)
        if not (new_even and name in kept and name not in this_round):
            counts[half] += added
        for p in members:
            assignment[p.organisation] = half
    return assignment


def split(new_half: str | None = None, new_even: bool = False, round_since: str = "") -> int:
    policies = load_policies()
    previous: dict[str, str] = {}
    if SPLIT.exists():
        data = load_yaml(SPLIT) or {}
        previous = {org: half for half in ("dev", "test") for org in (data.get(half) or {})}
    round_ids = ids_added_since(round_since) if round_since else None
    assignment = make_split(policies, previous, new_half, new_even, round_ids)
    halves: dict[str, dict[str, list[str]]] = {"dev": {}, "test": {}}
    for p in policies:
        halves[assignment[p.organisation]].setdefault(p.organisation, []).append(p.id)
    body = {half: {org: sorted(ids) for org, ids in sorted(orgs.items())} for half, orgs in halves.items()}
    SPLIT.write_text(SPLIT_HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=1000),
                     encoding="utf-8")
    for half, orgs in halves.items():
        ids = [i for group in orgs.values() for i in group]
        members = [p for p in policies if p.id in set(ids)]
        eras = Counter(str(p.meta.get("era")) for p in members)
        formats = Counter(str(p.meta.get("format")) for p in members)
        print(f"{half}: {len(orgs)} organisations, {len(ids)} policies; "
              f"era {dict(sorted(eras.items()))}; formats {dict(sorted(formats.items()))}")
    print(f"wrote {SPLIT.relative_to(ROOT)}")
    return 0


# --- check -------------------------------------------------------------------------------------------

def policy_texts(policy: Policy) -> list[str]:
    """The text quotes are looked for in: the extracted text, and for txt/md also the file as written."""
    from scorecard.errors import PolicyError
    from scorecard.text import read_policy

    texts = []
    try:
        texts.append(fold(read_policy(policy.file).text))
    except PolicyError as exc:
        raise CorpusError(f"{policy.file}: cannot read as a policy: {exc}") from None
    if policy.meta.get("format") in ("txt", "md"):
        texts.append(fold(policy.file.read_text(encoding="utf-8", errors="replace")))
    return texts


def check_meta(policy: Policy) -> list[str]:
    where = policy.folder / "meta.yaml"
    if not where.exists():
        return [f"{where}: missing"]
    meta = policy.meta
    if not meta:
        return [f"{where}: not a mapping of fields"]
    problems = [f"{where}: missing field '{key}'" for key in REQUIRED if meta.get(key) in (None, "")]
    if meta.get("id") not in (None, policy.id):
        problems.append(f"{where}: id '{meta.get('id')}' differs from its folder '{policy.id}'")
    if not ID_PATTERN.fullmatch(policy.id):
        problems.append(f"{where}: folder name '{policy.id}' is not lowercase letters, digits and hyphens")
    for key, allowed in (("sector", SECTORS), ("era", ERAS), ("format", FORMATS)):
        if meta.get(key) is not None and meta.get(key) not in allowed:
            problems.append(f"{where}: {key} '{meta.get(key)}' is not one of {', '.join(sorted(allowed))}")
    year = policy.year
    if meta.get("date") is not None and year is None:
        problems.append(f"{where}: date '{meta.get('date')}' is not YYYY-MM-DD")
    elif year is not None and not YEARS[0] <= year <= YEARS[1]:
        problems.append(f"{where}: date year {year} outside {YEARS[0]}..{YEARS[1]}")
    if meta.get("era") == "ccpa-gdpr" and year is not None and year < 2020:
        problems.append(f"{where}: era ccpa-gdpr needs a date of 2020 or later")
    if meta.get("format") in FORMATS and not policy.file.exists():
        problems.append(f"{where}: policy file {policy.file.name} not found")
    others = [p.name for p in policy.folder.glob("policy.*") if p != policy.file]
    if others:
        problems.append(f"{where}: other policy files beside {policy.file.name}: {', '.join(others)}")
    return problems


def check_labels(path: Path, policies: dict[str, Policy], texts: dict[str, list[str]]) -> list[str]:
    stem = path.stem
    policy_id, _, labeller = stem.partition(".")
    try:
        data = load_yaml(path)
    except CorpusError as exc:
        return [str(exc)]
    if not isinstance(data, dict):
        return [f"{path}: not a mapping"]
    problems = []
    if data.get("id") != policy_id:
        problems.append(f"{path}: id '{data.get('id')}' differs from the file name '{policy_id}'")
    named = data.get("labeller")
    if named is None and isinstance(data.get("labellers"), list) and len(data["labellers"]) == 1:
        named = data["labellers"][0]  # a raw file may name its one labeller as `labellers: [p]`
    if labeller and str(named) != labeller:
        problems.append(f"{path}: labeller '{named}' differs from the file name '{labeller}'")
    policy = policies.get(policy_id)
    if policy is None:
        return [*problems, f"{path}: no policy folder corpus/policies/{policy_id}"]
    if policy_id not in texts:
        try:
            texts[policy_id] = policy_texts(policy) if policy.file.exists() else []
        except CorpusError as exc:
            texts[policy_id] = []
            problems.append(str(exc))
    haystacks = texts[policy_id]

    def quote_problem(quote: object, what: str) -> str | None:
        if not isinstance(quote, str) or not quote.strip():
            return f"{path}: {what}: quote is not text"
        if haystacks and not any(fold(quote) in text for text in haystacks):
            return f"{path}: {what}: quote not found verbatim in {policy.file.name}: {fold(quote)[:80]!r}"
        return None

    facts = data.get("facts")
    if not isinstance(facts, dict):
        return [*problems, f"{path}: 'facts' missing or not a mapping"]
    for practice in sorted(set(facts) - set(VOCABULARY)):
        problems.append(f"{path}: unknown practice '{practice}'")
    for practice, allowed in VOCABULARY.items():
        fact = facts.get(practice)
        if not isinstance(fact, dict) or "value" not in fact:
            problems.append(f"{path}: practice '{practice}' missing or has no value")
            continue
        value = fact["value"]
        if value not in allowed:
            problems.append(f"{path}: {practice}: value '{value}' is not one of {', '.join(sorted(allowed))}")
        for extra in fact.get("accept") or []:
            if extra not in allowed:
                problems.append(f"{path}: {practice}: accept value '{extra}' is not in the vocabulary")
        if value in allowed and value != "not_stated" and "quote" not in fact:
            problems.append(f"{path}: {practice}: value '{value}' has no quote")
        if "quote" in fact and (problem := quote_problem(fact["quote"], practice)):
            problems.append(problem)
    for index, sentence in enumerate(data.get("sentences") or [], start=1):
        what = f"sentence {index}"
        if not isinstance(sentence, dict):
            problems.append(f"{path}: {what}: not a mapping")
            continue
        if problem := quote_problem(sentence.get("text"), what):
            problems.append(problem)
        labels = sentence.get("labels")
        if not isinstance(labels, dict):
            problems.append(f"{path}: {what}: 'labels' missing (use {{}} when it decides nothing)")
            continue
        for practice, value in labels.items():
            if practice not in VOCABULARY:
                problems.append(f"{path}: {what}: unknown practice '{practice}'")
            elif value not in VOCABULARY[practice]:
                problems.append(f"{path}: {what}: {practice} value '{value}' is not in the vocabulary")
    return problems


def check() -> int:
    policies = load_policies()
    by_id = {p.id: p for p in policies}
    problems = [problem for p in policies for problem in check_meta(p)]
    texts: dict[str, list[str]] = {}
    labels = label_files()
    for path in labels:
        problems.extend(check_labels(path, by_id, texts))
    if SPLIT.exists():
        data = load_yaml(SPLIT) or {}
        placed = {pid for half in ("dev", "test") for ids in (data.get(half) or {}).values() for pid in ids}
        missing = sorted(set(by_id) - placed)
        if missing:
            problems.append(f"{SPLIT}: policies in no half (run split): {', '.join(missing)}")
    for problem in problems:
        print(shown(problem))
    print(f"checked {len(policies)} meta.yaml and {len(labels)} labels files: {len(problems)} problems")
    return 1 if problems else 0


# --- score -------------------------------------------------------------------------------------------

NOT_STATED = "not_stated"


def half_ids(half: str) -> list[str]:
    data = load_yaml(SPLIT) or {}
    return sorted(pid for ids in (data.get(half) or {}).values() for pid in ids)


def ids_from_file(path: Path) -> set[str]:
    """Policy ids listed in a file, separated by whitespace or commas; '#' starts a comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read: {exc}") from None
    return {word for line in text.splitlines() for word in re.split(r"[\s,]+", line.split("#")[0]) if word}


def ids_added_since(commit: str) -> set[str]:
    """Policies whose meta.yaml git says was added since `commit` (committed or staged/in the work tree)."""
    import subprocess

    run = subprocess.run(["git", "-C", str(ROOT), "diff", "--name-only", "--diff-filter=A", commit, "--",
                          "corpus/policies"], capture_output=True, text=True)
    if run.returncode != 0:
        raise CorpusError(f"--added-since {commit}: git diff failed: {run.stderr.strip().splitlines()[-1:]}")
    untracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--others", "--exclude-standard", "--",
                                "corpus/policies"], capture_output=True, text=True).stdout
    paths = run.stdout.splitlines() + untracked.splitlines()
    return {Path(p).parent.name for p in paths if Path(p).name == "meta.yaml"}


def subset_ids(args: argparse.Namespace, ids: list[str]) -> list[str]:
    """The half's ids, narrowed to --ids FILE and/or --added-since COMMIT when given."""
    wanted: set[str] | None = None
    if args.ids:
        wanted = ids_from_file(Path(args.ids))
    if args.added_since:
        added = ids_added_since(args.added_since)
        wanted = added if wanted is None else wanted & added
    if wanted is None:
        return ids
    elsewhere = sorted(wanted - set(ids))
    if elsewhere:
        print(f"not in half {args.half}, left out: {', '.join(elsewhere)}")
    return [pid for pid in ids if pid in wanted]


def settled_labels(policy_id: str) -> dict[str, Any] | None:
    path = LABELS / f"{policy_id}.yaml"
    data = load_yaml(path) if path.exists() else None
    return data if isinstance(data, dict) else None


def macro_f1(pairs: list[tuple[str, str]]) -> tuple[float, dict[str, tuple[float, float, int]]]:
    """Macro-F1 over the values seen (expected or predicted), and per value (precision, recall, support)."""
    values = sorted({e for e, _ in pairs} | {g for _, g in pairs})
    per: dict[str, tuple[float, float, int]] = {}
    f1s = []
    for value in values:
        tp = sum(1 for e, g in pairs if e == value and g == value)
        fp = sum(1 for e, g in pairs if e != value and g == value)
        fn = sum(1 for e, g in pairs if e == value and g != value)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per[value] = (p, r, tp + fn)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return (sum(f1s) / len(f1s) if f1s else 0.0), per


# Practices scored for information only, outside the mean: labels carry Global Privacy Control as a note
# (`notes: {gpc: honored}`), and the rubric shows opt_out_signals without counting it toward the grade.
INFORMATION_ONLY = ("opt_out_signals",)


def expected_fact(labels: dict[str, Any], practice: str) -> dict[str, Any]:
    """The settled label of one practice: {value, quote?, accept?}; a practice left out is not_stated."""
    facts = labels.get("facts") or {}
    if isinstance(facts.get(practice), dict):
        return dict(facts[practice])
    notes = labels.get("notes") if isinstance(labels.get("notes"), dict) else {}
    if practice == "opt_out_signals" and notes.get("gpc") in ("honored", "not_honored"):
        return {"value": str(notes["gpc"])}
    return {"value": NOT_STATED}


def score_command(args: argparse.Namespace) -> int:
    if args.code:
        sys.path.insert(0, str(Path(args.code).resolve()))
    from scorecard.extract import extract
    from scorecard.rubric import load_rubric
    from scorecard.text import parse_text, read_policy

    rubric = load_rubric(Path(args.rubric)) if args.rubric else load_rubric()
    by_id = {p.id: p for p in load_policies()}
    ids = subset_ids(args, half_ids(args.half))
    practices = [k for k in (*VOCABULARY, *INFORMATION_ONLY) if k in rubric.keys or k in VOCABULARY]
    if args.practice:
        if args.practice not in practices:
            raise CorpusError(f"--practice {args.practice}: not one of {', '.join(practices)}")
        practices = [args.practice]
    results: dict[str, list[tuple[str, str, str]]] = {k: [] for k in practices}
    unlabelled = []
    for pid in ids:
        labels = settled_labels(pid)
        if labels is None:
            unlabelled.append(pid)
            continue
        if args.sentences:
            for sentence in labels.get("sentences") or []:
                text = str(sentence["text"])
                facts = extract(parse_text(text), rubric)
                said = sentence.get("labels") or {}
                for practice in practices:
                    if practice in INFORMATION_ONLY and practice not in said:
                        continue  # the labellers were not asked about it sentence by sentence
                    got = facts[practice]
                    results[practice].append((str(said.get(practice, NOT_STATED)), got.value,
                                              f"{pid}: {text!r}  rules={','.join(got.rules)}"))
            continue
        facts = extract(read_policy(by_id[pid].file), rubric)
        for practice in practices:
            label = expected_fact(labels, practice)
            expected = str(label["value"])
            got = facts[practice]
            value = expected if got.value in (label.get("accept") or []) else got.value
            quote = got.evidence[0].quote if got.evidence else ""
            why = f"{pid}: rules={','.join(got.rules)} quote={quote[:160]!r}"
            if expected != NOT_STATED:
                why += f"  label quote={str(label.get('quote', ''))[:160]!r}"
            results[practice].append((expected, value, why))
    unit = "sentences" if args.sentences else "policies"
    scored = len(ids) - len(unlabelled)
    subset = " (subset)" if args.ids or args.added_since else ""
    print(f"half {args.half}{subset}: {scored} policies scored"
          + (f", {len(unlabelled)} without settled labels" if unlabelled else "")
          + (f"; {max((len(r) for r in results.values()), default=0)} sentences" if args.sentences else ""))
    print(f"{'practice':22} {unit:>9} {'accuracy':>8} {'macro-F1':>8}   per value: precision/recall (support)")
    summary: dict[str, Any] = {}
    for practice, rows in results.items():
        pairs = [(e, g) for e, g, _ in rows]
        if not pairs:
            continue
        f1, per = macro_f1(pairs)
        accuracy = sum(e == g for e, g in pairs) / len(pairs)
        summary[practice] = {"n": len(pairs), "accuracy": round(accuracy, 4), "macro_f1": round(f1, 4),
                             "confusion": {f"{e}->{g}": n for (e, g), n in sorted(Counter(pairs).items())}}
        detail = "  ".join(f"{v} {p:.2f}/{r:.2f} ({n})" for v, (p, r, n) in per.items())
        name = practice + (" *" if practice in INFORMATION_ONLY else "")
        print(f"{name:22} {len(pairs):9} {accuracy:8.3f} {f1:8.3f}   {detail}")
    counted = [s["macro_f1"] for k, s in summary.items() if k not in INFORMATION_ONLY]
    if counted:
        print(f"{'mean macro-F1':22} {'':9} {'':8} {sum(counted) / len(counted):8.3f}"
              + ("   (* for information, not in the mean)" if set(summary) & set(INFORMATION_ONLY) else ""))
    print("\nconfusion matrices (rows: label, columns: extracted)")
    for practice, rows in results.items():
        if not rows:
            continue
        values = sorted({e for e, _, _ in rows} | {g for _, g, _ in rows})
        counts = Counter((e, g) for e, g, _ in rows)
        print(f"  {practice}")
        print("    " + " " * 14 + "".join(f"{v[:12]:>13}" for v in values))
        for e in values:
            print(f"    {e[:14]:14}" + "".join(f"{counts[(e, g)]:13}" for g in values))
    if args.json:
        Path(args.json).write_text(yaml.safe_dump(summary, sort_keys=False), encoding="utf-8")
    if args.misses:
        for practice, rows in results.items():
            misses = [(e, g, w) for e, g, w in rows if e != g]
            if misses:
                print(f"\n== {practice}: {len(misses)} misses")
                for e, g, w in misses:
                    print(f"  [label {e}, got {g}] {w}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["stats", "split", "check", "score"])
    parser.add_argument("--half", choices=["dev", "test"], default="dev", help="score: which half (default dev)")
    parser.add_argument("--sentences", action="store_true", help="score: the labelled sentences, each read alone")
    parser.add_argument("--misses", action="store_true", help="score: list every miss with its rule ids")
    parser.add_argument("--code", default="", help="score: the checkout whose scorecard package is scored")
    parser.add_argument("--json", default="", help="score: also write the figures to this YAML file")
    parser.add_argument("--ids", default="", help="score: only the policy ids listed in this file")
    parser.add_argument("--added-since", default="", metavar="COMMIT",
                        help="score: only the policies added to corpus/policies since this commit")
    parser.add_argument("--practice", default="", help="score: only this practice")
    parser.add_argument("--rubric", default="", help="score: this rubric file instead of rubric/default.yaml")
    parser.add_argument("--new-half", choices=["dev", "test"], default=None,
                        help="split: organisations new to split.yaml all go to this half")
    parser.add_argument("--new-even", action="store_true",
                        help="split: place organisations new to split.yaml by the rule, balanced among themselves")
    parser.add_argument("--round-since", default="", metavar="COMMIT",
                        help="split --new-even: also count the organisations added since COMMIT (the round's earlier "
                             "batches, already placed) in the balance")
    args = parser.parse_args(argv)
    if args.new_half and args.new_even:
        parser.error("--new-half and --new-even exclude each other")
    if args.round_since and not args.new_even:
        parser.error("--round-since goes with --new-even")
    try:
        if args.command == "score":
            return score_command(args)
        if args.command == "split":
            return split(args.new_half, args.new_even, args.round_since)
        return {"stats": stats, "check": check}[args.command]()
    except CorpusError as exc:
        print(f"error: {shown(str(exc))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
