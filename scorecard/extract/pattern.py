"""Our own reading of a rule's regular expression: bounded repetition and required literals.

Detection rules run on untrusted text, so every rule must take time linear in its input. Python's
`re` backtracks: a pattern that can start at every word and scan to the end of the sentence
(`no\\b[^.]*?third`) is quadratic, and "no no no ..." makes it crawl. The loader therefore parses each
pattern (a small parser of the syntax detectors.yaml uses; no private `re` modules) and writes it
back with every unbounded repetition bounded:

- `*`, `+` and `{n,}` repeat at most REACH times (a clause, in characters or words);
- in a branch anchored at the start of the sentence (`^(?!.*\\bnot\\b)`), which `re` tries once,
  a repetition outside any other repetition may reach a whole long sentence (SENTENCE_REACH).

Every match then starts at one of n positions and looks at most a bounded distance ahead, so a
search is O(n). The same parse yields the literal strings every match must contain, which the
engine tests (one Aho-Corasick pass) before running a pattern at all.
"""
from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import CodeType

REACH = 200  # characters or repetitions an unanchored loop may cover: longer than any clause
SENTENCE_REACH = 3000  # ... and a loop anchored at the sentence start: a long sentence


class PatternSyntaxError(ValueError):
    pass


@dataclass
class Node:
    kind: str  # lit | any | group | assert | anchor | repeat | backref
    text: str = ""  # the source of a leaf (lit: the character(s); any: a class, escape or dot)
    branches: list[list[Node]] = field(default_factory=list)  # group / assert
    opener: str = ""  # "(?:", "(?P<cue>", "(?!", ...
    child: Node | None = None  # repeat
    low: int = 0
    high: int | None = None
    suffix: str = ""  # "" | "?" | "+" (lazy or possessive)


_ESCAPE_CLASS = set("dDsSwW")
_ESCAPE_ANCHOR = set("bBAZ")


