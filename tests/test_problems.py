"""project/problems.py: a diagnostic is shown as `path:line[:column]: [warning: ]message`
on one line, whatever a file name or a message holds; errors and warnings are told apart
and sorted by place."""

from __future__ import annotations

from pathlib import Path

import pytest

from ushtil.project.problems import (
    Diagnostic,
    Location,
    Severity,
    UshtilError,
    display_path,
    error,
    has_errors,
    printable,
    sort_key,
    warning,
)


def test_a_diagnostic_names_its_place() -> None:
    assert str(error(Location("site.toml", 3), "x", "bad")) == "site.toml:3: bad"
    assert str(warning(Location("a/kk.md", 2, 7), "x", "odd")) == "a/kk.md:2:7: warning: odd"
    assert str(error(Location("public"), "x", "no line")) == "public: no line"
    assert str(error(Location("f", 0, 4), "x", "line 0 is no line")) == "f: line 0 is no line"


def test_control_characters_never_reach_the_terminal() -> None:
    shown = str(error(Location("articles/a\nb/kk.md", 1), "x", "say \x1b[31mred\x1b[0m\ttab"))
    assert "\n" not in shown and "\x1b" not in shown
    assert shown == "articles/a\\nb/kk.md:1: say \\x1b[31mred\\x1b[0m\ttab"
    assert printable("Қала\u0085\x7f") == "Қала\\x85\\x7f"  # C1 controls too; letters stay


def test_errors_warnings_and_order() -> None:
    found = [
        warning(Location("b.md", 1), "w", "later"),
        error(Location("a.md", 10), "e", "second"),
        error(Location("a.md", None), "e", "first"),
        warning(Location("a.md", 2), "w", "between"),
    ]
    assert has_errors(found) and not has_errors(d for d in found if not d.is_error)
    assert [d.message for d in sorted(found, key=sort_key)] == [
        "first",
        "between",
        "second",
        "later",
    ]
    assert found[0].severity is Severity.WARNING and not found[0].is_error
    assert Diagnostic(Severity.ERROR, Location("x"), "c", "m").is_error


def test_an_error_carries_every_diagnostic() -> None:
    problems = [error(Location("a", 1), "x", "one"), error(Location("b", 2), "x", "two")]
    with pytest.raises(UshtilError) as raised:
        raise UshtilError(iter(problems))
    assert raised.value.diagnostics == tuple(problems)
    assert str(raised.value) == "a:1: one\nb:2: two"


def test_paths_are_shown_from_the_project() -> None:
    root = Path("/srv/site")
    assert display_path(root / "articles/a/kk.md", root) == "articles/a/kk.md"
    assert display_path(Path("/tmp/export.po"), root) == "/tmp/export.po"
