"""Search in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
each language's search page finds that language's versions only, prefixes find longer
Kazakh word forms, "no results" is the catalogue's, the header box leads to the results;
with a plain static server and with nginx."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import build_ok, edit, make_project
from servers import CHROMIUM, nginx, nginx_available, static_server, unless_required
from test_browser import Tab

from ushtil.site import searchplan

if os.environ.get("USHTIL_REQUIRE_ALL") == "1":
    import playwright.sync_api as playwright_api
else:
    playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    unless_required(os.path.exists(CHROMIUM)),
    reason="needs Debian's chromium (python3 dev.py test installs it)",
)


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ok(make_project(tmp_path_factory.mktemp("site"), "portal"))


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    t = Tab(browser, locale="kk-KZ")
    yield t
    t.close()


def search(tab: Tab, base: str, lang: str, query: str) -> list[str]:
    """Type ``query`` into the search page of ``lang``; the result links' paths."""
    page = tab.page
    page.goto(f"{base}/{lang}/search/")
    page.locator("#search-q").fill(query)
    status = page.locator(".search-status")
    status.wait_for(state="visible")
    page.wait_for_function(
        "(document.querySelector('.search-status')?.textContent ?? '').trim() !== ''"
    )
    links = page.locator(".search-results li h2 a")
    expected = page.evaluate("document.querySelector('.search-results').childElementCount")
    if expected:
        links.first.wait_for()
    hrefs: list[str] = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return hrefs


# (language, a word of article party in that language, a prefix of one of its forms)
WORDS = [
    ("kk", "Исекешев", "әкім"),  # "әкімі" in the text; Kazakh has no stemmer
    ("ru", "Исекешев", "председател"),
    ("en", "Issekeshev", "chairm"),
]


@pytest.mark.parametrize(("lang", "word", "prefix"), WORDS)
def test_search_finds_the_language_own_version_only(
    site: str, tab: Tab, lang: str, word: str, prefix: str
) -> None:
    for query in (word, prefix):
        found = search(tab, site, lang, query)
        assert f"/{lang}/news/party/" in found, (query, found)
        assert all(href.startswith(f"/{lang}/news/") for href in found), (query, found)
    page = tab.page
    result = page.locator(".search-results li").first
    assert result.locator("mark").count() >= 1  # the match highlighted in the excerpt
    assert result.locator(".meta").inner_text().strip() != ""  # date and category
    assert tab.errors == []


def test_count_and_no_results_come_from_the_catalogue(site: str, tab: Tab) -> None:
    assert search(tab, site, "kk", "қзқзқз") == []
    status = tab.page.locator(".search-status").inner_text()
    assert status == "«қзқзқз» бойынша ештеңе табылмады."
    assert search(tab, site, "ru", "щщщжжж") == []
    assert tab.page.locator(".search-status").inner_text() == (
        "По запросу «щщщжжж» ничего не найдено."
    )
    assert search(tab, site, "ru", "Исекешев") == ["/ru/news/party/"]
    assert tab.page.locator(".search-status").inner_text() == "1 результат"
    assert tab.errors == []


