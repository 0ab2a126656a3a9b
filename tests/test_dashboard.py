"""The editors' dashboard (site/dashboard.py): ``_status/{lang}/`` in each language and
``_status/`` as the default language's, never in the sitemap; a matrix row per article
with each version's state, a link where the version has a page; a row remembered in the
build cache is reused while its data is unchanged, and made again once it changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, edit, find, make_project

from ushtil.engine import store
from ushtil.engine.cache import BuildCache
from ushtil.engine.ledger import Output
from ushtil.project.freshness import compute_status
from ushtil.site.build import load_site
from ushtil.site.dashboard import status_outputs
from ushtil.site.graph import build_graph
from ushtil.site.markdown import Bodies
from ushtil.site.pages import Kit
from ushtil.site.templating import Templates

STATES = {  # tests/sites/status, newest first
    "draft": {"kk": "source", "ru": "draft", "en": "missing"},
    "missing": {"kk": "current", "ru": "missing", "en": "source"},
    "outdated": {"kk": "outdated", "ru": "source", "en": "outdated"},
    "current": {"kk": "source", "ru": "current", "en": "current"},
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, "status")


def dashboard(project: Path, cache: BuildCache | None = None) -> dict[str, Output]:
    """The dashboard's outputs by language, planned as a build plans them."""
    loaded = load_site(project)
    site = loaded.site
    assert site is not None
    graph = build_graph(site, NOW)
    templates = Templates(site.config, graph.urls, loaded.catalogs, compiled=False)
    kit = Kit(site.config, graph, templates, Bodies(site.config, None), "test")
    for code in site.config.codes:  # as render_site gives every page its navigation
        templates.envs[code].globals["menu"] = kit.related.categories(code)
    outputs = status_outputs(kit, compute_status(site), cache)
    return dict(zip(site.config.codes, outputs, strict=True))


def page(output: Output) -> str:
    files = output.make()
    assert files is not None
    return files[0].content.decode("utf-8")


def rows(html: str) -> list[str]:
    """The articles of the matrix's rows, in order."""
    return [tr.get("data-article") or "" for tr in find(html, "tr") if tr.get("data-article")]


def matrix(html: str) -> dict[str, dict[str, str]]:
    """Article → language → state, in the order of the rows."""
    articles = rows(html)
    cells = [td for td in find(html, "td") if td.get("data-lang") is not None]
    langs = len(cells) // len(articles)
    return {
        article: {
            str(td.get("data-lang")): str(td.get("data-state"))
            for td in cells[i * langs : (i + 1) * langs]
        }
        for i, article in enumerate(articles)
    }


def test_a_page_per_language_and_the_default_one_at_status(project: Path) -> None:
    outputs = dashboard(project)
    assert {lang: o.paths for lang, o in outputs.items()} == {
        "kk": ("_status/kk/index.html", "_status/index.html"),  # kk: the default language
        "ru": ("_status/ru/index.html",),
        "en": ("_status/en/index.html",),
    }
    files = outputs["kk"].make()
    assert files is not None and [f.path for f in files] == list(outputs["kk"].paths)
    assert files[0].content == files[1].content
    assert all(f.entry is None for f in files)  # not in the sitemap
    kk, en = page(outputs["kk"]), page(outputs["en"])
    assert '<html lang="kk">' in kk and '<meta name="robots" content="noindex">' in kk
    names = {td.get("data-state"): td.text.split()[0] for td in find(kk, "td", data_lang="kk")}
    assert names["source"] != "original" and names["outdated"] != "outdated"  # in Kazakh
    assert [a.text for a in find(en, "a", hreflang="kk", href="/kk/news/current/")] == ["original"]


def test_the_matrix_shows_each_version_s_state(project: Path) -> None:
    html = page(dashboard(project)["en"])
    assert matrix(html) == STATES and list(matrix(html)) == list(STATES)
    row = find(html, "tr", data_article="missing")[0]
    assert "Museum night" in row.text and "July 1, 2025" in row.text  # the original's title
    from_en = [td.get("data-lang") for td in find(html, "td") if "from: en" in td.text]
    assert from_en == ["kk"]  # missing's kk: translated from en
    # a link where the version has a page of its own: not a draft, not a missing version
    links = {a.get("href") for a in find(html, "a") if a.get("hreflang")}
    assert "/ru/news/draft/" not in links and "/ru/news/missing/" not in links
    assert {"/kk/news/draft/", "/kk/news/outdated/", "/en/news/current/"} <= links
    up = [td.text for td in find(html, "td", data_state="up-to-date")]  # the coverage
    assert up == ["3 / 4 (75%)", "2 / 4 (50%)", "2 / 4 (50%)"]  # kk, ru, en


def test_the_page_key_follows_every_row(project: Path) -> None:
    before = {lang: o.key for lang, o in dashboard(project).items()}
    assert {lang: o.key for lang, o in dashboard(project).items()} == before
    # current's original changes: ru (from kk) goes outdated, its page and title stay
    edit(project / "articles/current/kk.md", "салынды.", "салынды!")
    after = dashboard(project)
    assert all(after[lang].key != key for lang, key in before.items())
    assert matrix(page(after["ru"]))["current"] == {
        "kk": "source",
        "ru": "outdated",
        "en": "current",
    }


def test_a_remembered_row_is_reused_until_its_data_changes(project: Path, tmp_path: Path) -> None:
    db = store.Database(tmp_path / "memory.sqlite")
    cache = BuildCache(db)
    page(dashboard(project, cache)["en"])
    assert len(cache.new_rows) == len(STATES)  # one per article, in English
    assert cache.save()
    with db.writing() as conn:  # what the memory gives back is what the page shows
        assert conn is not None
        conn.execute("UPDATE rows SET html = '<tr data-article=\"remembered\"></tr>'")

    html = page(dashboard(project, BuildCache(db))["en"])
    assert rows(html) == ["remembered"] * len(STATES)
    kk = page(dashboard(project, BuildCache(db))["kk"])  # another language: other rows
    assert rows(kk) == list(STATES)

    edit(project / "articles/draft/ru.md", "draft = true\n", "")  # only draft's row changes
    html = page(dashboard(project, BuildCache(db))["en"])
    assert rows(html) == ["draft", "remembered", "remembered", "remembered"]
    cells = [td.get("data-state") for td in find(html, "td") if td.get("data-lang")]
    assert cells == ["source", "current", "missing"]  # draft's, made again
