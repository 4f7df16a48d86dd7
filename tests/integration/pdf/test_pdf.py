"""PDFs: one page per provider even for the longest, A4 or Letter, fonts embedded, text selectable,
legible in grayscale (rendered with pdftoppm), and scorecards.pdf with every provider."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from scorecard.build import BuildOptions, build
from tests.conftest import STRESS
from tests.helpers import SLUGS, copy_providers
from tests.system import require_tool

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)


def size(page) -> tuple[float, float]:
    return round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)


def embedded_fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    """(font name, has an embedded font file) for every font the pages use."""
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            found.append((str(font["/BaseFont"]), any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                                "/FontFile3"))))
    return found


@pytest.mark.parametrize("slug", [*SLUGS, STRESS])
def test_one_a4_page_per_provider_with_selectable_text_and_embedded_fonts(built_site: Path, slug: str) -> None:
    reader = PdfReader(built_site / slug / "scorecard.pdf")
    assert len(reader.pages) == 1
    assert size(reader.pages[0]) == A4
    card = json.loads((built_site / slug / "scorecard.json").read_text())
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"Privacy grade {card['grade']} · score {card['score']} out of 100" in text
    assert "Does it sell your personal data?" in text
    fonts = embedded_fonts(reader)
    assert fonts and all(embedded for _name, embedded in fonts), fonts


def test_the_longest_provider_still_fits_and_keeps_its_quotes(built_site: Path) -> None:
    text = " ".join(PdfReader(built_site / STRESS / "scorecard.pdf").pages[0].extract_text().split())
    assert "Checked by a person" in text and "considerable length" in text
    assert "Sells, rents or trades your personal data." in text


def test_comparison_pdf_has_every_provider(built_site: Path) -> None:
    reader = PdfReader(built_site / "scorecards.pdf")
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for slug in SLUGS:
        name = json.loads((built_site / slug / "scorecard.json").read_text())["name"]
        assert name in text
    assert "every provider compared" in text
    assert size(reader.pages[0]) == A4[::-1]  # landscape
    assert all(embedded for _name, embedded in embedded_fonts(reader))


def test_letter_page_size(tmp_path: Path) -> None:
    providers = copy_providers(tmp_path / "providers", ["cloudpockets"])
    out = tmp_path / "site"
    build(BuildOptions(providers=providers, out=out, page_size="Letter", jobs=1))
    assert size(PdfReader(out / "cloudpockets" / "scorecard.pdf").pages[0]) == LETTER
    assert size(PdfReader(out / "scorecards.pdf").pages[0]) == LETTER[::-1]


def test_pdf_renders_in_grayscale_with_dark_text_on_light_paper(built_site: Path, screenshots: Path) -> None:
    pdftoppm = require_tool("pdftoppm")
    for slug, name in ((STRESS, "pdf-stress"), ("cloudonex", "pdf-cloudonex"), (None, "pdf-all")):
        pdf = built_site / slug / "scorecard.pdf" if slug else built_site / "scorecards.pdf"
        subprocess.run([pdftoppm, "-png", "-gray", "-r", "60", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                        str(screenshots / name)], check=True)
        png = screenshots / f"{name}.png"
        assert png.stat().st_size > 5_000
    stress_pdf = built_site / STRESS / "scorecard.pdf"
    pgm = subprocess.run([pdftoppm, "-gray", "-r", "30", "-singlefile", str(stress_pdf)],
                         check=True, capture_output=True).stdout
    pixels = pgm.split(b"\n", 3)[3]  # P5 header: magic, size, maxval
    dark = sum(1 for b in pixels if b < 100) / len(pixels)
    assert 0.01 < dark < 0.35  # ink on the page, but mostly paper


def test_restyling_the_site_keeps_the_pdfs_and_a_pdf_style_change_redoes_them(tmp_path: Path) -> None:
    providers = copy_providers(tmp_path / "providers", ["cloudpockets"])
    mine = tmp_path / "mine"
    mine.mkdir()
    out = tmp_path / "site"

    def run() -> tuple[int, int]:
        build(BuildOptions(providers=providers, out=out, templates=mine, jobs=1))
        return (out / "cloudpockets" / "scorecard.pdf").stat().st_ino, (out / "cloudpockets" / "index.html").stat().st_ino

    pdf, _ = run()
    (mine / "site.css").write_text("body { color: #222; }\n", encoding="utf-8")
    pdf2, _ = run()
    # The restyle reached the site (the site is updated in place: only files whose bytes change are rewritten,
    # so the inode of a page tells nothing), and the PDF was not redrawn for it.
    assert (out / "assets" / "site.css").read_text(encoding="utf-8") == "body { color: #222; }\n"
    assert pdf2 == pdf
    (mine / "pdf.css").write_text("@page { size: __PAGE_SIZE__; } body { font-family: 'DejaVu Serif'; }\n",
                                  encoding="utf-8")
    pdf3, _ = run()
    assert pdf3 != pdf
    assert any("Serif" in name for name, _ in embedded_fonts(PdfReader(out / "cloudpockets" / "scorecard.pdf")))


def test_scorecards_pdf_is_redrawn_only_when_its_own_content_changes(tmp_path: Path) -> None:
    """Keyed on its HTML: a provider's new website (not in the comparison) keeps it; a new name redraws it."""
    providers = copy_providers(tmp_path / "providers", ["cloudpockets"])
    out = tmp_path / "site"
    info = providers / "cloudpockets" / "provider.yaml"

    def run() -> int:
        build(BuildOptions(providers=providers, out=out, jobs=1))
        return (out / "scorecards.pdf").stat().st_ino

    every = run()
    info.write_text(info.read_text(encoding="utf-8").replace("website: https://", "website: https://www2."),
                    encoding="utf-8")
    every2 = run()
    assert every2 == every  # the same comparison: the previous file, hardlinked
    info.write_text(info.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1), encoding="utf-8")
    every3 = run()
    assert every3 != every
    assert "Renamed" in " ".join(p.extract_text() for p in PdfReader(out / "scorecards.pdf").pages)