def test_the_header_box_reaches_the_results(site: str, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{site}/kk/news/party/")
    box = page.locator("header form[role=search] input[name=q]")
    box.fill("Астана")
    box.press("Enter")
    page.wait_for_url(f"{site}/kk/search/?q=*")
    assert page.locator("#search-q").input_value() == "Астана"
    page.locator(".search-results li h2 a").first.wait_for()
    hrefs = page.locator(".search-results li h2 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert "/kk/news/party/" in hrefs
    assert all(href.startswith("/kk/") for href in hrefs)
    page.locator(".search-results li h2 a", has_text="Исекешев").click()
    page.wait_for_url(f"{site}/kk/news/party/")
    assert tab.errors == []


def test_the_category_filter_narrows_the_results(site: str, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{site}/kk/search/?q=Астана")
    page.locator(".search-results li").first.wait_for()
    everything = page.locator(".search-results li").count()
    page.locator("#search-category").select_option(label="Сайт туралы")
    page.wait_for_function(
        "!Array.from(document.querySelectorAll('.search-results a'))"
        ".some(a => a.getAttribute('href').includes('party'))"
    )
    assert page.locator(".search-results li").count() < everything
    assert "category=" in page.url
    assert tab.errors == []


def test_without_javascript_the_search_page_says_it_needs_it(browser: Any, site: str) -> None:
    t = Tab(browser, java_script_enabled=False)
    try:
        t.page.goto(f"{site}/ru/search/")
        text = t.page.locator("main").inner_text()
        assert "Для поиска нужен JavaScript" in text
    finally:
        t.close()


@pytest.mark.skipif(unless_required(nginx_available()), reason="needs nginx with njs")
def test_search_through_nginx(public: Path, tmp_path: Path, tab: Tab) -> None:
    with nginx(public, tmp_path) as base:
        found = search(tab, base, "kk", "әкім")
        assert "/kk/news/party/" in found
        assert all(href.startswith("/kk/") for href in found)
    assert tab.errors == []


@pytest.fixture(scope="module")
def with_delta(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal site with a Kazakh version edited and another withdrawn after its index was
    made: the base holds them as they were, the delta as they are."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(searchplan, "BOUND", 2)
        project = make_project(tmp_path_factory.mktemp("delta"), "portal")
        kk = project / "articles/party/kk.md"
        kk.write_text(kk.read_text(encoding="utf-8") + "\nЗқзқескісөз.\n", encoding="utf-8")
        build_ok(project)
        edit(kk, "Зқзқескісөз", "Зқзқжаңасөз")
        edit(project / "articles/languages/kk.md", "+++\ntitle", "+++\ndraft = true\ntitle")
        public = build_ok(project)
    assert (public / "kk/pagefind/delta/pagefind-entry.json").is_file()
    with static_server(public) as base:
        yield base


def test_the_delta_is_searched_with_the_base(with_delta: str, site: str, tab: Tab) -> None:
    whole = search(tab, site, "kk", "басты")
    found = search(tab, with_delta, "kk", "басты")
    assert {"/kk/news/party/", "/kk/news/languages/"} <= set(whole)
    assert set(found) == set(whole) - {"/kk/news/languages/"}  # withdrawn: left out
    assert tab.page.locator(".search-status").inner_text() == f"{len(found)} нәтиже"
    # the edited version is found by its new text, once, and no longer by its old one
    assert search(tab, with_delta, "kk", "зқзқжаңасөз") == ["/kk/news/party/"]
    assert search(tab, with_delta, "kk", "зқзқескісөз") == []
    assert search(tab, with_delta, "kk", "Исекешев").count("/kk/news/party/") == 1
    assert tab.errors == []


def test_markup_in_titles_and_queries_is_shown_as_text(browser: Any, tmp_path: Path) -> None:
    project = make_project(tmp_path, "basic")
    hostile = "<img src=x onerror=window.pwned=1>"
    edit(
        project / "articles/a-full/kk.md",
        'title = "Қалада жаңа саябақ ашылды"',
        f"title = '{hostile} Қалада жаңа саябақ'",
    )
    edit(project / "site.toml", '= "News of the city"', f"= '{hostile}'")
    public = build_ok(project)
    t = Tab(browser)
    try:
        with static_server(public) as base:
            assert "/kk/news/a-full/" in search(t, base, "kk", "саябақ")
            result = t.page.locator(".search-results li").first
            assert hostile in result.locator("h2").inner_text()
            assert hostile in result.locator(".meta").inner_text()  # the category's name
            query = "<svg onload=window.pwned=2>щщщ"
            assert search(t, base, "kk", query) == []
            assert query in t.page.locator(".search-status").inner_text()
            assert t.page.locator("main img, main svg").count() == 0
            assert t.page.evaluate("window.pwned === undefined")
        assert t.errors == []
    finally:
        t.close()
