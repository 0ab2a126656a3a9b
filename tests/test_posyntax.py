"""interface/posyntax.py: a catalogue is checked line by line before polib reads it, and
refused where GNU msgfmt refuses it (polib would take an unterminated string); a merge
conflict is named as one; the lines of entries and header fields are msgfmt's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from ushtil.interface.posyntax import (
    header_line,
    keyword_lines,
    msgid_lines,
    msgstr_forms,
    po_syntax_error,
    read_po,
)

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: kk\\n"\n\n'
GOOD = [
    'msgid "Home"\nmsgstr "Басты бет"\n',
    'msgctxt "category"\nmsgid "News"\nmsgstr ""\n"Жаңа"\n"лықтар"\n',
    'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] "y"\n',
    '# a comment\n#. Translators: a note\n#: t.html:3\n#, fuzzy\n#| msgid "Old"\n'
    'msgid "New"\nmsgstr "Жаңа"\n',
    '#~ msgid "Gone"\n#~ msgstr "Жоқ"\n',
    'msgid "tab\\there \\"quoted\\" \\\\ \\101 \\x41"\nmsgstr "ok"\n',
]
BAD = [
    ('msgid "Home"\nmsgstr "Басты бет\n', 7, "unterminated or badly escaped string"),
    ('msgid "Home"\nmsgstr "a \\q b"\n', 7, "unterminated or badly escaped string"),
    ('msgid "Home"\n', 7, "the last entry has no msgstr"),
    ('msgstr "x"\n', 6, "'msgstr' is out of place"),
    ('msgid "a"\nmsgstr[0] "x"\n', 7, "'msgstr[0]' is out of place"),
    ('msgid "a"\nmsgstr "x"\n"more" trailing\n', 8, "unterminated or badly escaped string"),
    ('msgid "a"\nmsgtsr "x"\n', 7, "not a PO keyword: 'msgtsr'"),
    (
        '<<<<<<< mine\nmsgid "a"\nmsgstr "x"\n=======\nmsgid "a"\nmsgstr "y"\n>>>>>>> theirs\n',
        6,
        "a git merge conflict marker ('<<<<<<<'): resolve the conflict first",
    ),
]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("body", [*GOOD, *(b for b, _, _ in BAD)])
def test_the_verdict_is_msgfmt_s(body: str, tmp_path: Path) -> None:
    text = HEADER + body
    po = tmp_path / "kk.po"
    po.write_text(text, encoding="utf-8")
    checked = subprocess.run(["msgfmt", "-o", "/dev/null", str(po)], capture_output=True)
    assert (checked.returncode == 0) == (po_syntax_error(text) is None), checked.stderr


@pytest.mark.parametrize(("body", "line", "why"), BAD)
def test_the_line_and_the_reason(body: str, line: int, why: str, tmp_path: Path) -> None:
    assert po_syntax_error(HEADER + body) == (line, why)
    path = tmp_path / "kk.po"
    path.write_text(HEADER + body, encoding="utf-8")
    po, problems = read_po(path, "locales/kk/LC_MESSAGES/messages.po")
    assert po is None
    assert [str(p) for p in problems] == [
        f"locales/kk/LC_MESSAGES/messages.po:{line}: syntax error in the catalogue: {why}"
    ]


def test_bad_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "kk.po"
    path.write_bytes(HEADER.encode() + b'msgid "a"\nmsgstr "\xff"\n')
    po, problems = read_po(path, "kk.po")
    assert po is None
    assert [str(p) for p in problems] == [
        "kk.po:7: not valid UTF-8 (byte 0xff): save the file as UTF-8"
    ]


def test_where_entries_and_header_fields_are(tmp_path: Path) -> None:
    text = (
        HEADER.replace('"Language: kk\\n"\n', '"Language: kk\\n"\n"Plural-Forms: x\\n"\n')
        + '#: base.html:1\nmsgctxt "c"\nmsgid "Home"\nmsgstr "Басты бет"\n\n'
        + 'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
    )
    path = tmp_path / "kk.po"
    path.write_text(text, encoding="utf-8")
    po, problems = read_po(path, "kk.po")
    assert po is not None and problems == []
    lines = text.split("\n")
    home, plural = po[0], po[1]
    assert msgid_lines(po)[home.linenum] == lines.index('msgid "Home"') + 1
    assert keyword_lines(text, po, "msgctxt")[home.linenum] == lines.index('msgctxt "c"') + 1
    assert keyword_lines(text, po, "msgstr")[plural.linenum] == lines.index('msgstr[0] "x"') + 1
    assert header_line(po, "Plural-Forms") == lines.index('"Plural-Forms: x\\n"') + 1
    assert header_line(po, "Missing-Field") == 2  # the header's msgstr, where msgfmt says
    assert msgstr_forms(home) == ["Басты бет"] and msgstr_forms(plural) == ["x", "y"]
    assert isinstance(po, polib.POFile)
