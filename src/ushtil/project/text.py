"""Reading text files the way every stage expects them: UTF-8, LF line ends, NFC.

Also the digest of an article version's text, which ties a translation to the exact
source text it was made from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ushtil.project.problems import Diagnostic, Location, error, warning

# What XML 1.0 cannot carry, even escaped (its production Char): C0 controls but tab, LF
# and CR; U+FFFE, U+FFFF; lone surrogates (which no UTF-8 file holds, but a string made
# in Python can). The one definition: every text that reaches a page, a feed or the
# sitemap is refused with them, and so is a catalogue's translation (interface/rules.py).
UNPUBLISHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CANNOT_PUBLISH = "cannot be published (XML feeds and sitemaps forbid it); delete it"
MAX_REPORTED = 10  # lines of one file with such characters, before a count of the rest


def unpublishable(text: str) -> tuple[int, str] | None:
    """The index of the first character that cannot be published, and what it is."""
    found = UNPUBLISHABLE.search(text)
    if found is None:
        return None
    char = found.group()
    kind = (
        "noncharacter"
        if char in "\ufffe\uffff"
        else "lone surrogate"
        if "\ud800" <= char <= "\udfff"
        else "control character"
    )
    return found.start(), f"{kind} U+{ord(char):04X}"


def publishable_problems(text: str, shown: str, first_line: int = 1) -> list[Diagnostic]:
    """One error per line that holds a character XML forbids (with its column), up to
    :data:`MAX_REPORTED` lines, then how many more lines do."""
    problems: list[Diagnostic] = []
    if UNPUBLISHABLE.search(text) is None:
        return problems
    lines = [
        (number, found)
        for number, line in enumerate(text.split("\n"), first_line)
        if (found := unpublishable(line)) is not None
    ]
    for number, (column, what) in lines[:MAX_REPORTED]:
        message = f"{what} at column {column + 1} {CANNOT_PUBLISH}"
        problems.append(error(Location(shown, number), "character", message))
    if len(lines) > MAX_REPORTED:
        message = f"{len(lines) - MAX_REPORTED} more lines have characters that cannot be published"
        problems.append(error(Location(shown, lines[MAX_REPORTED][0]), "character", message))
    return problems


NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def reference_problems(text: str, shown: str, first_line: int = 1) -> list[Diagnostic]:
    """Markdown and HTML character references (``&#12;``, ``&#x0B;``) to a character that
    cannot be published: Markdown and the HTML sanitiser turn some of them into the
    character itself. One error per reference, with its line."""
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.split("\n"), first_line):
        for found in NUMERIC_REFERENCE.finditer(line):
            code = int(found.group(1), 16) if found.group(1) else int(found.group(2))
            # a reference to a surrogate stands for U+FFFD in HTML and CommonMark
            surrogate = 0xD800 <= code <= 0xDFFF
            what = unpublishable(chr(code)) if code < 0x110000 and not surrogate else None
            if what is not None:
                message = f"character reference {found.group()} stands for {what[1]}, which "
                where = Location(shown, number)
                problems.append(error(where, "character", message + CANNOT_PUBLISH))
    return problems


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text (BOM dropped, CRLF → LF, NFC), or None with the reason (not
    UTF-8, or characters that cannot be published)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(Location(shown), "unreadable", f"cannot read: {exc.strerror or exc}")]
    return decode(raw, shown)


def decode(raw: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        return None, [
            error(
                Location(shown, line),
                "encoding",
                f"not valid UTF-8 (byte 0x{byte}); save the file as UTF-8",
            )
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    diagnostics = publishable_problems(text, shown)
    if diagnostics:
        return None, diagnostics
    if not unicodedata.is_normalized("NFC", text):
        line = next(
            n
            for n, ln in enumerate(text.split("\n"), 1)
            if not unicodedata.is_normalized("NFC", ln)
        )
        diagnostics.append(
            warning(
                Location(shown, line), "not-nfc", "text is not in Unicode NFC; it was normalised"
            )
        )
        text = unicodedata.normalize("NFC", text)
    return text, diagnostics


def normalise_block(text: str) -> str:
    """Text as the digest sees it: NFC, LF, no trailing spaces, no blank edges."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).strip()


def text_digest(title: str, summary: str, body: str) -> str:
    """A short, stable digest of a version's text (title, summary and body)."""
    joined = "\x1e".join(normalise_block(part) for part in (title, summary, body))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
