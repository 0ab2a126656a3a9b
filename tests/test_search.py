"""Search without a browser: what each language's Pagefind index holds, that two builds
give the same index, that it is made again only when something indexable changed, the
search page's words from the catalogue, and `[search] enabled = false`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import NOW, build_ok, build_report, edit, find, make_project, messages

import ushtil.site.pagefind
from ushtil.interface.plurals import PLURAL_FORMS, parse_plural_forms
from ushtil.site.build import build


def indexed(public: Path, lang: str) -> dict[str, dict[str, object]]:
    """The pages in the language's index: URL → the fragment Pagefind keeps of it."""
    pages = {}
    for path in sorted((public / lang / "pagefind").rglob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        pages[fragment["url"]] = fragment
    return pages


def bundle(public: Path) -> dict[str, bytes]:
    return {
        p.relative_to(public).as_posix(): p.read_bytes()
        for p in sorted(public.rglob("*"))
        if p.is_file() and "/pagefind/" in p.as_posix()
    }


def test_only_own_published_versions_are_indexed(basic: Path) -> None:
    edit(basic / "site.toml", 'missing = "hide"', 'missing = "fallback"')
    public = build_ok(basic)
    kk, ru, en = (indexed(public, lang) for lang in ("kk", "ru", "en"))
    assert set(kk) == {"/kk/news/a-full/", "/kk/news/b-no-english/", "/kk/news/c-draft-en/"}
    assert set(ru) == {"/ru/news/a-full/", "/ru/news/b-no-english/", "/ru/news/c-draft-en/"}
    # b-no-english and c-draft-en are fallback pages in English, d-future is not out yet
    assert (public / "en/news/b-no-english/index.html").is_file()
    assert set(en) == {"/en/news/a-full/"}
    fragment = kk["/kk/news/a-full/"]
    meta = fragment["meta"]
    assert isinstance(meta, dict) and set(meta) >= {"title", "date", "category"}
    assert fragment["filters"] == {"category": ["Қала жаңалықтары"]}
    # the search pages are not in the sitemap; the index holds no list page or dashboard
    assert "/search/" not in (public / "sitemap.xml").read_text(encoding="utf-8")
    assert all("/news/" in url for url in (*kk, *ru, *en))


def test_a_language_with_nothing_to_index(basic: Path) -> None:
    for name in ("a-full/en.md", "c-draft-en/en.md"):
        (basic / "articles" / name).unlink()
    public = build_ok(basic)
    assert indexed(public, "en") == {}
    assert not (public / "en/pagefind").exists()
    page = (public / "en/search/index.html").read_text(encoding="utf-8")
    assert find(page, "section", id="search")[0].get("data-bundles") == ""
    assert set(indexed(public, "kk")) >= {"/kk/news/a-full/"}


def test_two_builds_give_the_same_index(tmp_path: Path) -> None:
    project = make_project(tmp_path, "portal")
    first = build(project, tmp_path / "one", now=NOW, clean=True)
    second = build(project, tmp_path / "two", now=NOW, clean=True)
    assert first.ok and second.ok
    one, two = bundle(tmp_path / "one"), bundle(tmp_path / "two")
    assert one == two
    assert {path.split("/")[0] for path in one} == {"kk", "ru", "en"}
    assert any(path.endswith(".pf_filter") for path in one)


def test_the_index_is_made_again_only_when_its_language_changed(
    portal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = ushtil.site.pagefind.make_index

    def counting(lang: str, pages: object) -> dict[str, bytes]:
        made.append(lang)
        return real(lang, pages)  # type: ignore[arg-type]  # what search.py gives it

    monkeypatch.setattr(ushtil.site.pagefind, "make_index", counting)
    build_ok(portal)
    assert sorted(made) == ["en", "kk", "ru"]
    made.clear()
    edit(portal / "articles/party/article.toml", 'tags = ["astana-heart"]', "tags = []")
    build_ok(portal)  # the pages changed, but nothing the index holds
    assert made == []
    edit(portal / "articles/party/en.md", "Today, the new mayor", "Today, the newly elected mayor")
    public = build_ok(portal)
    assert made == ["en"]
    assert "newly elected" in str(indexed(public, "en")["/en/news/party/"]["content"])
    clean = build(portal, portal / "clean", now=NOW, clean=True)
    assert clean.ok and bundle(public) == bundle(portal / "clean")


def test_the_search_page_speaks_its_language(portal: Path) -> None:
    public = build_ok(portal)
    for lang in ("kk", "ru", "en"):
        html = (public / lang / "search/index.html").read_text(encoding="utf-8")
        assert find(html, "html", lang=lang)
        assert find(html, "meta", name="robots", content="noindex")
        section = find(html, "section", id="search")[0]
        assert section.get("data-bundles") == f"/{lang}/pagefind/base/"
        assert section.get("data-hidden") == ""  # no delta: nothing left out
        page = (public / lang / "news/party/index.html").read_text(encoding="utf-8")
        forms = find(page, "form", role="search")
        assert len(forms) == 1 and forms[0].get("action") == f"/{lang}/search/"
    ru = (public / "ru/search/index.html").read_text(encoding="utf-8")
    assert "Для поиска нужен JavaScript" in ru
    strings = json.loads(ru.split('id="search-strings">')[1].split("</script>")[0])
    table = strings["results"]
    rule = parse_plural_forms(f"nplurals={PLURAL_FORMS['ru'][0]}; plural={PLURAL_FORMS['ru'][1]};")
    assert rule is not None
    expected = ["{count} результат", "{count} результата", "{count} результатов"]

    def shown(n: int) -> str:  # what search.js does with the table
        index = table["index"][n] if n < len(table["index"]) else table["index"][100 + n % 100]
        return str(table["forms"][index])

    for n in (0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111, 199, 201, 211, 1001, 5002, 12345):
        assert shown(n) == expected[rule[1](n)], n
    assert "Ештеңе" not in ru and "ничего не найдено" in strings["none"]


def test_search_can_be_turned_off(portal: Path) -> None:
    with (portal / "site.toml").open("a", encoding="utf-8") as f:
        f.write("\n[search]\nenabled = false\n")
    public = build_ok(portal)
    assert not (public / "kk/search").exists()
    assert not (public / "kk/pagefind").exists()
    page = (public / "kk/news/party/index.html").read_text(encoding="utf-8")
    assert find(page, "form", role="search") == []


def test_unknown_search_keys_are_refused_with_their_line(portal: Path) -> None:
    text = (portal / "site.toml").read_text(encoding="utf-8")
    lines = text.count("\n")
    (portal / "site.toml").write_text(
        text + '\n[search]\nenable = false\nenabled = "no"\n', encoding="utf-8"
    )
    report = build_report(portal)
    assert not report.ok
    shown = messages(report)
    assert any(m.startswith(f"site.toml:{lines + 3}: unknown key 'search.enable'") for m in shown)
    assert any(m.startswith(f"site.toml:{lines + 4}:") and "true or false" in m for m in shown)
