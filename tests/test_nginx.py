"""deploy/nginx.conf in a real nginx (Debian's, with its njs module) serving the built
test site (tests/sites/portal) on a free localhost port: the language choice at "/",
headers, 404 pages."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from conftest import build_ok, find, make_project
from servers import get, nginx, nginx_available, unless_required

pytestmark = pytest.mark.skipif(
    unless_required(nginx_available()),
    reason="needs nginx and libnginx-mod-http-js (python3 dev.py test installs them)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("site"), "portal")
    public = build_ok(project)
    with nginx(public, tmp_path_factory.mktemp("nginx")) as base:
        yield base


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}, "/ru/"),
        ({"Accept-Language": "kk"}, "/kk/"),
        ({"Accept-Language": "kk-KZ"}, "/kk/"),
        ({"Accept-Language": "en-US,en;q=0.9"}, "/en/"),
        ({"Accept-Language": "de-DE, en;q=0.5, ru;q=0.7"}, "/ru/"),  # q-values, not order
        ({"Accept-Language": "ru;q=0, en;q=0.1"}, "/en/"),  # q=0 means "not this"
        ({"Accept-Language": "fr-FR, de;q=0.8"}, "/kk/"),  # nothing we have: the default
        ({"Accept-Language": "*"}, "/kk/"),
        ({"Accept-Language": "ru;q=garbage, en"}, "/en/"),
        ({}, "/kk/"),
        ({"Accept-Language": "ru", "Cookie": "ushtil_lang=en"}, "/en/"),  # the cookie wins
        ({"Accept-Language": "en", "Cookie": "other=1; ushtil_lang=kk"}, "/kk/"),
        (
            {"Accept-Language": "en", "Cookie": "ushtil_lang=de"},
            "/en/",
        ),  # an unknown cookie is ignored
    ],
)
def test_root_chooses_the_language(server: str, headers: dict[str, str], expected: str) -> None:
    response = get(server, "/", headers)
    assert response.status == 302
    assert response.headers["Location"] == expected
    vary = {v.strip() for v in response.headers["Vary"].split(",")}
    assert vary == {"Accept-Language", "Cookie"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_the_chosen_home_is_served_in_its_language(server: str) -> None:
    location = get(server, "/", {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}).headers["Location"]
    home = get(server, location)
    assert home.status == 200
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    assert home.headers["Content-Language"] == "ru"
    assert find(home.body, "html")[0].get("lang") == "ru"
    assert "Любое использование материалов допускается" in home.body


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pages_carry_their_language(server: str, lang: str) -> None:
    page = get(server, f"/{lang}/news/party/")
    assert page.status == 200 and page.headers["Content-Language"] == lang
    feed = get(server, f"/{lang}/feed.xml")
    assert feed.status == 200 and feed.headers["Content-Type"].startswith("application/atom+xml")
    assert feed.headers["Content-Language"] == lang


def test_site_wide_files_and_the_chooser(server: str) -> None:
    chooser = get(server, "/index.html")
    assert chooser.status == 200 and "Content-Language" not in chooser.headers
    assert len(find(chooser.body, "a", hreflang="ru")) == 1
    sitemap = get(server, "/sitemap.xml")
    assert sitemap.status == 200 and sitemap.headers["Content-Type"].startswith("application/xml")
    robots = get(server, "/robots.txt")
    assert robots.status == 200 and "Sitemap: https://astana.example.kz/sitemap.xml" in robots.body
    assert get(server, "/static/site.css").headers["Content-Type"].startswith("text/css")


@pytest.mark.parametrize(
    ("path", "headers", "lang", "text"),
    [
        ("/ru/news/no-such-article/", {"Accept-Language": "en"}, "ru", "Страница не найдена"),
        ("/kk/nothing", {}, "kk", "Бет табылмады"),
        (
            "/en/news/languages/",
            {"Accept-Language": "ru"},
            "en",
            "Page not found",
        ),  # no English version
        ("/no-such-page", {"Accept-Language": "en-GB,en;q=0.9"}, "en", "Page not found"),
        (
            "/no-such-page",
            {"Accept-Language": "en", "Cookie": "ushtil_lang=ru"},
            "ru",
            "Страница не найдена",
        ),
        ("/no-such-page", {"Accept-Language": "fr"}, "kk", "Бет табылмады"),
    ],
)
def test_404_in_the_right_language(
    server: str, path: str, headers: dict[str, str], lang: str, text: str
) -> None:
    response = get(server, path, headers)
    assert response.status == 404
    assert find(response.body, "html")[0].get("lang") == lang
    assert text in response.body
    assert response.headers["Content-Language"] == lang
    assert find(response.body, "meta", name="robots", content="noindex")


def test_404_pages_are_not_served_as_pages(server: str) -> None:
    assert get(server, "/kk/404.html").status == 404


def test_search_bundle_types_and_caching(server: str) -> None:
    """Pagefind's files: the right types, never re-compressed, hashed chunks kept a year,
    the rest revalidated; the search page itself is a page of its language."""
    page = get(server, "/kk/search/")
    assert page.status == 200 and page.headers["Content-Language"] == "kk"
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    script = get(server, "/kk/pagefind/base/pagefind.js")
    assert script.status == 200
    assert script.headers["Content-Type"] == "application/javascript; charset=utf-8"
    assert script.headers["Cache-Control"] == "no-cache"
    entry = get(server, "/kk/pagefind/base/pagefind-entry.json")
    assert entry.headers["Content-Type"].startswith("application/json")
    meta = f"/kk/pagefind/base/pagefind.{json.loads(entry.body)['languages']['kk']['hash']}.pf_meta"
    wasm = ("/ru/pagefind/base/wasm.ru.pagefind", "/kk/pagefind/base/wasm.unknown.pagefind")
    for path in (meta, *wasm):
        response = get(server, path, {"Accept-Encoding": "gzip"})
        assert response.status == 200, path
        assert response.headers["Content-Type"] == "application/octet-stream", path
        assert "Content-Encoding" not in response.headers, path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert get(server, meta).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert get(server, "/ru/pagefind/base/wasm.ru.pagefind").headers["Cache-Control"] == "no-cache"
