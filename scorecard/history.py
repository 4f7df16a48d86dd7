"""History: every version of a provider's policy extracted and scored, and what changed between them.

Reviewed facts are tied to the sentences they cite. A reviewed fact holds in the version it was reviewed
on (the latest whose date is on or before `reviewed_on` and that has its quotes, else the first that has
them) and in the versions after it for as long as every cited sentence is still there, word for word
(white space aside). From the first version where a cited sentence changed, the practice falls back to
what extraction finds in the new text, marked needs_review, with a note saying what the review said.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
import uuid
from dataclasses import dataclass, field
from itertools import pairwise, zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from pydantic import TypeAdapter, ValidationError

from .errors import ScorecardError
from .extract import extract
from .fetch.snapshots import POLICY_VERSION_ID, list_versions, normalized
from .limits import check_policy_file
from .model import (
    DOCUMENT_KINDS,
    MAIN_DOCUMENT,
    Evidence,
    Fact,
    PolicyVersion,
    PracticeScore,
    Provider,
    Rubric,
    Scorecard,
)
from .providers import CREDENTIALS, FACTS_FILE, PROVIDER_FILE, input_files, load_provider
from .score import score
from .text import Document, Sentence, read_policy
from .yamlsource import load_yaml

if TYPE_CHECKING:
    from .cache import BuildCache
    from .render.config import SiteConfig

MAX_PAIRS_SHOWN = 60  # changed sentences on a provider page; `scorecard diff` prints them all


@dataclass
class VersionCard:
    """One version of the provider, scored: for a provider of several documents, the versions of each in
    force from `version` (the one that changed last) on, read together (see combine)."""

    version: PolicyVersion
    document: Document | None  # None when the build's own scorecard stood in (a single version)
    card: Scorecard
    versions: dict[str, PolicyVersion] = field(default_factory=dict)  # document id -> its version in force
    texts: dict[str, Document] = field(default_factory=dict)  # document id -> its text (not kept in the cache)

    def in_force(self) -> dict[str, PolicyVersion]:
        return self.versions or {MAIN_DOCUMENT: self.version}

    @property
    def date(self) -> dt.date | None:
        return self.version.date


@dataclass
class FactChange:
    practice: str
    question: str
    before: PracticeScore
    after: PracticeScore
    reason: str  # in plain words: "answer changed", "cited sentence changed: needs review"


@dataclass
class SentencePair:
    """A changed stretch of policy: the old sentence and the new one ('' when added or removed),
    each as parts ("same" | "del" | "ins", text) for highlighting the words that differ."""

    before: str
    after: str
    before_parts: list[tuple[str, str]] = field(default_factory=list)
    after_parts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Change:
    slug: str
    name: str
    before: VersionCard
    after: VersionCard
    facts: list[FactChange]
    sentences: list[SentencePair]
    documents: list[str] = field(default_factory=list)  # ids of the documents that changed, added or went

    @property
    def changed_titles(self) -> list[str]:
        """The documents that changed, as readers know them: 'Privacy policy', 'Cookie policy'."""
        info = self.after.card.info
        titles = {MAIN_DOCUMENT: DOCUMENT_KINDS[MAIN_DOCUMENT], **{d.key: d.heading for d in (info.documents if info else [])}}
        return [titles.get(doc, doc) for doc in self.documents]

    @property
    def score_delta(self) -> int:
        return self.after.card.score - self.before.card.score

    @property
    def id(self) -> str:
        """Stable across builds: the provider and the two versions."""
        return f"{self.slug}-{self.before.version.id}-to-{self.after.version.id}"

    @property
    def date(self) -> dt.date | None:
        return self.after.date


@dataclass
class History:
    slug: str
    name: str
    versions: list[VersionCard]
    changes: list[Change]

    @property
    def current(self) -> Scorecard:
        return self.versions[-1].card

    @property
    def latest_change(self) -> Change | None:
        return self.changes[-1] if self.changes else None

    def find(self, day: dt.date | None) -> int:
        """Index of the latest version dated on or before `day` (the latest version for None)."""
        if day is None:
            return len(self.versions) - 1
        found = [i for i, v in enumerate(self.versions) if v.date is None or v.date <= day]
        if not found:
            raise ValueError(f"no version of {self.slug} on or before {day.isoformat()}; the first is "
                             f"{self.versions[0].version.label}")
        return found[-1]


@functools.cache
def _history_adapter() -> TypeAdapter[History]:
    return TypeAdapter(History)


def history_to_json(history: History) -> object:
    """A history as JSON data for the build cache; the texts (documents) are left out: the changes
    that needed them are already computed."""
    def bare(v: VersionCard) -> VersionCard:
        return VersionCard(v.version, None, v.card, v.versions)
    light = History(history.slug, history.name, [bare(v) for v in history.versions],
                    [Change(c.slug, c.name, bare(c.before), bare(c.after), c.facts, c.sentences, c.documents)
                     for c in history.changes])
    return _history_adapter().dump_python(light, mode="json")


def history_from_json(data: object) -> History | None:
    try:
        return _history_adapter().validate_python(data)
    except (ValidationError, TypeError, ValueError):
        return None


# --- computing a history -------------------------------------------------------------------------


_MEMO: dict[tuple[object, ...], History] = {}


def provider_history(provider: Provider, rubric: Rubric, max_policy_mb: float | None = None) -> History:
    """Extract and score every version; computed once per build for unchanged files."""
    key = (str(provider.folder.resolve()), id(rubric), rubric.version, max_policy_mb,
           _signature(provider))
    if key not in _MEMO:
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[key] = compute_history(provider, rubric, max_policy_mb)
    return _MEMO[key]


def _signature(provider: Provider) -> tuple[tuple[str, int, int], ...]:
    """Size and time of the files the history reads (load_provider checked each is a regular file inside
    the folder); nothing else in the folder is looked at."""
    files = []
    for path in input_files(provider):
        stat = path.stat()
        files.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(files)


def versions_of(provider: Provider) -> list[PolicyVersion]:
    """Every version of the provider's policy (or one of its documents), oldest first; a clear error when
    there is none yet: a policy_url that was never fetched."""
    versions = list_versions(provider)
    if not versions:
        what = "the policy" if provider.document == MAIN_DOCUMENT else f"document '{provider.document}'"
        field = "policy_file" if provider.document == MAIN_DOCUMENT else "a file"
        raise ScorecardError(f"{what} has no file and no fetched version yet: run 'scorecard fetch"
                             f" {provider.slug}' to download its URL, or add {field}", provider.folder / PROVIDER_FILE)
    return versions


def document_versions(provider: Provider) -> dict[str, list[PolicyVersion]]:
    """Every version of each of the provider's documents, oldest first, the privacy policy first. The
    versions of another document get ids under its own (cookies/2026-11-23): they name its pages."""
    found: dict[str, list[PolicyVersion]] = {}
    for view in provider.documents():
        versions = versions_of(view)
        if view.document != MAIN_DOCUMENT:
            versions = [v.model_copy(update={"id": f"{view.document}/{v.id}"}) for v in versions]
        found[view.document] = versions
    return found


def timeline(by_document: dict[str, list[PolicyVersion]]) -> list[tuple[PolicyVersion, dict[str, PolicyVersion]]]:
    """The provider's states, oldest first, each with the version of every document in force (a document
    not yet published is left out) and the version that stands for the state. A new version of one
    document makes a new state; versions of other documents on the same day join it, so documents fetched
    together are one change, not several."""
    events = sorted(((v.date or dt.date.min, n, i, doc, v) for n, (doc, versions) in enumerate(by_document.items())
                     for i, v in enumerate(versions)), key=lambda e: e[:3])
    states: list[tuple[PolicyVersion, dict[str, PolicyVersion]]] = []
    changed: set[str] = set()
    day_of_last: dt.date | None = None
    for day, _n, _i, doc, version in events:
        if states and day == day_of_last and doc not in changed:
            states[-1][1][doc] = version
            changed.add(doc)
            continue
        in_force = dict(states[-1][1]) if states else {}
        in_force[doc] = version
        states.append((version, in_force))
        changed, day_of_last = {doc}, day
    return [(version, {doc: in_force[doc] for doc in by_document if doc in in_force})
            for version, in_force in states]


def combine(texts: dict[str, Document]) -> tuple[Document, list[tuple[str, int, int]]]:
    """The documents as one text, so extraction weighs every sentence of every document together and the
    extractor's own precedence settles what they disagree on; with each document's span in it."""
    if len(texts) == 1:
        (doc_id, document), = texts.items()
        return document, [(doc_id, 0, len(document.text))]
    parts, sentences, spans, offset = [], [], [], 0
    for doc_id, document in texts.items():
        parts.append(document.text)
        sentences += [Sentence(s.start + offset, s.end + offset, s.section, s.kind) for s in document.sentences]
        spans.append((doc_id, offset, offset + len(document.text)))
        offset += len(document.text) + 2
    first = next(iter(texts.values()))
    return Document(first.path, "\n\n".join(parts), sentences, first.format), spans


def split_evidence(facts: dict[str, Fact], spans: list[tuple[str, int, int]]) -> dict[str, Fact]:
    """Each quote of the combined text named by its document, with offsets into that document's text."""
    result = {}
    for key, fact in facts.items():
        evidence = []
        for ev in fact.evidence:
            where = next(((d, a) for d, a, b in spans if a <= ev.start <= b and ev.end <= b), None)
            if where is None or not ev.quote.strip():  # a reviewer's quote without a place: kept as written
                evidence.append(ev)
                continue
            doc_id, start = where
            evidence.append(ev.model_copy(update={"document": doc_id, "start": ev.start - start,
                                                  "end": ev.end - start}))
        result[key] = fact.model_copy(update={"evidence": evidence})
    return result


