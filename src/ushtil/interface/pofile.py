"""Writing ``.po`` files exactly as GNU gettext's msgcat writes them.

Every ``.po`` file ushtil writes goes through :func:`render`: the template
``i18n/messages.pot``, the catalogues that ``i18n init`` and ``i18n update`` write, and
``translate export``'s article files. Translators' tools (Poedit, Lokalize, Weblate) and
``msgcat`` rewrite a file in GNU's layout; writing it that way in the first place means a
round trip through them changes nothing, so version control shows only real changes.

The layout is that of GNU gettext 0.21 (``write-po.c``) at its default width of 79
columns: translator comments, extracted comments, references filled up to the width,
flags in gettext's order (``fuzzy`` only on an entry with a translation, format flags
gettext knows, ``range:``, ``no-wrap``), previous strings (``#|``), then the strings;
obsolete entries (``#~``) last, and only those with a translation, as gettext keeps
them. A string is put on the keyword's line when it fits and has no inner newline, else
it starts with ``""``; lines end after each ``\\n`` and where
:mod:`ushtil.interface.linebreak` allows, never inside a ``python-format`` (or else
``python-brace-format``) directive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ushtil.interface.linebreak import Break, width_breaks

WIDTH = 79
# The format flags GNU gettext 0.21 knows, in the order it writes them.
FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme",
    "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt",
    "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)  # fmt: skip
RANGE = re.compile(r"range: *(\d+) *\.\. *(\d+)\Z")
ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}


@dataclass
class Entry:
    """One message as it is written; ``msgstr_plural`` holds the forms of a plural one."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    comments: list[str] = field(default_factory=list)  # "#." extracted comments
    translator_comments: list[str] = field(default_factory=list)  # "# " comments
    flags: list[str] = field(default_factory=list)  # "#," e.g. fuzzy, python-format
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)
    previous_msgid_plural: str | None = None
    references: list[tuple[str, int | None]] = field(default_factory=list)  # "#:"
    obsolete: bool = False

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def forms(self) -> list[str]:
        """The translation: one string, or one per plural form (at least one)."""
        if self.msgid_plural is None:
            return [self.msgstr]
        return self.msgstr_plural or [""]


def escape(text: str) -> str:
    """``text`` as it stands between the quotes of a PO string."""
    out = []
    for ch in text:
        if ch in ESCAPES:
            out.append("\\" + ESCAPES[ch])
        elif ch in '\\"':
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


# --- format directives, where gettext does not break a line -----------------------------


def _python_directives(text: str) -> list[tuple[int, int]]:
    """(start, end) of each valid printf-style directive, as gettext's format-python.c
    marks them: parsing stops at the first invalid one. This is GNU gettext's reading,
    kept only so lines break where ``msgcat`` breaks them; what a placeholder is for
    ushtil is :data:`ushtil.interface.rules.PRINTF`."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    named = unnamed = False
    while i < n:
        if text[i] != "%":
            i += 1
            continue
        start = i
        i += 1
        if i < n and text[i] == "(":
            depth, i = 0, i + 1
            while i < n and not (text[i] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            if i >= n:
                return spans
            i += 1
            named = True
            name = True
        else:
            name = False
        while i < n and text[i] in "-+ #0":
            i += 1
        star, i = _width(text, i)
        if star and named:
            return spans
        unnamed = unnamed or star
        if i < n and text[i] == ".":
            star, i = _width(text, i + 1)
            if star and named:
                return spans
            unnamed = unnamed or star
        if i < n and text[i] in "hlL":
            i += 1
        if i >= n or text[i] not in "%cdirsuoxXeEfgG":
            return spans
        if name and unnamed or not name and text[i] != "%" and named:
            return spans
        if not name and text[i] != "%":
            unnamed = True
        spans.append((start, i))
        i += 1
    return spans


def _width(text: str, i: int) -> tuple[bool, int]:
    """A directive's width or precision at ``i``: ``*`` (True) or digits; and where it ends."""
    if i < len(text) and text[i] == "*":
        return True, i + 1
    while i < len(text) and text[i].isascii() and text[i].isdigit():
        i += 1
    return False, i


