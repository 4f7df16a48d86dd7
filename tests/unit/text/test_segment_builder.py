"""segment.Builder keeps sentences as numbers until the text is decoded (a big policy's peak memory), then
makes the same Sentence objects, in order by start, as it did when it made them line by line."""
from __future__ import annotations

from scorecard.text.segment import HEADING, ITEM, LINE, PARAGRAPH, Builder, Sentence


def test_the_sentences_made_at_the_end_are_the_spans_of_each_line_in_order() -> None:
    builder = Builder()
    builder.add_line("Browser signals: Honored", heading=True)  # a label with nothing under it: a statement
    builder.add_line("Your Choices", heading=True, said=True)
    builder.add_line("- You may opt out. We honor it.", heading=False)
    builder.add_line("Retention", heading=True)
    builder.add_line("We keep data for 30 days.", heading=False, item=True)
    builder.finish()
    assert builder.out.decode() == builder.text
    sentences = builder.sentences()
    assert sentences == [
        Sentence(0, 24, "", LINE),
        Sentence(25, 37, "Browser signals: Honored", HEADING),  # as main made it
        Sentence(40, 56, "Your Choices", ITEM),
        Sentence(57, 69, "Your Choices", PARAGRAPH),
        Sentence(80, 105, "Retention", ITEM),
    ]
    assert [builder.text[s.start:s.end] for s in sentences][2:4] == ["You may opt out.", "We honor it."]
    assert len(builder.starts) == 0 and builder.spans == []  # the numbers are freed once the objects are made


def test_only_headings_become_lines_and_spans_out_of_order_are_sorted_stably() -> None:
    builder = Builder()
    builder.add_line("Privacy Policy", heading=True)
    builder.add_line("Contact", heading=True)
    builder.finish()
    assert builder.sentences() == [Sentence(0, 14, "", LINE), Sentence(15, 22, "Privacy Policy", LINE)]
    builder = Builder()
    for start, end, kind in ((10, 12, LINE), (0, 5, LINE), (10, 11, HEADING)):
        builder._span(start, end, "s", kind)
    builder.finish()
    assert [(s.start, s.end, s.kind) for s in builder.sentences()] == [(0, 5, LINE), (10, 12, LINE), (10, 11, HEADING)]
