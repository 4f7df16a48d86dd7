"""Run compiled detectors over a Document and resolve their hits into one Fact per practice.

Conflict rule (also in rubric/detectors.yaml): when sentences support different values,
strong cues beat weak ones, then the practice's `priority` list decides. The sentence that
decides the value is cited first, then the other winning sentences (each followed by the
sentences that made it count: a lead-in, the sentence before), then up to two sentences of
each losing value, so a reviewer sees both sides; confidence drops, `needs_review` is set and
the note says in plain words what disagreed.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace

import ahocorasick

from ..model import NOT_STATED, Evidence, Fact
from ..text import Document
from ..text.segment import HEADING as HEADING_KIND
from ..text.segment import ITEM, LINE, Sentence
from .registry import Hit
from .spec import Detectors, Practice, Rule

MAX_WINNING = 4  # evidence sentences cited for the value given
MAX_LOSING = 2  # ... and for each value it beat


Words = tuple[str, ...]  # the literals found in a sentence, sorted: one shared tuple per combination
NO_WORDS: Words = ()


def literal_hits(document: Document, lowered: Lowered, starts: list[int], detectors: Detectors) -> list[Words]:
    """For each sentence, the keywords and required literals that start in it: one automaton pass.

    One entry per sentence, and one tuple per combination of words, shared by every sentence that has
    it: a list or set per sentence cost one and a half times the policy's size in memory."""
    sentences = document.sentences
    present: list[Words] = [NO_WORDS] * len(sentences)
    if detectors.literals.kind != ahocorasick.AHOCORASICK:
        return present
    shared: dict[Words, Words] = {}
    low, high, current = 0, -1, -1  # the current sentence's span: hits come in text order
    words: list[str] = []  # ... and its words (replaced at the first hit, since high starts below every pos)
    for offset, piece in _automaton_pieces(detectors, lowered):
        for end, (word, back, _mask) in detectors.literals.iter(piece):
            pos = offset + end - back
            if not low <= pos < high:
                i = bisect_right(starts, pos) - 1
                if i < 0 or pos >= sentences[i].end:
                    continue
                if current >= 0:
                    present[current] = _shared(shared, words)
                low, high, current = sentences[i].start, sentences[i].end, i
                words = list(present[i])
            words.append(word)  # repeats dropped once per sentence (_shared), not looked for at every hit
    if current >= 0:
        present[current] = _shared(shared, words)
    return present


def _shared(shared: dict[Words, Words], words: list[str]) -> Words:
    key = tuple(sorted(set(words)))
    return shared.setdefault(key, key)


Woken = tuple["array[int]", "array[int] | list[int]"]  # sentences holding a practice's keyword, and the rules each wakes


def keyword_hits(present: list[Words], detectors: Detectors) -> dict[str, Woken]:
    """Per practice, the sentences holding one of its keywords, in order, and the rules each one's words wake
    (bit n for rule n): one pass for every practice. Each word carries a bit per practice it is a keyword of
    and per rule it wakes (Detectors.word_bits): a sentence's words or'ed together tell both, and each
    combination of practices is looked up once. Arrays, kept for the whole run: lists of them held an int
    object each, a tenth of a big policy's size."""
    keys = list(detectors.practices)
    lists: list[array[int]] = [array("l") for _ in keys]
    # a practice of at most 64 rules keeps its sentences' bits in as few bytes as they fit in
    woken: list[array[int] | list[int]] = [_bits_array(len(p.rules)) for p in detectors.practices.values()]
    word_bits = detectors.word_bits
    practices = (1 << len(keys)) - 1
    shifts = detectors.shifts
    full = [(1 << len(p.rules)) - 1 for p in detectors.practices.values()]
    targets_of: dict[int, tuple[int, ...]] = {0: ()}
    for i, words in enumerate(present):
        if not words:
            continue
        mask = 0
        for word in words:
            mask |= word_bits[word]
        keyworded = mask & practices
        targets = targets_of.get(keyworded)
        if targets is None:
            targets = targets_of[keyworded] = tuple(n for n in range(len(keys)) if keyworded >> n & 1)
        for n in targets:
            lists[n].append(i)
            woken[n].append(mask >> shifts[n] & full[n])
    return {key: (lists[n], woken[n]) for n, key in enumerate(keys)}


