"""History: every version of a provider's policy extracted and scored, and what changed between them.

This is the analysis of a provider: read each version (providers.document_versions), extract its facts,
carry the reviewed facts across versions (carry.py), score each, and compare each with the one before
(diff.py). The latest version's scorecard is the provider's scorecard.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from .carry import carry_reviewed
from .diff import FactChange, SentencePair, fact_changes, sentence_changes
from .errors import ScorecardError
from .extract import extract
from .limits import check_policy_file
from .model import DOCUMENT_KINDS, MAIN_DOCUMENT, Fact, PolicyVersion, Provider, Rubric, Scorecard
from .providers import (
    CREDENTIALS,
    POLICY_VERSION_ID,
    document_versions,
    input_files,
    load_provider,
    versions_of,
)
from .score import score
from .text import Document, Sentence, read_policy

if TYPE_CHECKING:
    from .cache import BuildCache

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


# --- comparing two versions ----------------------------------------------------------------------


def compare(slug: str, name: str, before: VersionCard, after: VersionCard) -> Change:
    """Needs the texts of both versions: a history from the build cache has its changes but no texts."""
    if before.document is None or after.document is None:
        raise ValueError(f"the texts of {slug}'s versions were not kept: compare them in a computed history")
    old, new = before.in_force(), after.in_force()
    documents = [doc for doc in dict.fromkeys([*new, *old]) if old.get(doc) != new.get(doc)]
    return Change(slug, name, before, after, fact_changes(before.card, after.card),
                  sentence_changes(before.document, after.document), documents if len(old) > 1 or len(new) > 1 else [])


# --- the site's histories ----------------------------------------------------------------------


def site_histories(folders: list[Path], cards: list[Scorecard], rubric: Rubric, max_policy_mb: float | None = None,
                   cache: BuildCache | None = None,
                   loaded: dict[str, Provider] | None = None) -> dict[str, History]:
    """The history of every built provider, by slug, for its pages and the changes page. `loaded`: providers
    the build has loaded already, by slug (not read twice)."""
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
    return histories


# --- `scorecard diff`: any two versions ----------------------------------------------------------------------------


def pick(history: History, since: dt.date | None, until: dt.date | None) -> Change | None:
    """The change between the versions in force on `since` and `until` (default: the last two);
    None when there is only one version."""
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
