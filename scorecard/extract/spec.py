"""The schema of detectors.yaml, and its loading into compiled, ready-to-run detectors.

Every pattern is a Python regular expression over one lower-cased sentence; `{{name}}` inserts a
named part of the file's `grammar` (actors, verbs, objects, negation, ...), so a rule reads as a
combination of parts. A pattern may be written as a list: any of its items. Each rule has a stable
`id`. The loader bounds every repetition (extract/pattern.py), so each rule runs in linear time.
Errors name file:line:col.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Literal, Protocol

import ahocorasick
from pydantic import Field

from ..errors import ScorecardError
from ..limits import MAX_YAML_BYTES, read_regular
from ..model import NOT_STATED, Rubric, Strict
from ..resources import user_cache_dir
from ..yamlsource import PathKey, YamlDocument, load_yaml
from . import pattern as pattern_module
from .pattern import (
    COMMON,
    Formula,
    PatternSyntaxError,
    all_of,
    any_of,
    bounded,
    compile_fused_tests,
    compile_fused_word_tests,
    compile_tests,
    compile_word_tests,
    formula_test,
    literal_formula,
    literal_sets,
    preload,
    recording,
    screen_formula,
    selectivity,
    without,
)
from .registry import PythonDetector, python_detector

STRENGTH = {"strong": 0.9, "weak": 0.6}
RULE_ID = r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$"


class Seq(Strict):
    """One pattern written over several lines: the items joined as they are (`seq: [part, part]`)."""

    seq: list[str] = Field(min_length=1)


Pattern = str | Seq | list[str | Seq]  # a list: any of its items


class RuleSpec(Strict):
    """One cue: if it matches a sentence (and the conditions hold), the sentence supports a value."""

    id: str = Field(pattern=RULE_ID, description="Stable id, e.g. sale.denial.plain: never renamed, never reused.")
    cue: Pattern = Field(description="Pattern that signals the value; a (?P<cue>...) group marks the word negation is checked before.")
    all: list[Pattern] = Field(default_factory=list, description="Patterns that must also match the sentence.")
    near: list[Pattern] = Field(
        default_factory=list, description="Patterns that must match the sentence, one just before it, its lead-in or its heading.")
    unless: list[Pattern] = Field(default_factory=list, description="Patterns that veto the rule.")
    negation: Literal["drop", "ignore"] | str = Field(
        default="drop", description="When a negation precedes the cue: drop the match, ignore the negation, or give this value instead.")
    strength: Literal["strong", "weak"] = "strong"
    partial: bool = Field(default=False, description="The statement covers only part of the data (card data only, say).")
    why: str = Field(default="", description="What the rule is for, for the next person.")


class PracticeSpec(Strict):
    keywords: list[str] = Field(default_factory=list, description="Lower-case words or stems; only sentences containing one are examined.")
    trigger: Pattern = Field(default="", description="A pattern run over the whole text, instead of or besides keywords (slower).")
    follow: bool | Literal["after", "headings"] = Field(
        default=False, description="Also examine the sentences just after a keyword ('after'), those under a heading"
                                   " holding one ('headings'), or both (true): for `near` rules ('We do not respond to such signals.').")
    priority: list[str] = Field(description="When sentences disagree, the first value here wins.")
    skip: list[Pattern] = Field(default_factory=list, description="Sentences matching these say nothing about the practice.")
    qualifiers: Pattern = Field(default="", description="Hedges ('except', 'unless') that lower confidence and ask for review.")
    python: str = Field(default="", description="Name of a registered Python detector adding hits.")
    says: dict[str, str] = Field(
        default_factory=dict, description="Each value as a reader would say it, after 'the policy says that': for notes.")
    caveats: dict[str, str] = Field(
        default_factory=dict, description="{caveat: offer}: the caveat value wins over the offer only where it qualifies"
                                          " it (the same sentence or just after); elsewhere the offer wins.")
    values: dict[str, list[RuleSpec]] = Field(default_factory=dict)


class DetectorsFile(Strict):
    version: int = 1
    grammar: dict[str, dict[str, Pattern]] = Field(
        default_factory=dict, description="Named parts by kind (actors, verbs, objects, negation, ...): {{name}} in any pattern.")
    terms: dict[str, Pattern] = Field(default_factory=dict, description="More named parts, outside any kind.")
    negation: Pattern = Field(description="Words that negate a cue when they come shortly before it.")
    negation_window: int = Field(default=8, ge=1, le=30, description="How many words before the cue negation reaches.")
    clause_break: Pattern = Field(description="Where negation scope stops (';', 'but', 'and we').")
    practices: dict[str, PracticeSpec]


# --- compiled form ---------------------------------------------------------------------------

class Searcher(Protocol):
    def search(self, text: str) -> re.Match[str] | None: ...

    def finditer(self, text: str) -> Iterator[re.Match[str]]: ...


class Screened:
    """A pattern with its literal test in front (pattern.literal_formula): it runs only on a text that
    holds the literals every match needs, and most texts do not. It is compiled when a text first passes
    the test: most screened patterns (an `unless`, a `skip`) never meet one in a run."""

    __slots__ = ("compiled", "flags", "source", "test")

    def __init__(self, source: str, flags: int, test: Callable[[str], bool]) -> None:
        self.source, self.flags, self.test = source, flags, test
        self.compiled: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self.compiled is None:
            self.compiled = re.compile(self.source, self.flags)
        return self.compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.test(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text)  # the same matches (a text failing the test has none), unscreened


def screened(source: str, flags: int = 0) -> Searcher:
    """The pattern, screened by its literals when it has any (compiled on first use behind the screen)."""
    test = formula_test(screen_formula(source))
    return re.compile(source, flags) if test is None else Screened(source, flags, test)


def _fields_only(obj: object) -> dict[str, object]:
    """The dataclass fields of `obj`, not what its cached properties compiled (code, not data)."""
    return {f.name: obj.__dict__[f.name] for f in fields(obj)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Rule:
    """One compiled rule. Its patterns are kept as sources and compiled on first use: a policy wakes
    few of the rules, and compiling all of them was most of a small `extract` (see load_detectors)."""

    id: str
    value: str
    cue_source: str
    needs: frozenset[str]  # the cue cannot match a sentence without one of these (required_literals)
    needs_also: tuple[frozenset[str], ...]  # ... nor without one of each of these
    all_sources: tuple[str, ...]
    near_sources: tuple[str, ...]
    unless_sources: tuple[str, ...]
    negation: str  # "drop", "ignore" or a value
    strength: float
    partial: bool = False
    # What the cue and every `all` pattern need of a sentence's literals (pattern.literal_formula), tested
    # before any of them runs: most sentences that wake a rule match none of its patterns.
    formula: Formula | None = None

    @cached_property
    def cue(self) -> re.Pattern[str]:
        return re.compile(self.cue_source)

    @cached_property
    def all(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(source) for source in self.all_sources)

    @cached_property
    def near(self) -> tuple[Searcher, ...]:
        return tuple(screened(source) for source in self.near_sources)

    @cached_property
    def unless(self) -> tuple[Searcher, ...]:
        return tuple(screened(source) for source in self.unless_sources)

    # The same patterns with re.ASCII, for a sentence of ASCII only (engine.Texts.ascii): there they match
    # alike, and \w, \b and \s are a third faster to test.
    @cached_property
    def cue_ascii(self) -> re.Pattern[str]:
        return re.compile(self.cue_source, re.ASCII)

    @cached_property
    def all_ascii(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(source, re.ASCII) for source in self.all_sources)

    @cached_property
    def unless_ascii(self) -> tuple[Searcher, ...]:
        return tuple(screened(source, re.ASCII) for source in self.unless_sources)

    def __getstate__(self) -> dict[str, object]:
        return _fields_only(self)  # compiled patterns and tests are made again on first use


@dataclass(frozen=True)
class Practice:
    key: str
    keywords: tuple[str, ...]
    trigger_source: str | None
    priority: tuple[str, ...]
    skip_source: str | None
    qualifiers_source: str | None
    rules: tuple[Rule, ...]
    python: PythonDetector | None = None
    follow: bool | str = False
    keyword_set: frozenset[str] = frozenset()  # the keywords as a set, for engine.candidates
    says: dict[str, str] = field(default_factory=dict)  # value -> plain words, for notes
    caveats: dict[str, str] = field(default_factory=dict)  # caveat value -> the offer value it can limit
    # Which rules a literal can wake: a sentence's literals (engine.literal_hits) pick its rules by
    # lookup instead of testing every rule's set; rules that need no literal are always tried.
    by_literal: dict[str, tuple[int, ...]] = field(default_factory=dict)
    always: tuple[int, ...] = ()
    known: frozenset[str] = frozenset()  # every literal of the automaton (Detectors.seal): for word_tests

    @cached_property
    def tests(self) -> tuple[Callable[[str], bool], ...]:
        """Per rule, whether a sentence holds the literals its patterns need (Rule.formula): tried first."""
        return compile_tests([rule.formula for rule in self.rules])

    @cached_property
    def word_tests(self) -> tuple[Callable[[str, frozenset[str]], bool], ...]:
        """The same tests given also W, the automaton's words in the sentence (engine.literal_hits): a literal of
        the automaton is looked up in W instead of searched in the text. Only for a sentence whose W is whole."""
        return compile_word_tests([rule.formula for rule in self.rules], self.known)

    @cached_property
    def wake_bits(self) -> dict[str, int]:
        """by_literal as bits: a literal -> the rules it wakes, bit n for rule n (engine.detect or's a sentence's)."""
        return {word: sum(1 << n for n in rules) for word, rules in self.by_literal.items()}

    @cached_property
    def always_bits(self) -> int:
        return sum(1 << n for n in self.always)

    @cached_property
    def fused_tests(self) -> Callable[[str, int], list[int]]:
        """`tests` of every rule woken (bits m) at once: fused_tests(t, m) -> the rules whose test holds, in order."""
        return compile_fused_tests([rule.formula for rule in self.rules])

    @cached_property
    def fused_word_tests(self) -> Callable[[str, frozenset[str], int], list[int]]:
        """`word_tests` of every rule woken (bits m) at once: fused_word_tests(t, W, m), as fused_tests. A rule is
        woken by one of its `needs` in W (wake_bits), so that part of its formula is not tested again."""
        return compile_fused_word_tests([without(rule.formula, any_of(rule.needs)) if rule.needs else rule.formula
                                         for rule in self.rules], self.known)

    @cached_property
    def trigger(self) -> re.Pattern[str] | None:
        return re.compile(self.trigger_source) if self.trigger_source is not None else None

    @cached_property
    def trigger_anycase(self) -> re.Pattern[str] | None:
        """The trigger for the original text (engine.Lowered): the same matches where no character beyond
        ASCII has a case."""
        return re.compile(self.trigger_source, re.IGNORECASE) if self.trigger_source is not None else None

    @cached_property
    def skip(self) -> Searcher | None:
        return screened(self.skip_source) if self.skip_source is not None else None

    @cached_property
    def skip_ascii(self) -> Searcher | None:
        return screened(self.skip_source, re.ASCII) if self.skip_source is not None else None

    @cached_property
    def qualifiers(self) -> re.Pattern[str] | None:
        return re.compile(self.qualifiers_source) if self.qualifiers_source is not None else None

    def __getstate__(self) -> dict[str, object]:
        return _fields_only(self)

    def index_rules(self) -> None:
        by_literal: dict[str, list[int]] = {}
        for n, rule in enumerate(self.rules):
            for word in rule.needs:
                by_literal.setdefault(word, []).append(n)
        self.by_literal.update({w: tuple(ns) for w, ns in by_literal.items()})
        object.__setattr__(self, "always", tuple(n for n, rule in enumerate(self.rules) if not rule.needs))


@dataclass(frozen=True, slots=True)
class Detectors:
    path: Path
    negation: re.Pattern[str]
    negation_window: int
    clause_break: re.Pattern[str]
    practices: dict[str, Practice] = field(default_factory=dict)
    # Every keyword and required literal of every practice in one Aho-Corasick automaton: one pass over a
    # policy finds them all (engine.literal_hits), where a str.find per word or a regex per rule costs
    # far more per megabyte.
    literals: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    literal_breaks: bool = False  # a literal holds a line break: the text is read whole (engine.literal_hits)
    negation_ascii: re.Pattern[str] | None = None  # negation and clause_break with re.ASCII (Rule.cue_ascii)
    clause_break_ascii: re.Pattern[str] | None = None
    # Per literal, the practices it is a keyword of (bit n for the nth practice) and the rules it wakes
    # (Practice.by_literal; the nth practice's rules from bit shifts[n] on): engine.keyword_hits or's a
    # sentence's, and so finds its practices and their woken rules at once.
    word_bits: dict[str, int] = field(default_factory=dict)
    shifts: tuple[int, ...] = ()
    # The tests' code and the screened patterns' formulas (pattern.recording), only in the cached form: read
    # back into the pattern module (pattern.preload), so that a process starting from the cache makes neither.
    warm: dict[str, object] = field(default_factory=dict)

    def seal(self) -> None:
        object.__setattr__(self, "negation_ascii", re.compile(self.negation.pattern, re.ASCII))
        object.__setattr__(self, "clause_break_ascii", re.compile(self.clause_break.pattern, re.ASCII))
        words = {w for p in self.practices.values() for w in p.keywords}
        words |= {w for p in self.practices.values() for r in p.rules for w in r.needs.union(*r.needs_also)}
        object.__setattr__(self, "literal_breaks", any("\n" in word for word in words))
        known = frozenset(words)
        for practice in self.practices.values():
            object.__setattr__(practice, "known", known)
        keywords = [frozenset(p.keywords) for p in self.practices.values()]
        for word in sorted(words):
            # the word, where it starts back from its end, and the practices it is a keyword of (a bit each)
            mask = sum(1 << n for n, kws in enumerate(keywords) if word in kws)
            self.literals.add_word(word, (word, len(word) - 1, mask))
        if words:
            self.literals.make_automaton()
        shifts, shift = [], len(self.practices)
        for practice in self.practices.values():
            shifts.append(shift)
            shift += len(practice.rules)
        object.__setattr__(self, "shifts", tuple(shifts))
        for word in sorted(words):
            bits = self.literals.get(word)[2] if words else 0
            for place, practice in enumerate(self.practices.values()):
                for n in practice.by_literal.get(word, ()):
                    bits |= 1 << (shifts[place] + n)
            self.word_bits[word] = bits


_TERM = re.compile(r"\{\{(\w+)\}\}")
_LITERAL_CASE = re.compile(r"(\\.)|(\(\?P<\w+>)|([A-Z])")


def fold_case(pattern: str) -> str:
    """The pattern for lower-cased text: letters lower-cased, escapes (\\S, \\B) and group names kept.

    Matching lower-cased text with a case-sensitive pattern is about twice as fast in Python's
    re as matching with IGNORECASE, and detection is mostly pattern matching.
    """
    return _LITERAL_CASE.sub(lambda m: m.group(1) or m.group(2) or m.group(3).lower(), pattern)


def required_literals(pattern: str, most: int = 64) -> tuple[str, ...]:
    """Strings one of which every match of `pattern` contains, or () when none can be proved.

    A literal test is far cheaper than running a regular expression of alternations over a
    sentence, and most sentences a practice's keywords admit match none of its cues. Read off our
    own parse of the pattern (extract/pattern.py): runs of literal characters no match can skip,
    and alternations whose every branch has one; the most selective set wins.
    """
    sets = required_literal_sets(pattern, most, limit=1)
    return sets[0] if sets else ()


def required_literal_sets(pattern: str, most: int = 64, limit: int = 2) -> list[tuple[str, ...]]:
    """Up to `limit` sets of strings, each of which every match must contain one of, most selective first."""
    try:
        found = literal_sets(pattern)
    except PatternSyntaxError:
        return []
    usable: list[tuple[str, ...]] = []
    for words in sorted(found, key=selectivity, reverse=True):
        # too many to test quickly, or a word so short it is everywhere ("@" and "?" are rare enough)
        if len(words) > most or min(len(w) if w.strip().isalnum() else 3 for w in words) < 3 or selectivity(words) < 3:
            continue
        if tuple(sorted(words)) not in usable:
            usable.append(tuple(sorted(words)))
    return usable[:limit]


def common_literal_set(pattern: str, most: int = 64) -> tuple[str, ...]:
    """For a rule with no selective literal set: the best set that holds no word of nearly every
    sentence. Better a common word ("request", "no") than no test at all: the rule would run on
    every candidate sentence."""
    try:
        found = literal_sets(pattern)
    except PatternSyntaxError:
        return ()
    usable = [tuple(sorted(words)) for words in sorted(found, key=selectivity, reverse=True)
              if len(words) <= most and not any(len(w.strip()) < 2 or w.strip() in EVERYWHERE for w in words)]
    return usable[0] if usable else ()


# Words in nearly every sentence: a set holding one of them is no test (while "request" or "no" still is).
EVERYWHERE = frozenset(["", "you", "your", "we", "our", "us", "the", "and", "or", "to", "of", "a", "in", "is", "are",
                        "it", "be", "for", "on", "this", "that", "with", "as", "by", "information", "data", "personal"])


_COMMON = COMMON


def _source(pattern: Pattern) -> str:
    """A pattern as one regular expression: a list is any of its items, a seq its items joined."""
    if isinstance(pattern, list):
        return "|".join(f"(?:{_source(item)})" for item in pattern)
    if isinstance(pattern, Seq):
        return "".join(pattern.seq)
    return pattern


class _Compiler:
    def __init__(self, doc: YamlDocument, spec: DetectorsFile) -> None:
        self.doc = doc
        self.parts: dict[str, str] = {}
        for kind, parts in spec.grammar.items():
            for name, part in parts.items():
                if name in self.parts:
                    raise doc.error(("grammar", kind, name), f"part '{name}' is defined twice", at_key=True)
                self.parts[name] = _source(part)
        for name, part in spec.terms.items():
            if name in self.parts:
                raise doc.error(("terms", name), f"part '{name}' is already defined in grammar", at_key=True)
            self.parts[name] = _source(part)

    def expand(self, source: str, loc: PathKey, seen: tuple[str, ...] = ()) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.parts:
                raise self.doc.error(loc, f"unknown part '{{{{{name}}}}}' (define it under 'grammar')")
            if name in seen:
                raise self.doc.error(loc, f"part '{{{{{name}}}}}' refers to itself")
            return f"(?:{self.expand(self.parts[name], loc, (*seen, name))})"
        return _TERM.sub(one, source)

    def pattern(self, pattern: Pattern, loc: PathKey) -> re.Pattern[str]:
        return re.compile(self.source(pattern, loc))

    def source(self, pattern: Pattern, loc: PathKey) -> str:
        """The pattern as it runs (parts expanded, case folded, loops bounded), checked to compile."""
        expanded = self.expand(_source(pattern), loc)
        try:
            re.compile(expanded)  # report errors against what the user wrote
            final = fold_case(bounded(expanded, hoist=True))  # the same matches, found faster (pattern.hoisted)
            re.compile(final)
            return final
        except (re.error, PatternSyntaxError) as exc:
            raise self.doc.error(loc, f"bad pattern: {exc}") from None

    def sources(self, sources: list[Pattern], loc: PathKey) -> tuple[str, ...]:
        return tuple(self.source(s, (*loc, i)) for i, s in enumerate(sources))

    def joined(self, sources: list[Pattern], loc: PathKey) -> str | None:
        for i, s in enumerate(sources):
            self.source(s, (*loc, i))  # report the bad one with its own position
        return self.source([_source(s) for s in sources], loc) if sources else None


def load_detectors(path: Path, rubric: Rubric, strict: bool = True) -> Detectors:
    """Load and compile a detectors file. strict: practices/values the rubric lacks are errors
    (when the file belongs to the rubric); otherwise they are left out (a fallback file).

    Compiling means parsing every pattern twice (ours and re's): about a second for the default
    file, paid by every process. So the compiled form is kept in the user's cache folder, keyed on
    the file's bytes, the rubric's practices and this code (compiled_cache); a changed file is
    compiled afresh, and only a file that loads without error is kept."""
    try:
        raw = read_regular(path, MAX_YAML_BYTES)
    except ScorecardError:
        raw = None  # load_yaml reports it
    cached = _cache_path(raw, rubric, strict) if raw is not None else None
    if cached is not None:
        detectors = _read_cache(cached, path)
        if detectors is not None:
            preload(detectors.warm)
            object.__setattr__(detectors, "warm", {})
            return detectors
    detectors = _load_detectors(path, rubric, strict, raw)
    if cached is not None:
        _write_cache(cached, detectors)
    return detectors


CACHE_KEEP = 16  # compiled forms kept: one per detectors file version in use


def _cache_dir() -> Path | None:
    """$SCORECARD_CACHE (empty: no cache), else $XDG_CACHE_HOME/scorecard, else ~/.cache/scorecard."""
    chosen = os.environ.get("SCORECARD_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None
    return user_cache_dir()


def _cache_path(raw: bytes, rubric: Rubric, strict: bool) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(raw)
    key.update(repr((strict, [(p.key, sorted(p.values)) for p in rubric.practices])).encode())
    key.update(f"{sys.version} {marshal.version}".encode())  # the cache holds marshalled code (Detectors.warm)
    for module in (__file__, pattern_module.__file__):  # the code that compiles: a change of it is a new key
        key.update(Path(module).read_bytes())
    return folder / f"detectors-{key.hexdigest()[:32]}.pickle"


def _trusted(cached: Path) -> bool:
    """Unpickling runs code, so only a file that nobody but this user could have written is read: the file and its
    folder are ours, a regular file and a real folder, and writable by no one else."""
    try:
        for part, kind in ((cached.parent, stat.S_ISDIR), (cached, stat.S_ISREG)):
            info = part.lstat()
            if not kind(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                return False
    except OSError:
        return False
    return True


def _read_cache(cached: Path, path: Path) -> Detectors | None:
    if not _trusted(cached):
        return None
    try:
        detectors = pickle.loads(cached.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None  # absent, or written by other code: compiled afresh
    if not isinstance(detectors, Detectors):
        return None
    object.__setattr__(detectors, "path", path)
    return detectors


def _write_cache(cached: Path, detectors: Detectors) -> None:
    if any(p.python is not None for p in detectors.practices.values()):
        return  # a Python detector is code, not data: not kept
    try:
        with recording() as made:
            _warm(detectors)
        object.__setattr__(detectors, "warm", made)
        try:
            data = pickle.dumps(detectors, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            object.__setattr__(detectors, "warm", {})
        cached.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=cached.parent, prefix=".detectors-", delete=False) as out:
            out.write(data)
        os.replace(out.name, cached)
        kept = sorted(cached.parent.glob("detectors-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # a read-only home or an unpicklable part: compiled each time, as before


def _warm(detectors: Detectors) -> None:
    """Make every generated test and screened formula the engine may ask for (pattern.recording keeps them)."""
    for practice in detectors.practices.values():
        practice.fused_tests, practice.fused_word_tests  # noqa: B018 - made for their code
        sources = [practice.skip_source] if practice.skip_source is not None else []
        for rule in practice.rules:
            sources += [*rule.near_sources, *rule.unless_sources]
        for source in sources:
            formula_test(screen_formula(source))


def _load_detectors(path: Path, rubric: Rubric, strict: bool, raw: bytes | None) -> Detectors:
    doc = load_yaml(path, _decoded(raw, path) if raw is not None else None)
    doc.mapping("a detectors file", "with 'practices'")
    spec: DetectorsFile = doc.validate(DetectorsFile)
    compiler = _Compiler(doc, spec)
    detectors = Detectors(path, compiler.pattern(spec.negation, ("negation",)), spec.negation_window,
                          compiler.pattern(spec.clause_break, ("clause_break",)))
    known = {p.key: set(p.values) for p in rubric.practices}
    _check_unique_ids(doc, spec)
    for key, practice in spec.practices.items():
        loc = ("practices", key)
        problem = _unknown_names(key, practice, known)
        if problem:
            if strict:
                raise doc.error(problem[0], problem[1], at_key=True)
            continue
        detectors.practices[key] = _compile_practice(compiler, key, practice, loc)
    detectors.seal()
    return detectors


def _decoded(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScorecardError("not UTF-8 text; save the file as UTF-8", path) from None


def _check_unique_ids(doc: YamlDocument, spec: DetectorsFile) -> None:
    """A rule id names one rule for good: evidence and reviews refer to it."""
    seen: dict[str, str] = {}
    for key, practice in spec.practices.items():
        for value, rules in practice.values.items():
            for i, rule in enumerate(rules):
                if rule.id in seen:
                    raise doc.error(("practices", key, "values", value, i, "id"),
                                    f"rule id '{rule.id}' is used twice (first in {seen[rule.id]})")
                seen[rule.id] = f"{key}.{value}"


def _unknown_names(key: str, practice: PracticeSpec, known: dict[str, set[str]]) -> tuple[PathKey, str] | None:
    loc = ("practices", key)
    if key not in known:
        return loc, f"unknown practice '{key}' (not in the rubric: {', '.join(sorted(known))})"
    allowed = known[key] - {NOT_STATED}
    choices = ", ".join(sorted(allowed))
    for value in practice.values:
        if value not in allowed:
            return (*loc, "values", value), f"unknown value '{value}' for practice '{key}' (one of: {choices})"
    for value in practice.says:
        if value not in allowed:
            return (*loc, "says", value), f"unknown value '{value}' in says of '{key}' (one of: {choices})"
    for caveat, offer in practice.caveats.items():
        for value in (caveat, offer):
            if value not in allowed:
                return (*loc, "caveats", caveat), f"unknown value '{value}' in caveats of '{key}' (one of: {choices})"
    for i, value in enumerate(practice.priority):
        if value not in allowed:
            return (*loc, "priority", i), f"unknown value '{value}' in priority of '{key}' (one of: {choices})"
    for value, rules in practice.values.items():
        for i, rule in enumerate(rules):
            if rule.negation not in ("drop", "ignore") and rule.negation not in allowed:
                return ((*loc, "values", value, i, "negation"),
                        f"negation must be drop, ignore or a value of '{key}' ({choices}), not '{rule.negation}'")
    return None


def _formula(*sources: str) -> Formula | None:
    """What every one of `sources` needs of a sentence's literals, all together (pattern.literal_formula)."""
    try:
        return all_of([literal_formula(source) for source in sources])
    except PatternSyntaxError:
        return None


def _compile_practice(c: _Compiler, key: str, spec: PracticeSpec, loc: PathKey) -> Practice:
    rules = []
    for value, specs in spec.values.items():
        for i, rule in enumerate(specs):
            rloc = (*loc, "values", value, i)
            cue = c.source(rule.cue, (*rloc, "cue"))
            needs = required_literal_sets(cue)
            also = c.sources(rule.all, (*rloc, "all"))
            for pattern in also:  # what `all` requires is required too: tested as literals before any regex
                needs += required_literal_sets(pattern, limit=1)
            if not needs and (common := common_literal_set(cue)):
                needs = [common]
            rules.append(Rule(
                id=rule.id, value=value, cue_source=cue,
                needs=frozenset(needs[0]) if needs else frozenset(),
                needs_also=tuple(frozenset(n) for n in needs[1:]),
                all_sources=also, near_sources=c.sources(rule.near, (*rloc, "near")),
                unless_sources=c.sources(rule.unless, (*rloc, "unless")), negation=rule.negation,
                strength=STRENGTH[rule.strength], partial=rule.partial,
                formula=all_of([_formula(cue, *also), *(any_of(set(n)) for n in needs)])))
    priority = list(spec.priority) + [v for v in spec.values if v not in spec.priority]
    python = None
    if spec.python:
        python = python_detector(spec.python)
        if python is None:
            raise c.doc.error((*loc, "python"), f"no Python detector named '{spec.python}' is registered")
    if not spec.keywords and not spec.trigger:
        raise c.doc.error(loc, f"practice '{key}' needs keywords or a trigger", at_key=True)
    for i, word in enumerate(spec.keywords):
        if not word or word != word.lower():
            raise c.doc.error((*loc, "keywords", i), f"keyword '{word}' must be non-empty and lower-case")
    trigger = c.source(spec.trigger, (*loc, "trigger")) if spec.trigger else None
    practice = Practice(key, tuple(spec.keywords), trigger, tuple(priority),
                        c.joined(spec.skip, (*loc, "skip")),
                        c.source(spec.qualifiers, (*loc, "qualifiers")) if spec.qualifiers else None,
                        tuple(rules), python, spec.follow, frozenset(spec.keywords), dict(spec.says),
                        caveats=dict(spec.caveats))
    practice.index_rules()
    return practice
