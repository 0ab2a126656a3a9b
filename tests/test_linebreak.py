"""interface/linebreak.py: where a line may end (UAX #14 as libunistring applies it) and
the greedy fill at a width, checked against GNU msgcat itself, which breaks a long
msgstr with the same two functions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ushtil.interface.linebreak import (
    Break,
    char_width,
    line_class,
    possible_breaks,
    width_breaks,
)

needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")

TEXTS = [
    "Бүгін партия төрағасының бірінші орынбасары Мұхтар Құл-Мұхаммед төрағалық еткен "
    "кезектен тыс партия конференциясында Астананың жаңа әкімі сайланды.",
    "Сегодня на внеочередной партийной конференции (под председательством первого "
    "заместителя) новый аким Астаны избран председателем городского филиала «Нур Отан».",
    "Gross regional product of Astana has already exceeded four and a half trillion "
    "tenge; see https://astana.example.kz/en/news/some-long-article-name/ for more!",
    "Нұр-Сұлтан—Астана: 1 000 000 тұрғын, 2017-жылғы ЭКСПО... «Болашақ» — "
    "бағдарламасы/жобасы; бұл сөйлемде\u00a0бөлінбейтін бос орын бар және т.б. сөздер.",
    "東京と北京とアスタナの都市は、長い文章でも正しく折り返されなければなりません。"
    "これはテストです。もう一度、東京と北京とアスタナの都市。",
    "A word-with-many-hyphens-that-goes-on-and-on-and-on-without-any-space-at-all-for-"
    "seventy-nine-columns-and-beyond, then more words after it.",
]


def lines(text: str, width: int, column: int = 0) -> list[str]:
    breaks = width_breaks(text, width, column, [Break.UNDEFINED] * len(text))
    out, current = [], ""
    for ch, brk in zip(text, breaks, strict=True):
        if brk == Break.POSSIBLE:
            out.append(current)
            current = ""
        current += ch
    return [*out, current]


def msgcat_lines(text: str, tmp_path: Path) -> list[str]:
    po = tmp_path / "one.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "x"\nmsgstr "{text}"\n',
        encoding="utf-8",
    )
    written = subprocess.run(
        ["msgcat", str(po)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    start = written.index('msgid "x"') + 1
    assert written[start] == 'msgstr ""'  # every text here is longer than a line
    return [line[1:-1] for line in written[start + 1 :] if line.startswith('"')]


@needs_msgcat
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_a_long_string_is_broken_where_msgcat_breaks_it(text: str, tmp_path: Path) -> None:
    # msgcat's continuation lines hold 77 columns between their quotes
    assert lines(text, 77) == msgcat_lines(text, tmp_path)


def test_where_a_line_may_end() -> None:
    def allowed(text: str) -> list[str]:
        breaks = possible_breaks(text)
        return [text[i:] for i, b in enumerate(breaks) if b == Break.POSSIBLE]

    assert allowed("two words") == ["words"]  # after the space, not before it
    assert allowed("Құл-Мұхаммед") == ["Мұхаммед"]  # after a hyphen
    assert allowed("«Нұр Отан» деді") == ["Отан» деді", "деді"]  # never inside the quotes
    assert allowed("бос\u00a0орын") == []  # a no-break space holds
    assert allowed("1 000") == ["000"]
    assert allowed("text.") == [] and allowed("(word) x") == ["x"]
    assert allowed("東京") == ["京"]  # between ideographs
    breaks = possible_breaks("one\ntwo")
    assert breaks[3] == Break.MANDATORY and Break.POSSIBLE not in breaks


def test_classes_and_widths() -> None:
    assert line_class("а") == line_class("a") == "AL"
    assert line_class("7") == "NU" and line_class("(") == "OP1" and line_class(")") == "CP1"
    assert line_class("«") == "QU" and line_class("東") == "ID1"
    assert line_class("\u0301") == "CM"  # a combining accent goes with its letter
    assert [char_width(c) for c in "ә東\u0301\x07"] == [1, 2, 0, 0]


def test_the_fill_is_greedy_and_every_line_fits() -> None:
    text = " ".join(["сөз"] * 40)
    for width in (10, 20, 33, 77):
        got = lines(text, width)
        assert "".join(got) == text
        assert all(len(line.rstrip(" ")) <= width for line in got)
        # greedy: the next word would not have fitted on any line
        for line, following in zip(got, got[1:], strict=False):
            assert len(line) + len(following.split(" ")[0]) > width
    long = "a" * 100 + " b"
    assert lines(long, 20) == ["a" * 100 + " ", "b"]  # a word longer than a line stays whole
    assert lines("aaa bbb", 10, column=6) == ["aaa ", "bbb"]  # the first line starts later