def _bits_array(rules: int) -> array[int] | list[int]:
    for code in "BHIQ":
        if rules <= array(code).itemsize * 8:
            return array(code)
    return []


def _automaton_pieces(detectors: Detectors, lowered: Lowered) -> Iterator[tuple[int, str]]:
    """(offset, lower-cased piece) of the text, for the automaton to read in order. The automaton copies the
    text it reads at 4 bytes a character, so a big text is read a line-aligned chunk at a time (when no
    literal holds a line break, this finds the same hits)."""
    if lowered.whole is not None and (len(lowered.whole) <= LOWER_CHUNK or detectors.literal_breaks):
        return iter([(0, lowered.whole)])
    return lowered.chunks()


def candidates(document: Document, lowered: Lowered, starts: list[int], practice: Practice,
               present: list[Words], keyword_found: Sequence[int] | None = None,
               runs: Runs | None = None) -> Sequence[int]:
    """Indices of sentences holding one of the practice's keywords (or hit by its trigger).

    All patterns are case-folded (spec.fold_case) and run on `lowered`, never on the original.
    keyword_found: the sentences holding a keyword, when keyword_hits found them for every practice.
    """
    if keyword_found is None:
        keywords = practice.keyword_set
        keyword_found = [i for i, words in enumerate(present) if words and not keywords.isdisjoint(words)]
    if practice.trigger is None and not practice.follow:
        return keyword_found  # in order, each once (keyword_hits); an array, not a list of int objects
    found = set(keyword_found)
    sentences = document.sentences
    if practice.trigger is not None:
        # A group named `at` marks where the hit is (the answer after a question, say).
        group = "at" if "at" in practice.trigger.groupindex else 0
        for match in lowered.finditer(practice):
            pos = match.start(group)
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos < sentences[i].end:
                found.add(i)
    if practice.follow:
        found |= _following(sentences, found, practice.keywords, practice.follow, runs)
    return sorted(found)


def _following(sentences: list[Sentence], found: set[int], keywords: tuple[str, ...], how: bool | str = True,
               runs: Runs | None = None) -> set[int]:
    """The NEAR_SENTENCES sentences after each hit (same section), and every sentence under a heading
    that holds a keyword: where a `near` rule can read a reference back ("such signals"). runs: the
    document's Runs, when found already."""
    more: set[int] = set()
    for i in found if how in (True, "after") else ():
        for j in range(i + 1, min(len(sentences), i + 1 + NEAR_SENTENCES)):
            if sentences[j].section != sentences[i].section:
                break
            more.add(j)
    if how in (True, "headings"):
        headings: dict[str, bool] = {}
        for start, stop, section in Runs(sentences) if runs is None else runs:
            hit = headings.get(section)
            if hit is None:
                lowered = section.lower()  # a keyword must start a word there ("ads", not "downloads")
                hit = headings[section] = any(re.search(r"(?<!\w)" + re.escape(word), lowered) for word in keywords
                                              if word in lowered)
            if hit:
                more.update(range(start, stop))
    return more


