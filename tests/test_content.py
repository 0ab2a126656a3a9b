"""articles/: front matter, facts and every kind of content error with its location."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NOW, build_report, edit, messages

from ushtil.project.articles import load_articles
from ushtil.project.config import read_config
from ushtil.project.text import text_digest


def load(project: Path) -> tuple[list, list[str]]:
    articles, diagnostics = load_articles(read_config(project)[0])
    return articles, [str(d) for d in diagnostics]


def test_versions_are_linked_by_folder_id(basic: Path) -> None:
    articles, found = load(basic)
    assert found == []
    full = next(a for a in articles if a.id == "a-full")
    assert [v.lang for v in full.versions] == ["kk", "ru", "en"]
    assert full.source is not None and full.source.lang == "kk"
    assert full.version("ru").translated_from.lang == "kk"  # type: ignore[union-attr]
    assert [a.id for a in articles][:2] == ["d-future", "c-draft-en"]  # newest first


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            'title = "x"\nBody\n',
            "articles/a-full/kk.md:1: no front matter: the file must start with a '+++' line, "
            "then title = \"…\", then '+++'",
        ),
        (
            '+++\ntitle = "x"\nBody\n',
            "articles/a-full/kk.md:1: front matter opened with '+++' is never closed",
        ),
        (
            '+++\ntitle = "x\n+++\nBody\n',
            "articles/a-full/kk.md:2: TOML syntax error: Unterminated string",
        ),
        ('+++\nsummary = "s"\n+++\nBody\n', "articles/a-full/kk.md:2: 'title' is required"),
        ('+++\ntitle = "x"\n+++\n\n', "articles/a-full/kk.md:3: the article body is empty"),
        (
            "+++\ntitle = 5\n+++\nBody\n",
            "articles/a-full/kk.md:2: 'title' must be a string, not a number",
        ),
        (
            '+++\ntitle = "x"\ntitel = "y"\n+++\nBody\n',
            "articles/a-full/kk.md:3: warning: unknown key 'titel' (did you mean 'title'?)",
        ),
    ],
)
def test_front_matter_errors(basic: Path, content: str, expected: str) -> None:
    (basic / "articles/a-full/kk.md").write_text(content, encoding="utf-8")
    _, found = load(basic)
    assert any(m.startswith(expected) for m in found), found


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('category = "news"\n', "articles/a-full/article.toml:1: 'published' is required"),
        (
            'published = 2024-01-10T09:00:00\ncategory = "news"\n',
            "articles/a-full/article.toml:1: 'published' has no time zone offset, e.g. +06:00",
        ),
        (
            'published = 2024-01-10\ncategory = "news"\n',
            "articles/a-full/article.toml:1: 'published' must have a time and an offset, "
            "e.g. T14:05:00+06:00",
        ),
        (
            'published = 2024-01-10T09:00:00+05:00\ncategory = "sport"\n',
            "articles/a-full/article.toml:2: category 'sport' is not declared in site.toml "
            "[categories] (declared: news, site)",
        ),
        (
            'published = 2024-01-10T09:00:00+05:00\ncategory = "news"\ntags = 5\n',
            "articles/a-full/article.toml:3: 'tags' must be a list of strings, not a number",
        ),
        (
            'published = 2024-01-10T09:00:00+05:00\ncategory = "news"\nimage = "../../site.toml"\n',
            "articles/a-full/article.toml:3: image '../../site.toml' "
            "must be a file inside the article folder",
        ),
    ],
)
def test_article_toml_errors(basic: Path, content: str, expected: str) -> None:
    (basic / "articles/a-full/article.toml").write_text(content, encoding="utf-8")
    _, found = load(basic)
    assert expected in found, found


@pytest.mark.parametrize("name", ["Big-News", "with space", "a.b", "a..b", "-lead"])
def test_bad_article_ids(basic: Path, name: str) -> None:
    (basic / "articles/a-full").rename(basic / "articles" / name)
    _, found = load(basic)
    assert any(
        m.startswith(f"articles/{name}: article ID '{name}' must be lowercase") for m in found
    ), found


def test_missing_article_toml(basic: Path) -> None:
    (basic / "articles/a-full/article.toml").unlink()
    _, found = load(basic)
    assert (
        "articles/a-full/article.toml: missing: "
        "every article needs article.toml with its date and category"
    ) in found


def test_bom_crlf_and_nfd_are_accepted(basic: Path) -> None:
    path = basic / "articles/a-full/kk.md"
    text = path.read_text(encoding="utf-8").replace(
        "саябақ", "саябак\u0306"
    )  # not NFC (no composed form: stays)
    text = text.replace("Есіл", "Е\u0441\u0456л")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    articles, found = load(basic)
    version = next(a for a in articles if a.id == "a-full").version("kk")
    assert version is not None and "\r" not in version.body
    assert version.title == "Қалада жаңа саябак\u0306 ашылды"
    # A decomposed letter that has a composed form is normalised, with a warning.
    path.write_text('+++\ntitle = "Жаңа \u0438\u0306ыл"\n+++\nМәтін\n', encoding="utf-8")
    articles, found = load(basic)
    version = next(a for a in articles if a.id == "a-full").version("kk")
    assert version is not None and version.title == "Жаңа йыл"
    assert (
        "articles/a-full/kk.md:2: warning: text is not in Unicode NFC; it was normalised" in found
    )


def test_digest_ignores_what_is_not_text() -> None:
    base = text_digest("Тақырып", "Қысқаша", "Бірінші абзац.\n\nЕкінші абзац.\n")
    assert text_digest("Тақырып", "Қысқаша", "Бірінші абзац.  \r\n\r\nЕкінші абзац.\n\n\n") == base
    assert text_digest("Тақырып", "Қысқаша", "Бірінші абзац.\n\nЕкінші абзац өзгерді.\n") != base


def test_all_problems_of_a_run_are_collected(basic: Path) -> None:
    edit(basic / "articles/a-full/article.toml", 'category = "news"', 'category = "sport"')
    edit(basic / "articles/b-no-english/kk.md", 'title = "Сайт жаңартылды"', "title = ")
    report = build_report(basic)
    found = messages(report)
    assert any(m.startswith("articles/a-full/article.toml:2: category 'sport'") for m in found)
    assert any(m.startswith("articles/b-no-english/kk.md:2: TOML syntax error") for m in found)
    assert NOW and not (basic / "public").exists()
