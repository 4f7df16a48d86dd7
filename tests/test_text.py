"""Reading policies: decoding, normalization, formats, headings and sentence offsets."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from scorecard.errors import PolicyError
from scorecard.text import parse_text, read_policy
from scorecard.text.normalize import normalize

from .helpers import PROVIDERS, SLUGS

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
