"""XML from outside the project's own code (a TMX memory, a TBX glossary), read safely.

expat with every entity declaration refused and no external DTD or entity read: nothing
can be expanded (no "billion laughs") or fetched (no external entities). A
``<!DOCTYPE … SYSTEM "….dtd">`` line, as CAT tools write it, is accepted and not
followed. Elements nested more than :data:`MAX_DEPTH` deep are refused as they open (a
tree that deep would exhaust Python's stack when it is walked). :func:`read_tree` gives a
small tree whose elements know their line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from ushtil.project.problems import Diagnostic, Location, error

XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 64  # elements inside one another; TBX and TMX documents need about ten


class Refused(Exception):
    """Something a safe reader does not accept; the message says what."""


def check_depth(depth: int) -> None:
    """Refuse an element opened at ``depth`` (the root is 1) past :data:`MAX_DEPTH`."""
    if depth > MAX_DEPTH:
        raise Refused(f"elements nested more than {MAX_DEPTH} deep")


def _entity(*_: object) -> None:
    raise Refused("an entity declaration (<!ENTITY …>) is not accepted")


def _external(*_: object) -> int:
    raise Refused("an external entity is not accepted")


def make_parser() -> expat.XMLParserType:
    """An expat parser (names as ``namespace local``) that refuses entities."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _entity
    parser.ExternalEntityRefHandler = _external
    return parser


def local(name: str) -> str:
    """An element or attribute name without its namespace (``xml:lang`` → ``lang``)."""
    return name.rsplit(" ", 1)[-1]


@dataclass
class Element:
    tag: str  # without namespace
    attrs: dict[str, str]  # names without namespace
    line: int
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    def text(self) -> str:
        """All the text inside, inline elements' included."""
        return "".join(self.parts) + "".join(c.text() for c in self.children)

    def iter(self, tag: str) -> list[Element]:
        found = [self] if self.tag == tag else []
        for child in self.children:
            found += child.iter(tag)
        return found


def read_limited(
    path: Path, shown: str, max_bytes: int, kind: str = "xml"
) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes: never through a link, never more than ``max_bytes``. Problems'
    codes begin with ``kind`` (``xml-size``, ``tmx-size``)."""
    if path.is_symlink() or not path.is_file():
        why = "is a symbolic link; give the file itself" if path.is_symlink() else "no such file"
        return None, [error(Location(shown), f"{kind}-read", why)]
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = f"{max_bytes // (1024 * 1024)} MiB" if max_bytes >= 1 << 20 else "the limit"
            return None, [error(Location(shown), f"{kind}-size", f"{size} bytes: over {limit}")]
        return path.read_bytes(), []
    except OSError as exc:
        why = f"cannot read: {exc.strerror or exc}"
        return None, [error(Location(shown), f"{kind}-read", why)]


def parse(
    parser: expat.XMLParserType, raw: bytes, shown: str, kind: str = "xml"
) -> list[Diagnostic]:
    """Run a parser of :func:`make_parser` (its handlers set) over ``raw``: what its
    handlers refused, or where the XML is not well-formed, as ``path:line: message``."""
    try:
        parser.Parse(raw, True)
    except Refused as exc:
        return [error(Location(shown, parser.CurrentLineNumber), f"{kind}-refused", str(exc))]
    except expat.ExpatError as exc:
        line = getattr(exc, "lineno", None) or parser.ErrorLineNumber
        message = f"not well-formed XML: {expat.ErrorString(exc.code) if exc.code else exc}"
        return [error(Location(shown, line), f"{kind}-syntax", message)]
    return []


def read_tree(
    path: Path, shown: str, max_bytes: int, max_elements: int
) -> tuple[Element | None, list[Diagnostic]]:
    """The document's root element, or None with the problem (``path:line: message``)."""
    raw, problems = read_limited(path, shown, max_bytes)
    if raw is None:
        return None, problems
    parser = make_parser()
    stack: list[Element] = []
    top: list[Element] = []
    count = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > max_elements:
            raise Refused(f"more than {max_elements} elements")
        check_depth(len(stack) + 1)
        element = Element(local(name), {local(k): v for k, v in attrs.items()},
                          parser.CurrentLineNumber)  # fmt: skip
        (stack[-1].children if stack else top).append(element)
        stack.append(element)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            # text after a child belongs to the parent; kept in order well enough for terms
            stack[-1].parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    problems = parse(parser, raw, shown)
    return (None, problems) if problems else (top[0], [])
