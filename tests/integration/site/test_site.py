"""The static site: valid HTML5, relative links only, nothing from other hosts, every page type has what
a reader needs (grade letter, icon and word, evidence, sources), overrides and config rebrand it."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from tinyhtml5.parser import HTMLParser as HTML5Parser

from scorecard.build import BuildOptions, build
from scorecard.errors import ScorecardError
from scorecard.render.config import load_config

from tests.conftest import STRESS, STRESS_NAME
from tests.helpers import SLUGS, copy_providers, rubric_data

PAGES = ["index.html", "compare/index.html", "methodology/index.html", "cloudonex/index.html",
         f"{STRESS}/index.html", "cloudonex/policy/index.html", f"{STRESS}/policy/index.html",
         "practices/access/index.html", "practices/data_sale/index.html"]


class Page(HTMLParser):
    """Tags, attributes and text of one page, for structural checks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def column_of(script: str) -> dict:
    """The data of a data/compare/<slug>.js file: scorecardCompare({slug, head, cells})."""
    assert script.startswith("scorecardCompare(") and script.endswith(");\n"), script[:80]
    return json.loads(script[len("scorecardCompare("):-3])


def compare_html(site: Path, slugs: list[str]) -> str:
    """The compare table's cells for these providers, as site.js puts them in the page."""
    columns = [column_of(read(site, f"data/compare/{slug}.js")) for slug in slugs]
    return "".join(c["head"] + "".join(c["cells"]) for c in columns)