def _field(text: str, i: int) -> int | None:
    """The end of a brace format field name or number at ``i``, or None."""
    n = len(text)
    if i < n and (text[i].isascii() and (text[i].isalpha() or text[i] == "_")):
        while i < n and text[i].isascii() and (text[i].isalnum() or text[i] == "_"):
            i += 1
        return i
    if i < n and text[i].isascii() and text[i].isdigit():
        while i < n and text[i].isascii() and text[i].isdigit():
            i += 1
        return i
    return None


def _brace_directive(text: str, i: int, top: bool) -> tuple[int, tuple[int, int] | None] | None:
    """Parse a directive starting at ``text[i] == "{"`` as format-python-brace.c does:
    (the index after it, its span when it is a top-level field), or None when invalid."""
    n = len(text)
    if i + 1 < n and text[i + 1] == "{":
        return i + 2, None
    end = _field(text, i + 1)
    if end is None:
        return None
    j = end
    while j < n and text[j] in ".[":
        if text[j] == ".":
            found = _field(text, j + 1)
            if found is None or not text[j + 1].isalpha() and text[j + 1] != "_":
                return None
            j = found
        else:
            found = _field(text, j + 1)
            if found is None or found >= n or text[found] != "]":
                return None
            j = found + 1
    if j < n and text[j] == ":":
        if not top:
            return None
        j += 1
        if j < n and text[j] == "{":
            inner = _brace_directive(text, j, False)
            if inner is None or inner[0] >= n or text[inner[0]] != "}":
                return None
            j = inner[0]
        else:
            if j + 1 < n and text[j + 1] in "<>=^":
                j += 2
            elif j < n and text[j] in "<>=^":
                j += 1
            for optional in "+- ", "#", "0":
                if j < n and text[j] in optional:
                    j += 1
            while j < n and text[j].isascii() and text[j].isdigit():
                j += 1
            if j < n and text[j] == ".":
                j += 1
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
            if j < n and text[j] in "bcdoxXneEfFgG%":
                j += 1
            if j >= n or text[j] != "}":
                return None
    if j >= n or text[j] != "}":
        return None
    return j + 1, ((i, j) if top else None)


