"""Invisible characters: the set is Unicode's (Default_Ignorable_Code_Point and
Bidi_Control), from one generated table, and every member is warned about in an
article's front matter, the bidirectional controls in its body too; a soft hyphen never."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, edit

from ushtil.cli.main import main
from ushtil.project import invisible, lookalikes
from ushtil.project.lookalikes import article_problems

# one of each kind: a bidirectional mark and an isolate, a zero-width space, the BOM,
# the Mongolian vowel separator (no longer a space since Unicode 6.3), a tag character
CASES = ("\u061c", "\u2066", "\u200b", "\ufeff", "\u180e", "\U000e0001")
BIDI = {"\u061c", "\u2066"}


def points(ranges: tuple[tuple[int, int], ...]) -> set[int]:
    return {c for a, b in ranges for c in range(a, b + 1)}


def test_the_table_is_what_unicode_says() -> None:
    """Each code point of Python's own database (``unicodedata.unidata_version``) in the
    general category Cf is Default_Ignorable, but for those Unicode's derivation excludes:
    the prepended concatenation marks, the interlinear annotation characters and the
    Egyptian hieroglyph format controls; and the table is what ``regex`` says today."""
    table = points(invisible.DEFAULT_IGNORABLE)
    excluded = {0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2}
    excluded |= {0xFFF9, 0xFFFA, 0xFFFB, 0x110BD, 0x110CD} | set(range(0x13430, 0x13440))
    formats = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert formats - excluded <= table, unicodedata.unidata_version
    assert points(invisible.BIDI_CONTROL) <= formats
    assert {0x00AD, 0x061C, 0x180E, 0xFE0F, 0xE0001, 0xE007F} <= table
    if importlib.util.find_spec("regex") is None:
        pytest.skip("regex (a test dependency) is not installed")
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import invisible_table
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert invisible.DEFAULT_IGNORABLE == invisible_table.ranges("Default_Ignorable_Code_Point")
    assert invisible.BIDI_CONTROL == invisible_table.ranges("Bidi_Control")


@pytest.mark.parametrize("ch", CASES, ids=lambda ch: f"U+{ord(ch):04X}")
def test_each_invisible_character_is_warned_about(ch: str) -> None:
    text = f'+++\ntitle = "Асет{ch} Исекешев"\n+++\nБүгін{ch} партия\n'
    found = article_problems(text, "articles/x/ru.md", "ru", body_line=4)
    where = [(d.location.line, d.location.column) for d in found]
    assert where == ([(2, 14), (4, 6)] if ch in BIDI else [(2, 14)]), found
    assert all(d.code == lookalikes.INVISIBLE_CODE and not d.is_error for d in found)
    assert f"U+{ord(ch):04X}" in found[0].message


def test_a_soft_hyphen_is_a_hyphenation_hint_not_a_warning() -> None:
    text = '+++\ntitle = "Жаңа\u00adлықтар"\n+++\nмемле\u00adкеттік\n'
    assert article_problems(text, "articles/x/kk.md", "kk", body_line=4) == []


def test_check_names_an_arabic_letter_mark_in_a_title(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ru = basic / "articles/a-full/ru.md"
    edit(ru, 'title = "В городе', 'title = "В\u061c городе')
    assert main(["-C", str(basic), "check"]) == 0
    err = capsys.readouterr().err
    assert (
        "articles/a-full/ru.md:2:11: warning: invisible bidirectional control U+061C "
        "(ARABIC LETTER MARK)"
    ) in err
    assert main(["-C", str(basic), "check", "--strict"]) == 1
