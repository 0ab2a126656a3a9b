"""site/graph.py: for every article and language, which version the page shows and
whether it is the language's own, a fallback or absent; the hreflang set and x-default;
what list pages show; every URL under the base URL's path. Checked on the model of the
portal test site (tests/sites/portal), read by ushtil's own reader."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import NOW

from ushtil.project.model import MissingPolicy, Site
from ushtil.site.build import load_site
from ushtil.site.graph import Graph, SlotState, Urls, build_graph, is_published


@pytest.fixture
def site(portal: Path) -> Site:
    loaded = load_site(portal)
    assert loaded.site is not None, loaded.diagnostics
    return loaded.site


def states(graph: Graph) -> dict[str, dict[str, str]]:
    return {
        links.article.id: {
            slot.lang: slot.state.value
            + (
                ""
                if slot.version is None or slot.version.lang == slot.lang
                else f"<{slot.version.lang}"
            )
            for slot in links.slots
        }
        for links in graph.articles
    }


def test_each_article_in_each_language(site: Site) -> None:
    graph = build_graph(site, NOW)
    assert states(graph) == {
        "marathon": {"kk": "own", "ru": "own", "en": "own"},
        "buses": {"kk": "own", "ru": "own", "en": "fallback<ru"},  # missing = "fallback"
        "languages": {"kk": "own", "ru": "own", "en": "absent"},  # the site's "hide"
        "snow": {"kk": "own", "ru": "own", "en": "own"},
        "library": {"kk": "own", "ru": "own", "en": "absent"},  # a draft is not shown
        "brt": {"kk": "own", "ru": "own", "en": "own"},
        "opera": {"kk": "own", "ru": "own", "en": "own"},
        "party": {"kk": "own", "ru": "own", "en": "own"},
    }
    dates = [links.article.published for links in graph.articles]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert graph.languages == ("kk", "ru", "en")


def test_the_site_s_policy_and_the_fallback_order(site: Site) -> None:
    everywhere = replace(site, config=replace(site.config, missing=MissingPolicy.FALLBACK))
    graph = build_graph(everywhere, NOW)
    assert states(graph)["languages"]["en"] == "fallback<ru"  # en = ["ru", "kk"]
    assert states(graph)["library"]["en"] == "fallback<ru"
    without_ru = replace(
        everywhere,
        articles=tuple(
            replace(a, versions=tuple(v for v in a.versions if v.lang != "ru"))
            if a.id == "languages"
            else a
            for a in everywhere.articles
        ),
    )
    assert states(build_graph(without_ru, NOW))["languages"] == {
        "kk": "own",
        "ru": "fallback<kk",
        "en": "fallback<kk",  # the next in en's chain
    }


def test_nothing_is_shown_before_its_date(site: Site) -> None:
    party = site.article("party")
    assert party is not None
    early = party.published - dt.timedelta(seconds=1)
    graph = build_graph(site, early)
    assert [links.article.id for links in graph.articles] == [
        a.id for a in site.articles
    ]  # every article has its links ...
    assert all(
        slot.state == SlotState.ABSENT for links in graph.articles for slot in links.slots
    )  # ... and none is shown yet
    assert graph.listed("kk") == ()
    assert is_published(party, party.version("kk"), party.published)
    assert not is_published(party, None, NOW)


def test_alternates_x_default_and_lists(site: Site) -> None:
    graph = build_graph(site, NOW)
    buses = graph.links("buses")
    assert buses is not None
    assert [s.lang for s in buses.alternates] == ["kk", "ru"]  # a fallback is no alternate
    assert buses.x_default is not None and buses.x_default.lang == "kk"  # the default language
    assert buses.original is not None and buses.original.lang == "ru"
    marathon = graph.links("marathon")
    assert marathon is not None and marathon.original is not None
    assert marathon.original.lang == "en"
    assert graph.links("nothing") is None
    english = [links.article.id for links, _ in graph.listed("en")]
    assert english == ["buses", "snow", "brt", "opera", "marathon", "party"]
    fallback = dict((links.article.id, slot) for links, slot in graph.listed("en"))["buses"]
    assert fallback.state == SlotState.FALLBACK and fallback.url == "/en/news/buses/"
    culture = [links.article.id for links, _ in graph.listed("kk", "culture")]
    assert culture == ["library", "opera"]


def test_every_url_carries_the_base_url_s_path(site: Site) -> None:
    config = replace(site.config, base_url="https://example.kz/city")
    urls = Urls(config)
    assert urls.home("kk") == "/city/kk/" and urls.home("kk", 3) == "/city/kk/page/3/"
    assert urls.category("ru", "culture", 2) == "/city/ru/category/culture/page/2/"
    assert urls.article("en", "party") == "/city/en/news/party/"
    assert urls.feed("kk") == "/city/kk/feed.xml" and urls.root() == "/city/"
    assert urls.not_found("ru") == "/city/ru/404.html"
    assert urls.static("site.css") == "/city/static/site.css"
    assert urls.absolute("/city/kk/") == "https://example.kz/city/kk/"
    assert urls.file_for("/city/kk/news/party/") == "kk/news/party/index.html"
    assert urls.file_for("/city/") == "index.html"
    assert urls.file_for("/city/kk/feed.xml") == "kk/feed.xml"
    graph = build_graph(replace(site, config=config), NOW)
    party = graph.links("party")
    assert party is not None and party.slot("ru").url == "/city/ru/news/party/"