@pytest.mark.parametrize("rel", PAGES)
def test_every_page_is_valid_html5_with_lang_skip_link_and_unique_ids(built_site: Path, rel: str) -> None:
    html = read(built_site, rel)
    parser = HTML5Parser()
    parser.parse(html)
    assert parser.errors == [], parser.errors[:5]
    assert html.startswith("<!DOCTYPE html>")
    page = Page(html)
    assert page.all("html")[0]["lang"] == "en"
    assert page.all("a")[0] == {"class": "skip-link", "href": "#main"}
    assert any(a.get("id") == "main" for a in page.all("main"))
    ids = [attrs["id"] for _, attrs in page.tags if attrs.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for label in page.all("label"):
        if label.get("for"):
            assert label["for"] in ids
    for _name, attrs in page.tags:
        for ref in ("aria-labelledby",):
            if attrs.get(ref):
                assert attrs[ref] in ids


@pytest.mark.parametrize("rel", [*PAGES, "changes/index.html"])
def test_links_are_relative_and_nothing_loads_from_another_host(built_site: Path, rel: str) -> None:
    page = Page(read(built_site, rel))
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src")):
        for attrs in page.all(tag):
            url = attrs.get(attr) or ""
            assert not re.match(r"^([a-z]+:|//|/)", url), f"{tag} {url} is not relative"
    for attrs in page.all("a"):
        href = attrs.get("href") or ""
        if href.startswith(("http://", "https://")):
            assert "noreferrer" in (attrs.get("rel") or ""), href  # only the policy source, never loaded
        else:
            assert not href.startswith(("/", "//", "javascript:")), href
            target = (built_site / rel).parent / href.split("#")[0].split("?")[0]
            assert target.exists(), f"{rel}: broken link {href}"
    assert "<style" not in read(built_site, rel) and " style=" not in read(built_site, rel)  # the CSP forbids them


def test_index_lists_best_first_with_grade_letter_score_and_a_word_per_practice(built_site: Path) -> None:
    html = read(built_site, "index.html")
    rows = re.findall(r'<tr data-name="[^"]*" data-score="(\d+)"', html)
    scores = [int(s) for s in rows]
    assert len(scores) == len(SLUGS) + 1 and scores == sorted(scores, reverse=True)
    rubric = rubric_data()
    body = html.split("<tbody>")[1]
    for row in body.split("</tr>")[:-1]:
        assert re.search(r'class="grade grade-[A-F]"><span class="visually-hidden">Grade </span>[A-F][+-]?</span>',
                         row)
        words = re.findall(r'<span class="word">(good|bad|neutral|not stated)</span>', row)
        assert len(words) == len(rubric["practices"])
    assert html.count('scope="col"') == 3 + len(rubric["practices"])
    assert '<th scope="row"' in html and "<caption" in html


def test_stress_provider_name_and_urls_are_escaped(built_site: Path) -> None:
    page = read(built_site, f"{STRESS}/index.html")
    assert "<b>Cloud</b>" not in page and "&lt;b&gt;Cloud&lt;/b&gt;" in page
    assert 'href="javascript:' not in page  # a policy_url that is not http(s) is shown, never linked
    assert "<b>Cloud</b>" not in read(built_site, "index.html")


def test_provider_page_has_summary_evidence_source_and_downloads(built_site: Path) -> None:
    page = Page(read(built_site, f"{STRESS}/index.html"))
    text = page.plain
    assert STRESS_NAME in text and "Policy effective 2025-02-01" in text
    assert "In plain words" in text and "Sells, rents or trades your personal data." in text
    assert "Checked by a person on 2025-03-01" in text
    assert "Section: Section about data_sale" in text
    assert "considerable length" in text  # the quotes themselves
    hrefs = [a["href"] for a in page.all("a")]
    for href in ("scorecard.pdf", "scorecard.json", "badge.svg", f"../compare/index.html?p={STRESS}"):
        assert href in hrefs
    auto = Page(read(built_site, "cloudonex/index.html")).plain
    assert "Found automatically" in auto and "Policy archived" in auto


def test_methodology_has_every_practice_value_points_and_threshold(built_site: Path) -> None:
    text = Page(read(built_site, "methodology/index.html")).plain
    rubric = rubric_data()
    for practice in rubric["practices"]:
        assert practice["question"] in text
        for rule in practice["values"].values():
            assert rule["label"] in text
    upper = 100
    for grade in rubric["grades"]:  # "B: 65 to 79"
        assert f"{grade['letter']}: {grade['min_score']} to {upper}" in text
        upper = grade["min_score"] - 1
    assert "Answers that cap the grade" in text and "Sold : at most D" in text
    assert "Claims that cover only part of your data" in text and "4 of 10 points" in text
    assert "When a policy says nothing" in text and " ".join(rubric["not_stated"].split()) in text


def test_compare_loads_each_provider_from_its_own_script_and_links_the_list_without_javascript(
        built_site: Path) -> None:
    html = read(built_site, "compare/index.html")
    assert 'data-slug=' not in html  # no provider's table in the page: each loads when picked
    assert "data-compare-picker" in html and "data-compare-picker data-base=\"../data/compare/\" hidden" in html
    assert 'href="../index.html">the list of all' in Page(html).plain or 'href="../index.html"' in html
    listed = json.loads(read(built_site, "data/compare/_providers.js").split(" = ", 1)[1].rstrip(";\n"))
    assert sorted(row[0] for row in listed) == sorted([*SLUGS, STRESS])
    practices = len(rubric_data()["practices"])
    for slug in [*SLUGS, STRESS]:
        column = column_of(read(built_site, f"data/compare/{slug}.js"))
        assert column["slug"] == slug and f'data-slug="{slug}"' in column["head"]
        assert len(column["cells"]) == practices and all(f'data-slug="{slug}"' in c for c in column["cells"])
    assert 'class="deciding"' in compare_html(built_site, SLUGS)


def test_badge_is_svg_with_the_letter_in_text(built_site: Path) -> None:
    for slug in [*SLUGS, STRESS]:
        svg = ET.fromstring((built_site / slug / "badge.svg").read_bytes())
        card = json.loads((built_site / slug / "scorecard.json").read_text())
        texts = "".join(svg.itertext())
        assert f"{card['grade']} · {card['score']}/100" in texts
        assert svg.get("role") == "img" and card["grade"] in svg.get("aria-label")


def test_stylesheet_has_dark_scheme_print_and_narrow_screen_rules(built_site: Path) -> None:
    css = read(built_site, "assets/site.css")
    for rule in ("@media (prefers-color-scheme: dark)", "@media print", "@media (max-width: 40rem)"):
        assert rule in css


def small_site(tmp_path: Path, **options) -> Path:
    providers = tmp_path / "providers"
    if not providers.exists():
        copy_providers(providers, ["cloudcone", "cloudpockets"])
    out = tmp_path / "site"
    build(BuildOptions(providers=providers, out=out, pdf=False, **options))
    return out


def test_templates_override_reaches_the_packaged_one(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "base.html").write_text('{% extends "default:base.html" %}{% block footer %}<p>Our own footer</p>'
                                    "{% endblock %}", encoding="utf-8")
    (mine / "site.css").write_text("body { color: red; }\n", encoding="utf-8")
    out = small_site(tmp_path, templates=mine)
    assert "Our own footer" in read(out, "index.html") and "Our own footer" in read(out, "cloudcone/index.html")
    assert read(out, "assets/site.css").startswith("body { color: red; }")


def test_config_file_sets_title_intro_and_colours(tmp_path: Path) -> None:
    config = tmp_path / "site.yaml"
    config.write_text(yaml.safe_dump({"title": "Cloud privacy watch", "intro": "We read them & you choose.",
                                      "colours": {"accent": "#6639ba", "grade_a": "#0a5c2a"},
                                      "dark_colours": {"link": "#d2a8ff"}}), encoding="utf-8")
    out = small_site(tmp_path, config=config)
    index = read(out, "index.html")
    assert "<title>Cloud privacy watch</title>" in index and "We read them &amp; you choose." in index
    assert "Cloud privacy watch" in read(out, "cloudcone/index.html")
    css = read(out, "assets/site.css")
    assert ":root { --accent: #6639ba; --grade-a: #0a5c2a; }" in css and "--link: #d2a8ff;" in css


def test_config_file_errors_name_the_line(tmp_path: Path) -> None:
    config = tmp_path / "site.yaml"
    config.write_text("title: Mine\ncolours:\n  accent: 'red; } body { display: none'\n", encoding="utf-8")
    with pytest.raises(ScorecardError) as err:
        load_config(config)
    assert str(err.value).startswith(f"{config}:3:") and "must be #rgb" in str(err.value)
    config.write_text("titel: Mine\n", encoding="utf-8")
    with pytest.raises(ScorecardError, match=r"site.yaml:1:1: unknown field 'titel'"):
        load_config(config)


def test_rebuild_reuses_unchanged_providers_and_redoes_changed_ones(tmp_path: Path) -> None:
    out = small_site(tmp_path)
    manifest = json.loads(read(out, ".scorecard-manifest.json"))
    assert set(manifest["providers"]) == {"cloudcone", "cloudpockets"}
    before = {rel: (out / rel).stat().st_ino for rel in ("cloudcone/index.html", "cloudpockets/index.html",
                                                         "index.html")}
    small_site(tmp_path)  # nothing changed: every file is the previous one, hardlinked
    assert {rel: (out / rel).stat().st_ino for rel in before} == before
    info = tmp_path / "providers" / "cloudpockets" / "provider.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("name: CloudPockets", "name: Pockets Renamed"),
                    encoding="utf-8")
    small_site(tmp_path)
    assert (out / "cloudcone/index.html").stat().st_ino == before["cloudcone/index.html"]
    assert (out / "cloudpockets/index.html").stat().st_ino != before["cloudpockets/index.html"]
    assert "Pockets Renamed" in read(out, "cloudpockets/index.html") and "Pockets Renamed" in read(out, "index.html")
    config = tmp_path / "c.yaml"
    config.write_text("title: New title\n", encoding="utf-8")
    small_site(tmp_path, config=config)  # a config change re-renders every page (from cached scorecards)
    assert "New title" in read(out, "cloudcone/index.html")


