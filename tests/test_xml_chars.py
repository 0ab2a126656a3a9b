"""One set of characters XML forbids (`text.UNPUBLISHABLE`), the one XML 1.0 defines, for
article files, site.toml, imported memories and catalogue translations alike."""

from __future__ import annotations

import itertools
import xml.parsers.expat

import polib

from ushtil.interface import rules
from ushtil.project import text
from ushtil.translation import tmx


def expat_accepts(code: int) -> bool:
    """Whether expat (a real XML 1.0 parser) takes the character, as a reference."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(f"<a>&#x{code:X};</a>", True)
    except xml.parsers.expat.ExpatError:
        return False
    return True


def test_the_set_is_what_xml_forbids() -> None:
    edges = itertools.chain(
        range(0x0000, 0x0100), range(0xD700, 0xE100), range(0xFF00, 0x10100), (0x10FFFF,)
    )
    for code in edges:
        forbidden = text.UNPUBLISHABLE.fullmatch(chr(code)) is not None
        assert forbidden is not expat_accepts(code), f"U+{code:04X}"


def test_every_reader_takes_the_one_set() -> None:
    assert "CONTROL" not in vars(rules)
    assert tmx.UNPUBLISHABLE is text.UNPUBLISHABLE
    # a lone surrogate (a string made in Python can hold one) is refused in a translation
    # and where an article's text is read alike
    entry = polib.POEntry(msgid="Search", msgstr="Із\ud800деу")
    assert [f.code for f in rules.judge(entry, 2, "kk").findings] == ["control-character"]
    assert text.unpublishable("Із\ud800деу") == (2, "lone surrogate U+D800")
    assert text.unpublishable("Іздеу\x0b") == (5, "control character U+000B")