def read_version(version: PolicyVersion, rubric: Rubric, max_policy_mb: float | None) -> Document:
    if version.url and CREDENTIALS.match(version.url):  # a snapshot's .yaml: never published
        raise ScorecardError("the snapshot's url holds a user name or password before '@'; remove them"
                             " (the URL is published on the site)", version.path.with_suffix(".yaml"))
    check_policy_file(version.path, max_policy_mb)
    return read_policy(version.path)


def compute_history(provider: Provider, rubric: Rubric, max_policy_mb: float | None = None) -> History:
    by_document = document_versions(provider)
    states = timeline(by_document)
    read: dict[Path, Document] = {}
    documents, extracted, spans, texts = [], [], [], []
    for _version, in_force in states:
        for version in in_force.values():
            if version.path not in read:
                read[version.path] = read_version(version, rubric, max_policy_mb)
        state_texts = {doc: read[v.path] for doc, v in in_force.items()}
        combined, where = combine(state_texts)
        documents.append(combined)
        extracted.append(extract(combined, rubric))
        spans.append(where)
        texts.append(state_texts)
    versions = [version for version, _ in states]
    merged = carry_reviewed(provider, versions, documents, extracted)
    scored = []
    rows = zip(states, documents, merged, spans, texts, strict=True)
    for (version, in_force), document, facts, where, state_texts in rows:
        info = provider.info
        main = in_force.get(MAIN_DOCUMENT)
        if main is not None and main.id != POLICY_VERSION_ID:
            info = info.model_copy(update={"policy_date": main.date, "policy_date_kind": main.date_kind,
                                           "policy_url": main.url or info.policy_url})
        card = score(rubric, split_evidence(facts, where), slug=provider.slug, name=provider.info.name, info=info)
        scored.append(VersionCard(version, document, card, in_force if len(by_document) > 1 else {}, state_texts))
    changes = [compare(provider.slug, provider.info.name, a, b) for a, b in pairwise(scored)]
    return History(provider.slug, provider.info.name, scored, changes)


