"""Line breaking as GNU gettext does it when it writes a ``.po`` file.

gettext breaks long strings with libunistring's ``ulc_width_linebreaks``: the pair table
of Unicode's line breaking algorithm (UAX #14, table 7.3 with libunistring's
amendments) over the line breaking classes of the characters, then a greedy fill.
This module is a port of those two functions, so that :mod:`ushtil.interface.pofile`
writes what ``msgcat`` writes; the classes are derived from the Unicode character
database that Python carries, with the exceptions listed in :data:`EXCEPTIONS`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from enum import IntEnum


class Break(IntEnum):
    """Whether a line may end before a character (libunistring's ``UC_BREAK_*``)."""

    UNDEFINED = 0
    PROHIBITED = 1
    POSSIBLE = 2
    MANDATORY = 3


# The classes of the pair table, in its order; the others are resolved before it is read.
# OP2 and CP2 are East Asian brackets, ID2 ideographs that may become emoji.
TABLE_CLASSES = (
    "WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP1", "CP2", "EX", "IN", "NS", "OP1", "OP2", "QU",
    "IS", "NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID1", "ID2", "JL", "JV", "JT", "HL", "RI",
    "ZWJ", "EB", "EM",
)  # fmt: skip
_D, _I, _P = 1, 2, 3  # direct, indirect (only after spaces), prohibited
_ROWS = """
WJ  PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
GL  PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
B2  PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
BA  PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
BB  PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII
HY  PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
CL  PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD
CP1 PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD
CP2 PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD
EX  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
IN  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
NS  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
OP1 PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
OP2 PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
QU  PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII
IS  PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
NU  PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PO  PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD
PR  PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII
SY  PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD
AL  PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
H2  PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
H3  PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
ID1 PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
ID2 PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
JL  PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD
JV  PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
JT  PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD
HL  PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
RI  PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
ZWJ PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII
EB  PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI
EM  PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
"""
_VALUE = {"D": _D, "I": _I, "P": _P}
TABLE: dict[str, dict[str, int]] = {}
for _line in _ROWS.strip().splitlines():
    _before, _cells = _line.split()
    TABLE[_before] = {
        after: _VALUE[cell] for after, cell in zip(TABLE_CLASSES, _cells, strict=True)
    }

# Characters whose class does not follow from their general category (see line_class).
EXCEPTIONS: dict[str, str] = {}


def _ranges(classes: str) -> None:
    """Fill EXCEPTIONS from lines of ``CLASS first[..last] ...`` (hexadecimal)."""
    for line in classes.strip().splitlines():
        name, *spans = line.split()
        for span in spans:
            first, _, last = span.partition("..")
            for code in range(int(first, 16), int(last or first, 16) + 1):
                EXCEPTIONS[chr(code)] = name


_ranges(
    """
AL 600..605 6DD 70F 890..891 8E2 E31 E34..E3A E47..E4E EB1 EB4..EBC EC8..ECD 102B..103E
AL 1056..1059 105E..1060 1062..1064 1067..106D 1071..1074 1082..108D 108F 109A..109D
AL 17B4..17D3 17DD 1A55..1A5E 1A60..1A7C 2061..2064 23E9..23EC 25FD..25FE 2648..2653 2693
AL 26A1 26AA..26AB 26CE 2705 2728 274C 274E 2753..2755 2757 2795..2797 27B0 27BF 2B1B..2B1C
AL 2B50 2B55 A9E5 AA7B..AA7D AAB0 AAB2..AAB4 AAB7..AAB8 AABE..AABF AAC1 1F18E 1F191..1F19A
AL 1F3B5..1F3B6 1F3BC 1F4A0 1F4A2 1F4A4 1F4AF 1F4B1..1F4B2 1F500..1F506 1F517..1F524
AL 1F532..1F53D
B2 2014 2E3A..2E3B
BA 9 7C AD 58A 5BE 964..965 E5A..E5B F0B F34 F7F F85 FBE..FBF FD2 104A..104B 1361 1400
BA 16EB..16ED 1735..1736 17D4..17D5 17D8 17DA 1804..1805 1B5A..1B5B 1B5D..1B60 1B7D..1B7E
BA 1C3B..1C3F 1C7E..1C7F 2010 2012..2013 2027 2056 2058..205B 205D..205E 2CFA..2CFC 2CFF
BA 2D70 2E0E..2E15 2E17 2E19 2E2A..2E2D 2E30..2E31 2E33..2E34 2E3C..2E3E 2E40..2E41
BA 2E43..2E4A 2E4C 2E4E..2E4F 2E5D A4FE..A4FF A60D A60F A6F3..A6F7 A8CE..A8CF A92E..A92F
BA A9C7..A9C9 AA5D..AA5F AAF0..AAF1 ABEB
BB B4 2C8 2CC 2DF C77 C84 F01..F04 F06..F07 F09..F0A FD0..FD1 FD3 1806 1FFD A874..A875 A8FC
BK A..D 85 2028..2029
CL 3001..3002 FE11..FE12 FE50 FE52 FF0C FF0E FF61 FF64
CM 0..8 E..1F 7F..84 86..9F 3035
CP1 29 5D
EB 261D 26F9 270A..270D 1F385 1F3C2..1F3C4 1F3C7 1F3CA..1F3CC 1F442..1F443 1F446..1F450
EB 1F466..1F478 1F47C 1F481..1F483 1F485..1F487 1F48F 1F491 1F4AA 1F574..1F575 1F57A 1F590
EB 1F595..1F596 1F645..1F647 1F64B..1F64F 1F6A3 1F6B4..1F6B6 1F6C0 1F6CC 1F90C 1F90F
EB 1F918..1F91F 1F926 1F930..1F939 1F93C..1F93E 1F977 1F9B5..1F9B6 1F9B8..1F9B9 1F9BB
EB 1F9CD..1F9CF 1F9D1..1F9DD 1FAC3..1FAC5 1FAF0..1FAF6
EM 1F3FB..1F3FF
EX 21 3F 5C6 61B 61D..61F 6D4 7F9 F0D..F11 F14 1802..1803 1808..1809 1944..1945 2762..2763
EX 2CF9 2CFE 2E2E 2E53..2E54 A60E A876..A877 FE15..FE16 FE56..FE57 FF01 FF1F
GL A0 34F 35C..362 F08 F0C F12 FD9..FDA 180E 2007 2011 202F
HL FB1D FB1F..FB28 FB2A..FB36 FB38..FB3C FB3E FB40..FB41 FB43..FB44 FB46..FB4F
HY 2D
ID1 23F1..23F2 2600..2603 2618 261A..261C 261E..261F 2639..263B 2668 26BF..26C3 26C6..26C8
ID1 26CD 26CF..26D1 26D3 26D8..26D9 26DC 26DF..26E1 26F1 26F4 26F7..26F8 26FE..2704
ID1 2708..2709 2764 303F FF10..FF19 FF66 FF71..FF9D FFA0..FFBE FFC2..FFC7 FFCA..FFCF
ID1 FFD2..FFD7 FFDA..FFDC FFFC 1F000..1F003 1F005..1F02B 1F030..1F093 1F0A0..1F0AE
ID1 1F0B1..1F0BF 1F0C1..1F0CE 1F0D1..1F0F5 1F10D..1F10F 1F16D..1F16F 1F1AD 1F321..1F32C
ID1 1F336 1F37D 1F394..1F39B 1F39E..1F39F 1F3CD..1F3CE 1F3D4..1F3DF 1F3F1..1F3F3
ID1 1F3F5..1F3F7 1F43F 1F441 1F4FD..1F4FE 1F54A 1F54F 1F568..1F573 1F576..1F579 1F57B..1F58F
ID1 1F591..1F594 1F597..1F5A3 1F5A5..1F5D3 1F5DC..1F5F3 1F5FA 1F6C6..1F6CB 1F6CD..1F6CF
ID1 1F6D3..1F6D4 1F6E0..1F6EA 1F6F0..1F6F3 1F7D5..1F7D8 1F8B0..1F8B1 1F93B 1F946
ID1 1FA60..1FA6D
IN 2024..2026 22EF FE19
IS 2C 2E 3A..3B 37E 589 60C..60D 7F8 2044 FE10 FE13..FE14
NS 17D6 203C..203D 2047..2049 3005 301C 303B..303C 3041 3043 3045 3047 3049 3063 3083 3085
NS 3087 308E 3095..3096 309B..309E 30A0..30A1 30A3 30A5 30A7 30A9 30C3 30E3 30E5 30E7 30EE
NS 30F5..30F6 30FB..30FE 31F0..31FF A015 FE54..FE55 FF1A..FF1B FF65 FF67..FF70 FF9E..FF9F
NS 1F679..1F67B
NU 66B..66C
OP1 A1 BF 2E18
PO 25 A2 B0 609..60B 66A 9F2..9F3 9F9 D79 2030..2037 20A7 20B6 20BB 20BE 20C0 2103 2109 A838
PO FDFC FE6A FF05 FFE0
PR 24 2B 5C A3..A5 B1 58F 7FE..7FF 9FB AF1 BF9 E3F 17DB 20A0..20A6 20A8..20B5 20B7..20BA
PR 20BC..20BD 20BF 2116 2212..2213 FE69 FF04 FFE1 FFE5..FFE6
QU 22 27 275B..2760 2E00..2E01 2E06..2E08 2E0B 1F676..1F678
SP 20
SY 2F
WJ 2060 FEFF
ZW 200B
ZWJ 200D
"""
)


_HANGUL_JAMO = (
    (0x1100, 0x115F, "JL"),
    (0xA960, 0xA97C, "JL"),
    (0x1160, 0x11A7, "JV"),
    (0xD7B0, 0xD7C6, "JV"),
    (0x11A8, 0x11FF, "JT"),
    (0xD7CB, 0xD7FB, "JT"),
)


def line_class(ch: str) -> str:
    """The line breaking class of ``ch`` as libunistring resolves it for UTF-8 text."""
    found = EXCEPTIONS.get(ch)
    if found is not None:
        return found
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7A3:  # Hangul syllables: LV or LVT
        return "H2" if (code - 0xAC00) % 28 == 0 else "H3"
    for first, last, name in _HANGUL_JAMO:
        if first <= code <= last:
            return name
    if 0x1F1E6 <= code <= 0x1F1FF:
        return "RI"
    category = unicodedata.category(ch)
    east_asian = unicodedata.east_asian_width(ch) in ("W", "F", "H")
    if category == "Nd":
        return "NU"
    if category in ("Mn", "Me", "Mc", "Cf"):
        return "CM"
    if category == "Zs":
        return "BA"
    if category == "Ps":
        return "OP2" if east_asian else "OP1"
    if category == "Pe":
        return "CL"
    if category in ("Pi", "Pf"):
        return "QU"
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return "ID1"
    if "\u05d0" <= ch <= "\u05ff" and category == "Lo":
        return "HL"
    return "AL"


def possible_breaks(text: Sequence[str]) -> list[Break]:
    """For each character of ``text``, whether a line may end before it
    (libunistring's ``u8_possible_linebreaks``)."""
    result = [Break.PROHIBITED] * len(text)
    prev = "BK"  # the class of the previous character
    last = "BK"  # the class of the last character that is not a space
    seen_space = False
    regional = 0  # regional indicators just before
    for i, ch in enumerate(text):
        prop = line_class(ch)
        if prop == "BK":
            result[i] = Break.MANDATORY
            prev, last, seen_space = prop, "BK", False
            regional = 0
            continue
        if prop == "SP":
            seen_space = True
        elif prop == "ZW":
            last, seen_space = "ZW", False
        elif prop in ("CM", "ZWJ"):
            if last == "BK":
                last, seen_space = "AL", False
            elif last == "ZW" or seen_space:
                result[i] = Break.POSSIBLE
                last, seen_space = "AL", False
        else:
            if last == "BK":
                pass
            elif last == "ZW":
                result[i] = Break.POSSIBLE
            elif prev == "ZWJ":
                pass
            elif last == "RI" and prop == "RI":
                if seen_space or regional % 2 == 0:
                    result[i] = Break.POSSIBLE
            elif prev == "HL_BA":
                pass
            else:
                rule = TABLE[last][prop]
                if rule == _D or (rule == _I and seen_space):
                    result[i] = Break.POSSIBLE
            last, seen_space = prop, False
        prev = "HL_BA" if prev == "HL" and prop in ("HY", "BA") else prop
        regional = regional + 1 if prop == "RI" else 0
    return result


def char_width(ch: str) -> int:
    """Columns ``ch`` takes (libunistring's ``uc_width`` for UTF-8; a control character
    counts as none)."""
    if ch in "\u0cbf\u0cc6":  # Kannada vowel signs that libunistring counts as spacing
        return 1
    category = unicodedata.category(ch)
    if category in ("Cc", "Mn", "Me", "Cf"):
        return 0
    if "\u1160" <= ch <= "\u11ff" or "\ud7b0" <= ch <= "\ud7ff":  # Hangul medial, final jamo
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width_breaks(
    text: Sequence[str], width: int, start_column: int, overrides: Sequence[Break]
) -> list[Break]:
    """Where to end lines so that ``text`` fits ``width`` columns, starting at
    ``start_column`` (libunistring's ``u8_width_linebreaks``): POSSIBLE before each
    character that begins a new line. ``overrides`` (UNDEFINED where none) replace the
    possible breaks."""
    breaks = possible_breaks(text)
    result = [Break.PROHIBITED] * len(text)
    last: int | None = None
    last_column = start_column
    piece_width = 0
    for i, ch in enumerate(text):
        here = overrides[i] if overrides[i] != Break.UNDEFINED else breaks[i]
        ends = here in (Break.POSSIBLE, Break.MANDATORY)  # an atomic piece of text ends here
        if ends and last is not None and last_column + piece_width > width:
            result[last] = Break.POSSIBLE
            last_column = 0
        if here == Break.MANDATORY:
            result[i] = Break.MANDATORY
            last, last_column, piece_width = None, 0, 0
            continue
        if here == Break.POSSIBLE:
            last = i
            last_column += piece_width
            piece_width = 0
        piece_width += char_width(ch)
    if last is not None and last_column + piece_width > width:
        result[last] = Break.POSSIBLE
    return result
