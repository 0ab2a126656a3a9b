"""An article's ID (and a category's or tag's slug) is one rule, `layout.NAME`, with a
length limit said when the ID is read: an ID that would name files too long for the file
system is refused by the build, not by `translate export` with an OS error."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit

from ushtil.cli.main import main
from ushtil.project import articles, layout, lookalikes
from ushtil.translation import versionfile

LONG = "a" * 250  # fits a folder's name (255 bytes), not `<id>.<lang>.po` beside `.tmp-…`


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["-C", str(project), *args])
    return code, capsys.readouterr().err


def test_one_rule_for_ids_and_slugs() -> None:
    assert articles.ARTICLE_ID is layout.NAME
    assert layout.NAME.fullmatch("a" * layout.NAME_MAX)
    assert layout.NAME.fullmatch("2031-snow-season")
    for bad in ("a" * (layout.NAME_MAX + 1), "a--b", "-a", "a-", "A", "a\n", "", "a.b"):
        assert layout.NAME.fullmatch(bad) is None, bad
        assert layout.name_problem(bad, "article ID") is not None, bad
    assert versionfile.ID_RULE == layout.NAME_RULE
    assert "ARTICLE_NAME" not in vars(lookalikes)


def test_a_long_article_id_is_an_error_where_it_is_read(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (basic / "articles/a-full").rename(basic / "articles" / LONG)
    code, err = run(basic, "build", capsys=capsys)
    assert code == 1
    assert f"articles/{LONG}: article ID longer than {layout.NAME_MAX} characters" in err
    assert "Traceback" not in err
    code, err = run(basic, "translate", "export", LONG, "--to", "en", capsys=capsys)
    assert code == 1
    assert f"articles/{LONG}: article ID longer than {layout.NAME_MAX} characters" in err
    assert "File name too long" not in err
    assert not (basic / layout.EXPORTS).exists() or not any((basic / layout.EXPORTS).iterdir())


def test_an_id_of_the_longest_length_builds(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    longest = "b" * layout.NAME_MAX
    (basic / "articles/a-full").rename(basic / "articles" / longest)
    code, err = run(basic, "build", capsys=capsys)
    assert code == 0, err
    assert (basic / "public/kk/news" / longest / "index.html").is_file()


def test_a_long_slug_is_an_error_in_site_toml(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(basic / "site.toml", "[categories]\n", f'[categories]\n{"c" * 101} = "Long"\n')
    code, err = run(basic, "check", capsys=capsys)
    assert code == 1
    assert f"site.toml:13: a slug in [categories] is longer than {layout.NAME_MAX}" in err
