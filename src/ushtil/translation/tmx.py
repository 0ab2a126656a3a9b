"""The translation memory as TMX 1.4b, out and in.

``ushtil tm export`` writes every remembered pair (or one direction) as TMX: one ``<tu>``
per segment pair, language codes as BCP 47 tags, the creation date of the translation
(the modification time of its file) and the article ID as a ``x-ushtil-article``
property. ``ushtil tm import`` checks a TMX file from elsewhere (a CAT tool, an earlier
project) and keeps a copy in ``i18n/memory/`` (:data:`layout.MEMORIES`), which the
memory reads as an extra source, never changes, and names in every suggestion.

An imported TMX is untrusted: it is read and parsed by :mod:`ushtil.project.safexml`
(no link followed, no entity declared, expanded or fetched, no elements nested deeper than
its limit, the file's size capped), as a stream with limits of its own on the number of
units and the length of a segment; every
problem is reported as ``path:line: message``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from ushtil import __version__
from ushtil.project import layout, safexml
from ushtil.project.files import write_text
from ushtil.project.problems import Diagnostic, Location, display_path, error, warning
from ushtil.project.safexml import XML_NS, Refused, check_depth, make_parser, parse, read_limited
from ushtil.project.text import UNPUBLISHABLE
from ushtil.translation.memory import Memory

MAX_BYTES = 32 * 1024 * 1024
MAX_UNITS = 200_000
MAX_SEGMENT = 20_000  # characters
ARTICLE_PROP = "x-ushtil-article"
TMX_DATE = "%Y%m%dT%H%M%SZ"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.tmx\Z")
LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*\Z")


def _tmx_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime(TMX_DATE)


def to_tmx(memory: Memory, *, src: str | None = None, tgt: str | None = None) -> str:
    """The memory's article and catalogue pairs (``src`` → ``tgt`` only, when given) as a
    TMX 1.4b document. Pairs that came from an imported TMX are not written again."""
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": "ushtil",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "ushtil",
        "adminlang": "en",
        "srclang": src or "*all*",
        "datatype": "plaintext",
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    for (a, b), entries in sorted(memory.pairs.items()):
        if (src is not None and a != src) or (tgt is not None and b != tgt):
            continue
        for source, found in sorted(entries.items()):
            for unit in found:
                if unit.imported:
                    continue
                attrs = {"srclang": a}
                if unit.created is not None:
                    attrs["creationdate"] = _tmx_date(unit.created)
                tu = ET.SubElement(body, "tu", attrs)
                if unit.article is not None:
                    prop = ET.SubElement(tu, "prop", type=ARTICLE_PROP)
                    prop.text = unit.article
                origin = ET.SubElement(tu, "prop", type="x-ushtil-origin")
                origin.text = unit.origin
                for lang, text in ((a, source), (b, unit.target)):
                    tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
                    ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


@dataclass
class Unit:
    line: int
    texts: dict[str, str] = field(default_factory=dict)  # language → segment
    article: str | None = None
    created: dt.datetime | None = None


@dataclass(frozen=True)
class Tmx:
    units: tuple[Unit, ...]
    tool: str  # the header's creation tool, for the origin shown


class _Reader:
    """A TMX document read element by element, with the line of every unit."""

    def __init__(self, shown: str, codes: tuple[str, ...]) -> None:
        self.shown, self.codes = shown, codes
        self.parser = make_parser()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.units: list[Unit] = []
        self.problems: list[Diagnostic] = []
        self.stack: list[str] = []
        self.unit: Unit | None = None
        self.lang: str | None = None
        self.seg: list[str] | None = None
        self.prop: tuple[str, list[str]] | None = None
        self.tool = ""

    def _here(self) -> Location:
        return Location(self.shown, self.parser.CurrentLineNumber)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = safexml.local(name)
        if not self.stack and local != "tmx":
            raise Refused(f"not a TMX document: the root element is <{local}>")
        self.stack.append(local)
        check_depth(len(self.stack))
        if self.seg is not None:
            return  # inline markup (<ph>, <bpt>, …): its text is kept
        if local == "header":
            self.tool = attrs.get("creationtool", "")
        elif local == "tu":
            if len(self.units) >= MAX_UNITS:
                raise Refused(f"more than {MAX_UNITS} translation units")
            self.unit = Unit(self.parser.CurrentLineNumber)
            self.unit.created = _date(attrs.get("creationdate"))
        elif local == "tuv" and self.unit is not None:
            tag = attrs.get(f"{XML_NS} lang") or attrs.get("lang", "")
            self.lang = self._language(tag)
        elif local == "seg" and self.unit is not None:
            self.seg = []
        elif local == "prop" and self.unit is not None:
            self.prop = (attrs.get("type", ""), [])

    def _language(self, tag: str) -> str | None:
        """The site's language a BCP 47 tag names (``kk-KZ`` → ``kk``), or None."""
        if not LANG_TAG.fullmatch(tag):
            where = self._here()
            self.problems.append(error(where, "tmx-lang", f"'{tag}' is not a language tag"))
            return None
        primary = re.split(r"[-_]", tag)[0].lower()
        return primary if primary in self.codes else None

    def _end(self, name: str) -> None:
        local = self.stack.pop()
        if local == "seg" and self.seg is not None:
            text = "".join(self.seg)
            if len(text) > MAX_SEGMENT:
                message = f"a segment of {len(text)} characters (at most {MAX_SEGMENT})"
                self.problems.append(error(self._here(), "tmx-size", message))
            elif UNPUBLISHABLE.search(text):
                message = "a segment holds a character XML 1.0 forbids"
                self.problems.append(error(self._here(), "tmx-control", message))
            elif self.unit is not None and self.lang is not None:
                self.unit.texts[self.lang] = text
            self.seg = None
        elif local == "prop" and self.prop is not None:
            if self.prop[0] == ARTICLE_PROP and self.unit is not None:
                self.unit.article = "".join(self.prop[1]).strip()[:200]
            self.prop = None
        elif local == "tuv":
            self.lang = None
        elif local == "tu" and self.unit is not None:
            if len(self.unit.texts) >= 2:
                self.units.append(self.unit)
            self.unit = None

    def _text(self, data: str) -> None:
        if self.seg is not None:
            self.seg.append(data)
        elif self.prop is not None:
            self.prop[1].append(data)


