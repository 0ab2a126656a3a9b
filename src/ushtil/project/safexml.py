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


def read_tree(
    path: Path, shown: str, max_bytes: int, max_elements: int
) -> tuple[Element | None, list[Diagnostic]]:
    """The document's root element, or None with the problem (``path:line: message``)."""
    if path.is_symlink() or not path.is_file():
        why = "is a symbolic link; give the file itself" if path.is_symlink() else "no such file"
        return None, [error(Location(shown), "xml-read", why)]
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = f"{max_bytes // (1024 * 1024)} MiB" if max_bytes >= 1 << 20 else "the limit"
            return None, [error(Location(shown), "xml-size", f"{size} bytes: over {limit}")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(Location(shown), "xml-read", f"cannot read: {exc.strerror or exc}")]
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
    try:
        parser.Parse(raw, True)
    except Refused as exc:
        return None, [error(Location(shown, parser.CurrentLineNumber), "xml-refused", str(exc))]
    except expat.ExpatError as exc:
        message = f"not well-formed XML: {expat.ErrorString(exc.code)}"
        return None, [error(Location(shown, exc.lineno), "xml-syntax", message)]
    return top[0], []
