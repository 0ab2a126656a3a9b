"""The site's identity from site.toml (emblem, accent colour, contacts) and how the default
templates show it: header, breadcrumbs, footer; and what the model reads of an article's
images (gallery, alt text, caption and credit per language)."""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SITES, build_ok, build_report, edit, find, messages, read

from ushtil.interface.extractor import extract_site_config
from ushtil.project.articles import load_articles
from ushtil.project.config import parse_config, read_config
from ushtil.project.identity import MIN_CONTRAST, SURFACES, contrast, legible
from ushtil.project.model import ImageText

BASE = 'base_url = "https://a.kz"\nlanguages = ["kk", "ru", "en"]\n'


def problems(text: str, root: Path) -> list[str]:
    _, diagnostics = parse_config(BASE + text, root)
    return [str(d) for d in diagnostics]


def test_contrast_follows_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#ffcc00", "#00ff00", "#87ceeb", "#ffffff", "#0a0a0a"])
def test_any_accent_colour_ends_up_legible(colour: str) -> None:
    used = legible(colour)
    assert all(contrast(used, surface) >= MIN_CONTRAST for surface in SURFACES)
    if all(contrast(colour, surface) >= MIN_CONTRAST for surface in SURFACES):
        assert used == colour


def test_a_light_accent_is_darkened_with_a_warning(tmp_path: Path) -> None:
    config, diagnostics = parse_config(BASE + 'accent = "#FFCC00"\n', tmp_path)
    assert config is not None
    accent = config.identity.accent
    assert re.fullmatch(r"#[0-9a-f]{6}", accent) and accent != "#ffcc00"
    assert min(contrast(accent, s) for s in SURFACES) >= MIN_CONTRAST
    assert [str(d) for d in diagnostics] == [
        f"site.toml:3: warning: accent colour #FFCC00 has a contrast of 1.4:1 with the page's "
        f"light backgrounds, less than the 4.5:1 text needs; the site uses {accent} instead "
        f"(write that, or a darker colour, to silence this)"
    ]


def test_a_dark_enough_accent_is_kept(tmp_path: Path) -> None:
    config, diagnostics = parse_config(BASE + 'accent = "#1a5e20"\n', tmp_path)
    assert config is not None and config.identity.accent == "#1a5e20" and diagnostics == []


def test_identity_problems_are_reported_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "notes.txt").write_text("x")
    (tmp_path / "outside.svg").write_text("<svg/>")
    os.symlink(tmp_path / "outside.svg", tmp_path / "static" / "linked.svg")
    cases = {
        'accent = "blue"': "site.toml:3: 'accent' must be a colour written #rrggbb, not 'blue'",
        'accent = "#12345"': "site.toml:3: 'accent' must be a colour written #rrggbb, not '#12345'",
        'emblem = "../outside.svg"': (
            "site.toml:3: 'emblem' must name a file inside static/, not '../outside.svg'"
        ),
        'emblem = "/etc/passwd.svg"': (
            "site.toml:3: 'emblem' must name a file inside static/, not '/etc/passwd.svg'"
        ),
        'emblem = "notes.txt"': (
            "site.toml:3: 'emblem' must be an image file (.svg, .png, .jpg, .jpeg, .webp), "
            "not 'notes.txt'"
        ),
        'emblem = "none.svg"': "site.toml:3: emblem 'none.svg' does not exist in static/",
        'emblem = "linked.svg"': (
            "site.toml:3: emblem 'linked.svg' is a link; put the file in static/"
        ),
        '[contacts]\nadress = "x"': (
            "site.toml:4: unknown key 'contacts.adress' (did you mean 'address'?)"
        ),
        '[contacts]\nemail = "info at a.kz"': (
            "site.toml:4: 'contacts.email' is not an e-mail address: 'info at a.kz'"
        ),
        '[contacts]\nphone = "call us"': (
            "site.toml:4: 'contacts.phone' is not a phone number: 'call us'"
        ),
        '[contacts]\naddress = ""': "site.toml:4: 'contacts.address' must not be empty",
        'contacts = "x"': "site.toml:3: 'contacts' must be a table",
        'emblm = "x.svg"': "site.toml:3: unknown key 'emblm' (did you mean 'emblem'?)",
    }
    for text, expected in cases.items():
        assert problems(text + "\n", tmp_path) == [expected], text


def test_all_identity_problems_come_in_one_run(tmp_path: Path) -> None:
    found = problems(
        'accent = "red"\nemblem = "none.svg"\n[contacts]\nphone = "?"\nemail = "x"\n', tmp_path
    )
    assert sorted(f.split(":")[1] for f in found) == ["3", "4", "6", "7"]


