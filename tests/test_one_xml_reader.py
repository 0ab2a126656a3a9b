"""Untrusted XML has one reader, `project/safexml.py`: the TMX reader streams through its
parser, file checks and error reporting, so a glossary and a memory are refused alike."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from ushtil.interface.glossary import read_glossary
from ushtil.project import layout
from ushtil.translation import tmx

SRC = Path(__file__).resolve().parents[1] / "src" / "ushtil"
HOSTILE = {
    "an entity": '<?xml version="1.0"?>\n<!DOCTYPE x [\n<!ENTITY a "b">\n]>\n<x>&a;</x>\n',
    "not well-formed": '<?xml version="1.0"?>\n<tmx>\n<y>\n</tmx>\n',
}


PARSING = {"ParserCreate", "fromstring", "iterparse", "XMLParser", "XMLPullParser", "parseString"}


def xml_parsers() -> set[str]:
    """Modules that parse XML: import expat, a DOM or SAX parser, or call a parsing
    function of ElementTree (writing XML with it, or escaping with saxutils, is no reading)."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.Attribute):
                on_et = isinstance(node.value, ast.Name) and node.value.id == "ET"
                if node.attr in PARSING or node.attr == "parse" and on_et:
                    names = [node.attr]
            if any(
                "expat" in n or "minidom" in n or n in PARSING or n == "parse"
                or "xml.sax" in n and "saxutils" not in n
                for n in names
            ):  # fmt: skip
                found.add(path.relative_to(SRC).as_posix())
    return found


def test_only_safexml_parses_xml() -> None:
    assert xml_parsers() == {"project/safexml.py"}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_glossary_and_a_memory_are_refused_alike(tmp_path: Path, case: str) -> None:
    (tmp_path / layout.GLOSSARY).parent.mkdir(parents=True)
    (tmp_path / layout.GLOSSARY).write_text(HOSTILE[case], encoding="utf-8")
    (tmp_path / "m.tmx").write_text(HOSTILE[case], encoding="utf-8")
    _, from_glossary = read_glossary(tmp_path)
    _, from_tmx = tmx.read_tmx(tmp_path / "m.tmx", "m.tmx", ("kk", "ru"))
    assert [(d.location.line, d.message) for d in from_glossary] == [
        (d.location.line, d.message) for d in from_tmx
    ]
    assert from_tmx and from_tmx[0].is_error


def test_a_linked_memory_is_refused_like_a_linked_glossary(tmp_path: Path) -> None:
    (tmp_path / "real.tmx").write_text("<tmx/>", encoding="utf-8")
    os.symlink(tmp_path / "real.tmx", tmp_path / "m.tmx")
    _, problems = tmx.read_tmx(tmp_path / "m.tmx", "m.tmx", ("kk", "ru"))
    assert [str(d) for d in problems] == ["m.tmx: is a symbolic link; give the file itself"]