class _Parser:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0

    def fail(self, message: str) -> PatternSyntaxError:
        return PatternSyntaxError(f"{message} at position {self.i}")

    def alternation(self) -> list[list[Node]]:
        branches = [self.sequence()]
        while self.i < len(self.s) and self.s[self.i] == "|":
            self.i += 1
            branches.append(self.sequence())
        return branches

    def sequence(self) -> list[Node]:
        items: list[Node] = []
        while self.i < len(self.s) and self.s[self.i] not in "|)":
            atom = self.atom()
            items.append(self.quantified(atom))
        return items

    def quantified(self, atom: Node) -> Node:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in "*+?":
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
                self.i += 1
            elif c == "{" and (bounds := self._braces()) is not None:
                low, high = bounds
            else:
                return atom
            suffix = ""
            if self.i < len(s) and s[self.i] in "?+":
                suffix = s[self.i]
                self.i += 1
            if atom.kind in ("anchor", "assert"):
                raise self.fail("nothing to repeat")
            atom = Node("repeat", child=atom, low=low, high=high, suffix=suffix)
        return atom

    def _braces(self) -> tuple[int, int | None] | None:
        end = self.s.find("}", self.i)
        body = self.s[self.i + 1:end] if end > 0 else ""
        low, comma, high = body.partition(",")
        if not low.isdigit() or (high and not high.isdigit()):
            return None  # a literal brace, as in re
        self.i = end + 1
        return int(low), (int(high) if high else None) if comma else int(low)

    def atom(self) -> Node:
        s, c = self.s, self.s[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            end = self.i + 1
            if end < len(s) and s[end] == "^":
                end += 1
            if end < len(s) and s[end] == "]":
                end += 1
            while end < len(s) and s[end] != "]":
                end += 2 if s[end] == "\\" else 1
            if end >= len(s):
                raise self.fail("unterminated character set")
            node = Node("any", s[self.i:end + 1])
            self.i = end + 1
            return node
        if c == "\\":
            if self.i + 1 >= len(s):
                raise self.fail("bad escape (end of pattern)")
            e = s[self.i + 1]
            self.i += 2
            if e in _ESCAPE_CLASS:
                return Node("any", "\\" + e)
            if e in _ESCAPE_ANCHOR:
                return Node("anchor", "\\" + e)
            if e.isdigit():
                raise self.fail("backreferences are not allowed (they defeat linear time)")
            if e.isalpha() and e not in "tnrfv":
                raise self.fail(f"unsupported escape \\{e}")
            literal = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v"}.get(e, e)
            return Node("lit", literal)
        if c in "^$":
            self.i += 1
            return Node("anchor", c)
        if c == ".":
            self.i += 1
            return Node("any", ".")
        if c in "*+?":
            raise self.fail("nothing to repeat")
        self.i += 1
        return Node("lit", c)

    def group(self) -> Node:
        s = self.s
        start = self.i
        if s.startswith("(?P<", start):
            end = s.index(">", start) + 1
        elif s.startswith(("(?<=", "(?<!"), start):
            end = start + 4
        elif s.startswith(("(?:", "(?=", "(?!", "(?>"), start):
            end = start + 3
        elif s.startswith("(?P=", start):
            raise self.fail("backreferences are not allowed (they defeat linear time)")
        elif s.startswith("(?", start):
            raise self.fail("inline flags and other (? groups are not supported here")
        else:
            end = start + 1
        opener = s[start:end]
        self.i = end
        branches = self.alternation()
        if self.i >= len(s) or s[self.i] != ")":
            raise self.fail("missing )")
        self.i += 1
        kind = "assert" if opener in ("(?=", "(?!", "(?<=", "(?<!") else "group"
        return Node(kind, branches=branches, opener=opener)


def parse(source: str) -> list[list[Node]]:
    parser = _Parser(source)
    branches = parser.alternation()
    if parser.i != len(source):
        raise parser.fail("unbalanced )")
    return branches


# --- writing back, bounded -------------------------------------------------------------------

def bounded(source: str, hoist: bool = False) -> str:
    """`source` with every unbounded repetition bounded (see the module docstring); hoist: and with its
    leading word boundaries moved past the first character (hoisted), in the same parse."""
    branches = parse(source)
    if hoist:
        moved = [_hoist(b) for b in branches]
        starts = [_first_characters(b) for b in moved]
        # re then skips to the one or two characters a match can start with; where a match starts with
        # any of many, the boundary first fails sooner at most positions (inside a word)
        if all(s is not None for s in starts) and len(set().union(*starts)) <= HOIST_FIRSTS:  # type: ignore[arg-type]
            branches = moved
    return "|".join(_write_branch(b, top=True) for b in branches)


def _write_branch(items: list[Node], top: bool = False, reach: int = REACH) -> str:
    if top and _anchored(items):
        reach = SENTENCE_REACH  # re tries a ^-anchored branch once, not at every position
    return "".join(_write(node, reach) for node in _anchors_first(items))


def _anchors_first(items: list[Node]) -> list[Node]:
    """Each run of zero-width items with its anchors (\\b, ^) before its lookarounds: they test the same
    position, so the order does not change what matches, and re tries a search at every position,
    where a word boundary fails at once and nine lookbehinds ("(?<!have )(?<!has )...\\b") do not."""
    out: list[Node] = []
    run: list[Node] = []
    for node in [*items, None]:
        if node is not None and node.kind in ("anchor", "assert"):
            run.append(node)
            continue
        out += [n for n in run if n.kind == "anchor"] + [n for n in run if n.kind == "assert"]
        run = []
        if node is not None:
            out.append(node)
    return out


def _anchored(items: list[Node]) -> bool:
    """The branch can only match at the start of the text: `^...`, or `(?:^...|^...)...`."""
    if not items:
        return False
    first = items[0]
    if first.kind == "anchor":
        return first.text in ("^", "\\A")
    return first.kind == "group" and all(_anchored(b) for b in first.branches)


def _write(node: Node, reach: int) -> str:
    if node.kind in ("lit", "any", "anchor"):
        return _escape(node.text) if node.kind == "lit" else node.text
    if node.kind in ("group", "assert"):
        # lookbehinds must keep a fixed width, and their content never loops
        return node.opener + "|".join(_write_branch(b, reach=reach) for b in node.branches) + ")"
    assert node.child is not None
    inner = _write(node.child, REACH)  # a loop inside a loop: the inner one gets the clause reach
    if node.high is None:
        high = max(node.low, reach)
        quantifier = f"{{{node.low},{high}}}"
    elif (node.low, node.high) == (0, 1):
        quantifier = "?"
    elif node.low == node.high:
        quantifier = f"{{{node.low}}}"
    else:
        quantifier = f"{{{node.low},{node.high}}}"
    return inner + quantifier + node.suffix


_SPECIAL = set("\\.^$*+?{}[]()|")


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else {"\n": "\\n", "\t": "\\t"}.get(c, c) for c in text)