def _date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, TMX_DATE).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def read_tmx(
    path: Path, shown: str, codes: tuple[str, ...]
) -> tuple[Tmx | None, list[Diagnostic]]:
    """The units of a TMX file in the site's languages, or None with every problem."""
    raw, problems = read_limited(path, shown, MAX_BYTES, "tmx")
    if raw is None:
        return None, problems
    reader = _Reader(shown, codes)
    problems = parse(reader.parser, raw, shown, "tmx")
    if problems:
        return None, problems
    if reader.problems:
        return None, reader.problems
    if not reader.units:
        languages = ", ".join(codes)
        message = f"no translation unit with two of the site's languages ({languages})"
        return None, [error(Location(shown, 1), "tmx-empty", message)]
    return Tmx(tuple(reader.units), reader.tool), []


def add_tmx(memory: Memory, tmx: Tmx, name: str) -> None:
    """Every pair of languages of every unit, as read-only suggestions from ``name``."""
    origin = f"TMX {name}" + (f" ({tmx.tool})" if tmx.tool else "")
    for unit in tmx.units:
        for a, source in unit.texts.items():
            for b, target in unit.texts.items():
                memory.add(
                    a, b, source, target, origin, unit.article, created=unit.created, imported=True
                )


def imported_memories(root: Path) -> list[Path]:
    folder = root / layout.MEMORIES
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(p for p in folder.glob("*.tmx") if p.is_file() and not p.is_symlink())


def load_imported(
    memory: Memory, root: Path, codes: tuple[str, ...]
) -> list[Diagnostic]:
    """Add every TMX kept in ``i18n/memory/``; warnings for any that cannot be read (the
    memory does without it)."""
    problems: list[Diagnostic] = []
    for path in imported_memories(root):
        tmx, trouble = read_tmx(path, display_path(path, root), codes)
        problems += [warning(d.location, d.code, d.message) for d in trouble]
        if tmx is not None:
            add_tmx(memory, tmx, path.name)
    return problems


@dataclass(frozen=True)
class ImportedTmx:
    path: Path  # the copy kept in the project
    units: int


def import_tmx(
    root: Path, path: Path, shown: str, codes: tuple[str, ...], *, name: str | None = None
) -> tuple[ImportedTmx | None, list[Diagnostic]]:
    """Check ``path`` and keep a copy as ``i18n/memory/<name>`` (its own name by default);
    an existing memory of that name is never replaced."""
    name = name or path.name
    if not NAME.fullmatch(name):
        rule = "letters, digits, '.', '_' or '-', ending in .tmx"
        return None, [error(Location(shown), "tmx-name", f"'{name}' is not a memory name ({rule})")]
    tmx, problems = read_tmx(path, shown, codes)
    if tmx is None:
        return None, problems
    target = root / layout.MEMORIES / name
    if target.exists() or target.is_symlink():
        there = f"{layout.MEMORIES}/{name} already exists; give another name with --name"
        return None, [error(Location(shown), "tmx-exists", there)]
    text = path.read_bytes().decode("utf-8", errors="strict") if _utf8(path) else None
    if text is None:
        return None, [error(Location(shown), "tmx-encoding", "not UTF-8; save it as UTF-8")]
    write_text(root, target, text, create=True)
    return ImportedTmx(target, len(tmx.units)), []


def _utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
