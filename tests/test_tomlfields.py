"""project/tomlfields.py: a TOML table read key by key with the type each key must have,
every problem collected with the line of its key (in a table, a front matter that starts
below line 1, a quoted key), unknown keys named with a suggestion."""

from __future__ import annotations

import datetime as dt

from ushtil.project.problems import Severity
from ushtil.project.tomlfields import Fields, closest, key_line, parse_toml

TEXT = """\
# a comment
title = "Қала"
count = "ten"
flag = 1
tags = ["a", 2]
when = 2026-03-01
bad = "a\\u000bb"
zero = 0
kind = "blog"
ok = true

[images."lead.jpg"]
alt = 7
"site\\n" = 1
"""


def read(text: str = TEXT, first_line: int = 1) -> Fields:
    data, problems = parse_toml(text, "articles/a/kk.md", first_line)
    assert data is not None and problems == []
    return Fields(data, "articles/a/kk.md", text, first_line=first_line)


def test_each_key_has_its_type_and_each_problem_its_line() -> None:
    fields = read(first_line=3)  # the front matter starts on the file's line 3
    assert fields.string("title", nonempty=True) == "Қала"
    assert fields.integer("count") is None
    assert fields.boolean("flag") is None  # 1 is not true
    assert fields.strings("tags") is None
    assert fields.datetime("when") is None
    assert fields.string("bad") is None
    assert fields.integer("zero") is None
    assert fields.choice("kind", ("news", "site")) is None
    assert fields.boolean("ok") is True
    assert fields.string("missing", required=True) is None
    images = fields.sub("images")
    assert images is not None
    lead = images.sub("lead.jpg")
    assert lead is not None and lead.string("alt") is None
    assert [str(d) for d in fields.diagnostics] == [
        "articles/a/kk.md:5: 'count' must be a whole number, not a string",
        "articles/a/kk.md:6: 'flag' must be true or false, not a number",
        "articles/a/kk.md:7: 'tags' must be a list of strings",
        "articles/a/kk.md:8: 'when' must have a time and an offset, e.g. T14:05:00+06:00",
        "articles/a/kk.md:9: 'bad' contains control character U+000B, which cannot be "
        "published (XML feeds and sitemaps forbid it); delete it",
        "articles/a/kk.md:10: 'zero' must be at least 1",
        "articles/a/kk.md:11: 'kind' must be one of 'news', 'site', not 'blog'",
        "articles/a/kk.md:3: 'missing' is required",
        "articles/a/kk.md:15: 'images.lead.jpg.alt' must be a string, not a number",
    ]


def test_dates_need_a_time_an_offset_and_a_sensible_year() -> None:
    text = (
        "a = 2026-03-01T09:00:00+05:00\nb = 2026-03-01T09:00:00\nc = 1969-12-31T23:00:00Z\n"
        'd = "2026-03-01T09:00:00+05:00"\ne = 3000-01-01T00:00:00Z\n'
    )
    fields = read(text)
    assert fields.datetime("a") == dt.datetime(
        2026, 3, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=5))
    )
    for key in "bcde":
        assert fields.datetime(key) is None
    said = [str(d) for d in fields.diagnostics]
    assert said[0] == "articles/a/kk.md:2: 'b' has no time zone offset, e.g. +06:00"
    assert said[1].startswith("articles/a/kk.md:3: 'c' 1969-12-31T23:00:00+00:00 is out of range")
    assert "not a quoted string" in said[2] and said[3].startswith("articles/a/kk.md:5:")


def test_unknown_keys_are_named_with_what_was_meant() -> None:
    fields = read('titel = "x"\nsumary = "y"\nzzz = 1\n')
    fields.unknown(("title", "summary"), severity=Severity.WARNING)
    assert [str(d) for d in fields.diagnostics] == [
        "articles/a/kk.md:1: warning: unknown key 'titel' (did you mean 'title'?)",
        "articles/a/kk.md:2: warning: unknown key 'sumary' (did you mean 'summary'?)",
        "articles/a/kk.md:3: warning: unknown key 'zzz'",
    ]
    assert closest("languagess", ["languages", "time_zone"]) == " (did you mean 'languages'?)"
    assert closest("x", ["languages"]) == ""


def test_a_syntax_error_names_the_line_in_the_file() -> None:
    data, problems = parse_toml('title = "x"\ncount = = 1\n', "articles/a/kk.md", first_line=2)
    assert data is None and len(problems) == 1
    assert str(problems[0]).startswith("articles/a/kk.md:3: TOML syntax error: ")
    data, problems = parse_toml('title = "x', "site.toml")
    assert data is None and str(problems[0]).startswith("site.toml:1: TOML syntax error")


def test_the_line_of_a_key() -> None:
    text = '[a]\nx = 1\n\n[b]\n"x" = 2\n\n["c.d"]\n'
    assert key_line(text, "x", "a") == 2
    assert key_line(text, "x", "b") == 5
    assert key_line(text, "y", "b") == 4  # not set: the table's line
    assert key_line(text, "z", "c.d") == 7
    assert key_line(text, "x", first_line=10) == 10
    assert key_line('"site\\n" = 1\n', "site\n") == 1  # a key TOML escapes