def unbounded_loops(source: str) -> int:
    """How many repetitions in `source` have no upper bound (what `bounded` rewrites)."""
    def count(items: list[Node]) -> int:
        n = 0
        for node in items:
            if node.kind == "repeat":
                assert node.child is not None
                n += (node.high is None) + count([node.child])
            n += sum(count(b) for b in node.branches)
        return n
    return sum(count(b) for b in parse(source))


# --- required literals -----------------------------------------------------------------------

def literal_sets(source: str) -> list[set[str]]:
    """Sets of strings such that every match of `source` contains a member of each set."""
    branches = parse(source)
    if len(branches) == 1:
        return _candidate_sets(branches[0])
    one = _union([_best(b) for b in branches])
    return [one] if one else []


def _best(items: list[Node]) -> set[str] | None:
    return max(_candidate_sets(items), key=selectivity, default=None)


def _union(sets: list[set[str] | None]) -> set[str] | None:
    if not sets or any(not s for s in sets):
        return None
    return _minimal(set().union(*sets))  # type: ignore[arg-type]


def _minimal(words: set[str]) -> set[str]:
    """Drop a word that holds another member: a text holding "sells" holds "sell"."""
    return {w for w in words if not any(v != w and v in w for v in words)}


def _candidate_sets(items: list[Node]) -> list[set[str]]:
    """Runs of literal characters no match can skip, and alternations whose every branch has one."""
    candidates: list[set[str]] = []
    run = ""
    for node in [*items, None]:
        if node is not None and node.kind == "lit":
            run += node.text
            continue
        if node is not None and (node.kind == "assert" or node.kind == "anchor"):
            continue  # zero width: the literals around it stay adjacent
        if run:
            candidates.append({run})
            leads = _leads(node)
            if leads:  # "data " then (?:co-?op|co-?operative): every match holds "data co"
                candidates.append({run + lead for lead in leads})
            run = ""
        if node is None:
            break
        inner: set[str] | None = None
        if node.kind == "group":
            inner = _best(node.branches[0]) if len(node.branches) == 1 else _union(
                [_best(b) for b in node.branches])
        elif node.kind == "repeat" and node.low >= 1 and node.child is not None:
            inner = _best([node.child])
        if inner:
            candidates.append(inner)
    return candidates


def _leads(node: Node | None) -> set[str] | None:
    """The literal text every branch of a group starts with, one string per branch; None if one has none."""
    if node is None or node.kind != "group":
        return None
    leads = set()
    for branch in node.branches:
        lead = ""
        for item in branch:
            if item.kind != "lit":
                break
            lead += item.text
        if not lead:
            return None
        leads.add(lead)
    return leads


# Words in nearly every sentence of a privacy policy: a literal made of one of them filters nothing.
COMMON = frozenset(["you", "your", "we", "our", "us", "will", "shall", "may", "can", "the", "and", "or", "to", "of",
                    "for", "with", "not", "is", "are", "be", "this", "that", "it", "information", "data", "personal",
                    "account", "request", "user", "users", "right", "rights", "use", "in", "on", "as", "at", "by",
                    "an", "any", "all", "from", "have", "has", "do", "does", "other", "such", "site", "service",
                    "services", "also", "who", "which", "when", "if", "these", "those", "they", "them", "its"])


def selectivity(words: set[str]) -> int:
    """How well a set of literals filters: its least selective member decides; common words count as short."""
    return min(len(w.strip()) - (10 if w.strip() in COMMON else 0) for w in words)


# --- a literal formula: which literals, and in which combinations, every match contains -------------

# A formula is a literal (str), ("and", parts) or ("or", parts); None is "no test" (always true).
Formula = str | tuple[str, tuple["Formula", ...]]
FORMULA_DEPTH = 12  # nesting kept in a formula: deeper parts are left out (still a necessary condition)
MIN_LITERAL = 2  # characters (spaces aside) a literal needs to be worth a test


def literal_formula(source: str) -> Formula | None:
    """A condition on the literals of a text that holds whenever `source` matches in it: every match
    contains each literal run no match can skip, and one of the branches of each group it cannot skip
    (a literal run before a group runs on into each branch: "do not (?:sell|rent)" needs "do not sell"
    or "do not rent"). Tested with `in` before the pattern runs (engine.apply_rule): far cheaper than
    a search of a pattern that starts with a word boundary and alternations, which `re` tries at
    every position."""
    return _or([_seq_formula(b, "", 0) for b in parse(source)])


