"""Translator reports over any ``.po`` file: statistics and checks.

``stats`` counts honestly (fuzzy and partly filled plurals are not translated); ``check``
lists every problem, shown as ``path:line: code: message`` by :func:`check_line`. Both
read files with the syntax check the build uses, and ``check`` judges every entry and the
header by the build's own rule list (:func:`ushtil.interface.rules.file_problems`): what
it reports as errors is exactly what the build does not use, and what ``build --strict``
refuses. An article file (``translate export``) is judged as the Markdown text it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from ushtil.interface.glossary import Glossary, po_problems
from ushtil.interface.plurals import plural_forms
from ushtil.interface.posyntax import UNREADABLE, msgid_lines, msgstr_forms, read_po
from ushtil.interface.rules import file_problems
from ushtil.project.lookalikes import WORD
from ushtil.project.problems import Diagnostic, Location, Severity, printable


@dataclass(frozen=True)
class Stats:
    path: str
    language: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    translated_words: int
    fuzzy_words: int
    untranslated_words: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return round(100.0 * self.translated / self.total, 1) if self.total else 100.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "total": self.total, "percent": self.percent}


def _words(entry: polib.POEntry) -> int:
    return len(WORD.findall(entry.msgid))


def is_translated(entry: polib.POEntry, nplurals: int | None = None) -> bool:
    forms = msgstr_forms(entry)
    if "fuzzy" in entry.flags or not forms or not all(f for f in forms):
        return False
    return not (entry.msgid_plural and nplurals and len(forms) < nplurals)


def stats(path: Path, shown: str) -> tuple[Stats | None, list[Diagnostic]]:
    po, problems = read_po(path, shown)
    if po is None:
        return None, problems
    parsed, _ = plural_forms(po.metadata.get("Plural-Forms"))
    nplurals = parsed[0] if parsed else None
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0}
    words = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for entry in po:
        if entry.obsolete:
            counts["obsolete"] += 1
            continue
        if "fuzzy" in entry.flags:
            kind = "fuzzy"
        elif is_translated(entry, nplurals):
            kind = "translated"
        else:
            kind = "untranslated"
        counts[kind] += 1
        words[kind] += _words(entry)
    language = po.metadata.get("Language", "") or path.parent.parent.name
    result = Stats(
        shown,
        language,
        translated=counts["translated"],
        fuzzy=counts["fuzzy"],
        untranslated=counts["untranslated"],
        obsolete=counts["obsolete"],
        translated_words=words["translated"],
        fuzzy_words=words["fuzzy"],
        untranslated_words=words["untranslated"],
    )
    return result, []


def check(
    path: Path,
    shown: str,
    *,
    strict: bool = False,
    fuzzy: bool = False,
    glossary: Glossary | None = None,
) -> list[Diagnostic]:
    """Every problem a translator should fix in one catalogue: the rule list's errors, and
    fuzzy or untranslated entries (errors with ``strict``, else warnings). With ``fuzzy``,
    fuzzy translations are judged too (they are about to be used). With a ``glossary``,
    translations that lack a term's approved translation (errors with ``strict``)."""
    po, problems = read_po(path, shown)
    if po is None:
        return problems
    if glossary is not None:
        text = path.read_text(encoding="utf-8")
        problems = po_problems(po, text, shown, glossary, strict=strict)
    language = po.metadata.get("Language", "")
    found = file_problems(po, shown, language, fuzzy=fuzzy)
    header = [d for d in found if d.code.startswith("header-")]
    out = [d for d in found if not d.code.startswith("header-")] + problems
    soft = Severity.ERROR if strict else Severity.WARNING
    lines = msgid_lines(po)
    for entry in po:
        if entry.obsolete:
            continue
        where = Location(shown, lines.get(entry.linenum or 0, entry.linenum))
        forms = msgstr_forms(entry)
        if "fuzzy" in entry.flags and not fuzzy:
            message = "marked fuzzy: not used until a translator confirms it"
            out.append(Diagnostic(soft, where, "fuzzy", message))
        elif not all(forms):
            message = "not translated" if not any(forms) else "a plural form is empty"
            out.append(Diagnostic(soft, where, "untranslated", message))
    # each entry's problems together, in the file's order (a sort keeps the rules' first)
    return header + sorted(out, key=lambda d: d.location.line or 0)


def check_line(d: Diagnostic) -> str:
    """How ``i18n check`` shows a problem: ``path:line: code: message`` (a warning says so);
    a file that cannot be read says so itself, as the build does."""
    prefix = "" if d.is_error else "warning: "
    code = "" if d.code == UNREADABLE else f"{d.code}: "
    return printable(f"{d.location}: {prefix}{code}{d.message}")