def test_full_build_ignores_the_previous_site(tmp_path: Path) -> None:
    out = small_site(tmp_path)
    ino = (out / "cloudcone/index.html").stat().st_ino
    small_site(tmp_path, incremental=False)
    assert (out / "cloudcone/index.html").stat().st_ino != ino


# --- doubt, caps, the annotated policy -------------------------------------------------------------

INTERNAL_WORDING = re.compile(r"\b(with_fee|not_sold|not_stated|direct_notice|posted_only|priority)\b|\(\d+\) over")


def disputed_card():
    """An extracted access fact whose sentences disagree: one says there is a fee, one that access is free."""
    from scorecard.model import Evidence, Fact
    from scorecard.rubric import load_rubric
    from scorecard.score import score

    fee = Evidence(quote="Any access request may be subject to a fee of $20.", start=0, end=51, value="with_fee")
    free = Evidence(quote="You may see and correct your data at any time.", start=52, end=99, value="yes")
    facts = {"access": Fact(practice="access", value="with_fee", evidence=[fee, free], needs_review=True,
                            note="sentences disagree: with_fee (1) over yes (1) by the practice's priority"),
             "data_sale": Fact(practice="data_sale", value="sold")}
    rubric = load_rubric()
    return rubric, score(rubric, facts, slug="disputed", name="Disputed Cloud")