def latest_facts(provider: Provider, rubric: Rubric, max_policy_mb: float | None = None) -> dict[str, Fact]:
    """What extraction finds in the latest version of every document, read together (for `review`)."""
    in_force = timeline(document_versions(provider))[-1][1]
    combined, where = combine({doc: read_version(v, rubric, max_policy_mb) for doc, v in in_force.items()})
    return split_evidence(extract(combined, rubric), where)


def carry_reviewed(provider: Provider, versions: list[PolicyVersion], documents: list[Document],
                   extracted: list[dict[str, Fact]]) -> list[dict[str, Fact]]:
    """Per version: extracted facts, with reviewed facts where their cited sentences still stand."""
    merged = [dict(facts) for facts in extracted]
    for key, fact in provider.reviewed.items():
        if not [ev for ev in fact.evidence if ev.quote.strip()]:  # nothing cited: nothing can change it
            for facts in merged:
                facts[key] = fact
            continue
        found = [relocate(fact.evidence, doc) for doc in documents]
        holding = [i for i, evidence in enumerate(found) if evidence is not None]
        if not holding:
            _quote_missing(provider, key, fact, documents)
        anchor = holding[0]
        if (reviewed_on := fact.reviewed_on) is not None:
            on_or_before = [i for i in holding
                            if (day := versions[i].date) is None or day <= reviewed_on]
            anchor = on_or_before[-1] if on_or_before else anchor
        cited = cited_sentences(documents[anchor], found[anchor] or [])
        merged[anchor][key] = fact.model_copy(update={"evidence": found[anchor]})
        for step in (-1, 1):  # from the anchor backwards, then forwards, while the cited sentences stand
            i, holds = anchor + step, True
            while 0 <= i < len(versions):
                holds = holds and found[i] is not None and stands(cited, documents[i])
                if holds:
                    merged[i][key] = fact.model_copy(update={"evidence": found[i]})
                elif step == 1:
                    merged[i][key] = _stale(extracted[i][key], fact, versions[i])
                i += step
    return merged


