"""The site in a real browser: Debian's chromium driven by Playwright, from file://.

Every request is recorded and any that is not a file of the site fails the test; axe-core runs in each page
type (0 violations); sorting, filtering and comparing are done with the keyboard; screenshots are saved
under tests/screenshots/ for review. Never downloads a browser: /usr/bin/chromium or fail.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import STRESS

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
PAGE_TYPES = {"index": "index.html", "provider": "cloudonex/index.html", "stress": f"{STRESS}/index.html",
              "compare": "compare/index.html?p=cloudonex&p=cloud9", "methodology": "methodology/index.html",
              "changes": "changes/index.html", "policy": "cloudonex/policy/index.html",
              "stress-policy": f"{STRESS}/policy/index.html", "practice": "practices/access/index.html"}


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser context that records every request and console error."""

    def __init__(self, browser: Browser, site: Path, **options: object) -> None:
        # bypass_csp only so the test can inject axe-core; the site's own CSP is checked in test_site.
        self.context: BrowserContext = browser.new_context(bypass_csp=True, **options)
        self.site = site.resolve()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page: Page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)

    def go(self, rel: str) -> Page:
        self.page.goto(f"{self.site.as_uri()}/{rel}")
        return self.page

    def check(self) -> None:
        prefix = self.site.as_uri() + "/"
        outside = [url for url in self.requests if not url.startswith(prefix)]
        assert outside == [], f"requests that leave the site: {outside}"
        assert self.errors == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser: Browser, built_site: Path) -> Iterator[Visit]:
    v = Visit(browser, built_site, viewport={"width": 1280, "height": 900})
    yield v
    v.close()
    v.check()


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {preload: false, runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
        return r.violations.map(v => v.id + ": " + v.help + " -> " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    return result


def names(page: Page) -> list[str]:
    return page.locator("[data-overview] tbody tr:not([hidden]) th a").all_inner_texts()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_violations(browser: Browser, built_site: Path, screenshots: Path, kind: str,
                                 scheme: str) -> None:
    v = Visit(browser, built_site, viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = v.go(PAGE_TYPES[kind])
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # filters, embed code
    page.screenshot(path=str(screenshots / f"{kind}-{scheme}.png"), full_page=True)
    violations = axe_violations(page)
    v.close()
    v.check()
    assert violations == []


def test_index_sorts_and_filters_with_the_keyboard(visit: Visit, screenshots: Path) -> None:
    page = visit.go("index.html")
    rows = page.locator("[data-overview] tbody tr")
    scores = [int(s) for s in rows.evaluate_all("rows => rows.map(r => r.dataset.score)")]
    assert scores == sorted(scores, reverse=True)  # best first, as built
    expect(page.locator("th[data-sort='grade']")).to_have_attribute("aria-sort", "descending")

    page.locator("th[data-sort='name'] button").focus()
    page.keyboard.press("Enter")
    by_name = names(page)
    assert by_name == sorted(by_name, key=str.lower)
    expect(page.locator("th[data-sort='name']")).to_have_attribute("aria-sort", "ascending")
    page.keyboard.press("Enter")
    assert names(page) == by_name[::-1]
    expect(page.locator("th[data-sort='name']")).to_have_attribute("aria-sort", "descending")

    page.locator("th[data-sort='score'] button").focus()
    page.keyboard.press("Space")
    shown = [int(s) for s in page.locator("[data-overview] tbody tr .score-num").all_inner_texts()]
    assert shown == sorted(shown, reverse=True)

    page.locator("summary").focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Does not sell your personal data")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    visible = page.locator("[data-overview] tbody tr:not([hidden])")
    total = rows.count()
    assert 0 < visible.count() < total
    assert visible.evaluate_all("rows => rows.every(r => r.dataset.pDataSale === 'not_sold')")
    expect(page.locator("[data-count]")).to_contain_text(f"{visible.count()} of {total} providers match")
    page.screenshot(path=str(screenshots / "index-filtered.png"), full_page=True)
    page.keyboard.press("Space")
    assert visible.count() == total


def test_open_a_provider_and_compare_two(visit: Visit, screenshots: Path) -> None:
    page = visit.go("index.html")
    first = names(page)[0]
    page.get_by_role("link", name=first).click()
    expect(page.locator("h1")).to_have_text(first)
    expect(page.get_by_role("heading", name="In plain words")).to_be_visible()
    page.get_by_role("link", name="Compare with another provider").click()
    # The link names one provider; the page may then add a second one to the URL.
    expect(page).to_have_url(re.compile(r"compare/index\.html\?p=[a-z0-9-]+"))
    slug = parse_qs(urlsplit(page.url).query)["p"][0]
    expect(page.locator("#pick-0")).to_have_value(slug)
    visible = page.locator("[data-compare] thead th[data-slug]:visible")
    expect(visible).to_have_count(2)
    page.focus("#pick-1")  # as a reader turns to a picker: it then lists every provider
    page.select_option("#pick-1", "cloudonex")
    page.focus("#pick-2")
    page.select_option("#pick-2", "cloud9")
    expect(visible).to_have_count(3)
    assert visible.evaluate_all("ths => ths.map(t => t.dataset.slug)") == [slug, "cloudonex", "cloud9"]
    assert page.locator("[data-compare] tbody td:visible").count() == 3 * page.locator("[data-compare] tbody tr").count()
    expect(page.locator("[data-compare] td[data-slug='cloudonex'] .deciding").first).to_be_visible()
    page.select_option("#pick-2", "")
    expect(visible).to_have_count(2)
    page.screenshot(path=str(screenshots / "compare-two.png"), full_page=True)


def test_without_javascript_the_index_is_sorted_and_compare_leads_to_every_provider(browser: Browser,
                                                                                     built_site: Path,
                                                                                     screenshots: Path) -> None:
    v = Visit(browser, built_site, java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = v.go("index.html")
    expect(page.locator("[data-controls]")).to_be_hidden()
    scores = [int(s) for s in page.locator("[data-overview] tbody tr .score-num").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    page = v.go("compare/index.html")
    expect(page.locator("[data-compare-picker]")).to_be_hidden()
    expect(page.locator("[data-compare]")).to_be_hidden()  # an empty table says nothing without JavaScript
    page.screenshot(path=str(screenshots / "compare-no-js.png"))
    page.locator("[data-no-js] a").click()  # the list of providers, each linking to its page
    expect(page).to_have_url(re.compile(r"/index\.html$"))
    expect(page.locator("[data-overview] tbody tr")).to_have_count(len(scores))
    v.close()
    v.check()


def test_compare_loads_only_the_chosen_providers_from_the_site(visit: Visit) -> None:
    """Each provider's column is a script of the site, loaded when the provider is picked; nothing else."""
    page = visit.go("compare/index.html?p=cloudonex&p=cloud9")
    expect(page.locator("[data-compare] thead th[data-slug]")).to_have_count(2)
    expect(page.locator("[data-compare] td[data-slug='cloud9'] .deciding").first).to_be_visible()
    loaded = [u.rsplit("/", 1)[1] for u in visit.requests if "/data/compare/" in u]
    assert sorted(loaded) == ["_providers.js", "cloud9.js", "cloudonex.js"]
    page.focus("#pick-1")
    page.select_option("#pick-1", "cloudcone")
    expect(page.locator("[data-compare] thead th[data-slug]")).to_have_count(2)
    assert page.locator("[data-compare] thead th[data-slug]").evaluate_all(
        "ths => ths.map(t => t.dataset.slug)") == ["cloudonex", "cloudcone"]
    expect(page.locator("[data-compare] caption")).to_have_text(re.compile(r"Side by side: CloudOnex, CloudCone"))


@pytest.mark.parametrize("kind", ["index", "provider", "compare", "methodology", "policy", "stress-policy",
                                  "practice", "changes"])
def test_usable_at_360_px(browser: Browser, built_site: Path, screenshots: Path, kind: str) -> None:
    v = Visit(browser, built_site, viewport={"width": 360, "height": 740}, device_scale_factor=1)
    page = v.go(PAGE_TYPES[kind])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width}px); only tables may"
    page.screenshot(path=str(screenshots / f"{kind}-360.png"), full_page=True)
    v.close()
    v.check()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(visit: Visit) -> None:
    page = visit.go("cloudonex/index.html")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_print_stylesheet_hides_navigation_and_controls(visit: Visit) -> None:
    page = visit.go("index.html")
    page.emulate_media(media="print")
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator("[data-controls]")).to_be_hidden()
    expect(page.locator("[data-overview]")).to_be_visible()


def test_every_practice_column_is_in_view_at_1280_px(visit: Visit) -> None:
    page = visit.go("index.html")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the index table scrolls sideways at 1280 px"
    last = page.locator("[data-overview] thead th").last
    box = last.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280


def test_search_by_name_narrows_the_index(visit: Visit) -> None:
    page = visit.go("index.html")
    page.get_by_label("Find a provider by name").fill("onex")
    expect(page.locator("[data-overview] tbody tr:not([hidden])")).to_have_count(1)
    assert names(page) == ["CloudOnex"]
    expect(page.locator("[data-count]")).to_contain_text("1 of")
    page.get_by_label("Find a provider by name").fill("")
    assert len(names(page)) > 1


def landed_on_highlight(page: Page) -> None:
    """The URL's fragment names a highlighted sentence (or an anchor just before one), in view."""
    fragment = urlsplit(page.url).fragment
    assert fragment.startswith("q-"), page.url
    target = page.locator(f"[id='{fragment}']")
    expect(target).to_have_count(1)
    mark = target if target.evaluate("e => e.tagName") == "MARK" else \
        page.locator(f"[id='{fragment}'] ~ mark.hl").first
    expect(mark).to_be_in_viewport()
    assert mark.evaluate("m => getComputedStyle(m).outlineStyle") == "solid"  # :target shows where


@pytest.mark.parametrize("javascript", [True, False])
def test_a_click_on_a_quote_lands_on_its_highlighted_sentence(browser: Browser, built_site: Path,
                                                              javascript: bool) -> None:
    v = Visit(browser, built_site, viewport={"width": 390, "height": 800}, java_script_enabled=javascript)
    page = v.go("cloudonex/index.html")
    quote = page.locator("#retention blockquote").first.inner_text()
    page.locator("#retention a.in-context").first.click()
    expect(page).to_have_url(re.compile(r"/cloudonex/policy/index\.html#q-retention-0$"))
    landed_on_highlight(page)
    assert " ".join(quote.split()) in " ".join(page.locator("mark#q-retention-0").inner_text().split())
    # Step through: next, then previous, comes back.
    first = urlsplit(page.url).fragment
    page.locator(f"mark#{first} ~ .hl-nav a", has_text="next").first.click()
    assert urlsplit(page.url).fragment != first
    page.locator(f"mark#{urlsplit(page.url).fragment} ~ .hl-nav a", has_text="previous").first.click()
    assert urlsplit(page.url).fragment == first
    if javascript:  # from the compare page too (without JavaScript it links to the provider pages)
        page = v.go("compare/index.html?p=cloudonex&p=cloud9")
        page.locator("td[data-slug='cloudonex'] a.in-context").first.click()
        landed_on_highlight(page)
    v.close()
    v.check()


def test_compare_at_390_px_stacks_providers(browser: Browser, built_site: Path, screenshots: Path) -> None:
    v = Visit(browser, built_site, viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = v.go("compare/index.html?p=cloudonex&p=cloud9")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cells = page.locator("[data-compare] tbody tr").first.locator("td:visible")
    expect(cells).to_have_count(2)
    a, b = (cells.nth(i).bounding_box() for i in range(2))
    assert a and b and b["y"] >= a["y"] + a["height"] - 1  # one below the other
    assert a["width"] > 300
    page.screenshot(path=str(screenshots / "compare-390.png"), full_page=True)
    v.close()
    v.check()


@pytest.fixture(scope="module")
def documents_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A provider of three documents (tests/test_documents.py), built without PDFs."""
    import subprocess
    import sys

    from tests.integration.builds.test_documents import acme

    root = tmp_path_factory.mktemp("documents-site")
    acme(root)
    built = subprocess.run([sys.executable, "-m", "scorecard", "build", "--no-pdf", "--out", "site"], cwd=root,
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    return root / "site"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_quote_of_another_document_lands_on_its_page(browser: Browser, documents_site: Path, screenshots: Path,
                                                       javascript: bool) -> None:
    v = Visit(browser, documents_site, viewport={"width": 360, "height": 740}, device_scale_factor=1,
              java_script_enabled=javascript)
    page = v.go("acme/index.html")
    page.locator("#third_party_tracking a.in-context", has_text="cookie policy").first.click()
    expect(page).to_have_url(re.compile(r"/acme/policy/cookies/index\.html#q-third_party_tracking-0$"))
    landed_on_highlight(page)
    page.screenshot(path=str(screenshots / f"policy-cookies-360{'' if javascript else '-nojs'}.png"), full_page=True)
    if javascript:  # axe-core needs scripts; the width and the links are checked both ways
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert axe_violations(page) == []
    page.get_by_role("link", name="Terms of service").first.click()
    expect(page).to_have_url(re.compile(r"/acme/policy/terms/index\.html$"))
    if javascript:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert axe_violations(page) == []
    v.close()
    v.check()