def test_a_disputed_fact_says_unsure_in_plain_words_on_every_page(tmp_path: Path) -> None:
    from scorecard.render.site import render_provider_files, render_shared_files
    from scorecard.render.templating import make_environment

    rubric, card = disputed_card()
    env = make_environment()
    files = {**render_provider_files(card, rubric, env, None), **render_shared_files([card], rubric, env, None)}
    words = "Unsure: the policy says both “Access for a fee” and “See and correct”"
    provider = Page(files["disputed/index.html"].decode()).plain
    assert words[len("Unsure: "):] in provider and "Unsure" in provider
    assert "This sentence says: Access for a fee" in provider and "This sentence says: See and correct" in provider
    column = column_of(files["data/compare/disputed.js"].decode())
    compare = Page(column["head"] + "".join(column["cells"])).plain
    assert words[len("Unsure: "):] in compare
    index = files["index.html"].decode()
    cell = re.search(r'<td class="cell-bad">[^\n]*Access for a fee.*?</td>', index)
    assert cell and "Unsure" in cell.group()
    for rel in ("disputed/index.html", "compare/index.html", "index.html"):
        assert not INTERNAL_WORDING.search(Page(files[rel].decode()).plain), rel


def test_bundled_pages_never_show_internal_keys_or_counts(built_site: Path) -> None:
    for rel in [*PAGES, "cloudonex/policy/index.html"]:
        text = Page(read(built_site, rel)).plain
        assert not INTERNAL_WORDING.search(text), (rel, INTERNAL_WORDING.search(text))


def test_a_capped_grade_says_why(tmp_path: Path) -> None:
    from scorecard.model import GradeCap
    from scorecard.render.site import render_provider_files
    from scorecard.render.templating import make_environment

    rubric, card = disputed_card()
    assert card.grade == "F"  # the cap does not bite below D
    cap = GradeCap(practice="data_sale", question="Does it sell your personal data?", label="Sold", cap="D",
                   summary="Sells, rents or trades your personal data.")
    best = card.model_copy(update={"grade": "D", "uncapped_grade": "A", "caps": [cap]})
    html = render_provider_files(best, rubric, make_environment(), None)["disputed/index.html"].decode()
    assert "Grade capped at D because it sells, rents or trades your personal data" in Page(html).plain
    assert "The score alone would give A" in Page(html).plain


def test_site_counts_the_answers_a_person_checked(built_site: Path) -> None:
    index = Page(read(built_site, "index.html")).plain
    practices = len(rubric_data()["practices"])
    total = practices * (len(SLUGS) + 1)
    assert f"{practices} of {total} answers were checked by a person across {len(SLUGS) + 1} providers" in index
    assert f"{practices} of {practices} answers were checked by a person" in Page(read(built_site, f"{STRESS}/index.html")).plain
    assert f"0 of {practices} answers were checked by a person; {practices} were found automatically" in Page(
        read(built_site, "cloudonex/index.html")).plain


def ids_of(html: str) -> set[str]:
    return {attrs["id"] for _tag, attrs in Page(html).tags if attrs.get("id")}