def _seq_formula(items: list[Node], run: str, depth: int) -> Formula | None:
    parts: list[Formula | None] = []
    for node in items:
        if node.kind == "lit":
            run += node.text
            continue
        if node.kind in ("assert", "anchor"):
            continue  # zero width: the literals around it stay adjacent
        if node.kind == "group" and depth < FORMULA_DEPTH:
            parts.append(_or([_seq_formula(b, run, depth + 1) for b in node.branches]))
            run = ""
            continue
        parts.append(_literal(run))
        run = ""
        if node.kind == "repeat" and node.low >= 1 and node.child is not None and depth < FORMULA_DEPTH:
            parts.append(_seq_formula([node.child], "", depth + 1))
    parts.append(_literal(run))
    return _and(parts)


def _literal(text: str) -> str | None:
    """A run worth testing: two characters or more, or a sign ("@", "?"); not a letter or a space alone."""
    word = text.strip()
    return text if len(word) >= MIN_LITERAL or (word and not word.isalnum()) else None


def _and(parts: list[Formula | None]) -> Formula | None:
    flat: list[Formula] = []
    for part in parts:
        if part is None:
            continue
        flat.extend(part[1] if isinstance(part, tuple) and part[0] == "and" else (part,))
    words = [p for p in flat if isinstance(p, str)]
    # a literal inside another literal of the same AND is implied by it
    kept = [w for n, w in enumerate(words) if not any(v != w and w in v for v in words) and w not in words[:n]]
    rest = [p for p in flat if not isinstance(p, str)]
    rest = [p for n, p in enumerate(rest) if p not in rest[:n]]
    flat = [*sorted(kept, key=len, reverse=True), *rest]
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else ("and", tuple(flat))


def all_of(parts: list[Formula | None]) -> Formula | None:
    """The formula that holds when all of `parts` hold."""
    return _and(parts)


def _or(parts: list[Formula | None]) -> Formula | None:
    flat: list[Formula] = []
    for part in parts:
        if part is None:
            return None  # one branch needs nothing: neither does the group
        flat.extend(part[1] if isinstance(part, tuple) and part[0] == "or" else (part,))
    words = [p for p in flat if isinstance(p, str)]
    # a text holding "sells" holds "sell": the longer one of an OR adds nothing
    kept = [w for n, w in enumerate(words) if not any(v != w and v in w for v in words) and w not in words[:n]]
    rest = [p for p in flat if not isinstance(p, str)]
    rest = [p for n, p in enumerate(rest) if p not in rest[:n] and not _holds_any(p, kept)]
    flat = [*kept, *rest]
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else ("or", tuple(flat))


def _holds_any(formula: Formula, words: list[str]) -> bool:
    """An AND that requires a literal holding one of `words` adds nothing to an OR of them."""
    if isinstance(formula, str):
        return any(w in formula for w in words)
    if formula[0] == "and":
        return any(_holds_any(p, words) for p in formula[1])
    return all(_holds_any(p, words) for p in formula[1])


def without(formula: Formula | None, part: Formula | None) -> Formula | None:
    """The formula with `part` no longer asked for (where it is the formula or one of its top AND's parts):
    for a part known to hold already."""
    if formula is None or formula == part:
        return None
    if isinstance(formula, str) or formula[0] != "and" or part not in formula[1]:
        return formula
    rest = tuple(p for p in formula[1] if p != part)
    return rest[0] if len(rest) == 1 else ("and", rest)


def any_of(words: set[str] | frozenset[str]) -> Formula | None:
    """The formula that holds when one of `words` is in the text."""
    return _or(list[Formula | None](sorted(words))) if words else None


# --- made once: the tests' code and the screened patterns' formulas, kept with the cached detectors -----
# A process that starts from cached detectors (spec.load_detectors) would otherwise parse each screened pattern
# (literal_formula) and compile each generated test (compile) again on first use: most of what the first
# policy of a run costs. The same source always gives the same code and formula, so both are kept by source:
# made once in a process, and written with the detectors to the cache (spec.Detectors.warm) for the next one.

_CODE: dict[tuple[str, str], CodeType] = {}
_SCREENS: dict[str, Formula | None] = {}
_recording: tuple[set[tuple[str, str]], set[str]] | None = None


