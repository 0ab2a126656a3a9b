"""The portal test site in a real Chromium (Debian's /usr/bin/chromium, by Playwright):
axe-core finds no WCAG 2.1 A or AA violation on any page kind in any language; no page
scrolls sideways on a phone or a desktop; the skip link, visible focus, the low-vision
version (remembered, never hiding anything from readers without JavaScript) and the
print styles.

axe-core comes bundled in the PyPI package axe-playwright-python (a pinned copy of
Deque's axe.min.js that its ``Axe`` injects into the page), so the test needs no npm."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import build_ok, edit, make_project
from servers import CHROMIUM, static_server, unless_required

from ushtil.project.identity import contrast

if os.environ.get("USHTIL_REQUIRE_ALL") == "1":
    import axe_playwright_python.sync_playwright as axe_api
    import playwright.sync_api as playwright_api
else:
    playwright_api = pytest.importorskip("playwright.sync_api")
    axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")
pytestmark = pytest.mark.skipif(
    unless_required(os.path.exists(CHROMIUM)),
    reason="needs Debian's chromium (python3 dev.py test installs it)",
)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGS = ("kk", "ru", "en")
# fallback pages: an article without its own version in the language, shown in another
FALLBACK = {"kk": "buses", "ru": "library", "en": "buses"}


def page_kinds() -> list[tuple[str, str]]:
    """(kind, path) for every page kind in every language, the chooser and the dashboard."""
    kinds: list[tuple[str, str]] = [("chooser", "/"), ("dashboard", "/_status/")]
    for lang in LANGS:
        kinds += [
            (f"home {lang}", f"/{lang}/"),
            (f"list page 2 {lang}", f"/{lang}/page/2/"),
            (f"category {lang}", f"/{lang}/category/culture/"),
            (f"article with gallery {lang}", f"/{lang}/news/opera/"),
            (f"fallback article {lang}", f"/{lang}/news/{FALLBACK[lang]}/"),
            (f"404 {lang}", f"/{lang}/404.html"),
            (f"dashboard {lang}", f"/_status/{lang}/"),
        ]
    return kinds


KINDS = page_kinds()


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's portal site (four articles a page, so every language has a second page),
    with fallback pages in every language (a version removed in two) and one article that
    is not shown in a language."""
    project = make_project(tmp_path_factory.mktemp("a11y"), "portal")
    edit(project / "site.toml", 'missing = "hide"', 'missing = "fallback"')
    (project / "articles" / "buses" / "kk.md").unlink()
    (project / "articles" / "library" / "ru.md").unlink()
    with (project / "articles" / "languages" / "article.toml").open("a") as toml:
        toml.write('missing = "hide"\n')  # English greyed out in the switcher
    return build_ok(project)


def stay_on_chooser(page: Any) -> None:
    """The chooser's script would go on to the reader's language: serve it empty."""
    page.route("**/lang.js", lambda route: route.fulfill(body="", content_type="text/javascript"))


