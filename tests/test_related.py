"""Related news at the end of an article, and no page for a category that has no article
in a language."""

from __future__ import annotations

from pathlib import Path

from conftest import build_ok, find, make_project, read


def article(
    project: Path,
    article_id: str,
    day: int,
    category: str,
    langs: tuple[str, ...] = ("kk", "ru", "en"),
    *,
    tags: tuple[str, ...] = (),
    missing: str | None = None,
) -> None:
    folder = project / "articles" / article_id
    folder.mkdir(parents=True)
    facts = f'published = 2024-05-{day:02d}T10:00:00+05:00\ncategory = "{category}"\n'
    if tags:
        facts += "tags = [" + ", ".join(f'"{t}"' for t in tags) + "]\n"
    if missing:
        facts += f'missing = "{missing}"\n'
    (folder / "article.toml").write_text(facts, encoding="utf-8")
    for lang in langs:
        text = f'+++\ntitle = "{article_id} {lang}"\n+++\nText of {article_id}.\n'
        (folder / f"{lang}.md").write_text(text, encoding="utf-8")


def related(public: Path, url: str) -> list[str]:
    html = read(public, url)
    if 'class="related"' not in html:
        return []
    aside = html[html.index('class="related"') :]
    return [a.text for a in find(aside[: aside.index("</aside>")], "a")]


def test_related_news_share_a_category_or_tag_in_the_page_language_newest_first(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path, "basic")
    for name in ("a-full", "b-no-english", "c-draft-en", "d-future"):
        for path in sorted((project / "articles" / name).iterdir()):
            path.unlink()
        (project / "articles" / name).rmdir()
    article(project, "r-base", 1, "news", tags=("astana-heart",))
    for n in range(2, 8):  # r-n2 … r-n7: same category, newer by the day
        article(project, f"r-n{n}", n, "news")
    article(project, "r-tagged", 8, "site", tags=("astana-heart",))  # a tag in common
    article(project, "r-other", 9, "site")  # nothing in common with r-base
    article(project, "r-ru-only", 10, "news", ("ru",), missing="fallback")  # kk: a fallback
    public = build_ok(project)
    assert (public / "kk/news/r-ru-only/index.html").exists()  # the fallback page exists
    assert related(public, "/kk/news/r-base/") == ["r-tagged kk", "r-n7 kk", "r-n6 kk", "r-n5 kk"]
    assert related(public, "/ru/news/r-base/") == [
        "r-ru-only ru",
        "r-tagged ru",
        "r-n7 ru",
        "r-n6 ru",
    ]
    assert related(public, "/kk/news/r-tagged/") == ["r-other kk", "r-base kk"]
    assert related(public, "/kk/news/r-other/") == ["r-tagged kk"]
    # a fallback page suggests only articles of its page's language
    assert related(public, "/kk/news/r-ru-only/") == ["r-n7 kk", "r-n6 kk", "r-n5 kk", "r-n4 kk"]
    for lang in ("kk", "ru", "en"):  # never the article itself
        assert f"r-n7 {lang}" not in related(public, f"/{lang}/news/r-n7/")


def test_a_category_without_articles_in_a_language_has_no_page_in_it(tmp_path: Path) -> None:
    """basic: the only article of "site" has no English version."""
    project = make_project(tmp_path, "basic")
    public = build_ok(project)
    assert not (public / "en/category/site").exists()
    assert (public / "kk/category/site/index.html").exists()
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    assert "/en/category/site/" not in sitemap
    assert "/kk/category/site/" in sitemap
    english = read(public, "/en/")
    menu = english[
        english.index('class="menu"') : english.index("</nav>", english.index('class="menu"'))
    ]
    assert "/en/category/news/" in menu and "/en/category/site/" not in menu
    kazakh = read(public, "/kk/category/site/")
    assert "/en/category/site/" not in kazakh  # no switcher link, no hreflang alternate
    assert 'hreflang="ru" href="https://example.kz/ru/category/site/"' in kazakh
    for page in public.rglob("*.html"):
        assert "/en/category/site/" not in page.read_text(encoding="utf-8"), page


# --- the index itself, on the model (no pages rendered) ---------------------------------


def test_the_related_index_takes_own_versions_newest_first_ties_by_id(tmp_path: Path) -> None:
    from conftest import NOW

    from ushtil.site.build import load_site
    from ushtil.site.graph import SlotState, build_graph
    from ushtil.site.related import RELATED, Related

    project = make_project(tmp_path, "basic")
    for name in ("a-full", "b-no-english", "c-draft-en", "d-future"):
        for path in sorted((project / "articles" / name).iterdir()):
            path.unlink()
        (project / "articles" / name).rmdir()
    article(project, "base", 1, "news", tags=("astana-heart",))
    for name in ("same-b", "same-a", "same-c"):  # the same day: ordered by ID
        article(project, name, 5, "news")
    article(project, "newest", 9, "news")
    article(project, "tagged", 3, "site", tags=("astana-heart",))
    article(project, "ru-only", 8, "news", ("ru",), missing="fallback")
    article(project, "unrelated", 7, "site", ("kk", "ru"))
    site = load_site(project).site
    assert site is not None
    graph = build_graph(site, NOW)
    related = Related(graph, site.config)
    base = graph.links("base")
    assert base is not None

    def names(lang: str) -> list[str]:
        found = related.of(base, lang)
        assert all(slot.state == SlotState.OWN and slot.lang == lang for _, slot in found)
        return [links.article.id for links, _ in found]

    assert RELATED == 4
    assert names("kk") == ["newest", "same-a", "same-b", "same-c"]  # ru-only: a fallback in kk
    assert names("ru") == ["newest", "ru-only", "same-a", "same-b"]
    tagged = graph.links("tagged")
    assert tagged is not None
    assert [links.article.id for links, _ in related.of(tagged, "en")] == ["base"]
    # the categories with a page: an article shown in the language (a fallback counts)
    assert [c.slug for c in related.categories("kk")] == ["news", "site"]
    assert [c.slug for c in related.categories("en")] == ["news", "site"]
    unrelated = graph.links("unrelated")
    assert unrelated is not None
    assert [links.article.id for links, _ in related.of(unrelated, "kk")] == ["tagged"]
    assert names("en") == ["newest", "same-a", "same-b", "same-c"]  # ru-only: a fallback
