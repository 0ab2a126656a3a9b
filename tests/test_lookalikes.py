"""Latin look-alike letters and invisible characters in article text."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit

from ushtil.cli.main import main
from ushtil.interface import rules
from ushtil.project import lookalikes
from ushtil.project.lookalikes import fix_text, fixed_word

LATIN_I = "әкiмi"  # Latin i twice


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_definition_serves_catalogues_and_articles() -> None:
    assert rules.lookalikes is lookalikes.lookalikes
    assert rules.CYRILLIC_LANGS is lookalikes.CYRILLIC_LANGS


def test_only_unambiguous_words_are_fixed() -> None:
    assert fixed_word(LATIN_I, "kk") == "әкімі"
    assert fixed_word("Acтана", "kk") == "Астана"  # Latin A and c
    assert fixed_word("миниcтр", "ru") == "министр"
    # a Latin i has no Russian twin; a real Latin letter (s) is no look-alike
    assert fixed_word("мiнистр", "ru") is None
    assert fixed_word("кsтана", "kk") is None
    assert fixed_word("әкімі", "en") is None
    text, changes = fix_text("Жаңа әкiмi Acтана\niPhone мен Astana", "kk")
    assert text == "Жаңа әкімі Астана\niPhone мен Astana"
    assert [(c.line, c.column, c.word, c.fixed) for c in changes] == [
        (1, 6, LATIN_I, "әкімі"),
        (1, 12, "Acтана", "Астана"),
    ]


def test_check_warns_with_line_and_column_and_strict_fails(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = portal / "articles/party/kk.md"
    edit(kk, "Астананың жаңа әкімі «Нұр", f"Астананың жаңа {LATIN_I} «Нұр")
    edit(kk, "Бүгін партия", "Бүгін пaртия")  # Latin a in the body
    line = next(n for n, t in enumerate(kk.read_text().split("\n"), 1) if "пaртия" in t)
    code, out, err = run(portal, "check", capsys=capsys)
    assert code == 0, err
    assert f"articles/party/kk.md:3:27: warning: '{LATIN_I}' mixes Latin 'i'" in err
    assert f"articles/party/kk.md:{line}:7: warning: 'пaртия' mixes Latin 'a'" in err
    code, out, err = run(portal, "check", "--strict", capsys=capsys)
    assert code == 1
    assert f"articles/party/kk.md:3:27: '{LATIN_I}'" in err
    # the build warns the same way (and twice: the second from what it remembered)
    for _ in range(2):
        code, out, err = run(portal, "build", capsys=capsys)
        assert code == 0 and f"kk.md:3:27: warning: '{LATIN_I}'" in err


def test_invisible_characters_in_a_title_are_warned_about(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ru = portal / "articles/party/ru.md"
    edit(ru, 'title = "Асет', 'title = "\u202eАсет\u200b')
    code, out, err = run(portal, "check", capsys=capsys)
    assert code == 0
    assert "articles/party/ru.md:2:10: warning: invisible bidirectional control U+202E" in err
    assert "articles/party/ru.md:2:15: warning: invisible character U+200B" in err
    code, out, err = run(portal, "check", "--strict", capsys=capsys)
    assert code == 1


def test_fix_lookalikes_rewrites_only_what_is_unambiguous(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = portal / "articles/party/kk.md"
    ru = portal / "articles/party/ru.md"
    edit(kk, "Астананың жаңа әкімі «Нұр", f"Астананың жаңа {LATIN_I} «Нұр")
    edit(ru, "Новый аким Астаны", "Новый aким Acтаны мiр")  # мiр: Latin i, no Russian twin
    en_before = (portal / "articles/party/en.md").read_bytes()
    code, out, err = run(portal, "fix-lookalikes", capsys=capsys)
    assert code == 0, err
    assert f"articles/party/kk.md:3:27: '{LATIN_I}' → 'әкімі'" in out
    assert "articles/party/ru.md:3:18: 'aким' → 'аким'" in out
    assert "fixed 3 words in 2 files" in out
    assert "Астананың жаңа әкімі «Нұр" in kk.read_text()
    assert "Новый аким Астаны мiр" in ru.read_text()
    assert (portal / "articles/party/en.md").read_bytes() == en_before
    # what is left is still reported; nothing more to fix
    code, out, err = run(portal, "check", "--fix", capsys=capsys)
    assert code == 0
    assert "fixed 0 words in 0 files" in out
    assert "'мiр' mixes Latin 'i'" in err and "fix-lookalikes" not in err.split("'мiр'")[1]


def test_fix_never_writes_through_a_link(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.md"
    kk = portal / "articles/party/kk.md"
    outside.write_text(kk.read_text().replace("жаңа әкімі", f"жаңа {LATIN_I}"))
    kk.unlink()
    kk.symlink_to(outside)
    before = outside.read_bytes()
    run(portal, "fix-lookalikes", capsys=capsys)
    assert outside.read_bytes() == before


def test_captions_in_the_front_matter_are_checked_too(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = portal / "articles/party/kk.md"
    text = kk.read_text(encoding="utf-8")  # the photo's caption, in the front matter
    caption = next(line for line in text.split("\n") if line.startswith("caption = "))
    kk.write_text(text.replace(caption, 'caption = "Қала әкiмi"'), encoding="utf-8")
    line = kk.read_text(encoding="utf-8").split("\n").index('caption = "Қала әкiмi"') + 1
    code, out, err = run(portal, "check", capsys=capsys)
    assert f"articles/party/kk.md:{line}:17: warning: 'әкiмi' mixes Latin 'i'" in err
    code, out, err = run(portal, "fix-lookalikes", "party", capsys=capsys)
    assert code == 0 and 'caption = "Қала әкімі"' in kk.read_text(encoding="utf-8")


def test_fix_lookalikes_names_an_article_that_is_not_there(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(portal), "fix-lookalikes", "nonexistent"]) == 1
    assert "nonexistent: no article articles/nonexistent/" in capsys.readouterr().err
