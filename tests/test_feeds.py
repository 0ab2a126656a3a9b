"""site/feeds.py: a language's feed holds the latest articles that have their own version
in it (never a fallback, never a draft), newest first, at most `feed_size`, each with its
lead image; its key changes when an entry's text changes, and only then. Made directly
from the model of the portal test site, through the ledger output it hands the build."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from conftest import NOW

from ushtil.project.model import Site
from ushtil.site.build import load_site
from ushtil.site.feeds import feed_output
from ushtil.site.graph import build_graph
from ushtil.site.markdown import Bodies
from ushtil.site.media import plan_media
from ushtil.site.pages import Kit
from ushtil.site.templating import Templates


@pytest.fixture
def loaded(portal: Path) -> tuple[Site, dict[str, object]]:
    result = load_site(portal)
    assert result.site is not None, result.diagnostics
    return result.site, result.catalogs  # type: ignore[return-value]


def kit(site: Site, catalogs: dict[str, object]) -> Kit:
    graph = build_graph(site, NOW)
    templates = Templates(site.config, graph.urls, catalogs, compiled=False)  # type: ignore[arg-type]
    media, _ = plan_media(graph, site.config.root, templates.problems.adopt)
    return Kit(site.config, graph, templates, Bodies(site.config, None), "fp", media)


def entries(made: Kit, lang: str) -> list[feedparser.FeedParserDict]:
    output = feed_output(made, lang)
    assert output.paths == (f"{lang}/feed.xml",)
    files = output.make()
    assert files is not None and [f.path for f in files] == [f"{lang}/feed.xml"]
    assert files[0].entry is None  # a feed is not in the sitemap
    parsed = feedparser.parse(files[0].content)
    assert not parsed.bozo and parsed.feed.language == lang
    return list(parsed.entries)


def test_only_own_published_versions_newest_first(
    loaded: tuple[Site, dict[str, object]],
) -> None:
    site, catalogs = loaded
    english = entries(kit(site, catalogs), "en")
    # buses is a fallback in English, library a draft, languages has no English version
    assert [e.link.split("/")[-2] for e in english] == [
        "snow",
        "brt",
        "opera",
        "marathon",
        "party",
    ]
    assert english[-1].title.startswith("Asset Issekeshev Has Headed")
    enclosures = [link.href for link in english[0].links if link.rel == "enclosure"]
    assert len(enclosures) == 1 and "/media/snow/lead-" in enclosures[0]
    assert english[0].link == "https://astana.example.kz/en/news/snow/"
    fewer = replace(site, config=replace(site.config, feed_size=2))
    assert [e.link.split("/")[-2] for e in entries(kit(fewer, catalogs), "en")] == ["snow", "brt"]


def test_the_key_follows_the_entries(loaded: tuple[Site, dict[str, object]]) -> None:
    site, catalogs = loaded
    key = feed_output(kit(site, catalogs), "en").key
    assert feed_output(kit(site, catalogs), "en").key == key

    def changed(article_id: str, lang: str, **fields: object) -> Site:
        articles = []
        for article in site.articles:
            if article.id == article_id:
                versions = tuple(
                    replace(v, **fields) if v.lang == lang else v  # type: ignore[arg-type]
                    for v in article.versions
                )
                article = replace(article, versions=versions)
            articles.append(article)
        return replace(site, articles=tuple(articles))

    edited = changed("snow", "en", title="Snow", digest="0" * 16, body_hash="x")
    assert feed_output(kit(edited, catalogs), "en").key != key
    assert entries(kit(edited, catalogs), "en")[0].title == "Snow"
    # a version the English feed does not show changes nothing in it
    elsewhere = changed("snow", "kk", title="Қар", digest="0" * 16, body_hash="x")
    assert feed_output(kit(elsewhere, catalogs), "en").key == key
    assert (
        feed_output(kit(elsewhere, catalogs), "kk").key
        != feed_output(kit(site, catalogs), "kk").key
    )
