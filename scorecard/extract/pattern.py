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

from dataclasses import dataclass, field

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

def bounded(source: str) -> str:
    """`source` with every unbounded repetition bounded (see the module docstring)."""
    return "|".join(_write_branch(b, top=True) for b in parse(source))


def _write_branch(items: list[Node], top: bool = False, reach: int = REACH) -> str:
    if top and _anchored(items):
        reach = SENTENCE_REACH  # re tries a ^-anchored branch once, not at every position
    return "".join(_write(node, reach) for node in items)


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
