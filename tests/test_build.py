"""The whole pipeline on the test sites (tests/sites/) and on small scenarios."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import (
    build_ok,
    build_report,
    edit,
    find,
    hreflangs,
    internal_links,
    messages,
    read,
    resolves,
)

from ushtil.engine.outfolder import MARKER

FOOTERS = {
    "kk": (
        "Материалдарды кез келген пайдалану Астана қаласы әкімдігінің ресми сайтына сілтеме "
        "жасалған жағдайда рұқсат етіледі"
    ),
    "ru": (
        "Любое использование материалов допускается со ссылкой на официальный сайт акимата "
        "города Астаны"
    ),
    "en": (
        "Any use of materials is allowed with the reference to the official website of Astana city"
    ),
}
NATIVE = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def test_an_article_in_three_languages(portal: Path) -> None:
    public = build_ok(portal)
    for lang in ("kk", "ru", "en"):
        html = read(public, f"/{lang}/news/party/")
        assert find(html, "html")[0].get("lang") == lang
        footer = find(html, "footer")[0].text
        assert FOOTERS[lang] in " ".join(footer.split())
        switcher = find(html, "nav", class_="switcher")[0]
        assert switcher.get("aria-label") == {"kk": "Тіл", "ru": "Язык", "en": "Language"}[lang]
        links = [a for a in find(html, "a") if a.get("hreflang")]
        by_lang = {a.get("hreflang"): a for a in links}
        assert set(by_lang) == {"kk", "ru", "en"}
        for other, a in by_lang.items():
            assert a.get("href") == f"/{other}/news/party/"
            assert a.get("lang") == other
            assert a.text.strip() == NATIVE[other]
            assert (a.get("aria-current") == "page") == (other == lang)
        alternates = hreflangs(html)
        assert alternates["ru"] == "https://astana.example.kz/ru/news/party/"
        assert alternates["x-default"] == "https://astana.example.kz/kk/news/party/"


def test_dates_in_each_language(portal: Path) -> None:
    public = build_ok(portal)
    expected = {"kk": "2016 ж. 7 шілде", "ru": "7 июля 2016 г.", "en": "July 7, 2016"}
    for lang, date in expected.items():
        time = find(read(public, f"/{lang}/news/party/"), "time")[0]
        # CLDR keeps "2016 ж." and "2016 г." together with a narrow no-break space.
        assert time.text.replace("\u202f", " ").startswith(date), time.text
        assert time.text.replace("\u202f", " ").endswith("2:05 PM" if lang == "en" else "14:05")
        assert time.get("datetime") == "2016-07-07T14:05:00+06:00"


def test_article_without_english_is_hidden_not_dead(portal: Path) -> None:
    public = build_ok(portal)
    assert (public / "kk/news/languages/index.html").is_file()
    assert not (public / "en/news/languages").exists()
    html = read(public, "/kk/news/languages/")
    greyed = find(html, "span", class_="unavailable")
    assert [s.get("lang") for s in greyed] == ["en"]
    assert greyed[0].get("title") == "Бұл материал осы тілде жоқ"
    assert not [a for a in find(html, "a") if a.get("hreflang") == "en"]
    assert "languages" not in read(public, "/en/")


def test_no_link_points_at_a_missing_file(portal: Path, basic: Path) -> None:
    for project in (portal, basic):
        public = build_ok(project)
        broken = [
            (p.relative_to(public), u)
            for p, u in internal_links(public)
            if not resolves(public, p, u)
        ]
        assert broken == []


def test_lists_paginate_and_count_in_each_language(basic: Path) -> None:
    public = build_ok(basic)
    # kk has three published articles (the future one is not), two per page.
    first = read(public, "/kk/")
    assert "3 материал" in find(first, "p", class_="count")[0].text
    assert "2 беттің 1-беті" in first
    second = read(public, "/kk/page/2/")
    assert [a.get("href") for a in find(second, "a", rel="prev")] == ["/kk/"]
    ru = read(public, "/ru/")
    assert "3 материала" in ru and "Страница 1 из 2" in ru
    en = read(public, "/en/")
    assert "1 article" in en and not (public / "en/page/2").exists()
    # The switcher on page 2 of Kazakh goes to the last page English has.
    switch = {a.get("hreflang"): a.get("href") for a in find(second, "a") if a.get("hreflang")}
    assert switch == {"kk": "/kk/page/2/", "ru": "/ru/page/2/", "en": "/en/"}


def test_drafts_and_future_articles_are_not_published(basic: Path) -> None:
    report = build_report(basic)
    assert any(
        "articles/d-future/article.toml: warning: published 2030-01-01" in m
        for m in messages(report)
    )
    public = basic / "public"
    assert not (public / "en/news/c-draft-en").exists()
    assert not (public / "kk/news/d-future").exists()
    assert (public / "kk/news/c-draft-en/index.html").is_file()


def test_fallback_policy_shows_other_language_with_notice(basic: Path) -> None:
    edit(basic / "site.toml", 'missing = "hide"', 'missing = "fallback"')
    public = build_ok(basic)
    html = read(public, "/en/news/b-no-english/")
    assert find(html, "html")[0].get("lang") == "en"
    assert find(html, "meta", name="robots")[0].get("content") == "noindex"
    assert (
        find(html, "link", rel="canonical")[0].get("href")
        == "https://example.kz/ru/news/b-no-english/"
    )
    article = find(html, "article", class_="article")[0]
    assert article.get("lang") == "ru"  # the text is Russian: en falls back to ru first
    assert "Сайт обновлён" in article.text
    notice = find(html, "p", class_="notice")[0]
    assert notice.get("lang") == "en"
    assert (
        "has not been translated into this language yet" in notice.text and "Russian" in notice.text
    )
    assert "en" not in hreflangs(html)
    # The Kazakh page's switcher now leads to the English fallback page.
    kk = read(public, "/kk/news/b-no-english/")
    en_link = [a for a in find(kk, "a") if a.get("hreflang") == "en"][0]
    assert en_link.get("href") == "/en/news/b-no-english/" and en_link.get("class") == "fallback"
    # Hreflang alternates name only real versions.
    assert set(hreflangs(kk)) == {"kk", "ru", "x-default"}


def test_article_can_override_the_site_policy(basic: Path) -> None:
    edit(
        basic / "articles/b-no-english/article.toml",
        'category = "site"',
        'category = "site"\nmissing = "fallback"',
    )
    public = build_ok(basic)
    assert (public / "en/news/b-no-english/index.html").is_file()
    assert "b-no-english" in read(public, "/en/")


def test_content_errors_are_all_reported_and_nothing_is_written(basic: Path) -> None:
    public = build_ok(basic)
    before = sorted(p.relative_to(public) for p in public.rglob("*"))
    edit(basic / "articles/a-full/kk.md", 'title = "Қалада жаңа саябақ ашылды"', 'title = ""')
    edit(
        basic / "articles/b-no-english/article.toml",
        "published = 2024-02-01T12:00:00+05:00",
        'published = "2024-02-01"',
    )
    (basic / "articles/c-draft-en/de.md").write_text(
        '+++\ntitle = "Frühjahrsputz"\n+++\nText\n', encoding="utf-8"
    )
    report = build_report(basic)
    assert not report.ok
    found = messages(report)
    assert "articles/a-full/kk.md:2: 'title' must not be empty" in found
    assert (
        "articles/b-no-english/article.toml:1: 'published' must be a TOML date-time such as "
        "2016-07-07T14:05:00+06:00, not a quoted string" in found
    )
    assert (
        "articles/c-draft-en/de.md: 'de' is not one of the site's languages (kk, ru, en)" in found
    )
    assert sorted(p.relative_to(public) for p in public.rglob("*")) == before


def test_template_mistakes_name_template_and_line(basic: Path) -> None:
    edit(
        basic / "templates/article.html",
        "<h1>{{ version.title }}</h1>",
        "<h1>{{ version.titel }}</h1>",
    )
    report = build_report(basic)
    assert not report.ok
    line = next(
        n
        for n, text in enumerate((basic / "templates/article.html").read_text().splitlines(), 1)
        if "titel" in text
    )
    assert any(
        m.startswith(f"templates/article.html:{line}: template refers to something undefined")
        for m in messages(report)
    )
    edit(basic / "templates/article.html", "{{ version.titel }}", "{{ version.title }")
    report = build_report(basic)
    assert any(
        m.startswith(f"templates/article.html:{line}: template syntax error")
        for m in messages(report)
    )


def test_output_is_deterministic(basic: Path, tmp_path: Path) -> None:
    def files(out: Path) -> dict[Path, bytes]:  # each folder's marker is its own
        return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    first = build_ok(basic)
    snapshot = files(first)
    out2 = tmp_path / "again"
    report = build_report(basic, out=out2)
    assert report.ok
    again = files(out2)
    assert again.pop(Path(MARKER)) != snapshot.pop(Path(MARKER))
    assert again == snapshot


def test_cli_exit_codes_and_messages(basic: Path) -> None:
    ushtil = [sys.executable, "-m", "ushtil.cli.main", "-C", str(basic)]
    ok = subprocess.run([*ushtil, "check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "pages would be built" in ok.stdout
    assert not (basic / "public").exists()
    usage = subprocess.run([*ushtil, "bild"], capture_output=True, text=True)
    assert usage.returncode == 2
    (basic / "articles/a-full/ru.md").write_bytes(b'+++\ntitle = "\xff"\n+++\n')
    bad = subprocess.run([*ushtil, "build"], capture_output=True, text=True)
    assert bad.returncode == 1
    assert (
        "articles/a-full/ru.md:2: not valid UTF-8 (byte 0xff); save the file as UTF-8" in bad.stderr
    )
    assert "Traceback" not in bad.stderr
    assert not (basic / "public").exists()


def test_strict_build_refuses_missing_required_version(basic: Path) -> None:
    (basic / "articles/b-no-english/ru.md").unlink()
    assert build_report(basic).ok
    report = build_report(basic, strict=True)
    assert (
        "articles/b-no-english/article.toml: no published 'ru' version (ru is required)"
        in messages(report)
    )
    assert not report.ok


def test_the_site_name_comes_from_site_toml_translated_and_escaped_once(basic: Path) -> None:
    import feedparser

    config = basic / "site.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("time_zone", 'name = "News"\ntime_zone'),
        encoding="utf-8",
    )
    public = build_ok(basic)
    header = [a.text.strip() for a in find(read(public, "/ru/"), "a", class_="site-name")]
    assert header == ["Новости"]  # the catalogues' translation of the msgid "News"
    assert feedparser.parse((public / "ru/feed.xml").read_bytes()).feed.title == "Новости: Новости"
    config.write_text(
        config.read_text(encoding="utf-8").replace('name = "News"', 'name = "Tom & <b>Jerry</b>"'),
        encoding="utf-8",
    )
    public = build_ok(basic)
    page = read(public, "/kk/")
    assert "<span>Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;</span>" in page  # text, escaped exactly once
    feed = feedparser.parse((public / "kk/feed.xml").read_bytes()).feed
    assert feed.title.startswith("Tom & <b>Jerry</b>: ") and feed.author == "Tom & <b>Jerry</b>"
    assert "Mayor" not in page
