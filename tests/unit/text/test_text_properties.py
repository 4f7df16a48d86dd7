"""Property tests: any text reads, segments and extracts without crashing, and every cited
offset holds exactly its quote."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.extract import extract
from scorecard.rubric import load_rubric
from scorecard.text import parse_text, read_policy
from scorecard.text.normalize import normalize

RUBRIC = load_rubric()
WORDS = st.sampled_from([
    "We", "do", "not", "sell", "your", "personal", "information", "may", "notify", "you", "breach", "delete",
    "account", "encrypted", "SSL", "Do Not Track", "indefinitely", "as long as necessary", "opt out", "marketing",
    "\u00a0", "\u2019", "\u00ad", "\u200b", "\n", ". ", "? ", "1. Heading", "Title", "\u65e5\u672c", "\U0001f600",
    "caf\u00e9", "\ufb01", "- ", "\u2022 ", "#", "**", "<p>", "</p>", "<h2>", "</h2>", "\t", "\r\n", ";",
])
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=80).map(" ".join))
FORMATS = st.sampled_from(["txt", "md", "html"])


def _check(document) -> None:
    for s in document.sentences:
        assert 0 <= s.start < s.end <= len(document.text)
    for fact in extract(document, RUBRIC).values():
        for ev in fact.evidence:
            assert document.text[ev.start:ev.end] == ev.quote


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, FORMATS)
def test_parse_and_extract_never_crash(text, fmt):
    _check(parse_text(text, fmt))


@given(TEXT)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([".txt", ".md", ".html", ".pdf"]))
def test_read_policy_on_any_bytes_is_a_document_or_a_policy_error(tmp_path_factory, data, suffix):
    from scorecard.errors import PolicyError

    path = tmp_path_factory.mktemp("p") / f"policy{suffix}"
    path.write_bytes(data)
    try:
        document = read_policy(path)
    except PolicyError as exc:
        assert str(exc).startswith(str(path))
        return
    _check(document)
