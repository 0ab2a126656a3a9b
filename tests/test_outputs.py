"""site/outputs.py: the Atom feed, the sitemap and robots.txt as the standards want them,
read back by real parsers (feedparser, ElementTree): the language, RFC 3339 dates with
their offset, stable tag URIs, and text that stays text."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser

from ushtil.site.outputs import (
    FeedEntry,
    FeedImage,
    Indexed,
    atom_feed,
    robots_txt,
    sitemap_pages,
    tag_uri,
    w3c,
)

ALMATY = dt.timezone(dt.timedelta(hours=5))
BASE = "https://astana.example.kz"


def entry(n: int, **kw: object) -> FeedEntry:
    values: dict[str, object] = {
        "url": f"{BASE}/kk/news/a{n}/",
        "lang": "kk",
        "article_id": f"a{n}",
        "title": f"Жаңалық {n}",
        "summary": "Қысқаша",
        "content_html": "<p>Мәтін</p>",
        "published": dt.datetime(2026, 3, n, 9, 30, 15, 999, tzinfo=ALMATY),
    }
    values.update(kw)
    return FeedEntry(**values)  # type: ignore[arg-type]


def test_an_atom_feed_read_back() -> None:
    hostile = entry(
        2,
        title='<script>alert(1)</script> & "Нұр Отан"',
        image=FeedImage(f"{BASE}/media/a2/lead-1-480.jpg", "image/jpeg", 'A "quoted" <alt>'),
    )
    data = atom_feed(
        lang="kk",
        title="Сайт: Жаңалықтар",
        author="Сайт",
        feed_url=f"{BASE}/kk/feed.xml",
        home_url=f"{BASE}/kk/",
        base_url=BASE,
        entries=[hostile, entry(1, summary="")],
    )
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.feed.language == "kk" and parsed.feed.title == "Сайт: Жаңалықтар"
    assert parsed.feed.updated == "2026-03-02T09:30:15+05:00"  # the newest entry, to the second
    first, second = parsed.entries
    assert first.id == "tag:astana.example.kz,2026-03-02:/kk/news/a2"
    assert first.title == '<script>alert(1)</script> & "Нұр Отан"'  # text, not markup
    assert first.published == "2026-03-02T09:30:15+05:00"
    enclosure = [link for link in first.links if link.rel == "enclosure"]
    assert [(e.href, e.type) for e in enclosure] == [
        (f"{BASE}/media/a2/lead-1-480.jpg", "image/jpeg")
    ]
    content = first.content[0].value  # as a feed reader shows it
    assert 'alt="A &quot;quoted&quot; &lt;alt&gt;"' in content and "<p>Мәтін</p>" in content
    assert second.id == "tag:astana.example.kz,2026-03-01:/kk/news/a1"
    root = ET.fromstring(data)
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{atom}entry/{atom}title").text == hostile.title  # type: ignore[union-attr]
    html = root.find(f"{atom}entry/{atom}content").text  # type: ignore[union-attr]
    assert html == (
        f'<p><img src="{BASE}/media/a2/lead-1-480.jpg" alt=\'A "quoted" &lt;alt&gt;\'>'
        "</p>\n<p>Мәтін</p>"
    )
    summaries = [e.find(f"{atom}summary") for e in root.findall(f"{atom}entry")]
    assert [s is not None for s in summaries] == [True, False]  # an empty one is left out
    empty = atom_feed(
        lang="en", title="t", author="a", feed_url=f"{BASE}/en/feed.xml",
        home_url=f"{BASE}/en/", base_url=BASE, entries=[],
    )  # fmt: skip
    assert not feedparser.parse(empty).bozo


def test_tag_uris_and_dates() -> None:
    when = dt.datetime(2016, 7, 7, 14, 5, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    assert w3c(when) == "2016-07-07T14:05:00+06:00"
    assert tag_uri(BASE, when, "/ru/news/x") == "tag:astana.example.kz,2016-07-07:/ru/news/x"
    assert tag_uri("https://example.kz:8443/city", when, "/x").startswith("tag:example.kz,")


def test_the_sitemap_escapes_and_is_read_back() -> None:
    items = [
        Indexed(
            f"{BASE}/kk/news/b/?a=1&b=2",
            (("kk", f"{BASE}/kk/news/b/?a=1&b=2"), ("x-default", f'{BASE}/"q"')),
            dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=ALMATY),
        ),
        Indexed(f"{BASE}/kk/", (), None),
    ]
    (page,) = sitemap_pages(items, BASE, "")
    root = ET.fromstring(page.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = root.findall("s:url", ns)
    assert [u.findtext("s:loc", namespaces=ns) for u in urls] == [
        f"{BASE}/kk/",
        f"{BASE}/kk/news/b/?a=1&b=2",
    ]  # sorted by URL
    assert urls[0].find("s:lastmod", ns) is None
    assert urls[1].findtext("s:lastmod", namespaces=ns) == "2026-01-02T03:04:05+05:00"
    links = [(a.get("hreflang"), a.get("href")) for a in urls[1].findall("x:link", ns)]
    assert links == [("kk", f"{BASE}/kk/news/b/?a=1&b=2"), ("x-default", f'{BASE}/"q"')]


def test_a_split_sitemap_s_index_names_its_files_under_the_prefix() -> None:
    base = "https://example.kz/city"
    items = [Indexed(f"{base}/kk/news/{n}/", (), None) for n in range(5)]
    pages = sitemap_pages(items, base, "/city", max_urls=2)
    assert [p.path for p in pages] == [
        "sitemap.xml",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
    ]
    index = ET.fromstring(pages[0].content)
    locs = [e.text for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == [f"{base}/sitemap-{n}.xml" for n in (1, 2, 3)]


def test_robots_txt() -> None:
    page = robots_txt("https://example.kz/city", "/city")
    assert page.path == "robots.txt"
    assert page.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /city/_status/",
        "Sitemap: https://example.kz/city/sitemap.xml",
    ]