class Runs:
    """The runs of sentences under one heading, in order: the first sentence of each (and, last, the number of
    sentences) and its section. Found once for every practice that reads the sentences under a heading,
    not per sentence and practice; in an array, since a policy may have thousands of headings."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.starts = array("l")
        self.sections: list[str] = []
        for j, sentence in enumerate(sentences):
            if not self.sections or sentence.section != self.sections[-1]:
                self.starts.append(j)
                self.sections.append(sentence.section)
        self.starts.append(len(sentences))

    def __iter__(self) -> Iterator[tuple[int, int, str]]:
        """(first, past the last, section) of each run."""
        starts = self.starts
        for n, section in enumerate(self.sections):
            yield starts[n], starts[n + 1], section


def is_negated(text: str, cue_start: int, detectors: Detectors, ascii: bool = False) -> bool:
    """A negation word among the few words before the cue, within the same clause. ascii: the text is
    ASCII only (Texts.ascii), so the patterns compiled with re.ASCII read it alike."""
    clause_break, negation = detectors.clause_break, detectors.negation
    if ascii and detectors.negation_ascii is not None and detectors.clause_break_ascii is not None:
        clause_break, negation = detectors.clause_break_ascii, detectors.negation_ascii
    prefix = text[max(0, cue_start - 160):cue_start]
    if "(" in prefix:
        # a closed parenthesis before the cue is an aside: it neither ends the clause nor negates it ("we do not
        # (and will not) sell", "we do not share your data (such as your e-mail) with advertisers or sell it");
        # an item label starts a new item and still ends it ("(a) we do not ... (b) we share"); an open one
        # going on with the list is no break either ("we do not share (or sell)")
        prefix = _ASIDE.sub(" ", _ASIDE_GOES_ON.sub(" ", prefix))
    breaks = list(clause_break.finditer(prefix))
    if breaks:
        prefix = prefix[breaks[-1].end():]
    words = prefix.split()[-detectors.negation_window:]
    return bool(words) and negation.search(" ".join(words)) is not None


# A closed parenthesis, not an item label standing alone ("(a) ", "(ii) "): "partner(s)" is one too
_ASIDE = re.compile(r"(?<=\w)\([^()]*\)|\((?![a-z0-9]{1,4}\))[^()]*\)")
# ... and an open one that goes on with the list before it: "we do not share (or sell) your data"
_ASIDE_GOES_ON = re.compile(r"\((?=(?:or|nor|and/or) )")


# Characters of ASCII that \s matches without re.ASCII and not with it: a text of ASCII holding none of them
# reads alike under both (\w, \d and \b agree on ASCII letters, digits and the underscore). Texts.ascii
_ASCII_SPACES_APART = re.compile("[\x1c-\x1f]")


NEAR_SENTENCES = 2  # how far back `near` looks: "Some browsers send DNT. It is unclear ... We do not respond to these signals."


def _context(document: Document, i: int, texts: Texts) -> tuple[str, list[int]]:
    """The sentences just before (same section) and the section heading: where `near` may match."""
    sentence = document.sentences[i]
    before = [j for j in range(i - 1, max(-1, i - 1 - NEAR_SENTENCES), -1)
              if document.sentences[j].section == sentence.section]
    # Stop at the first sentence of another section: [j] must be contiguous back from i.
    before = [j for n, j in enumerate(before) if j == i - 1 - n]
    return "\n".join([*(_text(document, j, texts) for j in before), sentence.section.lower()]), before


HEADING = -1  # Texts.shape of a heading
_UNKNOWN = object()  # a shape not found yet: a list of them, not a dict of those found (a tenth of its size)


class Texts:
    """The lower-cased document, which sentences are sliced from when needed; and each sentence's
    shape (a heading, a list item under a lead-in), found once for every practice."""

    def __init__(self, lowered: Lowered) -> None:
        self.lowered = lowered
        self.shapes: list[object] = []  # per sentence (made by run): _UNKNOWN until asked

        self.starts: list[int] = []  # every sentence's start, in order (set by run)
        self.ends: list[int] = []  # ... and its end
        # no character of the text reads otherwise under re.ASCII but for being beyond ASCII: a
        # sentence of ASCII only is then read with the patterns compiled with re.ASCII
        self.ascii = _ASCII_SPACES_APART.search(lowered.text) is None
        self._runs: Runs | None = None

    def wordset(self, i: int, present: list[Words]) -> frozenset[str] | None:
        """Sentence i's words (literal_hits) as a set, when they are all the automaton's literals its text holds:
        a literal is counted in the sentence where it starts, so a sentence that the next one overlaps (a label
        and its heading share a start) may lack some, and has none (None). Made when asked, not kept: a set
        per sentence of a big policy would hold more than its text."""
        if i + 1 == len(self.starts) or self.starts[i + 1] >= self.ends[i]:
            return frozenset(present[i])
        return None

    def runs(self, document: Document) -> Runs:
        """The document's Runs, found once."""
        if self._runs is None:
            self._runs = Runs(document.sentences)
        return self._runs

    def starting_at(self, document: Document, start: int) -> list[int]:
        """The indices of the sentences starting at `start` (a label and its heading may share one)."""
        found = []
        for i in range(bisect_left(self.starts, start), len(self.starts)):
            if self.starts[i] != start:
                break
            found.append(i)
        return found

    def shape(self, document: Document, i: int) -> int | None:
        """HEADING, the index of the lead-in a list item continues, or None."""
        shape = self.shapes[i]
        if shape is _UNKNOWN:
            shape = self.shapes[i] = HEADING if is_heading(document, i) else lead_in(document, i)
        return shape  # type: ignore[return-value]


