"""The PO models and their converters: polib reads every file (after the syntax check),
Babel only extracts and merges, `pofile.Entry` only writes. No module sets a private
field of a library's object (Babel's `_num_plurals` was), and Babel's own PO reader,
which garbles long `#|` lines, reads nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import polib

from ushtil.interface import tooling

SRC = Path(__file__).resolve().parents[1] / "src" / "ushtil"


def test_no_private_field_of_another_object_is_written() -> None:
    """A private field is written only by its class's own module (through ``self``, or
    on an object of that class the module makes)."""
    wrong = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        writes = []
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            targets += [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            for target in targets:
                for each in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(each, ast.Attribute) and each.attr.startswith("_"):
                        writes.append((each, node.lineno))
        own = {
            a.attr for a, _ in writes if isinstance(a.value, ast.Name) and a.value.id == "self"
        }
        wrong += [
            f"{path.relative_to(SRC)}:{line}: .{a.attr}"
            for a, line in writes
            if a.attr not in own and not a.attr.startswith("__")
        ]
    assert wrong == []


def test_babel_reads_no_po_file() -> None:
    for path in SRC.rglob("*.py"):
        assert "babel.messages.pofile" not in path.read_text(encoding="utf-8"), path


def test_the_header_decides_the_number_of_plural_forms() -> None:
    po = polib.pofile(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"\n\n'
        'msgid "%(n)s article"\nmsgid_plural "%(n)s articles"\n'
        'msgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n'
    )
    catalog = tooling.from_polib(po, 3)
    assert catalog.num_plurals == 3
    text = tooling.po_text(catalog, {"Content-Type": "text/plain; charset=UTF-8"}, "t")
    assert 'msgstr[2] "c"' in text
