"""The nouns of scorecard: rubric, facts with evidence, providers, scorecards.

Plain data (pydantic models). This module imports nothing else of ours, so every
stage can depend on it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

NOT_STATED = "not_stated"

Verdict = Literal["good", "bad", "neutral"]
Source = Literal["extracted", "reviewed"]


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a hand-edited file must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the rubric ------------------------------------------------------------------------------


class ValueRule(Strict):
    """One possible answer to a practice, and what it earns."""

    points: int = Field(ge=0, description="Points this answer earns.")
    label: str = Field(description="A word or two for tables: 'Not sold', 'Ignored'.")
    verdict: Verdict = Field(description="good, bad or neutral: drives icons and colours.")
    summary: str = Field(description="A plain-words sentence for the provider summary.")
    meaning: str = Field(default="", description="What a policy must say to get this answer.")
    # Like ToS;DR's blockers: some answers outweigh every promise elsewhere in a policy.
    cap: str | None = Field(default=None, pattern=r"^[A-F][+-]?$",
                            description="The highest grade a provider with this answer can get: 'D'.")
    partial_points: int | None = Field(default=None, ge=0, description=(
        "Points when the claim covers only part of the data (Fact.partial): card data only is not "
        "'your data is encrypted'. Unset: a partial claim earns the full points."))


class RubricPractice(Strict):
    """A question a consumer cares about, with the points of every answer."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable identifier, e.g. data_sale.")
    question: str = Field(description="The question as a consumer would ask it.")
    category: str = Field(description="Group on the site: Sharing, Tracking, Your rights, ...")
    explanation: str = Field(description="Why it matters, in plain words.")
    values: dict[str, ValueRule] = Field(description="Every answer, not_stated included.")

    @property
    def max_points(self) -> int:
        return max(rule.points for rule in self.values.values())


class Grade(Strict):
    letter: str = Field(pattern=r"^[A-F][+-]?$")
    min_score: int = Field(ge=0, le=100, description="Lowest score that earns this grade.")


class Rubric(Strict):
    version: str
    name: str = "Default rubric"
    not_stated: str = Field(description="How a practice the policy is silent on counts, in plain words.")
    detectors: str = Field(default="", description="The detection rules for these practices: a file beside the rubric.")
    grades: list[Grade]
    practices: list[RubricPractice]
    _path: Path | None = PrivateAttr(default=None)  # the file it came from: detectors.yaml sits beside it

    @property
    def path(self) -> Path | None:
        return self._path

    def practice(self, key: str) -> RubricPractice:
        for practice in self.practices:
            if practice.key == key:
                return practice
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.practices]

    def grade_rank(self, letter: str) -> int:
        """0 for the best grade; a letter the rubric does not list ranks after every grade."""
        ordered = [g.letter for g in sorted(self.grades, key=lambda g: -g.min_score)]
        return ordered.index(letter) if letter in ordered else len(ordered)

    def grade_for(self, score: int) -> str:
        for grade in sorted(self.grades, key=lambda g: -g.min_score):
            if score >= grade.min_score:
                return grade.letter
        return self.grades[-1].letter


# --- facts -----------------------------------------------------------------------------------


class Evidence(BaseModel):
    """A verbatim quote: text[start:end] of the policy's normalized text is exactly `quote`."""

    model_config = ConfigDict(extra="forbid")

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    section: str = ""
    # What this sentence says, for readers and reviewers: the value it supports and the ids of the
    # detection rules that read it so (empty for hand-written evidence).
    value: str = ""
    rules: list[str] = Field(default_factory=list)
    # Which of the provider's documents the quote is from (DocumentInfo.id); "" is the privacy policy.
    document: str = ""


class Fact(BaseModel):
    """A practice's answer for one policy, with the sentences that prove it."""

    model_config = ConfigDict(extra="forbid")

    practice: str
    value: str
    evidence: list[Evidence] = Field(default_factory=list)
    source: Source = "extracted"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    needs_review: bool = False
    note: str = Field(default="", description="Plain words for readers: what disagreed, what is qualified.")
    rules: list[str] = Field(default_factory=list, description="Ids of the detection rules that decided the value.")
    partial: bool = Field(default=False, description="The claim covers only part of the data (card data only, say).")
    reviewer: str = ""
    reviewed_on: dt.date | None = None


# --- providers -------------------------------------------------------------------------------


MAIN_DOCUMENT = "privacy"  # the id of the policy that provider.yaml's own policy_* fields describe
DocumentKind = Literal["privacy", "cookies", "terms", "notice", "other"]
DOCUMENT_KINDS: dict[str, str] = {"privacy": "Privacy policy", "cookies": "Cookie policy",
                                  "terms": "Terms of service", "notice": "Regional notice", "other": "Document"}