def _text(document: Document, i: int, texts: Texts) -> str:
    s = document.sentences[i]  # sliced when needed, not kept: a big policy has many sentences
    return texts.lowered[s.start:s.end]


LOWER_CHUNK = 1 << 16  # characters lower-cased at a time (see lower_keeping_offsets)


def _uncased(c: str) -> bool:
    return c.lower() == c == c.upper() == c.casefold() == c.swapcase()


# Characters beyond ASCII that have no case (bullets, dashes, symbols), which policies hold: a text of
# ASCII and these lowers one ASCII letter at a time, so a piece of it lowers as it does in the whole.
_UNCASED = "".join(c for c in map(chr, [*range(0x80, 0x100), *range(0x2000, 0x2c00), *range(0x3000, 0x3040)])
                   if _uncased(c) and c not in "\\]^-")
_CASED_BEYOND_ASCII = re.compile(f"[^\\x00-\\x7f{_UNCASED}]")


class Lowered:
    """The document lower-cased, as the patterns read it. Whole (lower_keeping_offsets) only when it
    must be: for a text of ASCII and uncased characters, a sentence is lower-cased when it is read,
    the automaton reads the text a lower-cased chunk at a time, and a trigger runs on the original
    text ignoring case (the same matches there: no character beyond ASCII has a case), so a big
    policy is not held twice (a str of one bullet is two bytes a character)."""

    def __init__(self, text: str, whole: bool = False) -> None:
        self.text = text
        self.whole: str | None = None
        if whole or _CASED_BEYOND_ASCII.search(text) is not None:
            self.whole = lower_keeping_offsets(text)

    def __getitem__(self, span: slice) -> str:
        if self.whole is not None:
            return self.whole[span]
        return self.text[span].lower()

    def chunks(self) -> Iterator[tuple[int, str]]:
        """(offset, lower-cased piece) of line-aligned pieces of the text, in order."""
        text = self.whole if self.whole is not None else self.text
        start = 0
        while start < len(text):
            end = text.find("\n", start + LOWER_CHUNK) + 1 or len(text)
            piece = text[start:end]
            yield start, piece if self.whole is not None else piece.lower()
            start = end

    def finditer(self, practice: Practice) -> Iterator[re.Match[str]]:
        """The matches of the practice's trigger in the lower-cased text."""
        if self.whole is not None:
            assert practice.trigger is not None
            return practice.trigger.finditer(self.whole)
        assert practice.trigger_anycase is not None
        return practice.trigger_anycase.finditer(self.text)


def lower_keeping_offsets(text: str) -> str:
    """text.lower(), unless that changes the length (e.g. "İ"): then per character, length kept.

    Beyond ASCII, str.lower() takes a scratch buffer of 12 bytes a character: 600 MB for a 50 MB
    policy. So it lowers a line-aligned chunk at a time (the same result: the only rule of lower()
    that looks at neighbours, a final sigma, stops at a line break)."""
    if text.isascii() or len(text) <= LOWER_CHUNK:
        lowered = text.lower()
    else:
        parts, start = [], 0
        while start < len(text):
            end = text.find("\n", start + LOWER_CHUNK) + 1 or len(text)
            parts.append(text[start:end].lower())
            start = end
        lowered = "".join(parts)
        del parts
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def apply_rule(rule: Rule, document: Document, i: int, text: str, detectors: Detectors,
               texts: Texts, words: Collection[str] = (), ascii: bool = False) -> Hit | None:
    """The hit a rule makes on sentence i, if any. `words`: the literals present in it (literal_hits).
    ascii: `text` is ASCII only (Texts.ascii), so the rule's patterns compiled with re.ASCII are used."""
    if rule.needs and rule.needs.isdisjoint(words):
        return None
    for needs in rule.needs_also:
        if needs.isdisjoint(words):
            return None
    return _apply(rule, document, i, text, detectors, texts, ascii)


