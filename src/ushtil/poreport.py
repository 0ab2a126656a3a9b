"""Translator reports over any ``.po`` file: statistics and checks.

``stats`` counts honestly (fuzzy and partly filled plurals are not translated); ``check``
lists every problem as ``path:line: code: message``. Both read files with the same
syntax check and rules the build uses (:mod:`ushtil.catalogs`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from .catalogs import PLURAL_FORMS, bare_percent, msgid_lines, msgstr_forms, parse_plural_forms, placeholders, read_po, tags
from .errors import Diagnostic, Location, Severity

CYRILLIC_LANGS = ("kk", "ru")
# Latin letters that look like Cyrillic ones, and the letter meant.
LOOKALIKES = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у",
    "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "H": "Н", "K": "К", "M": "М", "T": "Т", "B": "В",
    "i": "і", "I": "І", "h": "һ", "ə": "ә", "Ə": "Ә",
}
WORD = re.compile(r"[^\W\d_]+")


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


def check(path: Path, shown: str, *, strict: bool = False) -> list[Diagnostic]:
    """Every problem a translator should fix in one catalogue."""
    po, problem = read_po(path, shown)
    if po is None:
        return [problem] if problem else []
    out: list[Diagnostic] = []
    soft = Severity.ERROR if strict else Severity.WARNING

    def add(line: int | None, code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        out.append(Diagnostic(severity, Location(shown, line), code, f"{code}: {message}"))

    meta = po.metadata
    header_line = 1
    language = meta.get("Language", "")
    if not language:
        add(header_line, "header-language", "the header has no Language")
    content_type = meta.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower().replace(" ", ""):
        add(header_line, "header-charset", f"Content-Type must be 'text/plain; charset=UTF-8', not {content_type!r}")
    parsed = parse_plural_forms(meta.get("Plural-Forms"))
    nplurals = parsed[0] if parsed else None
    if parsed is None:
        add(header_line, "header-plural-forms", "Plural-Forms is missing or invalid")
    elif language in PLURAL_FORMS and PLURAL_FORMS[language][0] != parsed[0]:
        add(
            header_line,
            "header-plural-forms",
            f"Plural-Forms says nplurals={parsed[0]}; {language} has {PLURAL_FORMS[language][0]}",
        )
    if po.metadata_is_fuzzy:
        add(header_line, "header-fuzzy", "the header is marked fuzzy: tools will ignore the catalogue's settings")
    lines = msgid_lines(po)
    for entry in po:
        if entry.obsolete:
            continue
        line = lines.get(entry.linenum, entry.linenum)
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for source in sources:
            if bare_percent(source):
                add(line, "bare-percent", f"the source has a '%' that is not a placeholder: {source!r} (write '%%')")
        forms = msgstr_forms(entry)
        if entry.msgid_plural and nplurals is not None and len(forms) != nplurals:
            add(line, "plural-count", f"{len(forms)} plural forms; the header says {nplurals}")
        if "fuzzy" in entry.flags:
            add(line, "fuzzy", "marked fuzzy: not used until a translator confirms it", soft)
            continue
        if not all(forms):
            add(line, "untranslated", "not translated" if not any(forms) else "a plural form is empty", soft)
            if not any(forms):
                continue
        want = [placeholders(s) for s in sources]
        want_printf = frozenset().union(*(w[0] for w in want))
        want_brace = frozenset().union(*(w[1] for w in want))
        source_tags = frozenset().union(*(tags(s) for s in sources))
        for index, form in enumerate(forms):
            if not form:
                continue
            which = f"msgstr[{index}]" if entry.msgid_plural else "msgstr"
            printf, brace = placeholders(form)
            extra = sorted(printf - want_printf) + sorted("{" + b + "}" for b in brace - want_brace)
            missing = sorted(want_printf - printf) + sorted("{" + b + "}" for b in want_brace - brace)
            if extra:
                add(line, "placeholder", f"{which} has placeholders the source does not: {', '.join(extra)}")
            if missing:
                add(line, "placeholder", f"{which} lacks placeholders of the source: {', '.join(missing)}")
            if bare_percent(form) and not any(bare_percent(s) for s in sources):
                add(line, "bare-percent", f"{which} has a '%' that is not a placeholder (write '%%')")
            new_tags = sorted(tags(form) - source_tags)
            if new_tags:
                add(line, "markup", f"{which} has markup its source does not: {', '.join(new_tags)}")
            if _edges(form) != _edges(entry.msgid):
                add(line, "whitespace", f"{which} does not start and end with the same spaces and newlines as the source")
            if language in CYRILLIC_LANGS:
                for word, letters in lookalikes(form):
                    add(
                        line,
                        "lookalike",
                        f"{which}: '{word}' mixes Latin {', '.join(letters)} into a Cyrillic word",
                    )
    return out


def _edges(text: str) -> tuple[str, str]:
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead, trail


def lookalikes(text: str) -> list[tuple[str, list[str]]]:
    """Words that are Cyrillic but for Latin (or Latin-script) look-alike letters."""
    found = []
    for word in WORD.findall(text):
        cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
        foreign = [ch for ch in word if ch in LOOKALIKES]
        if cyrillic and foreign:
            found.append((word, [f"'{ch}' (meant '{LOOKALIKES[ch]}'?)" for ch in dict.fromkeys(foreign)]))
    return found


def compile_catalog(path: Path, shown: str, out: Path, *, use_fuzzy: bool = False) -> list[Diagnostic]:
    """Write ``out`` (.mo) only when the catalogue has no errors; fuzzy left out unless asked."""
    problems = [d for d in check(path, shown) if d.is_error]
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
