"""project/text.py: a text file is read as UTF-8 with LF line ends in NFC, or refused with
the line (and column) of what cannot be published; a version's digest depends on its
text alone."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ushtil.project.text import (
    decode,
    publishable_problems,
    read_text,
    reference_problems,
    text_digest,
    unpublishable,
)


def messages(found: list) -> list[str]:  # type: ignore[type-arg]
    return [str(d) for d in found]


def test_a_file_is_read_as_utf8_lf_and_nfc(tmp_path: Path) -> None:
    path = tmp_path / "kk.md"
    decomposed = unicodedata.normalize("NFD", "Айгүл")
    path.write_bytes(b"\xef\xbb\xbf" + f"бір\r\nекі\r{decomposed}\n".encode())
    text, found = read_text(path, "articles/a/kk.md")
    assert text == "бір\nекі\nАйгүл\n"
    assert messages(found) == [
        "articles/a/kk.md:3: warning: text is not in Unicode NFC; it was normalised"
    ]


def test_what_cannot_be_read_is_named_with_its_line(tmp_path: Path) -> None:
    text, found = decode("бір\nекі ".encode() + b"\xff\n", "kk.md")
    assert text is None
    assert messages(found) == ["kk.md:2: not valid UTF-8 (byte 0xff); save the file as UTF-8"]
    text, found = read_text(tmp_path / "none.md", "none.md")
    assert text is None and messages(found)[0].startswith("none.md: cannot read: ")


def test_characters_xml_cannot_carry_are_refused_where_they_stand() -> None:
    for char in ("\x00", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"):
        assert unpublishable(f"ab{char}") is not None, repr(char)
    for char in ("\t", "\n", "\r", "\x85", "\u200b", "\U0001f600"):
        assert unpublishable(f"ab{char}") is None, repr(char)
    assert unpublishable("ab\x0bc") == (2, "control character U+000B")
    assert unpublishable("\uffff") == (0, "noncharacter U+FFFF")
    text, found = decode(b"ok\nbad\x0bhere\n", "kk.md")
    assert text is None
    assert messages(found) == [
        "kk.md:2: control character U+000B at column 4 cannot be published "
        "(XML feeds and sitemaps forbid it); delete it"
    ]


def test_many_bad_lines_are_counted_not_listed() -> None:
    found = publishable_problems("\x01\n" * 25, "kk.md", first_line=5)
    assert len(found) == 11
    assert str(found[-1]) == "kk.md:15: 15 more lines have characters that cannot be published"


def test_a_reference_to_such_a_character_is_refused_too() -> None:
    found = reference_problems("ok &#12; &#x0B; &#x41; &#65;\n&#1114112; &#0;", "kk.md", 7)
    assert messages(found) == [
        "kk.md:7: character reference &#12; stands for control character U+000C, which "
        "cannot be published (XML feeds and sitemaps forbid it); delete it",
        "kk.md:7: character reference &#x0B; stands for control character U+000B, which "
        "cannot be published (XML feeds and sitemaps forbid it); delete it",
        "kk.md:8: character reference &#0; stands for control character U+0000, which "
        "cannot be published (XML feeds and sitemaps forbid it); delete it",
    ]


def test_the_digest_follows_the_text_not_its_layout() -> None:
    summary = "Айгүл айтты"  # й is two code points in NFD
    digest = text_digest("Тақырып", summary, "Бірінші абзац.\n\nЕкінші.")
    assert len(digest) == 16 and int(digest, 16) >= 0
    decomposed = unicodedata.normalize("NFD", summary)
    assert decomposed != summary
    same = [
        ("Тақырып", summary, "\n\nБірінші абзац.  \r\n\r\nЕкінші.\n\n"),
        ("Тақырып", decomposed, "Бірінші абзац.\n\nЕкінші."),
    ]
    for parts in same:
        assert text_digest(*parts) == digest, parts
    different = [
        ("Тақырып", summary, "Бірінші абзац.\nЕкінші."),
        ("Тақырып", summary, "Бірінші абзац.\n\nЕкінші!"),
        ("Тақырып", "", summary + "\x1eБірінші абзац.\n\nЕкінші."),  # parts are kept apart
        ("Тақырып" + summary, "", "Бірінші абзац.\n\nЕкінші."),
    ]
    for parts in different:
        assert text_digest(*parts) != digest, parts