def _code(source: str, mode: str) -> CodeType:
    key = (source, mode)
    code = _CODE.get(key)
    if code is None:
        code = _CODE[key] = compile(source, "<formulas>", mode)
    if _recording is not None:
        _recording[0].add(key)
    return code


def screen_formula(source: str) -> Formula | None:
    """literal_formula(source), once per source; None (no test) where our parser cannot read it."""
    try:
        return _SCREENS[source]
    except KeyError:
        try:
            formula = literal_formula(source)
        except PatternSyntaxError:
            formula = None
        _SCREENS[source] = formula
        return formula
    finally:
        if _recording is not None:
            _recording[1].add(source)


@contextmanager
def recording() -> Iterator[dict[str, object]]:
    """Collect what the code in the block made or used (_code, screen_formula), as data for preload:
    the code marshalled (spec keys the cache on this Python's version), the formulas as they are."""
    global _recording
    codes: set[tuple[str, str]] = set()
    screens: set[str] = set()
    saved, _recording = _recording, (codes, screens)
    made: dict[str, object] = {}
    try:
        yield made
    finally:
        _recording = saved
    made["code"] = {key: marshal.dumps(_CODE[key]) for key in sorted(codes)}
    made["screens"] = {source: _SCREENS[source] for source in sorted(screens)}


def preload(made: dict[str, object]) -> None:
    """Take what recording() collected (from the detectors' cache): made once, not again in this process."""
    code, screens = made.get("code"), made.get("screens")
    if isinstance(code, dict):
        for key, data in code.items():
            _CODE.setdefault(key, marshal.loads(data))
    if isinstance(screens, dict):
        for source, formula in screens.items():
            _SCREENS.setdefault(source, formula)


def formula_expression(formula: Formula, name: str = "t") -> str:
    """`formula` as a Python expression of `in` tests on the text named `name`, literals written with repr."""
    if isinstance(formula, str):
        return f"{formula!r} in {name}"
    joiner = " and " if formula[0] == "and" else " or "
    return "(" + joiner.join(formula_expression(p, name) for p in formula[1]) + ")"


def _decided_by(formula: Formula, known: frozenset[str]) -> bool:
    if isinstance(formula, str):
        return formula in known
    return all(_decided_by(p, known) for p in formula[1])


def formula_test(formula: Formula | None) -> Callable[[str], bool] | None:
    """One formula as a function of a text (compile_tests), or None for no test."""
    return None if formula is None else compile_tests([formula])[0]


def compile_tests(formulas: list[Formula | None]) -> tuple[Callable[[str], bool], ...]:
    """Each formula as a function of a text t: one lambda of `in` tests (a tree of closures cost as much
    as the patterns it spares). The code holds only `in`, `and`, `or` and string constants written
    with repr, so no text of any file becomes code."""
    source = "(" + "".join(f"lambda t: {formula_expression(f) if f is not None else 'True'},\n" for f in formulas) + ")"
    tests: tuple[Callable[[str], bool], ...] = eval(_code(source, "eval"), {"__builtins__": {}})
    return tests


def _fused(expressions: list[str], arguments: str, scope: dict[str, object]) -> Callable[..., list[int]]:
    """One function of (arguments..., m) giving, in order, each n whose bit is set in m and whose expression
    holds: the tests of every rule a sentence wakes in one call, not a call per rule."""
    lines = [f"def fused({arguments}, m):", " out = []"]
    for n, expression in enumerate(expressions):
        lines.append(f" if m & {1 << n} and {expression}: out.append({n})")
    lines.append(" return out")
    exec(_code("\n".join(lines), "exec"), scope)  # names, ints, `in`, `and`, `or` and repr'd strings
    fused: Callable[..., list[int]] = scope["fused"]  # type: ignore[assignment]
    return fused


def compile_fused_tests(formulas: list[Formula | None]) -> Callable[[str, int], list[int]]:
    """compile_tests of every formula in one function of (t, m) (_fused)."""
    return _fused([formula_expression(f) if f is not None else "True" for f in formulas], "t", {"__builtins__": {}})


def compile_word_tests(formulas: list[Formula | None],
                       known: frozenset[str]) -> tuple[Callable[[str, frozenset[str]], bool], ...]:
    """Each formula as a function of a text t and W, the set of `known` literals the text holds: the literals of
    `known` are looked up in W, those of one OR at once (W.isdisjoint of a set of them), first in each AND and
    OR (the same value in any order: `and`, `or` and `in` have no side effects); the others searched in t.
    Code made as compile_tests makes it; the sets are given to it by name."""
    expressions, scope = _word_expressions(formulas, known)
    source = "(" + "".join(f"lambda t, W: {expression},\n" for expression in expressions) + ")"
    tests: tuple[Callable[[str, frozenset[str]], bool], ...] = eval(_code(source, "eval"), scope)
    return tests