def test_the_address_is_extracted_for_translators() -> None:
    text = (SITES / "portal" / "site.toml").read_bytes()
    line = text.decode().splitlines().index('address = "Beibitshilik Street 11, Astana, 010000"')
    found = list(extract_site_config(io.BytesIO(text), None, None, {}))
    contact = [m for m in found if m[2][0] == "contact"]
    assert contact == [
        (
            line + 1,
            "pgettext",
            ("contact", "Beibitshilik Street 11, Astana, 010000"),
            ["Translators: the address in the contact block at the foot of every page"],
        )
    ]


def test_header_footer_and_breadcrumbs(portal: Path) -> None:
    public = build_ok(portal)
    article = read(public, "/kk/news/brt/")
    # the header: emblem and name, languages, the menu of categories
    emblem = find(article, "img", **{"class": "emblem"})
    assert [e.get("src") for e in emblem] == ["/static/emblem.svg"]
    assert emblem[0].get("alt") == ""  # the name beside it says what it is
    assert "Астана қаласы әкімдігінің ресми сайты" in article
    menu = re.search(r'<nav class="menu".*?</nav>', article, re.S)
    assert menu is not None
    for name in ("Көлік", "Мәдениет", "Қалалық қызметтер", "Іс-шаралар"):
        assert f">{name}</a>" in menu.group()
    assert "<style>:root { --accent: #00629b; }</style>" in article
    # the search box between the languages and the low-vision switch
    tools = re.search(r'<div class="tools">.*?</div>', article, re.S)
    assert tools is not None and 'role="search"' in tools.group()
    # the breadcrumbs: home, category, the article (not a link)
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', article, re.S)
    assert trail is not None
    assert re.findall(r"<li[^>]*>(?:<a href=\"([^\"]+)\">)?([^<]+)", trail.group()) == [
        ("/kk/", "Басты бет"),
        ("/kk/category/transport/", "Көлік"),
        ("", "Тұран даңғылында жедел автобус желісі іске қосылды"),
    ]
    assert '<li aria-current="page">' in trail.group()
    # the footer: the attribution and the contacts, in the page's language
    footer = re.search(r'<footer class="site-footer">.*?</footer>', article, re.S)
    assert footer is not None
    assert "Астана қ., Бейбітшілік көшесі, 11, 010000" in footer.group()
    assert '<a href="tel:+77172556400">+7 7172 55 64 00</a>' in footer.group()
    assert '<a href="mailto:info@astana.example.kz">' in footer.group()
    assert "Байланыс" in footer.group()
    ru = read(public, "/ru/news/brt/")
    assert "г. Астана, улица Бейбитшилик, 11, 010000" in ru
    assert "Версия для слабовидящих" in ru and "Перейти к основному содержанию" in ru


def test_breadcrumbs_on_every_page_below_the_home_page(portal: Path) -> None:
    public = build_ok(portal)
    for home in ("/kk/", "/ru/", "/en/"):
        assert 'class="breadcrumbs"' not in read(public, home)
    below = [p for p in public.rglob("*.html") if p.parent != public]
    below = [
        p
        for p in below
        if p.relative_to(public).as_posix()
        not in ("kk/index.html", "ru/index.html", "en/index.html")
    ]
    assert len(below) > 40
    for page in below:
        html = page.read_text(encoding="utf-8")
        assert 'class="breadcrumbs"' in html, page
        assert html.index('class="skip-link"') < html.index("<header"), page
    second = read(public, "/ru/page/2/")
    assert "Страница 2 из 2" in re.search(r'class="breadcrumbs".*?</nav>', second, re.S).group()


def test_a_light_accent_reaches_the_pages_darkened(portal: Path) -> None:
    edit(portal / "site.toml", 'accent = "#00629b"', 'accent = "#ffcc00"')
    report = build_report(portal)
    assert report.ok
    warned = [m for m in messages(report) if "accent colour #ffcc00" in m]
    assert len(warned) == 1
    used = re.search(r"uses (#[0-9a-f]{6})", warned[0]).group(1)  # type: ignore[union-attr]
    assert f"--accent: {used};" in read(portal / "public", "/en/")


def test_a_contact_address_that_gains_markup_in_translation_is_refused(portal: Path) -> None:
    po = portal / "locales" / "kk" / "LC_MESSAGES" / "messages.po"
    edit(
        po,
        'msgstr "Астана қ., Бейбітшілік көшесі, 11, 010000"',
        'msgstr "<b>Астана</b>, Бейбітшілік көшесі, 11"',
    )
    report = build_report(portal)
    html = read(portal / "public", "/kk/")
    assert "<b>Астана</b>" not in html
    assert "Beibitshilik Street 11, Astana, 010000" not in html  # the ru fallback is used
    assert "г. Астана, улица Бейбитшилик, 11, 010000" in html
    assert any("markup" in m for m in messages(report))


