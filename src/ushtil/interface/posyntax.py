"""Reading a ``.po`` file safely: UTF-8, GNU gettext's syntax, no merge conflict.

What a translator (or a merge) left in a catalogue is untrusted. polib and Babel both
accept some broken files (an unterminated string loses its last character), so every
file is checked line by line (:func:`po_syntax_error`) before polib reads it; a git
conflict marker is named as one. Also where things are in a file: the line of an entry's
``msgid`` (where msgfmt reports it) and of a header field.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from ushtil.project.problems import Diagnostic, Location, error

UNREADABLE = "po-syntax"  # the code of every problem that keeps a file from being read
PO_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")
CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?:\s|$)")
PO_STRING = re.compile(r'"(?:[^"\\]|\\[\\"abfnrtv]|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*"\s*$')
PO_KEYWORD = re.compile(r"^(?:#~\s*)?(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(.*)$")
# which keyword may follow which (None: the start of an entry)
PO_ORDER: dict[str, set[str | None]] = {
    "msgctxt": {None, "msgstr", "msgstr[]"},
    "msgid": {None, "msgctxt", "msgstr", "msgstr[]"},
    "msgid_plural": {"msgid"},
    "msgstr": {"msgid"},
    "msgstr[]": {"msgid_plural", "msgstr[]"},
}


def po_syntax_error(text: str) -> tuple[int, str] | None:
    """The first line that GNU gettext would reject as PO syntax, and why.

    polib and Babel both accept some broken files (an unterminated string loses its last
    character), so the file is checked line by line before either reads it.
    """
    previous: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        marker = CONFLICT.match(line)
        if marker:
            found = marker.group(1)
            return number, f"a git merge conflict marker ({found!r}): resolve the conflict first"
        stripped = line.strip()
        if not stripped:
            continue
        comment = not stripped.startswith("#~") or stripped.startswith("#~|")
        if stripped.startswith("#") and comment:
            continue
        body = stripped[2:].strip() if stripped.startswith("#~") else stripped
        if not body:
            continue
        if body.startswith('"'):
            if previous is None:
                return number, "a string continues nothing"
            if not PO_STRING.match(body):
                return number, "unterminated or badly escaped string"
            continue
        m = PO_KEYWORD.match(body)
        if not m:
            return number, f"not a PO keyword: {body.split()[0][:20]!r}"
        keyword = "msgstr[]" if m.group(1).startswith("msgstr[") else m.group(1)
        if previous not in PO_ORDER[keyword]:
            return number, f"'{m.group(1)}' is out of place"
        if not PO_STRING.match(m.group(2)):
            return number, "unterminated or badly escaped string"
        previous = keyword
    if previous in ("msgid", "msgid_plural", "msgctxt"):
        return len(text.split("\n")), "the last entry has no msgstr"
    return None


class _Lines(str):
    """A PO file's text as polib is to split it: at ``\n`` only, as GNU gettext and
    :func:`po_syntax_error` do (``str.splitlines``, polib's own way, also splits at U+2028,
    U+0085, form feeds…, so a translation holding one broke the file in two). The text
    begins with a NUL line, dropped here, so that polib never takes it for a file name."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        return self.split("\n")[1:]


def parse_po(text: str) -> tuple[polib.POFile | None, tuple[int, str] | None]:
    """``text``, a PO file's content, as polib reads it once GNU gettext would accept it
    (:func:`po_syntax_error`): the same lines, and never a file that the content happens
    to name. Else None and the first line that cannot be read, with why."""
    problem = po_syntax_error(text)
    if problem is not None:
        return None, problem
    try:
        return polib.pofile(_Lines("\x00\n" + text), encoding="utf-8"), None
    except (OSError, ValueError) as exc:  # a line gettext accepts and polib does not
        found = PO_SYNTAX_LINE.search(str(exc))
        return None, (int(found.group(1)) if found else 1, "a line polib cannot read")


def msgid_lines(po: polib.POFile) -> dict[int, int]:
    """Entry start line (polib's ``linenum``) → the line of its ``msgid``, as msgfmt reports it."""
    result: dict[int, int] = {}
    if not po.fpath:
        return result
    with open(po.fpath, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    for entry in po:
        start = entry.linenum
        if start is None:
            continue
        for number in range(max(start, 1), len(lines) + 1):
            if lines[number - 1].lstrip("#~ ").startswith("msgid "):
                result[start] = number
                break
    return result


def keyword_lines(text: str, po: polib.POFile, keyword: str) -> dict[int, int]:
    """Entry start line (polib's ``linenum``, its first comment) → the line of its first
    ``keyword`` (``msgctxt``, ``msgid`` or ``msgstr``: ``msgstr[0]`` for a plural)."""
    lines = text.split("\n")
    found: dict[int, int] = {}
    for entry in po:
        start = entry.linenum
        if start is None:
            continue
        for number in range(max(start, 1), len(lines) + 1):
            if lines[number - 1].lstrip("#~ ").startswith(keyword):
                found[start] = number
                break
    return found


def read_po(path: Path, shown: str) -> tuple[polib.POFile | None, list[Diagnostic]]:
    """The file as polib reads it, once it is UTF-8 and GNU gettext would accept it; else
    None and the problem, with its line."""
    try:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8"
            return None, [error(Location(shown, line), UNREADABLE, message)]
        problem = po_syntax_error(text)
        if problem is not None:
            message = f"syntax error in the catalogue: {problem[1]}"
            return None, [error(Location(shown, problem[0]), UNREADABLE, message)]
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=0), []
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        text = str(exc)
        m = PO_SYNTAX_LINE.search(text)
        where = int(m.group(1)) if m else None
        if "Syntax error" in text or m:
            message = (
                "syntax error in the catalogue (open it in Poedit or run 'msgfmt -c' for details)"
            )
        elif isinstance(exc, OSError):  # the reason, not Python's whole sentence
            message = f"cannot read the catalogue: {(exc.strerror or text).lower()}"
        else:
            message = f"cannot read the catalogue: {text}"
        return None, [error(Location(shown, where), UNREADABLE, message)]


def header_line(po: polib.POFile, name: str) -> int:
    """The line of the header field ``name`` (``"Name: …"``), else of the header's
    ``msgstr`` (where msgfmt reports header problems), else 1."""
    if not po.fpath:
        return 1
    with open(po.fpath, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == 'msgid ""'), None)
    if start is None:
        return 1
    found = start + 1
    for number in range(start + 1, len(lines)):
        line = lines[number].strip()
        if line.startswith("msgstr"):
            found = number + 1
        elif not line.startswith('"'):
            break
        if line.startswith(f'"{name}:'):
            return number + 1
    return found


def msgstr_forms(entry: polib.POEntry) -> list[str]:
    """The translation's forms in order: one, or one per plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]