def _stale(extracted: Fact, reviewed: Fact, version: PolicyVersion) -> Fact:
    when = f" on {version.date.isoformat()}" if version.date else ""
    by = f" by {reviewed.reviewer}" if reviewed.reviewer else ""
    note = (f"The policy changed{when} a sentence cited by the review{by} (which said '{reviewed.value}');"
            f" this answer was found automatically in the new text.")
    return extracted.model_copy(update={"needs_review": True, "note": note})


def _quote_missing(provider: Provider, key: str, fact: Fact, documents: list[Document]) -> None:
    doc = load_yaml(provider.folder / FACTS_FILE)
    hint = f"fix the quote or run 'scorecard review {provider.slug}' again"
    for i, ev in enumerate(fact.evidence):
        if ev.quote.strip() and not any(_pattern(ev.quote).search(d.text) for d in documents):
            raise doc.error(("facts", key, "evidence", i, "quote"),
                            f"reviewed quote for '{key}' is in no version of the policy: {hint}")
    raise doc.error(("facts", key, "evidence"),
                    f"reviewed quotes for '{key}' are never all in the same version of the policy: {hint}")


def _pattern(quote: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in quote.split()))


def relocate(evidence: list[Evidence], document: Document) -> list[Evidence] | None:
    """The same quotes at their place in another text (white space may differ); None if one is missing."""
    text, moved = document.text, []
    for ev in evidence:
        if not ev.quote.strip():
            continue
        if text[ev.start:ev.end] == ev.quote:
            moved.append(ev)
            continue
        match = _pattern(ev.quote).search(text)
        if match is None:
            return None
        moved.append(Evidence(quote=match.group(), start=match.start(), end=match.end(), section=ev.section))
    return moved


def cited_sentences(document: Document, evidence: list[Evidence]) -> set[str]:
    """The whole sentences a fact's quotes come from (a quote may be part of a sentence, or span two)."""
    cited: set[str] = set()
    for ev in evidence:
        around = [s for s in document.sentences if s.start < ev.end and ev.start < s.end]
        if around:
            cited.update(normalized(document.quote(s)) for s in around)
        else:
            cited.add(normalized(ev.quote))
    return cited


def stands(cited: set[str], document: Document) -> bool:
    """Every cited sentence is in the document, word for word (white space aside)."""
    if not document.sentences:
        text = normalized(document.text)
        return all(sentence in text for sentence in cited)
    return cited <= {normalized(document.quote(s)) for s in document.sentences}