# --- what the model reads of an article's images ----------------------------------------


def test_gallery_and_image_texts_are_read(basic: Path) -> None:
    folder = basic / "articles" / "a-full"
    for name in ("lead.jpg", "b.jpg", "a.jpg"):
        (folder / name).write_bytes(b"\xff\xd8\xff")
    edit(
        folder / "article.toml",
        'category = "news"',
        'category = "news"\nimage = "lead.jpg"\ngallery = ["b.jpg", "a.jpg"]',
    )
    edit(
        folder / "kk.md",
        "+++\n",
        "+++\n",
    )
    text = (folder / "kk.md").read_text(encoding="utf-8")
    end = text.index("+++", 3)
    (folder / "kk.md").write_text(
        text[:end]
        + '[images."lead.jpg"]\nalt = "Көк автобус"\ncaption = " Жаңа желі "\n'
        + 'credit = "Сурет: әкімдік"\n\n[images."b.jpg"]\nalt = "Аялдама"\n'
        + text[end:],
        encoding="utf-8",
    )
    config = read_config(basic)[0]
    assert config is not None
    articles, diagnostics = load_articles(config)
    assert [str(d) for d in diagnostics] == []
    article = next(a for a in articles if a.id == "a-full")
    assert article.image == "lead.jpg" and article.gallery == ("b.jpg", "a.jpg")
    kk = article.version("kk")
    assert kk is not None and tuple(replace(t, line=0) for t in kk.images) == (
        ImageText("lead.jpg", "Көк автобус", "Жаңа желі", "Сурет: әкімдік", 0),
        ImageText("b.jpg", "Аялдама", "", "", 0),
    )
    assert article.version("ru").images == ()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("gallery", "expected"),
    [
        ('["none.jpg"]', "image 'none.jpg' does not exist in articles/a-full/"),
        (
            '["../b-no-english/kk.md"]',
            "image '../b-no-english/kk.md' must be a file inside the article folder",
        ),
        ('["a.jpg", "a.jpg"]', "image 'a.jpg' is listed twice"),
        ('"a.jpg"', "'gallery' must be a list of strings, not a string"),
    ],
)
def test_gallery_problems(basic: Path, gallery: str, expected: str) -> None:
    folder = basic / "articles" / "a-full"
    (folder / "a.jpg").write_bytes(b"\xff\xd8\xff")
    edit(folder / "article.toml", 'category = "news"', f'category = "news"\ngallery = {gallery}')
    report = build_report(basic)
    assert not report.ok
    line = (folder / "article.toml").read_text().splitlines().index(f"gallery = {gallery}") + 1
    assert f"articles/a-full/article.toml:{line}: {expected}" in messages(report)


def test_a_gallery_file_that_is_a_link_is_refused(basic: Path, tmp_path: Path) -> None:
    folder = basic / "articles" / "a-full"
    (tmp_path / "secret.jpg").write_bytes(b"\xff\xd8\xff")
    os.symlink(tmp_path / "secret.jpg", folder / "a.jpg")
    edit(folder / "article.toml", 'category = "news"', 'category = "news"\ngallery = ["a.jpg"]')
    report = build_report(basic)
    assert any(
        "image 'a.jpg' is a link; put the file itself in articles/a-full/" in m
        for m in messages(report)
    )


def test_unknown_keys_of_an_image_table_are_warnings(basic: Path) -> None:
    path = basic / "articles" / "a-full" / "kk.md"
    text = path.read_text(encoding="utf-8")
    end = text.index("+++", 3)
    path.write_text(
        text[:end] + '[images."a.jpg"]\nalt = "x"\ncaptoin = "y"\n' + text[end:], encoding="utf-8"
    )
    report = build_report(basic)
    assert report.ok
    line = path.read_text(encoding="utf-8").splitlines().index('captoin = "y"') + 1
    assert (
        f"articles/a-full/kk.md:{line}: warning: unknown key 'images.a.jpg.captoin' "
        "(did you mean 'caption'?)" in messages(report)
    )


def test_a_fallback_article_names_its_language_in_the_breadcrumbs(portal: Path) -> None:
    public = build_ok(portal)
    page = read(public, "/en/news/buses/")  # the Russian text (missing = "fallback")
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S)
    assert trail is not None
    assert '<li aria-current="page" lang="ru">Ночные автобусы будут ходить' in trail.group()
    own = read(public, "/ru/news/buses/")
    assert '<li aria-current="page">Ночные автобусы будут ходить' in own