def _brace_directives(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        if text[i] != "{":
            i += 1
            continue
        parsed = _brace_directive(text, i, True)
        if parsed is None:
            return spans
        i, span = parsed
        if span is not None:
            spans.append(span)
    return spans


def _directives(flags: Sequence[str], text: str) -> list[tuple[int, int]]:
    """The directives of ``text`` for the first format flag gettext would use."""
    for name in FORMATS:
        if f"{name}-format" in flags or f"possible-{name}-format" in flags:
            if name == "python":
                return _python_directives(text)
            if name == "python-brace":
                return _brace_directives(text)
            return []
    return []


# --- strings ------------------------------------------------------------------------------


def _wrap(prefix: str, keyword: str, value: str, flags: Sequence[str], width: int) -> list[str]:
    """``keyword "value"`` in lines, as gettext's ``wrap()`` lays them out."""
    inside = [False] * len(value)  # a line may not end before these characters
    for start, end in _directives(flags, value) if value else []:
        for k in range(start + 1, end + 1):
            inside[k] = True
    if "no-wrap" in flags:
        width = 2**31 - 1
    lines: list[str] = []
    first = True
    position = 0
    while True:
        end = value.find("\n", position)
        end = len(value) if end < 0 else end + 1
        units: list[str] = []
        overrides: list[Break] = []
        for k in range(position, end):
            ch = value[k]
            held = Break.PROHIBITED if inside[k] else Break.UNDEFINED
            if ch in ESCAPES or ch in '\\"':
                units += ["\\", ESCAPES.get(ch, ch)]
                overrides += [held, Break.PROHIBITED]
            else:
                units.append(ch)
                overrides.append(held)
        if end > position and value[end - 1] == "\n":
            overrides[-2] = Break.PROHIBITED  # not before the "\n" that ends a line
        after_break = len(prefix) + 1
        room = width - 1 - after_break
        while True:
            column = len(prefix) + (len(keyword) + 1 if first else 0) + 1 - after_break
            breaks = width_breaks(units, room, column, overrides)
            more = end < len(value)
            if first and units and (more or column > room or Break.POSSIBLE in breaks):
                lines.append(f'{prefix}{keyword} ""')
                first = False
                continue
            break
        line = f"{prefix}{keyword} " if first else prefix
        first = False
        text = ""
        for unit, brk in zip(units, breaks, strict=True):
            if brk == Break.POSSIBLE:
                lines.append(f'{line}"{text}"')
                line, text = prefix, ""
            text += unit
        lines.append(f'{line}"{text}"')
        position = end
        if position >= len(value):
            return lines


# --- entries ------------------------------------------------------------------------------


def _comment_lines(marker: str, comments: Sequence[str]) -> list[str]:
    lines = []
    for comment in comments:
        for line in comment.split("\n"):
            lines.append(f"{marker} {line}" if line else marker)
    return lines


def _references(references: Sequence[tuple[str, int | None]], width: int) -> list[str]:
    if not references:
        return []
    lines, line, column = [], "#:", 2
    for path, number in dict.fromkeys(references):  # gettext keeps each place once
        while path.startswith("./"):
            path = path[2:]
        text = path + (f":{number}" if number is not None else "")
        if column > 2 and column + len(text) + 1 > width:
            lines.append(line)
            line, column = "#:", 2
        line += " " + text
        column += len(text) + 1
    return lines + [line]


def flag_line(flags: Sequence[str], translated: bool) -> str | None:
    """The ``#,`` line gettext writes for ``flags``; None when it writes none."""
    shown = ["fuzzy"] if "fuzzy" in flags and translated else []
    for name in FORMATS:
        for flag in flags:
            if flag in (f"{name}-format", f"possible-{name}-format"):
                shown.append(f"{name}-format")
                break
            if flag == f"no-{name}-format":
                shown.append(flag)
                break
    for flag in flags:
        found = RANGE.match(flag)
        if found:
            shown.append(f"range: {int(found.group(1))}..{int(found.group(2))}")
            break
    if "no-wrap" in flags:
        shown.append("no-wrap")
    return "#, " + ", ".join(shown) if shown else None


def entry_lines(entry: Entry, width: int = WIDTH) -> list[str]:
    """One entry as gettext writes it (an obsolete one with the ``#~`` prefixes)."""
    forms = entry.forms
    lines = _comment_lines("#", entry.translator_comments)
    lines += _comment_lines("#.", entry.comments)
    lines += _references(entry.references, width)
    # gettext writes only "fuzzy" of an obsolete entry's flags: the others do not count
    flags = (["fuzzy"] if entry.fuzzy else []) if entry.obsolete else entry.flags
    shown = ("#, fuzzy" if flags else None) if entry.obsolete else flag_line(flags, bool(forms[0]))
    if shown:
        lines.append(shown)
    previous = "#~| " if entry.obsolete else "#| "
    prefix = "#~ " if entry.obsolete else ""
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += _wrap(previous, keyword, value, flags, width)
    if entry.msgctxt is not None:
        lines += _wrap(prefix, "msgctxt", entry.msgctxt, flags, width)
    lines += _wrap(prefix, "msgid", entry.msgid, flags, width)
    if entry.msgid_plural is None:
        lines += _wrap(prefix, "msgstr", entry.msgstr, flags, width)
    else:
        lines += _wrap(prefix, "msgid_plural", entry.msgid_plural, flags, width)
        for index, form in enumerate(forms):
            lines += _wrap(prefix, f"msgstr[{index}]", form, flags, width)
    return lines


def render(
    header_comment: str,
    header: Sequence[tuple[str, str]],
    entries: Sequence[Entry],
    *,
    header_fuzzy: bool = False,
) -> str:
    """A whole .po file: the header entry, every entry, then the obsolete ones that have
    a translation, as msgcat writes it."""
    head = Entry(
        "",
        "".join(f"{key}: {value}\n" for key, value in header),
        translator_comments=header_comment.split("\n") if header_comment else [],
        flags=["fuzzy"] if header_fuzzy else [],
    )
    kept = [e for e in entries if not e.obsolete]
    kept += [e for e in entries if e.obsolete and e.forms[0]]
    blocks = ["\n".join(entry_lines(e)) for e in (head, *kept)]
    return "\n\n".join(blocks) + "\n"
