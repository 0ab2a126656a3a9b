"""Writes src/ushtil/project/invisible.py: the code points of two Unicode properties,
Default_Ignorable_Code_Point and Bidi_Control, as ranges.

Python's ``unicodedata`` has no lookup of these properties; the ``regex`` package
(a test dependency) carries the Unicode Character Database's property files and matches
``\\p{Default_Ignorable_Code_Point}`` and ``\\p{Bidi_Control}``. The table is written
into the package so that reading an article needs neither ``regex`` nor its import time,
and the check stays one C-level scan of the standard ``re`` module.

    .venv/bin/python tools/invisible_table.py          # writes the module
    .venv/bin/python tools/invisible_table.py --check  # only says whether it differs

``tests/test_invisible.py`` checks the table against ``regex`` and against the general
category ``Cf`` of the running Python's ``unicodedata``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "ushtil" / "project" / "invisible.py"
# a script first encoded in each version of Unicode: the newest regex knows names its UCD
SCRIPTS = (("17.0", "Sidetic"), ("16.0", "Garay"), ("15.0", "Kawi"), ("14.0", "Vithkuqi"))
Ranges = tuple[tuple[int, int], ...]


def unicode_version() -> str:
    """The version of the Unicode Character Database that ``regex`` carries."""
    for version, script in SCRIPTS:
        try:
            regex.compile(rf"\p{{Script={script}}}")
        except regex.error:
            continue
        return version
    return "older than 14.0"


def ranges(prop: str) -> Ranges:
    """The code points with the binary property ``prop``, as (first, last) ranges."""
    every = "".join(map(chr, range(0x110000)))
    found = regex.finditer(rf"\p{{{prop}}}+", every)
    return tuple((m.start(), m.end() - 1) for m in found)


def shown(table: Ranges) -> str:
    rows = [f"    (0x{a:04X}, 0x{b:04X}),\n" for a, b in table]
    return "(\n" + "".join(rows) + ")"


def module() -> str:
    return (
        '"""Invisible characters, as Unicode defines them (generated: do not edit).\n'
        "\n"
        "Written by ``tools/invisible_table.py`` from the Unicode Character Database\n"
        f"{unicode_version()}, as the ``regex`` package {regex.__version__} carries it.\n"
        "\n"
        "The code points of the properties Default_Ignorable_Code_Point (shown as nothing\n"
        "unless a font chooses otherwise: zero-width spaces and joiners, the BOM, variation\n"
        "selectors, tag characters, fillers) and Bidi_Control (marks, embeddings, overrides\n"
        "and isolates that reorder what is shown), as (first, last) ranges. What ushtil does\n"
        "with them is :mod:`ushtil.project.lookalikes`.\n"
        '"""\n'
        "\n"
        "from __future__ import annotations\n"
        "\n"
        f"DEFAULT_IGNORABLE = {shown(ranges('Default_Ignorable_Code_Point'))}\n"
        f"BIDI_CONTROL = {shown(ranges('Bidi_Control'))}\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it differs")
    args = parser.parse_args()
    text = module()
    old = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        print("up to date" if old == text else f"{TARGET.relative_to(ROOT)} differs")
        return 0 if old == text else 1
    if old != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
