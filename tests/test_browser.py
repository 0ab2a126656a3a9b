"""A real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against the
built portal test site on localhost: the switcher, the remembered language, the root page,
keyboard use, no console errors; with a plain static server and with nginx."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import build_ok, make_project
from servers import CHROMIUM, nginx, nginx_available, unless_required

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


class Tab:
    """A page in a fresh browser context that records console errors and failed requests."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on(
            "response",
            lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )

    def path(self) -> str:
        return "/" + self.page.url.split("/", 3)[3]

    def lang_cookie(self) -> dict[str, Any] | None:
        return next((c for c in self.context.cookies() if c["name"] == "ushtil_lang"), None)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    t = Tab(browser, locale="kk-KZ")
    yield t
    t.close()


def test_switch_language_lands_on_the_same_article(site: str, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{site}/kk/news/party/")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.locator("nav.switcher").get_by_role("link", name="Русский").click()
    page.wait_for_url(f"{site}/ru/news/party/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text().startswith("Асет Исекешев возглавил")
    current = page.locator('nav.switcher a[aria-current="page"]')
    assert current.inner_text() == "Русский"
    cookie = tab.lang_cookie()
    assert cookie is not None and cookie["value"] == "ru" and cookie["path"] == "/"
    days = (cookie["expires"] - page.evaluate("Date.now() / 1000")) / 86400
    assert 364 < days <= 366
    # back to the root: straight to the remembered language
    page.goto(f"{site}/")
    page.wait_for_url(f"{site}/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert tab.errors == []


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en-US", "/en/"), ("ru-RU", "/ru/"), ("kk-KZ", "/kk/"), ("de-DE", "/kk/")],
)
def test_root_follows_the_browser_languages(
    site: str, browser: Any, locale: str, expected: str
) -> None:
    t = Tab(browser, locale=locale)
    try:
        t.page.goto(f"{site}/")
        t.page.wait_for_url(f"{site}{expected}")
        assert t.errors == []
    finally:
        t.close()


def test_switcher_never_leads_to_a_dead_page(site: str, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{site}/kk/news/languages/")  # no English version
    english = page.locator("nav.switcher").get_by_text("English")
    assert english.evaluate("e => e.tagName") == "SPAN"
    assert english.get_attribute("aria-disabled") == "true"
    assert page.locator("nav.switcher").get_by_role("link", name="English").count() == 0
    hrefs = page.locator("nav.switcher a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 2
    for href in hrefs:
        response = page.goto(href)
        assert response is not None and response.status == 200, href
    assert tab.errors == []


def test_switcher_works_from_the_keyboard(site: str, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{site}/kk/news/party/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "English":
            break
    else:
        pytest.fail("Tab never reached the English link of the switcher")
    assert page.evaluate("document.activeElement.closest('nav.switcher') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/en/news/party/")
    assert tab.lang_cookie()["value"] == "en"  # type: ignore[index]
    assert tab.errors == []


def test_root_without_javascript_is_a_list_of_links(site: str, browser: Any) -> None:
    t = Tab(browser, java_script_enabled=False, locale="en-US")
    try:
        t.page.goto(f"{site}/")
        assert t.path() == "/"
        links = t.page.locator("ul.languages a")
        assert links.count() == 3
        t.page.get_by_role("link", name="Русский").click()
        t.page.wait_for_url(f"{site}/ru/")
        assert t.errors == []
    finally:
        t.close()


def test_every_page_of_the_site_loads_without_errors(site: str, public: Path, tab: Tab) -> None:
    pages = sorted(p for p in public.rglob("index.html") if p.parent != public)
    assert len(pages) > 10
    for path in pages:
        url = "/" + path.parent.relative_to(public).as_posix() + "/"
        response = tab.page.goto(f"{site}{url}")
        assert response is not None and response.status == 200, url
    assert tab.errors == []


@pytest.mark.skipif(
    unless_required(nginx_available()), reason="needs nginx and libnginx-mod-http-js"
)
def test_choice_made_in_the_browser_is_honoured_by_nginx(
    public: Path, browser: Any, tmp_path: Path
) -> None:
    with nginx(public, tmp_path / "nginx") as base:
        t = Tab(browser, locale="en-US")
        try:
            t.page.goto(f"{base}/")
            t.page.wait_for_url(f"{base}/en/")  # no cookie yet: Accept-Language
            t.page.locator("nav.switcher").get_by_role("link", name="Қазақша").click()
            t.page.wait_for_url(f"{base}/kk/")
            t.page.goto(f"{base}/")
            t.page.wait_for_url(f"{base}/kk/")  # nginx read the cookie the page stored
            t.page.goto(f"{base}/ru/news/none/")
            assert t.page.locator("html").get_attribute("lang") == "ru"
            assert [e for e in t.errors if "404" not in e] == []
        finally:
            t.close()