# --- comparing two versions ----------------------------------------------------------------------


def compare(slug: str, name: str, before: VersionCard, after: VersionCard) -> Change:
    """Needs the texts of both versions: a history from the build cache has its changes but no texts."""
    if before.document is None or after.document is None:
        raise ValueError(f"the texts of {slug}'s versions were not kept: compare them in a computed history")
    old, new = before.in_force(), after.in_force()
    documents = [doc for doc in dict.fromkeys([*new, *old]) if old.get(doc) != new.get(doc)]
    return Change(slug, name, before, after, fact_changes(before.card, after.card),
                  sentence_changes(before.document, after.document), documents if len(old) > 1 or len(new) > 1 else [])


def fact_changes(before: Scorecard, after: Scorecard) -> list[FactChange]:
    old = {row.practice: row for row in before.practices}
    changes = []
    for row in after.practices:
        prev = old.get(row.practice)
        if prev is None:
            continue
        reasons = []
        if prev.value != row.value:
            reasons.append("answer changed")
        if row.fact.needs_review and not prev.fact.needs_review and prev.fact.source == "reviewed":
            reasons.append("a sentence the review cited changed: needs review")
        elif prev.fact.source != row.fact.source:
            reasons.append("reviewed by a person" if row.fact.source == "reviewed"
                           else "review no longer applies")
        if not reasons and [normalized(e.quote) for e in prev.fact.evidence] != \
                [normalized(e.quote) for e in row.fact.evidence]:
            reasons.append("evidence changed")
        if reasons:
            changes.append(FactChange(row.practice, row.question, prev, row, "; ".join(reasons)))
    return changes


def sentence_changes(before: Document, after: Document) -> list[SentencePair]:
    """Sentences removed, added or reworded, in policy order (difflib over whole sentences)."""
    old = [normalized(before.quote(s)) for s in before.sentences]
    new = [normalized(after.quote(s)) for s in after.sentences]
    old, new = [s for s in old if s], [s for s in new if s]
    pairs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            for a, b in zip_longest(old[i1:i2], new[j1:j2], fillvalue=""):
                pairs.append(word_diff(a, b))
    return pairs


def word_diff(before: str, after: str) -> SentencePair:
    a, b = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    pair = SentencePair(before, after)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pair.before_parts.append(("same", "".join(a[i1:i2])))
            pair.after_parts.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            pair.before_parts.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pair.after_parts.append(("ins", "".join(b[j1:j2])))
    return pair


# --- the site: provider history, recent changes, Atom feed ---------------------------------------