def compile_fused_word_tests(formulas: list[Formula | None], known: frozenset[str]) -> Callable[[str, frozenset[str], int], list[int]]:
    """compile_word_tests of every formula in one function of (t, W, m) (_fused)."""
    expressions, scope = _word_expressions(formulas, known)
    return _fused(expressions, "t, W", scope)


def _word_expressions(formulas: list[Formula | None], known: frozenset[str]) -> tuple[list[str], dict[str, object]]:
    names: dict[frozenset[str], str] = {}

    def expression(formula: Formula) -> str:
        if isinstance(formula, str):
            return f"{formula!r} in W" if formula in known else f"{formula!r} in t"
        parts = sorted(formula[1], key=lambda p: not _decided_by(p, known))
        items: list[str] = []
        if formula[0] == "or":
            looked_up = frozenset(p for p in parts if isinstance(p, str) and p in known)
            if len(looked_up) > 1:
                items.append(f"not W.isdisjoint({names.setdefault(looked_up, f'_{len(names)}')})")
                parts = [p for p in parts if p not in looked_up]
        for part in parts:
            if (item := expression(part)) not in items:  # all_of repeats a rule's literal set
                items.append(item)
        return "(" + (" and " if formula[0] == "and" else " or ").join(items) + ")"

    expressions = [expression(f) if f is not None else "True" for f in formulas]
    scope: dict[str, object] = {"__builtins__": {}, **{name: words for words, name in names.items()}}
    return expressions, scope


# --- a leading boundary moved past the first character, so that re can skip ahead ----------------

_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


# `\bsell` becomes `sell` with `(?<!\ws)` after its `s`, and `(?<!not )sell` becomes `s(?<!not s)ell`: the same spans.
# re skips ahead to a possible first character (or finds a literal prefix) only when a pattern starts with one; a
# pattern that starts with `\b` is tried at every position. A zero-width test before a group goes into each of its
# branches; a branch that starts otherwise (a lookahead or a class, say) is left as it was. Used by bounded(hoist=True).


def _hoist(items: list[Node]) -> list[Node]:
    k = 0
    while k < len(items) and items[k].kind in ("anchor", "assert"):
        k += 1
    lead, rest = items[:k], items[k:]
    if not rest:
        return items
    first = rest[0]
    if first.kind == "group":  # a zero-width test before a group holds before each branch
        if lead and not all(_movable(node) for node in lead):
            return items
        inner = Node("group", branches=[_hoist([*lead, *branch]) for branch in first.branches], opener=first.opener)
        return [inner, *rest[1:]]
    if not lead or first.kind != "lit" or first.text not in _WORD or not all(_movable(node) for node in lead):
        return items
    c = first.text
    after: list[Node] = []
    for node in lead:
        if node.kind == "anchor":  # \b before a word character: no word character before it
            after.append(Node("assert", branches=[[Node("any", "\\w"), Node("lit", c)]], opener="(?<!"))
        else:  # a lookbehind before c, tested after it: the same text, and c
            after.append(Node("assert", branches=[[*branch, Node("lit", c)] for branch in node.branches],
                              opener=node.opener))
    return [first, *after, *rest[1:]]


HOIST_FIRSTS = 2  # a pattern is hoisted only when every match then starts with one of this many characters


def _first_characters(items: list[Node]) -> set[str] | None:
    """The characters a match of the branch can start with, when each way through it starts with a literal."""
    k = 0
    while k < len(items) and items[k].kind == "assert" and items[k].opener in ("(?<!", "(?<="):
        k += 1
    if k >= len(items):
        return None
    first = items[k]
    if first.kind == "lit":
        return {first.text}
    if first.kind != "group":
        return None
    found: set[str] = set()
    for branch in first.branches:
        chars = _first_characters(branch)
        if chars is None:
            return None
        found |= chars
    return found


def _movable(node: Node) -> bool:
    """A zero-width test _hoist can move: a word boundary or a lookbehind."""
    return (node.kind == "anchor" and node.text == "\\b") or (node.kind == "assert" and node.opener in ("(?<!", "(?<="))