def _apply(rule: Rule, document: Document, i: int, text: str, detectors: Detectors, texts: Texts,
           ascii: bool) -> Hit | None:
    """apply_rule past its literal tests (for a sentence whose literal test, Practice.fused_word_tests, holds
    them: its formula asks for one of each of `needs` and `needs_also`)."""
    cue = rule.cue_ascii if ascii else rule.cue
    if not cue.search(text):
        return None
    for unless in rule.unless_ascii if ascii else rule.unless:  # loops, not any() of a generator: most rules have none
        if unless.search(text):
            return None
    for also in rule.all_ascii if ascii else rule.all:
        if not also.search(text):
            return None
    context: tuple[int, ...] = ()
    if rule.near:
        around, before = _context(document, i, texts)
        for pattern in rule.near:
            if pattern.search(text):
                continue
            if not pattern.search(around):
                return None
            for j in before:  # cite the nearest sentence that made the rule count
                if pattern.search(_text(document, j, texts)):
                    context = tuple(sorted({*context, j}))
                    break
    negated = False
    for match in cue.finditer(text):  # a plain reading anywhere in the sentence beats a negated one
        # the word negation is checked before: the first `cue...` group that took part in the match
        start = next((match.start(g) for g in cue.groupindex if g.startswith("cue") and match.start(g) >= 0),
                     match.start())
        if rule.negation == "ignore" or not is_negated(text, start, detectors, ascii):
            return Hit(rule.value, i, rule.strength, rule.id, context, rule.partial)
        negated = True
    if negated and rule.negation != "drop":
        return Hit(rule.negation, i, rule.strength, rule.id, context)
    return None


def is_heading(document: Document, i: int) -> bool:
    """A heading kept as a sentence: it frames what follows and never decides a value alone
    ("Information we sell" above "We do not sell your personal information."). The text stage
    says which sentences are headings, alike for every format."""
    return document.sentences[i].kind == HEADING_KIND


MAX_LIST_ITEMS = 15  # how far back a list item looks for the lead-in it continues


def lead_in(document: Document, i: int) -> int | None:
    """The lead-in a list item continues ("You have the right to:" above "erase your personal
    information;"): the nearest sentence before it, in the same section, that ends with ':',
    with only list items between them. A paragraph after a blank line is not an item."""
    sentences = document.sentences
    kind = _item(document, i)
    if kind is None:
        return None
    for j in range(i - 1, max(-1, i - 1 - MAX_LIST_ITEMS), -1):
        if sentences[j].section != sentences[i].section:
            return None
        if document.text[sentences[j].start:sentences[j].end].rstrip().endswith(":"):
            return j
        # items of one list look alike: a plain line after bulleted items ends the list
        if _item(document, j) != kind or sentences[j].end - sentences[j].start > 400:
            return None
    return None


def _item(document: Document, i: int) -> str | None:
    """How a sentence may be a list item, as the text stage found it: ITEM (a list item of its
    format: a bullet or number, <li>, a Markdown item), LINE (a paragraph line of its own, which
    may continue a lead-in), or None (a sentence inside a paragraph, or a heading)."""
    kind = document.sentences[i].kind
    return kind if kind in (ITEM, LINE) else None