@pytest.mark.parametrize("slug", ["cloudonex", STRESS])
def test_every_quote_links_to_its_highlighted_sentence_in_the_annotated_policy(built_site: Path, slug: str) -> None:
    policy = read(built_site, f"{slug}/policy/index.html")
    targets = ids_of(policy)
    card = json.loads(read(built_site, f"{slug}/scorecard.json"))
    links = [a["href"] for a in Page(read(built_site, f"{slug}/index.html")).all("a")
             if (a.get("href") or "").startswith("policy/index.html#")]
    quotes = sum(len(p["evidence"]) for p in card["practices"].values())
    assert quotes and len(links) == quotes
    for href in links:
        assert href.split("#")[1] in targets, href
    compare = [a["href"] for a in Page(compare_html(built_site, [slug])).all("a")
               if (a.get("href") or "").startswith(f"../{slug}/policy/index.html#")]
    assert compare and all(h.split("#")[1] in targets for h in compare)
    # Each mark is labelled with its practice and what it says, and has a way to the next one.
    marks = re.findall(r'<mark id="(q-[a-z_]+-\d+)"', policy)
    assert marks and "highlight 1 of" in policy and ">next</a>" in policy


class PolicyText(HTMLParser):
    """The text of the policy article, without the labels and links the page adds around highlights."""

    SKIP = frozenset({"hl-tags", "hl-nav"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.skipping = 0  # depth inside a skipped element
        self.parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "article":
            self.inside = True
        if self.skipping:
            self.skipping += 1
        elif attr.get("class") in self.SKIP:
            self.skipping = 1
        if tag in ("p", "h2"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.inside = False
        if self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skipping:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def test_the_annotated_policy_is_the_whole_text_escaped_with_headings(built_site: Path) -> None:
    from scorecard.text import read_policy

    from tests.helpers import PROVIDERS

    document = read_policy(PROVIDERS / "cloudonex" / "policy.md")
    page = read(built_site, "cloudonex/policy/index.html")
    assert PolicyText(page).text == " ".join(document.text.split())
    assert re.search(r'<h2 id="h-[a-z0-9-]+">', page)
    assert "<mark" in page and 'class="hl-tag' in page
    stress = read(built_site, f"{STRESS}/policy/index.html")
    assert "<b>Cloud</b>" not in stress


def test_index_links_each_practice_and_shows_each_policy_date_and_a_search(built_site: Path) -> None:
    page = Page(read(built_site, "index.html"))
    hrefs = [a["href"] for a in page.all("a")]
    for practice in rubric_data()["practices"]:
        assert f"practices/{practice['key']}/index.html" in hrefs
    assert "Policy archived 2018-04-17" in page.plain and "Policy effective 2025-02-01" in page.plain
    assert any(attrs.get("type") == "search" and attrs.get("id") == "find" for attrs in page.all("input"))


@pytest.mark.parametrize("key", [p["key"] for p in rubric_data()["practices"]])
def test_a_page_per_practice_lists_every_provider_with_its_whole_deciding_quote(built_site: Path, key: str) -> None:
    page = Page(read(built_site, f"practices/{key}/index.html"))
    for slug in [*SLUGS, STRESS]:
        card = json.loads(read(built_site, f"{slug}/scorecard.json"))
        fact = card["practices"][key]
        assert card["name"] in page.plain
        if fact["evidence"]:
            assert " ".join(fact["evidence"][0]["quote"].split()) in page.plain  # whole, never cut
            assert f"../../{slug}/policy/index.html#q-{key}-0" in [a["href"] for a in page.all("a")]


def test_compare_shows_whole_quotes(built_site: Path) -> None:
    text = Page(compare_html(built_site, [*SLUGS, STRESS])).plain
    for slug in [*SLUGS, STRESS]:
        card = json.loads(read(built_site, f"{slug}/scorecard.json"))
        for fact in card["practices"].values():
            if fact["evidence"]:
                assert " ".join(fact["evidence"][0]["quote"].split()) in text


def test_with_several_versions_the_policy_page_shows_the_latest_and_links_the_older(tmp_path: Path) -> None:
    from tests.unit.history.test_history import SELL, SOLD, two_versions

    two_versions(tmp_path / "providers")
    out = tmp_path / "site"
    build(BuildOptions(providers=tmp_path / "providers", out=out, pdf=False))
    latest = read(out, "acme/policy/index.html")
    older = read(out, "acme/policy/policy/index.html")
    assert SOLD in latest and SELL not in latest and "the latest we have" in latest
    assert SELL in older and "This is an older version" in older
    assert 'href="policy/index.html"' in latest  # to the older version
    assert 'href="../index.html"' in older  # back to the latest
    assert re.search(r'<mark id="q-data_sale-0" class="hl hl-bad">We may sell', latest)
    for page in (latest, older):
        for attrs in Page(page).all("a"):
            href = attrs.get("href") or ""
            if not href.startswith(("http", "#")):
                base = out / "acme" / "policy" / ("" if page is latest else "policy")
                assert (base / href.split("#")[0]).exists(), href
    build(BuildOptions(providers=tmp_path / "providers", out=out, pdf=False))  # a rebuild keeps every page
    assert (out / "acme/policy/policy/index.html").is_file()


# --- sharing ---------------------------------------------------------------------------------------


def test_with_a_base_url_pages_feed_and_embed_code_carry_absolute_links(tmp_path: Path) -> None:
    import html as htmllib

    from scorecard.render.badge import badge_width

    config = tmp_path / "site.yaml"
    config.write_text("base_url: https://privacy.example.org/watch\n", encoding="utf-8")
    out = small_site(tmp_path, config=config)
    base = "https://privacy.example.org/watch/"
    provider = read(out, "cloudcone/index.html")
    assert f'<link rel="canonical" href="{base}cloudcone/">' in provider
    assert f'<meta property="og:url" content="{base}cloudcone/">' in provider
    assert '<meta property="og:title" content="CloudCone: privacy grade' in provider
    assert f'<link rel="canonical" href="{base}">' in read(out, "index.html")
    assert f'<link rel="canonical" href="{base}practices/access/">' in read(out, "practices/access/index.html")
    assert f'<link rel="canonical" href="{base}cloudcone/policy/">' in read(out, "cloudcone/policy/index.html")
    codes = [htmllib.unescape(c) for c in re.findall(r'<pre class="embed"[^>]*><code>(.*?)</code></pre>', provider)]
    card = json.loads(read(out, "cloudcone/scorecard.json"))
    alt = f"CloudCone: privacy grade {card['grade']}, score {card['score']} out of 100"
    width = badge_width(card["grade"], card["score"])
    assert codes == [f'<a href="{base}cloudcone/"><img src="{base}cloudcone/badge.svg" alt="{alt}" width="{width}" height="20"></a>',
                     f"[![{alt}]({base}cloudcone/badge.svg)]({base}cloudcone/)"]
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    assert {link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")} >= {
        f"{base}feed.xml", f"{base}changes/"}


def test_without_a_base_url_nothing_is_absolute_and_the_embed_code_says_why(built_site: Path) -> None:
    provider = read(built_site, "cloudonex/index.html")
    assert 'rel="canonical"' not in provider and "og:url" not in provider
    assert "base_url" in provider and "[![CloudOnex: privacy grade" in provider


def test_a_base_url_must_be_a_web_address(tmp_path: Path) -> None:
    config = tmp_path / "site.yaml"
    config.write_text("base_url: 'javascript:alert(1)'\n", encoding="utf-8")
    with pytest.raises(ScorecardError, match=r"site.yaml:1:\d+: .*base_url must be an http\(s\) address"):
        load_config(config)


# --- open data -------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_apostrophe(start: str) -> None:
    import csv
    import io

    from scorecard.model import Evidence, Fact, ProviderInfo
    from scorecard.render.data import scorecards_csv
    from scorecard.rubric import load_rubric
    from scorecard.score import score

    evil = f"{start}HYPERLINK(\"http://evil.example/\",\"click\")"
    info = ProviderInfo(name=evil, policy_file="policy.txt", policy_url="https://acme.example/privacy",
                        policy_date="2026-01-02")
    facts = {"data_sale": Fact(practice="data_sale", value="not_sold",
                               evidence=[Evidence(quote=evil, start=0, end=len(evil))])}
    card = score(load_rubric(), facts, slug="acme", name=evil, info=info)
    rows = list(csv.DictReader(io.StringIO(scorecards_csv([card]).decode("utf-8"))))
    assert rows[0]["name"] == "'" + evil
    quote = " ".join(evil.split())  # white space in quotes is joined first: a leading tab is already gone
    assert rows[0]["data_sale.evidence"] == (quote if start in "\t\r" else "'" + quote)
    assert rows[0]["score"] == str(card.score)  # numbers are left alone
    assert rows[0]["policy_url"] == "https://acme.example/privacy" and rows[0]["policy_date"] == "2026-01-02"
    assert rows[0]["data_sale.value"] == "not_sold" and rows[0]["data_sale.label"] == "Not sold"


def test_notes_for_readers_never_carry_keys_and_quoted_keys_become_labels() -> None:
    from scorecard.model import Fact
    from scorecard.render.doubt import reader_note
    from scorecard.rubric import load_rubric

    practice = load_rubric().practice("data_sale")
    stale = Fact(practice="data_sale", value="sold", needs_review=True,
                 note="The policy changed on 2026-06-01 a sentence cited by the review by Ada (which said "
                      "'not_sold'); this answer was found automatically in the new text.")
    assert "which said “Not sold”" in reader_note(stale, practice)
    legacy = Fact(practice="data_sale", value="sold", note="sentences disagree: sold (2) over not_sold (1) by "
                                                          "the practice's priority; the statement is qualified (except/unless)")
    assert reader_note(legacy, practice).startswith("The sentence that decided this has an exception")
    assert "priority" not in reader_note(legacy, practice)


def test_a_capped_grade_is_marked_on_the_index(tmp_path: Path) -> None:
    from scorecard.model import GradeCap
    from scorecard.render.site import render_shared_files
    from scorecard.render.templating import make_environment

    rubric, card = disputed_card()
    cap = GradeCap(practice="data_sale", question="Does it sell your personal data?", label="Sold", cap="D",
                   summary="Sells, rents or trades your personal data.")
    capped = card.model_copy(update={"grade": "D", "uncapped_grade": "A", "caps": [cap]})
    index = render_shared_files([capped], rubric, make_environment(), None)["index.html"].decode()
    assert 'href="disputed/index.html#cap">capped' in index


def test_past_a_page_of_providers_the_index_and_practice_pages_go_on_in_linked_pages_and_compare_stays_small(
        ) -> None:
    """Two pages and a half of providers: index.html, index-2.html, index-3.html, each of at most PAGE_ROWS
    rows, reached by next-page links without JavaScript; practice pages the same; the compare page holds no
    provider's table."""
    from scorecard.render.site import PAGE_ROWS, render_shared_files, shared_file_names
    from scorecard.render.templating import make_environment

    rubric, card = disputed_card()
    total = 2 * PAGE_ROWS + PAGE_ROWS // 2
    cards = [card.model_copy(update={"slug": f"p{i:04d}", "name": f"Provider {i:04d}"}) for i in range(total)]
    files = render_shared_files(cards, rubric, make_environment(), None)
    assert set(files) == set(shared_file_names(rubric, len(cards)))
    seen: list[str] = []
    rel = "index.html"
    while rel:
        page = Page(files[rel].decode())
        rows = [a["href"] for a in page.all("a") if re.fullmatch(r"p\d{4}/index\.html", a.get("href") or "")]
        assert 0 < len(set(rows)) <= PAGE_ROWS
        seen += sorted(set(rows), key=rows.index)
        nexts = [a["href"] for a in page.all("a") if a.get("rel") == "next"]
        rel = nexts[0] if nexts else ""
    assert seen == [f"{c.slug}/index.html" for c in cards]  # every provider once, best first, page after page
    assert f"Page 3 of 3 (providers {2 * PAGE_ROWS + 1} to {total} of {total})" in Page(
        files["index-3.html"].decode()).plain
    assert f"{total} providers" in Page(files["index-2.html"].decode()).plain  # the counts are of the whole site
    practice = Page(files["practices/access/index-2.html"].decode()).plain
    assert f"{total} providers, {PAGE_ROWS} on this page" in practice
    small = render_shared_files(cards[:2], rubric, make_environment(), None)
    assert len(files["compare/index.html"]) - len(small["compare/index.html"]) == len(str(total)) - 1  # the count
