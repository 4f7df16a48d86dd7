"""Readings that depend on more than one sentence's words: how far a claim reaches inside its sentence
(a relative clause about someone else), and a table cell or list item read with its column or heading."""
from __future__ import annotations

from scorecard.extract import extract, extract_file
from scorecard.model import NOT_STATED
from scorecard.rubric import load_rubric
from scorecard.text import parse_text
from tests.helpers import PROVIDERS

RUBRIC = load_rubric()


def test_the_bundled_payment_gateway_sentence_is_a_partial_encryption_claim() -> None:
    """CloudOnex: card data "stored in encrypted form" by the payment gateway, "who is beholden to treating
    your Personal Information in accordance with this Privacy Policy": that clause is about the gateway."""
    _, facts = extract_file(PROVIDERS / "cloudonex" / "policy.md", RUBRIC)
    fact = facts["encryption"]
    assert fact.value == "claimed" and fact.partial
    assert "encryption.claimed.payment_data_only" in fact.rules
    assert "stored in encrypted form on secure servers" in fact.evidence[0].quote


def test_other_data_in_the_claims_own_clause_makes_it_whole() -> None:
    for text in ("We use SSL to encrypt your personal information and payment details.",
                 "All personal information, including credit card data, is encrypted in transit."):
        fact = extract(parse_text(text), RUBRIC)["encryption"]
        assert fact.value == "claimed" and not fact.partial, text


RETENTION_TABLE = """## How long we keep your data

| Data | Retention period |
|---|---|
| Account data | Until you close your account |
| Payment records | 7 years |
"""

PURPOSE_TABLE = """## Data we collect

| Data | Purpose |
|---|---|
| Account data | To run your account |
| Payment records | For 30 days |
"""


def test_a_table_cell_that_is_only_a_period_counts_under_a_retention_heading() -> None:
    fact = extract(parse_text(RETENTION_TABLE, "md"), RUBRIC)["retention"]
    assert fact.value == "limited"
    assert "retention.limited.period_in_retention_table" in fact.rules
    assert {"Until you close your account", "7 years"} <= {ev.quote for ev in fact.evidence}


def test_the_same_cell_under_another_heading_decides_nothing() -> None:
    assert extract(parse_text(PURPOSE_TABLE, "md"), RUBRIC)["retention"].value == NOT_STATED
