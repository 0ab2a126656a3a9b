"""Translator reports over any ``.po`` file: statistics and checks.

``stats`` counts honestly (fuzzy and partly filled plurals are not translated); ``check``
lists every problem as ``path:line: code: message``. Both read files with the syntax
check the build uses, and ``check`` judges every entry and the ``Plural-Forms`` header
by the build's own rule list (:func:`ushtil.interface.catalogs.judge`,
:func:`ushtil.interface.catalogs.plural_problem`): what it reports is exactly what the build does
not use. An article file (``translate export``) is judged as the Markdown text it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from ushtil.interface.catalogs import (
    ARTICLE,
    ARTICLE_HEADER,
    INTERFACE,
    WORD,
    header_line,
    judge,
    msgid_lines,
    msgstr_forms,
    parse_plural_forms,
    plural_problem,
    read_po,
)
from ushtil.project.problems import Diagnostic, Location, Severity


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
    po, problem = read_po(path, shown)
    if po is None:
        return None, [problem] if problem else []
    parsed = parse_plural_forms(po.metadata.get("Plural-Forms"))
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
    return (
        Stats(shown, language, **counts, **{f"{k}_words": v for k, v in words.items()}),  # type: ignore[arg-type]
        [],
    )


def check(path: Path, shown: str, *, strict: bool = False, fuzzy: bool = False) -> list[Diagnostic]:
    """Every problem a translator should fix in one catalogue. With ``fuzzy``, fuzzy
    translations are judged too (they are about to be used)."""
    po, problem = read_po(path, shown)
    if po is None:
        return [problem] if problem else []
    out: list[Diagnostic] = []
    soft = Severity.ERROR if strict else Severity.WARNING

    def add(line: int | None, code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        out.append(Diagnostic(severity, Location(shown, line), code, f"{code}: {message}"))

    meta = po.metadata
    language = meta.get("Language", "")
    if not language:
        add(header_line(po, "Language"), "header-language", "the header has no Language")
    content_type = meta.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower().replace(" ", ""):
        add(
            header_line(po, "Content-Type"),
            "header-charset",
            f"Content-Type must be 'text/plain; charset=UTF-8', not {content_type!r}",
        )
    _, why = plural_problem(meta.get("Plural-Forms"), language)
    parsed = parse_plural_forms(meta.get("Plural-Forms"))
    nplurals = parsed[0] if parsed else None  # entries are still counted against a valid header
    if why is not None:
        add(header_line(po, "Plural-Forms"), "header-plural-forms", why)
    if po.metadata_is_fuzzy:
        fuzzy_header = "the header is marked fuzzy: tools will ignore the catalogue's settings"
        add(1, "header-fuzzy", fuzzy_header)
    kind = ARTICLE if meta.get(ARTICLE_HEADER) else INTERFACE
    lines = msgid_lines(po)
    for entry in po:
        if entry.obsolete:
            continue
        line = lines.get(entry.linenum, entry.linenum)
        for finding in judge(entry, nplurals, language, kind, fuzzy=fuzzy).findings:
            add(line, finding.code, finding.message)
        forms = msgstr_forms(entry)
        if "fuzzy" in entry.flags and not fuzzy:
            add(line, "fuzzy", "marked fuzzy: not used until a translator confirms it", soft)
        elif not all(forms):
            add(line, "untranslated", "not translated" if not any(forms) else "a plural form is empty", soft)
    return out


def compile_catalog(path: Path, shown: str, out: Path, *, use_fuzzy: bool = False) -> list[Diagnostic]:
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
