"""What the source said when a translation was stamped: ``i18n/stamps/<id>.<lang>.toml``.

A translated version records only the digest of its source's text (enough to tell that
the source changed, not what changed). When a version is stamped current (``translate
done``, ``translate import``, ``translate new``), its source's segments are written here
too, so that a later ``translate export`` can align the old source with the new one
without an earlier export file (another clone, a deleted file): only the segments whose
source text changed become fuzzy, each with its previous text (``#|``). The file is
committed with the project like the article; a stamp record that is missing or for
another digest is simply not used, and one that cannot be read is not used and named in a
warning (``path:line: message``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ushtil.project import layout
from ushtil.project.files import Planned
from ushtil.project.model import Version
from ushtil.project.problems import Diagnostic, Location, warning
from ushtil.project.tomlfields import parse_toml
from ushtil.translation.segments import Segment, split
from ushtil.translation.versionfile import toml_string

MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Stamp:
    source_lang: str
    digest: str  # the source's digest when the translation was stamped
    segments: tuple[Segment, ...]  # the source's segments then (key, text, kind)


def stamp_path(root: Path, article_id: str, lang: str) -> Path:
    return root / layout.STAMPS / f"{article_id}.{lang}.toml"


def stamp_text(article_id: str, lang: str, source: Version) -> str:
    """The stamp record of ``lang`` as a translation of ``source``."""
    lines = [
        f"# The segments of {source.lang}.md when {layout.version_file(article_id, lang)} "
        "was last stamped current.",
        "# Written by ushtil; `translate export` aligns the source's changes with it.",
        f"source = {toml_string(source.lang)}",
        f"digest = {toml_string(source.digest)}",
    ]
    for segment in split(source):
        lines += [
            "",
            "[[segment]]",
            f"key = {toml_string(segment.key)}",
            f"kind = {toml_string(segment.kind)}",
            f"text = {toml_string(segment.text)}",
        ]
    return "\n".join(lines) + "\n"


def planned_stamp(root: Path, article_id: str, lang: str, source: Version) -> list[Planned]:
    """The stamp record to write with the version it stamps (none when it already says
    that); a link in its place is not read, and refused when it is written."""
    text = stamp_text(article_id, lang, source)
    path = stamp_path(root, article_id, lang)
    if not path.is_symlink() and path.is_file():
        try:
            if path.stat().st_size <= MAX_BYTES and path.read_text(encoding="utf-8") == text:
                return []
        except (OSError, UnicodeDecodeError):
            pass  # written over
    return [Planned(path, text)]


def read_stamp(root: Path, article_id: str, lang: str) -> tuple[Stamp | None, list[Diagnostic]]:
    """The stamp record of ``lang``, or None when there is none that can be used; a record
    that cannot be read is named in a warning."""
    path = stamp_path(root, article_id, lang)
    shown = f"{layout.STAMPS}/{path.name}"

    def unused(why: str, line: int | None = None) -> tuple[None, list[Diagnostic]]:
        return None, [warning(Location(shown, line), "stamp", f"{why}; the record is not used")]

    try:
        if not path.is_symlink() and not path.exists():
            return None, []
        if path.is_symlink() or not path.is_file():
            return unused("not a file (a link, a folder?)")
        if path.stat().st_size > MAX_BYTES:
            return unused(f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return unused("not UTF-8")
    except OSError as exc:
        return unused(f"cannot read: {exc.strerror or exc}")
    data, problems = parse_toml(text, shown)
    if data is None:
        return None, [warning(d.location, "stamp", f"{d.message}; the record is not used")
                      for d in problems]  # fmt: skip
    segments = data.get("segment")
    source, digest = data.get("source"), data.get("digest")
    if not isinstance(source, str) or not isinstance(digest, str) or not isinstance(segments, list):
        return unused("not a stamp record (source, digest and [[segment]] tables)", 1)
    found = []
    for item in segments:
        parts = [item.get(k) for k in ("key", "kind", "text")] if isinstance(item, dict) else []
        strings = [part for part in parts if isinstance(part, str)]
        if len(strings) != 3:
            return unused("a [[segment]] without its key, kind and text strings", 1)
        key, kind, text = strings
        found.append(Segment(key, text, kind))
    return Stamp(source, digest, tuple(found)), []


def realign(
    old: tuple[Segment, ...], new: list[Segment], translated: dict[str, str]
) -> dict[str, tuple[str, str | None]]:
    """For each new segment that had a translation: (that translation, the old source
    text when it changed, else None). ``translated`` is the translation by old key."""
    result: dict[str, tuple[str, str | None]] = {}
    old_texts = [(s.kind, s.text) for s in old]
    new_texts = [(s.kind, s.text) for s in new]
    matcher = difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(range(i1, i2), range(j1, j2), strict=True):
                if old[a].key in translated:
                    result[new[b].key] = (translated[old[a].key], None)
        elif tag == "replace":
            # changed segments, paired in order while their kinds agree
            for a, b in zip(range(i1, i2), range(j1, j2), strict=False):
                if old[a].kind == new[b].kind and old[a].key in translated:
                    result[new[b].key] = (translated[old[a].key], old[a].text)
    return result