def render_history(folders: list[Path], cards: list[Scorecard], rubric: Rubric, env: Environment,
                   config: SiteConfig | dict[str, Any] | None, max_policy_mb: float | None = None,
                   cache: BuildCache | None = None,
                   loaded: dict[str, Provider] | None = None) -> dict[str, bytes]:
    """changes/index.html, feed.xml and data/changes.json; makes each provider's history available to
    provider.html (through `_history.html`). Call before rendering provider pages. `loaded`: providers the
    build has loaded already, by slug (not read twice)."""
    from .render.site import page_context  # rendering is a later stage than history

    built = {card.slug: card for card in cards}
    histories: dict[str, History] = {}
    for folder in folders:
        if folder.name in built:
            provider = (loaded or {}).get(folder.name) or load_provider(folder, rubric)
            versions = versions_of(provider)
            if len(versions) == 1 and not provider.info.documents:  # nothing to compare: the build's scorecard (perhaps cached) is the history
                card = built[folder.name]
                histories[folder.name] = History(card.slug, card.name, [VersionCard(versions[0], None, card)], [])
            else:  # several versions: computed once, then kept in the build cache until the folder changes
                kept = cache.history(folder.name) if cache is not None else None
                history = history_from_json(kept) if kept is not None else None
                if history is None:
                    history = provider_history(provider, rubric, max_policy_mb)
                    if cache is not None:
                        cache.remember_history(folder.name, history_to_json(history))
                histories[folder.name] = history
    env.globals["histories"] = histories
    changes = sorted((c for h in histories.values() for c in h.changes),
                     key=lambda c: (c.date or dt.date.min, c.slug, c.after.version.id), reverse=True)
    site = page_context(rubric, config, "../")["site"]
    page = env.get_template("changes.html").render(changes=changes, **page_context(rubric, config, "../"))
    dates = [c.date for c in changes if c.date] or [
        v.date for h in histories.values() for v in h.versions if v.date]
    updated = max(dates, default=dt.date(1970, 1, 1))  # from the versions, never the clock: builds reproduce
    feed = env.get_template("feed.xml").render(
        changes=changes, site=site, feed_id=_urn("feed", str(site["title"])), updated=_atom_date(updated),
        entry_id=lambda c: _urn("change", c.id), atom_date=_atom_date, xml_text=xml_text)
    data = [change_json(c) for c in changes]
    return {"changes/index.html": page.encode("utf-8"), "feed.xml": feed.encode("utf-8"),
            "data/changes.json": (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}


def change_json(change: Change) -> dict[str, Any]:
    """One change as open data: which versions, score and grade before and after, facts, sentences."""
    def side(v: VersionCard) -> dict[str, Any]:
        return {"version": v.version.id, "date": v.date.isoformat() if v.date else None,
                "url": v.version.url, "score": v.card.score, "grade": v.card.grade}

    return {
        "slug": change.slug, "name": change.name, "before": side(change.before), "after": side(change.after),
        **({"documents": change.documents} if change.documents else {}),
        "facts": [{"practice": fc.practice, "before": fc.before.value, "after": fc.after.value,
                   "needs_review": fc.after.fact.needs_review, "reason": fc.reason} for fc in change.facts],
        "sentences": [{"before": p.before, "after": p.after} for p in change.sentences],
    }


def _urn(kind: str, name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"scorecard:{kind}:{name}").urn


def _atom_date(day: dt.date | None) -> str:
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Characters XML 1.0 cannot carry (policy text may have form feeds) are dropped; escaping is
    left to autoescape."""
    return INVALID_XML.sub("", text)




# --- `scorecard diff` ----------------------------------------------------------------------------


def pick(history: History, since: dt.date | None, until: dt.date | None) -> Change | None:
    """The change between the versions in force on `since` and `until` (default: the last two);
    None when there is only one version."""
    from .errors import ScorecardError

    if len(history.versions) == 1:
        return None
    try:
        to_i = history.find(until)
        from_i = history.find(since) if since else to_i - 1
    except ValueError as exc:
        raise ScorecardError(str(exc)) from None
    if from_i < 0 or from_i >= to_i:
        raise ScorecardError(f"--from must name a version older than --to: both are the version of "
                             f"{history.versions[to_i].version.label}")
    if from_i == to_i - 1:  # two versions in a row: their change is already computed (texts or not)
        return history.changes[from_i]
    return compare(history.slug, history.name, history.versions[from_i], history.versions[to_i])


def diff_text(change: Change) -> str:
    """Plain text: score and grade, the facts that changed, then each changed sentence (- before, + after)."""
    a, b = change.before.card, change.after.card
    delta = f" ({change.score_delta:+d})" if change.score_delta else ""
    lines = [f"{change.name}: version {change.before.version.label} -> {change.after.version.label}",
             f"Score {a.score} -> {b.score}{delta}; grade {a.grade} -> {b.grade}", ""]
    if change.documents:
        lines[1:1] = [f"Documents changed: {', '.join(change.changed_titles)}"]
    lines.append(f"Facts changed: {len(change.facts)}" if change.facts else "Facts changed: none")
    for fc in change.facts:
        lines.append(f"  {fc.practice}: {fc.before.label} -> {fc.after.label} ({fc.reason})")
    lines += ["", f"Sentences changed: {len(change.sentences) or 'none'}"]
    for pair in change.sentences:
        lines += [f"  - {pair.before}"] if pair.before else []
        lines += [f"  + {pair.after}"] if pair.after else []
    return "\n".join(lines) + "\n"