def open_page(browser: Any, url: str, **context: Any) -> tuple[Any, Any]:
    """A fresh context showing ``url`` (the chooser itself at the site's root)."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    stay_on_chooser(page)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return ctx, page


def violations(page: Any) -> list[str]:
    options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    result = axe_api.Axe().run(page, options=options)
    found = []
    for rule in result.response["violations"]:
        for node in rule["nodes"]:
            found.append(f"{rule['id']}: {node['target']} {node.get('failureSummary', '')}")
    return found


def test_the_site_has_every_page_kind(public: Path) -> None:
    for _, path in KINDS:
        file = public / path.lstrip("/")
        assert (file / "index.html" if path.endswith("/") else file).is_file(), path
    assert "notice" in (public / "kk/news/buses/index.html").read_text()


@pytest.mark.parametrize(("kind", "path"), KINDS, ids=[k for k, _ in KINDS])
def test_axe_finds_no_wcag_violation(site: str, browser: Any, kind: str, path: str) -> None:
    ctx, page = open_page(browser, site + path)
    try:
        assert violations(page) == []
    finally:
        ctx.close()


@pytest.mark.parametrize(
    "path", ["/ru/", "/kk/news/opera/", "/en/news/buses/", "/_status/kk/"]
)
def test_axe_finds_no_wcag_violation_in_the_low_vision_version(
    site: str, browser: Any, path: str
) -> None:
    ctx, page = open_page(browser, site + path)
    try:
        page.get_by_role("button", name=page.locator("[data-vision=mode]").inner_text()).click()
        page.locator("[data-vision=images]").click()
        assert page.evaluate("document.documentElement.className") == "vision vision-noimg"
        assert violations(page) == []
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_scrolls_sideways(site: str, browser: Any, width: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    page = ctx.new_page()
    stay_on_chooser(page)
    try:
        wide = []
        for kind, path in KINDS:
            page.goto(site + path)
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > inner:
                wide.append(f"{kind}: {scroll} > {inner}")
        assert wide == []
    finally:
        ctx.close()


def test_skip_link_comes_first_and_focus_is_visible(site: str, browser: Any) -> None:
    ctx, page = open_page(browser, f"{site}/kk/news/brt/")
    try:
        skip = page.locator("a.skip-link")
        assert skip.bounding_box()["y"] < 0  # type: ignore[index]  # out of sight until focused
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert skip.bounding_box()["y"] >= 0  # type: ignore[index]
        focused = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.backgroundColor, s.boxShadow]; })()"
        )
        assert focused[0] == "rgb(255, 221, 0)"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"
        page.keyboard.press("Tab")  # the first link inside the page's content
        link = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.closest('main') !== null, s.backgroundColor, s.boxShadow]; })()"
        )
        assert link[0] and link[1] == "rgb(255, 221, 0)" and link[2] != "none"
    finally:
        ctx.close()


def test_low_vision_version_is_remembered_from_page_to_page(site: str, browser: Any) -> None:
    ctx, page = open_page(browser, f"{site}/ru/news/snow/")
    try:
        images = page.locator("[data-vision=images]")
        assert images.is_hidden()  # only in the low-vision version
        mode = page.locator("[data-vision=mode]")
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        mode.click()
        assert mode.get_attribute("aria-pressed") == "true"
        larger = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert larger >= size * 1.3
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
        images.click()
        assert page.locator("main img").first.is_hidden()
        page.get_by_role("link", name="Главная").click()
        page.wait_for_url(f"{site}/ru/")
        assert page.evaluate("document.documentElement.className") == "vision vision-noimg"
        assert page.locator("[data-vision=images]").get_attribute("aria-pressed") == "true"
        page.locator("[data-vision=mode]").click()  # off again: everything as before
        assert page.evaluate("document.documentElement.className") == ""
        page.goto(f"{site}/kk/")
        assert page.evaluate("document.documentElement.className") == ""
    finally:
        ctx.close()


def test_without_javascript_nothing_is_hidden(site: str, browser: Any) -> None:
    path = "/kk/news/opera/"
    ctx, page = open_page(browser, site + path)
    plain_ctx, plain = open_page(browser, site + path, java_script_enabled=False)
    try:
        assert plain.locator("main").inner_text() == page.locator("main").inner_text()
        assert plain.locator("main img").first.is_visible()
        # the switch needs JavaScript, so without it there is no button that does nothing
        assert plain.locator("button[data-vision]").evaluate_all(
            "buttons => buttons.map(b => b.hidden)"
        ) == [True, True]
        assert page.locator("[data-vision=mode]").is_visible()
    finally:
        ctx.close()
        plain_ctx.close()


def test_print_shows_no_navigation_and_the_targets_of_links(site: str, browser: Any) -> None:
    ctx, page = open_page(browser, f"{site}/en/news/brt/")
    try:
        page.emulate_media(media="print")
        for selector in ("nav.menu", "nav.switcher", "nav.breadcrumbs", "a.skip-link"):
            assert page.locator(selector).is_hidden(), selector
        after = page.locator("main .meta a").evaluate("a => getComputedStyle(a, '::after').content")
        assert after == '" <" attr(href) ">"' or "/en/category/transport/" in after
        assert page.locator("main h1").is_visible()
    finally:
        ctx.close()


def test_an_unavailable_language_is_legible(site: str, browser: Any) -> None:
    """axe leaves aria-disabled text out of its contrast rule: measured here."""
    ctx, page = open_page(browser, f"{site}/kk/news/languages/")  # no English version
    try:
        item = page.locator("nav.switcher .unavailable")
        assert item.inner_text() == "English"
        colour, opacity, background = item.evaluate(
            "e => { const s = getComputedStyle(e);"
            " const bar = getComputedStyle(e.closest('.topbar'));"
            " return [s.color, s.opacity, bar.backgroundColor]; }"
        )
        assert opacity == "1"
        assert contrast(hex_colour(colour), hex_colour(background)) >= 4.5
    finally:
        ctx.close()


def hex_colour(rgb: str) -> str:
    """``rgb(83, 93, 108)`` → ``#535d6c``"""
    return "#" + "".join(f"{int(c):02x}" for c in rgb[rgb.index("(") + 1 : -1].split(","))


@pytest.mark.parametrize("accent", ["#ffcc00", "#7fdbff"])
def test_any_accent_colour_keeps_the_pages_legible(
    tmp_path: Path, browser: Any, accent: str
) -> None:
    project = make_project(tmp_path, "portal")
    edit(project / "site.toml", 'accent = "#00629b"', f'accent = "{accent}"')
    with static_server(build_ok(project)) as base:
        for path in ("/kk/", "/ru/news/opera/", "/_status/en/"):
            ctx, page = open_page(browser, base + path)
            try:
                assert violations(page) == [], path
            finally:
                ctx.close()


def test_a_reader_asking_for_more_contrast_gets_it_without_the_switch(
    site: str, browser: Any
) -> None:
    ctx, page = open_page(browser, f"{site}/en/news/snow/")
    try:
        muted = "getComputedStyle(document.querySelector('main .meta')).color"
        assert page.evaluate(muted) != "rgb(0, 0, 0)"
        page.emulate_media(contrast="more")
        assert page.evaluate(muted) == "rgb(0, 0, 0)"
        assert page.evaluate("document.documentElement.className") == ""
        assert violations(page) == []
    finally:
        ctx.close()
