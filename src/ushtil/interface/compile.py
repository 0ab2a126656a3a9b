"""``i18n compile``: a catalogue to its ``.mo`` file, only when ``i18n check`` finds no
error in it (the build's own rule list)."""

from __future__ import annotations

from pathlib import Path

import polib

from ushtil.interface.report import check
from ushtil.project.problems import Diagnostic


def compile_catalog(
    path: Path, shown: str, out: Path, *, use_fuzzy: bool = False
) -> list[Diagnostic]:
    """Write ``out`` (.mo) only when the catalogue has no errors; fuzzy left out unless asked
    (and then judged like every other translation)."""
    problems = [d for d in check(path, shown, fuzzy=use_fuzzy) if d.is_error]
    if problems:
        return problems
    po = polib.pofile(str(path))
    if use_fuzzy:
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    out.parent.mkdir(parents=True, exist_ok=True)
    po.save_as_mofile(str(out))
    return []