def detect(document: Document, lowered: Lowered, starts: list[int], practice: Practice, detectors: Detectors,
           texts: Texts, present: list[Words] | None = None,
           keyworded: Woken | None = None) -> tuple[list[Hit], bool]:
    """Hits for one practice, and whether its trigger touched anything at all.

    A list item is read with its lead-in ("you have the right to erase your personal
    information;"); the lead-in is then cited after the item. A heading decides nothing.
    """
    if present is None:
        present = literal_hits(document, lowered, starts, detectors)
    hits: list[Hit] = []
    found = candidates(document, lowered, starts, practice, present, keyworded[0] if keyworded is not None else None,
                       texts.runs(document) if practice.follow in (True, "headings") else None)
    keyword_found, keyword_woken = keyworded if keyworded is not None else ((), ())
    k = 0  # keyword_found[k], keyword_woken[k]: the next sentence holding a keyword, and the rules it wakes
    sentences = document.sentences
    rules = practice.rules  # its tests are compiled on first use (a small policy needs few practices')
    # The rules a sentence's words wake, as bits: or'ed over its words (a lookup and an or each, where a set
    # of rule numbers built per sentence cost as much as the tests), then every woken rule's literal test
    # in one call (Practice.fused_word_tests), not a call per rule.
    wake_bits, always = practice.wake_bits, practice.always_bits
    for i in found:
        if k < len(keyword_found) and keyword_found[k] == i:  # found holds keyword_found, in order
            woken = always | keyword_woken[k]
            k += 1
        else:
            woken = -1  # not known yet
        shape = texts.shape(document, i)
        if shape is HEADING:
            continue
        words = present[i]
        lead = shape
        if lead is not None:
            words = words + present[lead]
        if woken >= 0:
            if lead is not None:
                for word in present[lead]:
                    if word in wake_bits:
                        woken |= wake_bits[word]
        else:
            woken = always
            for word in words:
                if word in wake_bits:
                    woken |= wake_bits[word]
        if not woken:
            continue
        s = sentences[i]
        text = lowered[s.start:s.end]
        if lead is not None:
            text = _text(document, lead, texts).rstrip().rstrip(":") + " " + text
        wordset = texts.wordset(i, present) if lead is None else None
        ascii = texts.ascii and text.isascii()
        if wordset is None:
            here = [hit for n in practice.fused_tests(text, woken)
                    if (hit := apply_rule(rules[n], document, i, text, detectors, texts, words, ascii)) is not None]
        else:
            here = [hit for n in practice.fused_word_tests(text, wordset, woken)
                    if (hit := _apply(rules[n], document, i, text, detectors, texts, ascii)) is not None]
        # skip is tested only where a rule hit: most candidates hit nothing, and the result is the same
        skip = practice.skip_ascii if ascii else practice.skip
        if here and not (skip is not None and skip.search(text)):
            if lead is not None:
                here = [replace(h, context=tuple(sorted({*h.context, lead}))) for h in here]
            hits.extend(here)
    if practice.python is not None:
        hits.extend(practice.python(document, list(found), practice))
    return hits, bool(found)


def resolve(document: Document, practice: Practice, hits: list[Hit], touched: bool,
            texts: Texts, labels: dict[str, str] | None = None) -> Fact:
    if not hits:
        # Silence is fairly sure; a trigger that matched without deciding is less so.
        return Fact(practice=practice.key, value=NOT_STATED, confidence=0.75 if touched else 0.9)
    by_value: dict[str, list[Hit]] = {}
    for hit in hits:
        by_value.setdefault(hit.value, []).append(hit)
    order = {v: n for n, v in enumerate(practice.priority)}
    best = {v: max(h.strength for h in hs) for v, hs in by_value.items()}
    top = max(best.values())
    winner = min((v for v in by_value if best[v] == top), key=lambda v: order.get(v, len(order)))
    offer = practice.caveats.get(winner)
    if offer in by_value and not _qualifies(by_value[winner], by_value[offer]):
        winner = offer  # a caveat far from the offer it would limit does not outweigh it
    won_sentences = {h.sentence for h in by_value[winner]}
    # A value found only in sentences that also gave the winner ("we will e-mail you or post a
    # notice") is the same statement read two ways, not a disagreement between sentences.
    losers = sorted((v for v in by_value if v != winner and {h.sentence for h in by_value[v]} - won_sentences),
                    key=lambda v: order.get(v, len(order)))

    won = by_value[winner]
    supporting = len({h.sentence for h in won})
    confidence = min(0.97, best[winner] + 0.03 * (supporting - 1))
    notes = []
    if losers:
        strong_loser = any(best[v] >= best[winner] for v in losers)
        confidence = min(confidence, 0.55) if strong_loser else confidence - 0.1
        notes.append(disagreement(practice, winner, losers, labels or {}))
    qualified = practice.qualifiers is not None and all(
        practice.qualifiers.search(_text(document, h.sentence, texts)) for h in won)
    if qualified:
        confidence *= 0.8
        notes.append("The statement is qualified (with words such as 'except' or 'unless'), so it may not cover all"
                     " of your data.")
    evidence = _evidence(document, won, MAX_WINNING)
    cited = {e.start for e in evidence}
    for value in losers:
        more = [e for e in _evidence(document, by_value[value], MAX_LOSING) if e.start not in cited]
        cited.update(e.start for e in more)
        evidence += more
    cited_sentences = _cited_sentences(document, evidence, texts)
    deciding = {h.rule for h in won if h.sentence in cited_sentences}
    return Fact(practice=practice.key, value=winner, evidence=evidence, confidence=round(confidence, 3),
                needs_review=confidence < 0.7 or bool(losers) or qualified, note=" ".join(notes),
                rules=sorted(deciding), partial=_partial(won))


