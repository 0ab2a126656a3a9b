"""Untrusted input that used to slip through: characters XML cannot carry, values that
crashed ushtil, names ending in a newline, paths leading out of the project or the output
folder, and .po headers that chose where to write. Each gives the exact message an editor
sees (``path:line: message``), the right exit code, no traceback, and writes nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from conftest import build_ok, edit, make_project
from test_serve import Running

from ushtil.cli.main import main

A = "articles/a-full"
XML_FORBIDDEN = "cannot be published (XML feeds and sitemaps forbid it); delete it"


def run(
    project: Path | str, *args: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links as their target) with the digest of its bytes."""
    result = {}
    for p in sorted(folder.rglob("*")):
        key = p.relative_to(folder).as_posix()
        if p.is_symlink():
            result[key] = "-> " + os.readlink(p)
        elif p.is_file():
            result[key] = hashlib.sha256(p.read_bytes()).hexdigest()
    return result


def xml_outputs(public: Path) -> list[Path]:
    return sorted([*public.rglob("feed.xml"), *public.rglob("sitemap*.xml")])


def assert_well_formed(public: Path) -> None:
    found = xml_outputs(public)
    assert any(p.name == "feed.xml" for p in found) and any(p.name == "sitemap.xml" for p in found)
    for path in found:
        ET.parse(path)  # raises ParseError on anything that is not well-formed XML


