"""What the commands print (cli/output.py): every problem on standard error as
``path:line: message``, its path as the user sees it from where they stand, then a count;
nothing at all when there is no problem."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ushtil.cli.output import Exit, print_diagnostics, shown, terminal_progress, usage
from ushtil.cli.place import Place
from ushtil.project.problems import Diagnostic, Location, error, warning

BROKEN = error(Location("articles/park/kk.md", 3), "toml", "no title")
OLD = warning(Location("articles/park/ru.md", 1), "outdated", "outdated: kk.md changed")
CONFIG = error(Location("site.toml"), "config", "no base_url")


def printed(place: Place, capsys: pytest.CaptureFixture[str], *found: Diagnostic) -> list[str]:
    print_diagnostics(place, found)
    out, err = capsys.readouterr()
    assert out == ""  # problems never go to standard output
    return err.splitlines()


def test_at_the_project_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = printed(Place(tmp_path, tmp_path), capsys, BROKEN, OLD, CONFIG)
    assert lines == [
        "articles/park/kk.md:3: no title",
        "articles/park/ru.md:1: warning: outdated: kk.md changed",
        "site.toml: no base_url",
        "2 error(s), 1 warning(s)",
    ]


def test_paths_are_relative_to_where_the_user_stands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    here = tmp_path / "articles" / "park"
    assert printed(Place(here, tmp_path), capsys, BROKEN, CONFIG) == [
        "kk.md:3: no title",
        "../../site.toml: no base_url",
        "2 error(s), 0 warning(s)",
    ]
    elsewhere = tmp_path / "templates"
    assert printed(Place(elsewhere, tmp_path), capsys, OLD) == [
        "../articles/park/ru.md:1: warning: outdated: kk.md changed",
        "0 error(s), 1 warning(s)",
    ]
    assert shown(Place(here, tmp_path), BROKEN) == error(Location("kk.md", 3), "toml", "no title")


def test_a_file_outside_the_project_is_named_in_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "site"
    outside = error(Location(str(tmp_path / "import" / "kk.po"), 7), "po", "bad line")
    assert printed(Place(project / "articles", project), capsys, outside) == [
        f"{tmp_path}/import/kk.po:7: bad line",
        "1 error(s), 0 warning(s)",
    ]


def test_a_name_with_control_characters_stays_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = warning(Location("articles/a\nb\x1b[2J/kk.md", 2), "x", "odd\rname")
    assert printed(Place(tmp_path, tmp_path), capsys, hostile) == [
        "articles/a\\nb\\x1b[2J/kk.md:2: warning: odd\\rname",
        "0 error(s), 1 warning(s)",
    ]


def test_no_problems_print_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert printed(Place(tmp_path, tmp_path), capsys) == []


def test_usage_mistakes_and_progress(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage("build", "--jobs must be a number") == Exit.USAGE
    assert int(Exit.USAGE) == 2
    assert capsys.readouterr() == ("", "ushtil build: --jobs must be a number\n")
    assert terminal_progress(io.StringIO()) is None  # not a terminal: no progress line
