"""What readers' browsers, search engines and feed readers get: head links, sitemap,
robots.txt, feeds and 404 pages, all agreeing with the language graph; checked on the
portal and basic test sites and a generated site of a few hundred articles."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
from conftest import build_ok, find, hreflangs, internal_links, read, resolves
from generated import generate

from ushtil.site.outputs import Indexed, sitemap_pages

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}


def file_of(public: Path, url: str, base: str) -> Path:
    assert url.startswith(base), f"{url} is not under {base}"
    path = urlsplit(url).path
    return public / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


def html_pages(public: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(public.rglob("*.html"))}


def is_noindex(html: str) -> bool:
    return bool(find(html, "meta", name="robots", content="noindex"))


def sitemap_entries(public: Path) -> dict[str, dict[str, str]]:
    root = ET.parse(public / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    entries: dict[str, dict[str, str]] = {}
    for url in root.findall(f"{SM}url"):
        loc = url.findtext(f"{SM}loc")
        assert loc and loc not in entries
        lastmod = url.findtext(f"{SM}lastmod")
        assert lastmod is None or W3C_DATETIME.match(lastmod), lastmod
        links = url.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links)
        entries[loc] = {link.get("hreflang") or "": link.get("href") or "" for link in links}
    return entries


def check_outputs(public: Path, base: str, languages: tuple[str, ...], feed_size: int) -> None:
    pages = html_pages(public)
    # 1. every page's head: canonical, hreflang set, og:locale, feed link
    indexable: set[str] = set()
    for path, html in pages.items():
        rel = path.relative_to(public).as_posix()
        lang = find(html, "html")[0].get("lang")
        assert lang in languages, rel
        if rel.startswith("_status/") or rel.endswith(("404.html", "/search/index.html")):
            assert is_noindex(html), rel
            continue
        canonical = [e.get("href") for e in find(html, "link", rel="canonical")]
        assert len(canonical) == 1 and canonical[0].startswith(base), rel  # type: ignore[union-attr]
        alternates = hreflangs(html)
        if is_noindex(html):  # a fallback page: canonical points at the version shown
            assert not alternates and file_of(public, canonical[0], base) != path, rel  # type: ignore[arg-type]
            continue
        assert file_of(public, canonical[0], base) == path, rel  # type: ignore[arg-type]
        indexable.add(canonical[0])  # type: ignore[arg-type]
        chooser = rel == "index.html"  # the site root is the x-default of the home pages
        assert alternates.get("x-default" if chooser else lang) == canonical[0], rel
        for hreflang, href in alternates.items():
            assert href.startswith(base) and file_of(public, href, base).is_file(), (rel, href)
            if hreflang != "x-default":
                other = read_file(public, href, base)
                assert hreflangs(other) == alternates, (
                    f"{rel} and {href} disagree on their hreflang sets"
                )
                assert find(other, "html")[0].get("lang") == hreflang
        locale = [e.get("content") for e in find(html, "meta", property="og:locale")]
        assert locale == ([] if chooser else [LOCALES[lang]]), rel
        others = {e.get("content") for e in find(html, "meta", property="og:locale:alternate")}
        if not chooser:
            assert others == {
                LOCALES[code] for code in alternates if code not in ("x-default", lang)
            }, rel
        feeds = [e for e in find(html, "link", rel="alternate", type="application/atom+xml")]
        wanted = [(code, f"/{code}/feed.xml") for code in (languages if chooser else (lang,))]
        assert [(f.get("hreflang"), f.get("href")) for f in feeds] == wanted, rel
    # 2. the sitemap: exactly the indexable pages, each with the same reciprocal alternates
    entries = sitemap_entries(public)
    assert set(entries) == indexable
    for loc, alternates in entries.items():
        html = read_file(public, loc, base)
        assert alternates == hreflangs(html), loc
        for hreflang, href in alternates.items():
            if hreflang != "x-default":
                assert entries[href] == alternates, f"{loc} → {href} is not reciprocal"
    robots = (public / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {base}/sitemap.xml" in robots and "Disallow: /_status/" in robots
    # 3. feeds: valid Atom, only the language's own published versions, stable distinct IDs
    ids: set[str] = set()
    for lang in languages:
        parsed = feedparser.parse((public / lang / "feed.xml").read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert parsed.feed.get("language") == lang
        own = [loc for loc, alt in entries.items() if f"/{lang}/news/" in loc]
        assert len(parsed.entries) == min(feed_size, len(own))
        dates = [entry.published_parsed for entry in parsed.entries]
        assert dates == sorted(dates, reverse=True)
        for entry in parsed.entries:
            assert entry.link in entries, entry.link
            assert entry.id.startswith("tag:") and entry.id not in ids
            ids.add(entry.id)
            assert find(read_file(public, entry.link, base), "html")[0].get("lang") == lang
    # 4. 404 pages in every language
    for lang in languages:
        assert (
            find((public / lang / "404.html").read_text(encoding="utf-8"), "html")[0].get("lang")
            == lang
        )
    # 5. every internal link and asset resolves
    broken = [
        (p.relative_to(public).as_posix(), url)
        for p, url in internal_links(public)
        if not resolves(public, p, url)
    ]
    assert not broken


def read_file(public: Path, url: str, base: str) -> str:
    return file_of(public, url, base).read_text(encoding="utf-8")


def test_portal_site_outputs(portal: Path) -> None:
    check_outputs(build_ok(portal), "https://astana.example.kz", ("kk", "ru", "en"), 20)


def test_basic_site_outputs_with_fallback(basic: Path) -> None:
    check_outputs(build_ok(basic), "https://example.kz", ("kk", "ru", "en"), 20)


def test_generated_site_with_gaps(tmp_path: Path) -> None:
    project = tmp_path / "generated"
    expected = generate(project, n=300)
    public = build_ok(project)
    check_outputs(public, "https://astana.example.kz", ("kk", "ru", "en"), 15)
    entries = sitemap_entries(public)
    fallback = {f"g{i:04d}" for i in range(300) if i % 11 == 3}
    counts = {"published": 0, "missing": 0, "draft": 0, "future": 0}
    for article_id, states in expected.items():
        for lang, state in states.items():
            counts[state] += 1
            url = f"https://astana.example.kz/{lang}/news/{article_id}/"
            page = public / lang / "news" / article_id / "index.html"
            assert (url in entries) == (state == "published"), (url, state)
            if state != "published":
                exists_elsewhere = any(s == "published" for s in states.values())
                assert page.exists() == (article_id in fallback and exists_elsewhere), (url, state)
                for alternates in entries.values():
                    assert url not in alternates.values()
    assert all(counts[s] > 10 for s in ("missing", "draft")) and counts["future"] >= 3


def test_x_default_and_canonical(portal: Path) -> None:
    public = build_ok(portal)
    home = hreflangs(read(public, "/ru/"))
    assert home["x-default"] == "https://astana.example.kz/"
    article = hreflangs(read(public, "/en/news/party/"))
    assert (
        article["x-default"] == "https://astana.example.kz/kk/news/party/"
    )  # the default language
    chooser = read(public, "/")
    assert hreflangs(chooser) == {
        "kk": "https://astana.example.kz/kk/",
        "ru": "https://astana.example.kz/ru/",
        "en": "https://astana.example.kz/en/",
        "x-default": "https://astana.example.kz/",
    }
    # the chooser: native names, no flags, works as plain links
    names = [a.text.strip().split()[-1] for a in find(chooser, "a") if a.get("hreflang")]
    assert names == ["Қазақша", "Русский", "English"]
    assert "flag" not in chooser.lower() and not find(chooser, "img")


def test_feed_entries_are_localised_and_stable(portal: Path) -> None:
    public = build_ok(portal)
    feeds = {
        lang: feedparser.parse((public / lang / "feed.xml").read_bytes())
        for lang in ("kk", "ru", "en")
    }
    assert feeds["ru"].feed.title == "Официальный сайт акимата города Астаны: Новости"
    assert feeds["kk"].feed.title.endswith(": Жаңалықтар")
    by_lang = {lang: {e.link.split("/")[-2]: e.id for e in f.entries} for lang, f in feeds.items()}
    assert by_lang["kk"]["party"] == "tag:astana.example.kz,2016-07-07:/kk/news/party"
    assert by_lang["ru"]["party"] != by_lang["kk"]["party"]
    assert "languages" not in by_lang["en"]  # no English version
    entry = next(e for e in feeds["ru"].entries if e.link.endswith("/party/"))
    assert entry.published == "2016-07-07T14:05:00+06:00"
    assert "«Нур Отан»" in entry.title and "<p>" in entry.content[0].value


def test_sitemap_splits_past_the_protocol_limits() -> None:
    base = "https://astana.example.kz"
    items = [
        Indexed(
            f"{base}/kk/news/{i}/",
            (("kk", f"{base}/kk/news/{i}/"), ("ru", f"{base}/ru/news/{i}/")),
            dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
        for i in range(7)
    ]
    assert [p.path for p in sitemap_pages(items, base, "")] == ["sitemap.xml"]
    pages = sitemap_pages(items, base, "", max_urls=3)
    assert [p.path for p in pages] == [
        "sitemap.xml",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
    ]
    index = ET.fromstring(pages[0].content)
    assert index.tag == f"{SM}sitemapindex"
    assert [e.findtext(f"{SM}loc") for e in index] == [f"{base}/sitemap-{n}.xml" for n in (1, 2, 3)]
    locs = [loc.text for p in pages[1:] for loc in ET.fromstring(p.content).iter(f"{SM}loc")]
    assert sorted(locs) == sorted(i.loc for i in items)  # type: ignore[type-var]
    by_size = sitemap_pages(items, base, "", max_bytes=900)
    assert len(by_size) > 2 and all(len(p.content) <= 900 for p in by_size[1:])