def pdf_text(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def test_a_disputed_fact_is_unsure_in_the_pdf_in_plain_words(built_site: Path) -> None:
    text = pdf_text(built_site / "cloudonex" / "scorecard.pdf")
    assert "? Unsure" in text
    # each side with the sentence that says it, now that every quote names the value it supports
    assert "Unsure: the policy says both “Access for a fee” (“Any access request may be subject to a fee" in text
    assert "and “See and correct” (“You may update" in text
    assert "with_fee" not in text and "priority" not in text
    assert "0 of 11 answers checked by a person, 11 found automatically" in text


def test_a_shortened_quote_ends_with_an_ellipsis(built_site: Path) -> None:
    """cloudonex's encryption sentence is longer than four lines of the quote column."""
    text = pdf_text(built_site / "cloudonex" / "scorecard.pdf")
    assert "Payment Gateway Service Provider who is beholden to…" in text


def test_with_a_base_url_the_pdf_names_the_site_and_quotes_link_to_the_annotated_policy(tmp_path: Path) -> None:
    providers = copy_providers(tmp_path / "providers", ["cloudonex"])
    config = tmp_path / "site.yaml"
    config.write_text("base_url: https://privacy.example.org/watch\n", encoding="utf-8")
    out = tmp_path / "site"
    build(BuildOptions(providers=providers, out=out, pdf=True, config=config))
    reader = PdfReader(out / "cloudonex" / "scorecard.pdf")
    assert "https://privacy.example.org/watch/" in " ".join(reader.pages[0].extract_text().split())
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])
             if a.get_object().get("/A", {}).get("/URI")]
    assert "https://privacy.example.org/watch/cloudonex/policy/index.html#q-encryption-0" in links
    assert "https://privacy.example.org/watch/cloudonex/index.html" in links


def test_the_pdf_quotes_both_sides_of_a_disputed_fact(tmp_path: Path) -> None:
    from scorecard.render.pdf import pdf_html, render_one_page_pdf
    from scorecard.render.templating import make_environment
    from tests.integration.site.test_site import disputed_card

    rubric, card = disputed_card()
    out = tmp_path / "disputed.pdf"
    out.write_bytes(render_one_page_pdf(pdf_html(card, rubric, make_environment(), built_on=dt.date(2026, 1, 2))))
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert ("Unsure: the policy says both “Access for a fee” (“Any access request may be subject to a fee of $20.”)"
            " and “See and correct” (“You may see and correct your data at any time.”)") in text


def test_a_long_comparison_is_drawn_in_parallel_parts_merged_in_order_with_page_numbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of two providers (as of 150 on a big site), drawn by 2 workers, merged with
    pypdf: every provider in rank order, "Page n of N" on every page, the same bytes on a second build."""
    from scorecard.render import pdf

    monkeypatch.setattr(pdf, "PART_ROWS", 1)
    providers = copy_providers(tmp_path / "providers", SLUGS)
    out = tmp_path / "site"
    build(BuildOptions(providers=providers, out=out, jobs=2))
    reader = PdfReader(out / "scorecards.pdf")
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) >= 3  # parts of 2, 2 and 1 providers (4 parts at most for 2 workers), a page at least each
    assert all(f"Page {i} of {len(pages)}" in text for i, text in enumerate(pages, 1))
    text = " ".join(pages)
    assert text.count("every provider compared") == 1 and text.count("Grades: A:") == 1  # title once, legend once
    ranked = [c["name"] for c in json.loads((out / "data" / "scorecards.json").read_text())]
    assert sorted(ranked, key=text.index) == ranked
    assert reader.metadata is not None and reader.metadata.title.endswith("every provider compared")
    first = (out / "scorecards.pdf").read_bytes()
    build(BuildOptions(providers=providers, out=out, jobs=2, incremental=False))
    assert (out / "scorecards.pdf").read_bytes() == first