def _qualifies(caveats: list[Hit], offers: list[Hit]) -> bool:
    """A caveat qualifies an offer when it is the same sentence or within NEAR_SENTENCES of it
    ("You can delete your account. Some data stays in backups for 90 days.")."""
    near = sorted(o.sentence for o in offers)  # sorted, so that each caveat looks at its neighbours only
    for c in caveats:
        k = bisect_left(near, c.sentence - NEAR_SENTENCES)
        if k < len(near) and near[k] <= c.sentence + NEAR_SENTENCES:
            return True
    return False


def _partial(won: list[Hit]) -> bool:
    """Every winning sentence claims only part of the data: a rule declared partial read each of them
    (more specific than a general rule reading the same sentence)."""
    return {h.sentence for h in won} <= {h.sentence for h in won if h.partial}


def disagreement(practice: Practice, winner: str, losers: list[str], labels: dict[str, str]) -> str:
    """What disagreed, for a reader: the two statements in the practice's own words."""
    def says(value: str) -> str:
        return practice.says.get(value) or f"the answer is \u201c{labels.get(value, value.replace('_', ' '))}\u201d"
    others = " or ".join(says(v) for v in losers)
    return (f"The policy says both that {others} and that {says(winner)}. The scorecard gives the second answer;"
            " a person should check which one holds.")


def _cited_sentences(document: Document, evidence: list[Evidence], texts: Texts) -> set[int]:
    """The sentences that start where a quote starts (looked up, not searched: a big policy has many)."""
    return {i for e in evidence for i in texts.starting_at(document, e.start)}


def _evidence(document: Document, hits: list[Hit], limit: int) -> list[Evidence]:
    """Whole sentences, each once: the deciding sentence first (strongest, then earliest), each
    followed by the sentences that made it count (a lead-in, the sentence before it)."""
    rules: dict[int, list[str]] = {}
    for hit in hits:  # every rule that read a sentence so, named on its quote
        if hit.rule not in rules.setdefault(hit.sentence, []):
            rules[hit.sentence].append(hit.rule)
    best: dict[int, Hit] = {}  # one hit per sentence, so several rules on one sentence fill one slot
    for hit in sorted(hits, key=lambda h: (-h.strength, h.sentence)):
        best.setdefault(hit.sentence, hit)
    result: list[Evidence] = []
    chosen: set[int] = set()
    for hit in list(best.values())[:limit]:
        for i in (hit.sentence, *hit.context):
            if i in chosen:
                continue
            chosen.add(i)
            s = document.sentences[i]
            result.append(Evidence(quote=document.text[s.start:s.end], start=s.start, end=s.end, section=s.section,
                                   value=hit.value, rules=sorted(rules.get(i, [hit.rule]))))
    return result


def run(document: Document, keys: list[str], detectors: Detectors,
        labels: dict[str, dict[str, str]] | None = None) -> dict[str, Fact]:
    """One Fact per key. labels: the rubric's label per practice and value, for notes."""
    starts = [s.start for s in document.sentences]
    lowered = Lowered(document.text, whole=detectors.literal_breaks)
    texts = Texts(lowered)
    texts.starts = starts
    texts.ends = [s.end for s in document.sentences]
    texts.shapes = [_UNKNOWN] * len(starts)
    present = literal_hits(document, lowered, starts, detectors)
    by_keyword = keyword_hits(present, detectors)
    facts: dict[str, Fact] = {}
    for key in keys:
        practice = detectors.practices.get(key)
        if practice is None:  # a practice with no detector: nothing can be found
            facts[key] = Fact(practice=key, value=NOT_STATED, confidence=0.5, needs_review=True,
                              note="Nothing in this scorecard's rules looks for this practice, so it was not read.")
            continue
        hits, touched = detect(document, lowered, starts, practice, detectors, texts, present, by_keyword[key])
        facts[key] = resolve(document, practice, hits, touched, texts, (labels or {}).get(key))
    return facts