def put(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in ``path``, byte for byte (``new`` may hold any character)."""
    data = path.read_bytes()
    assert old.encode() in data, f"{old!r} not in {path}"
    path.write_bytes(data.replace(old.encode(), new.encode(), 1))


# --- 1. characters that XML 1.0 forbids -------------------------------------------------

FORBIDDEN: list[tuple[str, Callable[[Path], object], str]] = [
    (
        "vertical tab pasted into a body",
        lambda p: put(p / A / "kk.md", "Саябақта ағаштар", "Саябақта\x0b ағаштар"),
        f"{A}/kk.md:7: control character U+000B at column 9 {XML_FORBIDDEN}",
    ),
    (
        "NUL in a body",
        lambda p: put(p / A / "en.md", "The park has", "The\x00 park has"),
        f"{A}/en.md:12: control character U+0000 at column 4 {XML_FORBIDDEN}",
    ),
    (
        "U+0001 in a title",
        lambda p: put(p / A / "kk.md", "Қалада жаңа", "Қалада\x01 жаңа"),
        f"{A}/kk.md:2: control character U+0001 at column 16 {XML_FORBIDDEN}",
    ),
    (
        "U+FFFE in a summary",
        lambda p: put(p / A / "ru.md", "На берегу", "На\ufffe берегу"),
        f"{A}/ru.md:3: noncharacter U+FFFE at column 14 {XML_FORBIDDEN}",
    ),
    (
        "U+FFFF in article.toml",
        lambda p: put(p / A / "article.toml", 'category = "news"', 'category = "news" # \uffff'),
        f"{A}/article.toml:2: noncharacter U+FFFF at column 21 {XML_FORBIDDEN}",
    ),
    (
        "a character reference in a body",
        lambda p: put(p / A / "kk.md", "Саябақта ағаштар", "Саябақта&#12; ағаштар"),
        (
            f"{A}/kk.md:7: character reference &#12; stands for control character U+000C, "
            f"which {XML_FORBIDDEN}"
        ),
    ),
    (
        "a character reference in trusted raw HTML",
        lambda p: (
            put(p / "site.toml", "[categories]", "[markdown]\nraw_html = true\n\n[categories]"),
            put(p / A / "en.md", "The park has", '<p title="&#xfffe;">The</p>\n\nThe park has'),
        ),
        (
            f"{A}/en.md:12: character reference &#xfffe; stands for noncharacter U+FFFE, "
            f"which {XML_FORBIDDEN}"
        ),
    ),
    (
        "an escaped control character in a title",
        lambda p: put(p / A / "kk.md", 'title = "Қалада жаңа', 'title = "Қалада\\u000b жаңа'),
        f"{A}/kk.md:2: 'title' contains control character U+000B, which {XML_FORBIDDEN}",
    ),
    (
        "an escaped control character in a summary",
        lambda p: put(p / A / "en.md", 'summary = "A new park', 'summary = "A new\\u001f park'),
        f"{A}/en.md:3: 'summary' contains control character U+001F, which {XML_FORBIDDEN}",
    ),
    (
        "an escaped control character in a category's name in site.toml",
        lambda p: put(
            p / "site.toml", 'news = "News of the city"', 'news = "News of\\u0008 the city"'
        ),
        f"site.toml:13: 'categories.news' contains control character U+0008, which {XML_FORBIDDEN}",
    ),
    (
        "U+FFFE in the base URL",
        lambda p: put(
            p / "site.toml",
            'base_url = "https://example.kz"',
            'base_url = "https://example.kz/\ufffe"',
        ),
        f"site.toml:1: noncharacter U+FFFE at column 32 {XML_FORBIDDEN}",
    ),
    (
        "an escaped control character in the base URL",
        lambda p: put(
            p / "site.toml",
            'base_url = "https://example.kz"',
            'base_url = "https://example.kz/\\u0001"',
        ),
        f"site.toml:1: 'base_url' contains control character U+0001, which {XML_FORBIDDEN}",
    ),
    (
        "an escaped control character in a language's name",
        lambda p: put(
            p / "site.toml",
            "[categories]",
            '[language.en]\nname = "Eng\\u0002lish"\nlocale = "en_US"\n\n[categories]',
        ),
        (
            f"site.toml:13: 'language.en.name' contains control character U+0002, "
            f"which {XML_FORBIDDEN}"
        ),
    ),
]


@pytest.mark.parametrize(("name", "breaks", "expected"), FORBIDDEN, ids=[f[0] for f in FORBIDDEN])
def test_characters_xml_forbids_are_an_error_with_their_line(
    basic: Path,
    name: str,
    breaks: Callable[[Path], object],
    expected: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    public = build_ok(basic)
    before = tree(public)
    breaks(basic)
    code, _, err = run(basic, "build", capsys=capsys)
    assert code == 1 and expected in err.splitlines(), err
    assert err.splitlines()[-1] == "build failed: nothing was written"
    assert tree(public) == before
    assert_well_formed(public)


def test_tabs_line_ends_and_other_characters_xml_allows_still_build(basic: Path) -> None:
    put(basic / A / "kk.md", "Саябақта ағаштар", "Саябақта\tағаштар \u0085 \u200b \U0001f333")
    put(basic / A / "kk.md", 'title = "Қалада жаңа', 'title = "Қалада\\tжаңа')
    path = basic / A / "ru.md"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    public = build_ok(basic)
    assert_well_formed(public)
    assert "ағаштар \u0085 \u200b \U0001f333" in (public / "kk/feed.xml").read_text(
        encoding="utf-8"
    )


def test_many_lines_with_such_characters_are_reported_up_to_a_limit(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "\n\n".join(f"Жол\x0b {n}" for n in range(30))
    (basic / A / "kk.md").write_text(f'+++\ntitle = "Қала"\n+++\n{body}\n', encoding="utf-8")
    code, _, err = run(basic, "build", capsys=capsys)
    lines = [line for line in err.splitlines() if line.startswith(f"{A}/kk.md:")]
    assert code == 1 and len(lines) == 11, err
    assert lines[0] == f"{A}/kk.md:4: control character U+000B at column 4 {XML_FORBIDDEN}"
    assert lines[-1] == f"{A}/kk.md:24: 20 more lines have characters that cannot be published"


# --- 2. values that crashed ushtil ------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (
            "9999-12-31T23:59:00+00:00",
            "'published' 9999-12-31T23:59:00+00:00 is out of range: the year must be 1970 to 2999",
        ),
        (
            "0001-01-01T00:00:00+05:00",
            "'published' 0001-01-01T00:00:00+05:00 is out of range: the year must be 1970 to 2999",
        ),
        (
            "3000-01-01T00:00:00-12:00",
            "'published' 3000-01-01T00:00:00-12:00 is out of range: the year must be 1970 to 2999",
        ),
    ],
)
def test_a_date_out_of_range_is_an_error_at_its_line(
    basic: Path, published: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (basic / A / "article.toml").write_text(
        f'category = "news"\npublished = {published}\n', encoding="utf-8"
    )
    code, _, err = run(basic, "build", capsys=capsys)
    assert code == 1 and f"{A}/article.toml:2: {expected}" in err.splitlines(), err


@pytest.mark.parametrize("published", ["1970-01-01T00:00:00+14:00", "2999-12-31T23:59:59-12:00"])
def test_the_edges_of_the_range_build(basic: Path, published: str) -> None:
    (basic / A / "article.toml").write_text(
        f'category = "news"\npublished = {published}\n', encoding="utf-8"
    )
    assert_well_formed(build_ok(basic))


RECURSION = "template recursion: it includes, extends or calls itself without end"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            (
                '{% extends "base.html" %}\n{% block content %}\n'
                '{% include "404.html" %}\n{% endblock %}\n'
            ),
            3,
        ),
        ('{% extends "404.html" %}\n', 1),
        (
            (
                '{% extends "base.html" %}\n{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}\n'
                "{% block content %}\n{{ down(1) }}\n{% endblock %}\n"
            ),
            2,
        ),
    ],
    ids=["includes itself", "extends itself", "a recursive macro"],
)
def test_a_template_that_never_stops_is_an_error_at_its_line(
    basic: Path, template: str, expected: int, capsys: pytest.CaptureFixture[str]
) -> None:
    public = build_ok(basic)
    before = tree(public)
    (basic / "templates/404.html").write_text(template, encoding="utf-8")
    code, _, err = run(basic, "build", capsys=capsys)
    assert code == 1 and f"templates/404.html:{expected}: {RECURSION}" in err.splitlines(), err
    assert tree(public) == before


def test_export_into_a_file_given_as_the_output_folder(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (basic / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out, err = run(
        basic, "translate", "export", "a-full", "--to", "ru", "--out", "notes.txt", capsys=capsys
    )
    assert code == 2 and out == ""
    assert err.strip() == (
        "ushtil translate export: --out notes.txt: not a folder "
        "(it names the folder for the <id>.<lang>.po files)"
    )
    assert (basic / "notes.txt").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("port", ["99999", "-1", "0x50", "http"])
def test_serve_checks_the_port_before_building(basic: Path, port: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ushtil.cli.main", "-C", str(basic), "serve", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert (
        done.stderr.splitlines()[-1]
        == f"ushtil serve: error: argument --port: '{port}' is not a port number (1 to 65535)"
    )
    assert not (basic / "public").exists()


# --- 3. names that end in a newline -----------------------------------------------------

NEWLINES: list[tuple[str, Callable[[Path], object], str]] = [
    (
        "an article folder",
        lambda p: (p / A).rename(p / "articles/evil\n"),
        (
            "articles/evil\\n: article ID 'evil\\n' must be lowercase Latin letters, digits and "
            "single hyphens (it becomes the URL /{lang}/news/{id}/)"
        ),
    ),
    (
        "a category slug",
        lambda p: put(p / "site.toml", "[categories]\n", '[categories]\n"site\\n" = "Site"\n'),
        "site.toml:13: 'site\\n' in [categories] must be lowercase letters, digits and hyphens",
    ),
    (
        "a tag slug",
        lambda p: put(p / "site.toml", "[tags]\n", '[tags]\n"astana\\n" = "Astana"\n'),
        "site.toml:17: 'astana\\n' in [tags] must be lowercase letters, digits and hyphens",
    ),
    (
        "a language code",
        lambda p: put(
            p / "site.toml",
            '"en"]',
            '"en\\n"]\n[language."en\\n"]\nname = "English"\nlocale = "en_US"',
        ),
        "site.toml:3: 'en\\n' is not an ISO 639-1 language code",
    ),
    (
        "the base URL",
        lambda p: put(
            p / "site.toml", 'base_url = "https://example.kz"', 'base_url = "https://example.kz\\n"'
        ),
        "site.toml:1: 'base_url' must be an absolute http(s) URL, not 'https://example.kz\\n'",
    ),
    (
        "an image's name",
        lambda p: (
            (p / A / "photo\n.jpg").write_bytes(b"\xff\xd8\xff"),
            put(
                p / A / "article.toml",
                'category = "news"',
                'category = "news"\nimage = "photo\\n.jpg"',
            ),
        ),
        f"{A}/article.toml:3: image 'photo\\n.jpg' must be a file inside the article folder",
    ),
    (
        "a digest",
        lambda p: put(
            p / A / "ru.md", 'digest = "7d06e2c9d417b5f7"', 'digest = "7d06e2c9d417b5f7\\n"'
        ),
        (
            f"{A}/ru.md:7: digest '7d06e2c9d417b5f7\\n' is not a digest (16 hex digits); "
            "let `ushtil translate new` and `ushtil translate done` write it"
        ),
    ),
]


@pytest.mark.parametrize(("name", "breaks", "expected"), NEWLINES, ids=[n[0] for n in NEWLINES])
def test_a_final_newline_does_not_pass_the_name_checks(
    basic: Path,
    name: str,
    breaks: Callable[[Path], object],
    expected: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    breaks(basic)
    code, _, err = run(basic, "build", capsys=capsys)
    assert code == 1 and expected in err.splitlines(), err
    assert not (basic / "public").exists()


# --- 4. the preview server stays inside the output folder --------------------------------


def raw_get(url: str, target: str, method: str = "GET") -> tuple[int, bytes]:
    """A request sent as written: HTTP clients would normalise the ``..`` away."""
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as s:
        s.sendall(f"{method} {target} HTTP/1.0\r\nHost: {parts.hostname}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Running]:
    server = Running(make_project(tmp_path, "portal"))
    server.thread.start()
    assert server.ready.wait(30), server.lines
    yield server
    server.stop.set()
    server.thread.join(10)


def test_serve_never_answers_with_a_file_outside_the_output(
    preview: Running, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE", encoding="utf-8")
    (preview.project / "404.html").write_text("<p>SECRET-PROJECT</p></body>", encoding="utf-8")
    (preview.project / "secret.txt").write_text("SECRET-PROJECT", encoding="utf-8")
    public = preview.project / "public"
    (public / "leak.txt").symlink_to(secret)
    (public / "leak").symlink_to(tmp_path)
    (public / "kk/leak").mkdir()
    (public / "kk/leak/index.html").symlink_to(preview.project / "404.html")
    assert raw_get(preview.url, "/kk/")[0] == 200
    for target in (
        "/../secret.txt",
        "/../x",
        "/../../x",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/kk/../../secret.txt",
        "/leak.txt",
        "/leak/secret.txt",
        "/kk/leak/",
        "/leak/",
        "..",
        "../secret.txt",
        "/static/..%00/x",
        "/%00",
    ):
        status, response = raw_get(preview.url, target)
        assert b"SECRET" not in response, target
        assert status in (301, 400, 404), (target, status)
    for target in ("/leak.txt", "/leak/secret.txt", "/kk/leak/"):
        assert raw_get(preview.url, target, "HEAD")[0] == 404, target
    assert raw_get(preview.url, "/kk/", "HEAD")[0] == 200


# --- 5. -C names a project --------------------------------------------------------------


def test_a_missing_project_folder_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nonexistent"
    code, out, err = run(missing, "build", capsys=capsys)
    assert code == 2 and out == ""
    assert err.strip() == f"ushtil: -C {missing}: no such folder"
    assert not missing.exists()


def test_a_folder_that_is_not_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "file").write_text("x", encoding="utf-8")
    for command in (["build"], ["check"], ["i18n", "extract"], ["status"]):
        code, _, err = run(folder, *command, capsys=capsys)
        assert code == 2
        assert err.strip() == (
            f"ushtil: -C {folder}: not in an ushtil project "
            "(no site.toml there or in any folder above it)"
        )
    code, _, err = run(folder / "file", "build", capsys=capsys)
    assert code == 2 and err.strip() == f"ushtil: -C {folder / 'file'}: not a folder"
    assert sorted(p.name for p in folder.iterdir()) == ["file"]


def test_the_current_folder_must_be_a_project_too(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ushtil.cli.main", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "ushtil: this folder is not in an ushtil project (no site.toml here or in any folder "
        "above it); run ushtil in the project's folder or give it with -C DIR"
    )
    assert list(tmp_path.iterdir()) == []


# --- 6. writes inside the project never go through a link --------------------------------

LINK = "is a symbolic link; ushtil does not write through links (replace it with a regular file)"
OUT_OF_PROJECT = "its folder leads out of the project (through a symbolic link)"
LINK_OUT = "is a link that leads out of the project; ushtil reads only the project's own files"


def refused_link(err: str, path: str, message: str) -> bool:
    """``path`` refused for ``message`` when writing, or, when the link leads out of the
    project, refused before anything is read (at the link itself)."""
    lines = err.splitlines()
    return f"{path}: {message}" in lines or any(line.endswith(f": {LINK_OUT}") for line in lines)


def test_extract_does_not_write_through_a_dangling_link(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.pot"
    (basic / "i18n/messages.pot").unlink()
    (basic / "i18n/messages.pot").symlink_to(outside)
    code, _, err = run(basic, "i18n", "extract", capsys=capsys)
    assert code == 1 and refused_link(err, "i18n/messages.pot", LINK), err
    assert not outside.exists() and (basic / "i18n/messages.pot").is_symlink()


def test_init_does_not_write_through_a_link(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.po"
    (basic / "locales/de/LC_MESSAGES").mkdir(parents=True)
    (basic / "locales/de/LC_MESSAGES/messages.po").symlink_to(outside)
    code, _, err = run(basic, "i18n", "init", "de", capsys=capsys)
    assert code == 1 and refused_link(err, "locales/de/LC_MESSAGES/messages.po", LINK), err
    assert not outside.exists()
    (basic / "locales/de/LC_MESSAGES/messages.po").unlink()
    code, _, err = run(basic, "i18n", "init", "../../../x", capsys=capsys)
    assert code == 1 and "'../../../x' is not a language code" in err, err
    assert not (tmp_path / "x").exists() and not (basic.parent / "x").exists()


def test_update_does_not_write_through_a_link(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.po"
    outside.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n',
        encoding="utf-8",
    )
    before = outside.read_bytes()
    catalogue = basic / "locales/ru/LC_MESSAGES/messages.po"
    catalogue.unlink()
    catalogue.symlink_to(outside)
    code, _, err = run(basic, "i18n", "update", capsys=capsys)
    assert code == 1 and refused_link(err, "locales/ru/LC_MESSAGES/messages.po", LINK), err
    assert outside.read_bytes() == before and catalogue.is_symlink()


def test_export_does_not_write_through_links(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (basic / "i18n/articles").symlink_to(outside)
    code, _, err = run(basic, "translate", "export", "a-full", "--to", "ru", capsys=capsys)
    assert code == 1 and refused_link(err, "i18n/articles/a-full.ru.po", OUT_OF_PROJECT), err
    assert list(outside.iterdir()) == []
    (basic / "i18n/articles").unlink()
    (basic / "i18n/articles").mkdir()
    (basic / "i18n/articles/a-full.ru.po").symlink_to(outside / "a-full.ru.po")
    code, _, err = run(basic, "translate", "export", "a-full", "--to", "ru", capsys=capsys)
    assert code == 1 and refused_link(err, "i18n/articles/a-full.ru.po", LINK), err
    assert list(outside.iterdir()) == [] and (basic / "i18n/articles/a-full.ru.po").is_symlink()


def test_export_does_not_create_folders_through_a_link(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(basic / "i18n")
    (basic / "i18n").symlink_to(outside)
    code, _, err = run(basic, "translate", "export", "a-full", "--to", "ru", capsys=capsys)
    assert code == 1 and refused_link(err, "i18n/articles/a-full.ru.po", OUT_OF_PROJECT), err
    assert list(outside.iterdir()) == []


def test_compile_does_not_write_through_a_link(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.mo"
    (basic / "locales/ru/LC_MESSAGES/messages.mo").symlink_to(outside)
    code, out, err = run(basic, "i18n", "compile", capsys=capsys)
    assert code == 1
    assert f"locales/ru/LC_MESSAGES/messages.mo: {LINK}" in err.splitlines(), err
    assert "locales/ru/LC_MESSAGES/messages.po: not compiled" in err.splitlines()
    assert not outside.exists() and (basic / "locales/ru/LC_MESSAGES/messages.mo").is_symlink()
    assert (basic / "locales/kk/LC_MESSAGES/messages.mo").is_file()  # the others are compiled
    (basic / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, out, err = run(basic, "i18n", "compile", "--out", "notes.txt", capsys=capsys)
    assert code == 2 and out == ""
    assert err.strip() == "ushtil i18n compile: --out notes.txt: not a folder"
    assert (basic / "notes.txt").read_text(encoding="utf-8") == "mine\n"


# --- 7. article.toml is read only from inside the article --------------------------------


def test_an_article_toml_that_is_a_link_is_refused(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text(
        'published = 2024-01-10T09:00:00+05:00\ncategory = "news"\n', encoding="utf-8"
    )
    (basic / A / "article.toml").unlink()
    (basic / A / "article.toml").symlink_to(outside)
    code, _, err = run(basic, "build", capsys=capsys)
    assert (
        code == 1
        and f"{A}/article.toml: article.toml must be a file, not a link" in err.splitlines()
    ), err
    (basic / A / "article.toml").unlink()
    (basic / A / "article.toml").symlink_to(
        "../b-no-english/article.toml"
    )  # even inside the project
    code, _, err = run(basic, "build", capsys=capsys)
    assert (
        code == 1
        and f"{A}/article.toml: article.toml must be a file, not a link" in err.splitlines()
    ), err


# --- 8. translate import writes only the version the file is for -------------------------


@pytest.fixture
def exported(basic: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A complete translation of a-full into en, as `translate export` wrote it."""
    code, _, err = run(basic, "translate", "export", "a-full", "--to", "en", capsys=capsys)
    assert code == 0, err
    path = basic / "i18n/articles/a-full.en.po"
    assert all(e.msgstr and not e.fuzzy for e in polib.pofile(str(path)))
    return path


def line_of(path: Path, start: str) -> int:
    """The first line that starts with ``start`` (for an entry that is no segment: the line
    of its ``msgctxt``, not of its first comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


@pytest.mark.parametrize(
    ("old", "new", "at", "expected"),
    [
        (
            '"Language: en',
            '"Language: ../../README',
            '"Language:',
            "Language '../../README' is not one of the site's languages (kk, ru, en)",
        ),
        (
            '"Language: en',
            '"Language: ../../../outside',
            '"Language:',
            "Language '../../../outside' is not one of the site's languages (kk, ru, en)",
        ),
        (
            '"Language: en',
            '"Language: de',
            '"Language:',
            "Language 'de' is not one of the site's languages (kk, ru, en)",
        ),
        (
            '"Language: en',
            '"Language: kk',
            '"Language:',
            (
                "Language 'kk' is the language of the version translated from; "
                "the file must be for another"
            ),
        ),
        (
            '"X-Ushtil-Source-Language: kk',
            '"X-Ushtil-Source-Language: ../kk',
            '"X-Ushtil-Source-Language:',
            "X-Ushtil-Source-Language '../kk' is not one of the site's languages (kk, ru, en)",
        ),
        (
            '"X-Ushtil-Article: a-full',
            '"X-Ushtil-Article: ../../x',
            '"X-Ushtil-Article:',
            (
                "X-Ushtil-Article '../../x' is not an article ID "
                "(lowercase Latin letters, digits and single hyphens)"
            ),
        ),
        (
            '"X-Ushtil-Article: a-full',
            '"X-Ushtil-Article: no-such-article',
            '"X-Ushtil-Article:',
            (
                "X-Ushtil-Article 'no-such-article' names no article "
                "(there is no folder articles/no-such-article/)"
            ),
        ),
        (
            'msgctxt "a-full/summary"',
            'msgctxt "b-no-english/summary"',
            'msgctxt "b-no-english/summary"',
            (
                "msgctxt 'b-no-english/summary' is not a segment of article 'a-full' "
                "(X-Ushtil-Article)"
            ),
        ),
    ],
    ids=[
        "up into README",
        "out of the project",
        "not a site language",
        "the source's language",
        "a source language that is a path",
        "an article ID that is a path",
        "no such article",
        "an entry of another article",
    ],
)
def test_import_writes_only_the_version_the_file_is_for(
    basic: Path,
    tmp_path: Path,
    exported: Path,
    old: str,
    new: str,
    at: str,
    expected: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (basic / "README.md").write_text("# the project's own file\n", encoding="utf-8")
    put(exported, old, new)
    before = tree(basic)
    outside = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(basic, "translate", "import", str(exported), capsys=capsys)
    assert code == 1 and out == ""
    shown = exported.relative_to(basic)  # -C: named from the project's folder
    assert f"{shown}:{line_of(exported, at)}: {expected}" in err.splitlines(), err
    assert tree(basic) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == outside


def test_import_still_writes_the_version_the_file_is_for(
    basic: Path, exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(basic / A / "en.md", "The park has trees", "The park has old trees")
    code, out, err = run(basic, "translate", "import", str(exported), capsys=capsys)
    assert code == 1 and "en.md was changed after this file was exported" in err  # kept
    code, out, err = run(basic, "translate", "import", str(exported), "--force", capsys=capsys)
    assert code == 0, err
    assert out.strip() == f"{A}/en.md: written current (4/4 segments)"
    assert "The park has trees and benches." in (basic / A / "en.md").read_text(encoding="utf-8")


def test_import_refuses_control_characters_in_a_translation(
    basic: Path, exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = polib.pofile(str(exported))
    entry = po.find("a-full/summary", by="msgctxt")
    assert entry is not None
    entry.msgstr = "A new park\x0b opened on the bank of the Yesil."
    po.save(str(exported))
    before = tree(basic)
    code, _, err = run(basic, "translate", "import", str(exported), capsys=capsys)
    assert code == 1
    line = line_of(exported, 'msgctxt "a-full/summary"')
    expected = "msgstr has the character U+000B at character 11, which XML and HTML forbid"
    at = range(line, line + 8)  # a line of that entry
    shown = exported.relative_to(basic)
    assert any(
        expected in e and any(e.startswith(f"{shown}:{n}: ") for n in at) for e in err.splitlines()
    ), err
    assert tree(basic) == before
