"""Reading text files the way every stage expects them: UTF-8, LF line ends, NFC.

Also the digest of an article version's text, which ties a translation to the exact
source text it was made from.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from .errors import Diagnostic, Location, error, warning


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text (BOM dropped, CRLF → LF, NFC), or None with the reason."""
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
            error(Location(shown, line), "encoding", f"not valid UTF-8 (byte 0x{byte}); save the file as UTF-8")
        ]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    diagnostics: list[Diagnostic] = []
    if not unicodedata.is_normalized("NFC", text):
        line = next(
            n for n, ln in enumerate(text.split("\n"), 1) if not unicodedata.is_normalized("NFC", ln)
        )
        diagnostics.append(
            warning(Location(shown, line), "not-nfc", "text is not in Unicode NFC; it was normalised")
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
