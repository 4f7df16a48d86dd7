"""Reading policies: decoding, normalization, formats, headings and sentence offsets."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scorecard.errors import PolicyError
from scorecard.text import parse_text, read_policy
from scorecard.text.normalize import normalize
from tests.helpers import PROVIDERS, SLUGS

SENTENCE = "We do not sell your personal information. You can delete your account."


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [
    SENTENCE.encode("utf-8"),
    codecs.BOM_UTF8 + SENTENCE.encode("utf-8"),
    SENTENCE.encode("utf-16"),  # with its byte-order mark
    codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"),
    SENTENCE.replace("not", "not\u2019").encode("cp1252"),
])
def test_decodings(tmp_path, data):
    document = read_policy(_write(tmp_path, "p.txt", data))
    assert [document.quote(s) for s in document.sentences][1] == "You can delete your account."


def test_cp1252_curly_quote_becomes_straight(tmp_path):
    document = read_policy(_write(tmp_path, "p.txt", "We don\u2019t sell data.".encode("cp1252")))
    assert document.text == "We don't sell data."


@pytest.mark.parametrize(("name", "data", "message"), [
    ("p.txt", b"", "no policy text found"),
    ("p.txt", b"\x00\x81\xff\xfe\x00binary", "cannot decode"),
    ("p.docx", b"text", "unsupported policy format"),
    ("p.pdf", b"%PDF-1.4 broken", "cannot read PDF"),
])
def test_unreadable_files_are_policy_errors_naming_the_file(tmp_path, name, data, message):
    path = _write(tmp_path, name, data)
    with pytest.raises(PolicyError) as caught:
        read_policy(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(PolicyError, match="file not found"):
        read_policy(tmp_path / "none.txt")


def test_normalize():
    raw = "We\u00a0don\u2019t \u201csell\u201d in\u00adfor\u200bmation \ufb01le\u2014ever."
    assert normalize(raw) == 'We don\'t "sell" information file-ever.'


def test_runon_headings_are_split_and_become_sections():
    document = parse_text("1. Collected InformationWhen You visit our site, we log your IP.\n"
                          "2. Use of InformationCMS does not sell your data.\n"
                          "How can I access my personal information?You can access it at any time.")
    got = [(s.section, document.quote(s)) for s in document.sentences]
    assert got == [("1. Collected Information", "When You visit our site, we log your IP."),
                   ("2. Use of Information", "CMS does not sell your data."),
                   ("How can I access my personal information?", "You can access it at any time.")]


def test_camel_case_names_are_not_headings():
    document = parse_text("CloudOnex respects your privacy. We use iPhone apps.")
    assert [document.quote(s) for s in document.sentences] == ["CloudOnex respects your privacy.", "We use iPhone apps."]


def test_markdown_strips_markup_and_keeps_headings():
    document = parse_text("# Policy\n\n## Sharing\n\nWe **do not** sell [your data](http://x). Really.\n\n"
                          "* We use `TLS`.\n", "md")
    got = [(s.section, document.quote(s)) for s in document.sentences]
    assert got == [("Sharing", "We do not sell your data."), ("Sharing", "Really."), ("Sharing", "We use TLS.")]


def test_html_main_text_without_navigation_or_scripts():
    html = ("<html><head><style>p{color:red}</style><script>var sell='x';</script></head><body>"
            "<nav><a href='/'>Home</a> <a href='/x'>Do not sell</a></nav><main><h2>Data Sharing</h2>"
            + "".join(f"<p>Paragraph {i} says we do not sell your personal information to anyone at all.</p>"
                      for i in range(6))
            + "</main><footer>Copyright</footer></body></html>")
    document = parse_text(html, "html")
    quotes = [document.quote(s) for s in document.sentences]
    assert quotes[0].startswith("Paragraph 0 says") and len(quotes) == 6
    assert all(s.section == "Data Sharing" for s in document.sentences)
    assert "var sell" not in document.text and "Home" not in document.text and "Copyright" not in document.text


def test_bare_html_falls_back_to_plain_parser():
    document = parse_text("<h1>Privacy</h1><p>We use SSL.</p><script>x=1</script>", "html")
    assert [(s.section, document.quote(s)) for s in document.sentences] == [("Privacy", "We use SSL.")]


def test_pdf_text_layer(tmp_path):
    pdf = _minimal_pdf("We do not sell your personal information.")
    document = read_policy(_write(tmp_path, "p.pdf", pdf))
    assert [document.quote(s) for s in document.sentences] == ["We do not sell your personal information."]


def test_hard_wrapped_text_is_rejoined():
    text = ("We collect the information you give us when you register for an account and\n"
            "when you contact our support team with a question about the service we offer.\n") * 5
    document = parse_text(text)
    assert document.quote(document.sentences[0]).endswith("when you contact our support team with a question "
                                                          "about the service we offer.")


def test_blingfire_offsets_are_characters_not_bytes():
    text = "Caf\u00e9 na\u00efve \U0001f600 here is one sentence. And \u65e5\u672c a second one follows it."
    document = parse_text(text)
    assert [document.quote(s) for s in document.sentences] == [
        "Caf\u00e9 na\u00efve \U0001f600 here is one sentence.", "And \u65e5\u672c a second one follows it."]


@pytest.mark.parametrize("slug", SLUGS)
def test_bundled_policies_segment_into_sentences_with_sections(slug):
    path = next((PROVIDERS / slug).glob("policy.*"))
    document = read_policy(path)
    assert len(document.sentences) > 20
    for s in document.sentences:
        quote = document.quote(s)
        assert quote == quote.strip() and quote and "\n" not in quote
    assert sum(1 for s in document.sentences if s.section) > len(document.sentences) / 2


def _minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>"),
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- sentences follow the text, not its lines ----------------------------------------------

def _quotes(document) -> list[str]:
    return [document.quote(s) for s in document.sentences]


@pytest.mark.parametrize(("text", "fmt"), [
    ("We do not\nsell your personal information.\n", "txt"),
    ("We do not\nsell your personal information.\n", "md"),
    ("<p>We do not<br>sell your personal information.</p>", "html"),
    ("# Sharing\n\nWe do not\nsell your personal information.\n", "md"),
])
def test_a_line_break_inside_a_paragraph_is_a_space_in_the_text(text, fmt):
    document = parse_text(text, fmt)
    assert "We do not sell your personal information." in _quotes(document)
    start = document.text.index("We do not")
    assert document.text[start:start + 41] == "We do not sell your personal information."  # quotes slice the text


def test_text_wrapped_at_80_columns_is_one_sentence_per_sentence():
    import textwrap

    paragraph = ("We collect the information you give us when you register for an account and when you contact "
                 "our support team. We do not sell your personal information to third parties, and we never "
                 "have. You may ask us to delete your account at any time.")
    text = "Privacy Policy\n\n" + "\n\n".join([textwrap.fill(paragraph, 80)] * 3) + "\n"
    document = parse_text(text)
    assert _quotes(document)[1] == ("We do not sell your personal information to third parties, and we never have.")
    assert len(document.sentences) == 9 and all(s.section == "Privacy Policy" for s in document.sentences)


def test_list_items_and_headings_end_at_their_line():
    document = parse_text("Your Choices\nYou can:\n- unsubscribe from e-mails\n- delete your account\n"
                          "Security\nWe use TLS.\n")
    assert [(s.section, document.quote(s)) for s in document.sentences] == [
        ("Your Choices", "You can:"), ("Your Choices", "unsubscribe from e-mails"),
        ("Your Choices", "delete your account"), ("Security", "We use TLS.")]


def test_a_word_hyphenated_at_a_line_break_keeps_its_hyphen_and_no_space():
    document = parse_text("We never share data with third-\nparty advertisers.\n", "md")
    assert _quotes(document) == ["We never share data with third-party advertisers."]


def test_yaml_front_matter_is_not_policy_text():
    document = parse_text("---\ntitle: Privacy policy\ndescription: We sell nothing.\n---\n\n# Privacy\n\nHello there.\n",
                          "md")
    assert document.text == "Privacy\nHello there."


# --- headings by structure and wording -----------------------------------------------------

@pytest.mark.parametrize("line", [
    "Firefox; Chrome; Microsoft Edge; Safari",
    "Firefox, Chrome, Microsoft Edge, Safari",
    "| Identifiers | Yes | No |",
    "Microsoft Edge",
    "We do not",
    "Such as:",
])
def test_lists_table_rows_and_fragments_are_not_headings(line):
    document = parse_text(f"Cookies\n{line}\nWe use cookies to keep you signed in.\n")
    assert all(s.section == "Cookies" for s in document.sentences), [(s.section, document.quote(s))
                                                                     for s in document.sentences]


@pytest.mark.parametrize(("text", "fmt", "heading"), [
    ("HOW WE USE YOUR DATA\nWe use it to run the service.\n", "txt", "HOW WE USE YOUR DATA"),
    ("4. Data Retention\nWe keep data for a year.\n", "txt", "4. Data Retention"),
    ("What information do we collect?\nWe collect your e-mail address.\n", "txt", "What information do we collect?"),
    ("Information We Collect\nWe collect your e-mail address.\n", "txt", "Information We Collect"),
    ("## Sharing data\n\nWe collect your e-mail address.\n", "md", "Sharing data"),
    ("<h3>Sharing data</h3><p>We collect your e-mail address.</p>", "html", "Sharing data"),
])
def test_headings_by_structure_or_wording(text, fmt, heading):
    document = parse_text(text, fmt)
    assert document.sentences[-1].section == heading
    assert [document.text[a:b] for a, b in document.headings] == [heading]


@pytest.mark.parametrize("line", [
    'Under the CCPA, this may be considered a "sale."',
    "Our partners call this 'targeted advertising.'",
])
def test_a_sentence_ending_in_a_quoted_word_is_not_a_heading(line):
    # the full stop inside the closing quote still ends a sentence (normalize.looks_like_plain_title)
    document = parse_text(f"{line}\n")
    assert [s.kind for s in document.sentences] != ["heading"]
    assert document.headings == [] or all(document.text[a:b] != line for a, b in document.headings)


def test_pdf_of_a_wrapped_sentence_from_weasyprint_is_one_sentence(tmp_path):
    from weasyprint import HTML

    words = "We do not sell your personal information to anyone, " * 6 + "and we never will."
    HTML(string=f"<h2>Sharing</h2><p>{words}</p><h2>Security</h2><p>We use TLS.</p>").write_pdf(tmp_path / "p.pdf")
    document = read_policy(tmp_path / "p.pdf")
    assert [(s.section, document.quote(s)) for s in document.sentences] == [
        ("Sharing", words), ("Security", "We use TLS.")]


# --- PDFs: paragraphs by spacing, pages, capitals; each page read once -----------------------

def _pdf(tmp_path, body: str) -> Path:
    from weasyprint import HTML

    path = tmp_path / "p.pdf"
    HTML(string=f"<style>@page{{size:A4;margin:2cm}} body{{font:11pt sans-serif}}</style>{body}").write_pdf(path)
    return path


_LONG = ("We collect the information you give us when you register for an account and when you contact our "
         "support team with a question about the service. ") * 4


@pytest.mark.parametrize(("text", "fmt"), [
    ("Sharing\n\nWe do not\nsell your personal information.\n", "txt"),
    ("## Sharing\n\nWe do not\nsell your personal information.\n", "md"),
    ("<h2>Sharing</h2><p>We do not<br>sell your personal information.</p>", "html"),
    ("<h2>Sharing</h2><p>We do not<br>sell your personal information.</p>", "pdf"),
])
def test_we_do_not_then_sell_on_the_next_line_is_not_sold_quoted_whole(tmp_path, text, fmt):
    from scorecard.extract import extract
    from scorecard.rubric import load_rubric

    path = _pdf(tmp_path, text) if fmt == "pdf" else _write(tmp_path, f"p.{fmt}", text.encode())
    fact = extract(read_policy(path), load_rubric())["data_sale"]
    assert fact.value == "not_sold"
    assert fact.evidence[0].quote == "We do not sell your personal information."
    assert fact.evidence[0].section == "Sharing"


def test_pdf_one_line_paragraphs_are_one_sentence_each(tmp_path):
    # A page of one-line paragraphs (a list of purposes set as paragraphs): most of its line gaps are
    # paragraph gaps, so the lines of a paragraph are told by the document's line spacing.
    purposes = [f"Purpose number {n} of the processing we carry out" for n in range(30)]
    body = f"<h2>Purposes</h2><p>{_LONG}</p><p>{_LONG}</p>" + "".join(f"<p>{p}</p>" for p in purposes)
    document = read_policy(_pdf(tmp_path, body))
    assert [q for q in _quotes(document) if q.startswith("Purpose number")] == purposes


def test_pdf_a_paragraph_that_ends_a_page_short_ends_there(tmp_path):
    body = (f"<h2>Changes</h2><p>{_LONG}</p><p>{_LONG}</p>"
            "<p>Users will be notified of any privacy policy changes via Email</p>"
            "<p style='break-before:page'>Users are able to change their personal information by logging in</p>")
    document = read_policy(_pdf(tmp_path, body))
    assert _quotes(document)[-2:] == ["Users will be notified of any privacy policy changes via Email",
                                      "Users are able to change their personal information by logging in"]


def test_pdf_a_paragraph_that_goes_on_over_a_page_is_one_paragraph(tmp_path):
    sentence = "We keep " + ", ".join(f"backup number {n} of your account" for n in range(60)) + " and that is all."
    body = "<h2>Data</h2>" + f"<p>{_LONG}</p>" * 12 + f"<p>{sentence}</p>"
    path = _pdf(tmp_path, body)
    from pypdf import PdfReader

    assert len(PdfReader(path).pages) >= 2
    document = read_policy(path)
    assert _quotes(document)[-1] == sentence


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_a_wrapped_paragraph_in_capitals_is_not_a_heading_per_line(tmp_path, fmt):
    import textwrap

    caps = ("CRITEO CORP. IS ALSO A REGISTERED DATA BROKER IN CALIFORNIA UNDER CALIFORNIA BUSINESS AND "
            "PROFESSIONS CODE 1798.99.80 ET SEQ., AS AMENDED BY THE CALIFORNIA DELETE ACT. THE CALIFORNIA PRIVACY "
            "PROTECTION AGENCY MAINTAINS A REGISTRY OF DATA BROKERS, WHICH YOU CAN SEARCH ON ITS WEBSITE.")
    if fmt == "pdf":
        path = _pdf(tmp_path, f"<h2>Data broker information</h2><p>{_LONG}</p><p>{caps}</p>")
    else:
        text = "Data broker information\n\n" + textwrap.fill(_LONG, 80) + "\n\n" + textwrap.fill(caps, 80) + "\n"
        path = _write(tmp_path, "p.txt", text.encode())
    document = read_policy(path)
    assert [document.text[a:b] for a, b in document.headings] == ["Data broker information"]
    assert all(s.section == "Data broker information" for s in document.sentences if "BROKER" in document.quote(s))


def test_pdf_list_items_are_items_in_the_pdf_too(tmp_path):
    document = read_policy(_pdf(tmp_path, f"<h2>Choices</h2><p>{_LONG}</p><p>You can:</p>"
                                          "<ul><li>Unsubscribe from e-mails</li><li>Delete your account</li></ul>"))
    kinds = {document.quote(s): s.kind for s in document.sentences}
    assert kinds["Unsubscribe from e-mails"] == kinds["Delete your account"] == "item"


def test_pdf_pages_are_read_once_each(tmp_path, monkeypatch):
    from pypdf import PageObject

    calls: list[int] = []
    extract_text = PageObject.extract_text

    def counted(self, *args, **kwargs):  # pypdf's own reader, counted
        calls.append(1)
        return extract_text(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counted)
    path = _pdf(tmp_path, "<h2>Data</h2>" + f"<p>{_LONG}</p>" * 14 + "<ul><li>Delete your account</li></ul>")
    from pypdf import PdfReader

    pages = len(PdfReader(path).pages)
    read_policy(path)
    assert pages >= 2 and len(calls) == pages


def test_a_passage_of_heading_like_lines_only_is_read_as_lines():
    """A list item read alone ("Industry-standard encryption", a title by its wording) says something: with
    nothing under it, it heads nothing. Under a heading, the heading still frames and decides nothing."""
    from scorecard.text.segment import HEADING, LINE

    alone = parse_text("Industry-standard encryption")
    assert [s.kind for s in alone.sentences] == [LINE]
    two = parse_text("Security\n\nEncryption (SSL)")
    assert {s.kind for s in two.sentences} == {LINE}
    framed = parse_text("Security measures\n\nWe encrypt your data in transit.")
    kinds = {framed.text[s.start:s.end]: s.kind for s in framed.sentences}
    assert kinds.get("Security measures", HEADING) == HEADING and kinds["We encrypt your data in transit."] != HEADING