class DocumentInfo(Strict):
    """One more document of a provider (provider.yaml's `documents:` list): a cookie policy, terms of
    service, a state or regional notice. Its snapshots are kept in versions/<id>/, its annotated page is
    <slug>/policy/<id>/."""

    id: str = Field(default="", pattern=r"^$|^[a-z][a-z0-9-]{0,39}$",
                    description="Names its versions/ folder and page (default: the kind): cookies, ca-notice.")
    kind: DocumentKind = Field(description="privacy, cookies, terms, notice or other.")
    title: str = Field(default="", description="As readers see it (default from the kind): 'California notice'.")
    file: str = Field(default="", description="File name of the document, beside provider.yaml.")
    url: str = Field(default="", description="Where `scorecard fetch` downloads it.")
    date: dt.date | None = None
    date_kind: Literal["effective", "retrieved", "archived", "updated"] = "retrieved"

    @property
    def key(self) -> str:
        return self.id or self.kind

    @property
    def heading(self) -> str:
        return self.title or DOCUMENT_KINDS[self.kind]


class ProviderInfo(Strict):
    """providers/<slug>/provider.yaml"""

    name: str
    website: str = ""
    policy_url: str = ""
    policy_date: dt.date | None = Field(default=None, description="Effective or retrieved date.")
    policy_date_kind: Literal["effective", "retrieved", "archived", "updated"] = "retrieved"
    policy_file: str = Field(default="", description=(
        "File name of the policy, beside provider.yaml; without it, the latest snapshot `scorecard fetch`"
        " saved from policy_url in versions/."))
    documents: list[DocumentInfo] = Field(default_factory=list, description=(
        "The provider's other documents (cookie policy, terms, notices), each read with the policy."))


class Provider(BaseModel):
    slug: str
    info: ProviderInfo
    folder: Path
    reviewed: dict[str, Fact] = Field(default_factory=dict)
    document: str = MAIN_DOCUMENT  # which document this is: the privacy policy, or one of info.documents
    title: str = DOCUMENT_KINDS["privacy"]

    @property
    def policy_path(self) -> Path | None:
        """The document's own file; None when only its fetched versions hold it."""
        return self.folder / self.info.policy_file if self.info.policy_file else None

    @property
    def versions_dir(self) -> Path:
        """versions/ for the privacy policy, versions/<id>/ for another document."""
        base = self.folder / "versions"
        return base if self.document == MAIN_DOCUMENT else base / self.document

    def documents(self) -> list[Provider]:
        """The privacy policy (this provider), then each other document as a provider of its own: its
        file, URL, date and versions/ folder, so fetching and history treat every document alike."""
        views = [self]
        for doc in self.info.documents:
            info = self.info.model_copy(update={"policy_file": doc.file, "policy_url": doc.url,
                                                "policy_date": doc.date, "policy_date_kind": doc.date_kind,
                                                "documents": []})
            views.append(Provider(slug=self.slug, info=info, folder=self.folder, document=doc.key,
                                  title=doc.heading))
        return views


# --- scores ----------------------------------------------------------------------------------


class GradeCap(BaseModel):
    """An answer that held the grade down: 'capped at D because it sells your personal data'."""

    practice: str
    question: str
    label: str
    cap: str
    summary: str


class PracticeScore(BaseModel):
    practice: str
    question: str
    category: str
    value: str
    label: str
    verdict: Verdict
    summary: str
    points: int
    possible: int
    explanation: str
    fact: Fact
    partial: bool = Field(default=False, description="Scored with the value's partial_points.")
    cap: str | None = Field(default=None, description="The grade this answer caps the provider at.")


class Scorecard(BaseModel):
    slug: str
    name: str
    score: int = Field(ge=0, le=100)
    grade: str
    rubric_version: str
    practices: list[PracticeScore]
    info: ProviderInfo | None = None
    uncapped_grade: str = Field(default="", description="The grade the score alone gives, when a cap lowered it.")
    caps: list[GradeCap] = Field(default_factory=list, description="Answers that cap the grade below the score's.")

    @property
    def summary(self) -> str:
        return " ".join(p.summary for p in self.practices if p.value != NOT_STATED)


# --- policy versions (scorecard fetch, history) --------------------------------------------------


class SnapshotMeta(Strict):
    """providers/<slug>/versions/<date>.yaml: where and when `scorecard fetch` got the snapshot beside it."""

    file: str = Field(description="The snapshot's file name, beside this file: 2026-11-23.md.")
    url: str = Field(description="The policy_url that was fetched.")
    final_url: str = Field(default="", description="Where redirects ended, if somewhere else.")
    retrieved: dt.datetime = Field(description="When it was downloaded (UTC).")
    archived_on: dt.date | None = Field(default=None, description="For a Wayback Machine URL, the capture day.")
    content_type: str = Field(default="", description="The server's Content-Type.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the snapshot file's bytes.")


class PolicyVersion(Strict):
    """One dated text of a provider's policy: the policy file itself, or a snapshot in versions/."""

    id: str = Field(description="Stable within a provider: the snapshot's stem (2026-11-23, 2026-11-23-2)"
                                " or 'policy' for the provider's own policy file.")
    date: dt.date | None = Field(description="The day the text was in force: capture, retrieval or policy date.")
    date_kind: Literal["effective", "retrieved", "archived", "updated"] = "retrieved"
    path: Path
    url: str = ""
    sha256: str = ""
    retrieved: dt.datetime | None = None

    @property
    def label(self) -> str:
        return self.date.isoformat() if self.date else self.id
