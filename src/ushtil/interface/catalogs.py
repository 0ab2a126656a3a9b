"""Stage three: ``locales/<lang>/LC_MESSAGES/messages.po`` → translations in memory.

What a translator wrote is untrusted. One rule list, :func:`judge`, decides whether a
translated entry may be shown; the build, ``i18n check``, ``i18n compile`` and
``translate import`` all call it, so they agree on every entry. A translation is used
only when nothing is found: its placeholders are the msgid's, it has no stray ``%``, no
control character (nothing XML 1.0 forbids), no look-alike Latin letters in a Cyrillic
word, the msgid's leading and trailing white space, the header's number of plural forms,
and markup as :mod:`ushtil.interface.markup` allows: a msgid without markup has a plain-text
translation (escaped for HTML, with no tags or character references of its own); a
msgid with markup has a translation with exactly its tags and attributes, rebuilt from
the msgid's own tags. The ``Plural-Forms`` header is parsed and evaluated for
n = 0…1000 before it is trusted. Lookups fall back along the site's language chain,
then to the source text. Also the PO syntax check, and the Babel extractor for the
labels declared in ``site.toml``.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import polib
from markupsafe import Markup, escape

from ushtil.interface import markup
from ushtil.project.problems import Diagnostic, Location, error, warning
from ushtil.project.model import SiteConfig
from ushtil.project import layout

PO_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")
PYFORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])?"
)
BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}(?!\})")
# What XML 1.0 does not allow in a document: C0 controls but tab, LF and CR; U+FFFE,
# U+FFFF; lone surrogates. Invisible, and often pasted from a word processor.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?:\s|$)")

# Plural rules ushtil vouches for; a catalogue whose header disagrees is reported.
PLURAL_FORMS = {
    "kk": (2, "(n != 1)"),
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "en": (2, "(n != 1)"),
}
PLURAL_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
# n for which a plural expression is evaluated before it is trusted (msgfmt tries 0…1000)
PLURAL_SAMPLES = (*range(1001), 10**4, 10**5, 10**6, 10**9, 2**31 - 1)


def placeholders(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(printf-style placeholders, brace placeholders) in ``text``; %% is not one."""
    printf = set()
    for m in PYFORMAT.finditer(text):
        if m.group("conv") == "%":
            continue
        printf.add(f"%({m.group('name')})" if m.group("name") is not None else f"%{m.group('conv') or ''}")
    return frozenset(printf), frozenset(BRACE.findall(text))


VALID_PERCENT = re.compile(
    r"%(?:%|(?:\([A-Za-z_][A-Za-z0-9_]*\))?[#0\-+]*\d*(?:\.\d+)?[hlL]?[diouxXeEfFgGcrsa])"
)


def bare_percent(text: str) -> bool:
    """True when ``text`` has a '%' that is no placeholder (it would break %-formatting)."""
    return "%" in VALID_PERCENT.sub("", text)


PluralRule = tuple[int, Callable[[int], int]]


def plural_forms(header: str | None) -> tuple[PluralRule | None, str | None]:
    """A ``Plural-Forms`` header as (nplurals, function of n), or why it cannot be used.

    The expression is parsed as gettext does (C syntax) and evaluated for every n in
    :data:`PLURAL_SAMPLES`: it must not fail (division by zero) and must give a form
    between 0 and nplurals - 1.
    """
    if not header:
        return None, "the header has no Plural-Forms"
    m = PLURAL_HEADER.match(header)
    if not m:
        return None, f"Plural-Forms must read 'nplurals=N; plural=EXPRESSION;', not {header!r}"
    nplurals, expression = int(m.group(1)), m.group(2)
    if nplurals < 1:
        return None, "Plural-Forms: nplurals must be at least 1"
    try:
        function = _gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError, MemoryError) as exc:
        return None, f"Plural-Forms: plural={expression} is not a valid expression ({exc})"
    for n in PLURAL_SAMPLES:
        try:
            index = function(n)
        except ZeroDivisionError:
            return None, f"Plural-Forms: plural={expression} divides by zero for n={n}"
        except (ArithmeticError, ValueError, TypeError, RecursionError, MemoryError) as exc:
            return None, f"Plural-Forms: plural={expression} fails for n={n} ({exc})"
        if not isinstance(index, int) or not 0 <= index < nplurals:
            return None, (
                f"Plural-Forms: plural={expression} gives {index} for n={n}, "
                f"but nplurals={nplurals} allows only 0 to {nplurals - 1}"
            )
    return (nplurals, function), None


def parse_plural_forms(header: str | None) -> PluralRule | None:
    return plural_forms(header)[0]


def plural_problem(header: str | None, language: str) -> tuple[PluralRule | None, str | None]:
    """:func:`plural_forms`, and the number of forms checked against what ushtil knows of
    ``language``: the one header rule of the build, ``i18n check`` and ``compile``."""
    parsed, problem = plural_forms(header)
    expected = PLURAL_FORMS.get(language)
    if parsed is not None and expected and expected[0] != parsed[0]:
        return None, f"Plural-Forms says nplurals={parsed[0]}; {language} has {expected[0]}"
    return parsed, problem


@dataclass
class Catalog:
    """One language's usable translations: (msgctxt, msgid) → forms."""

    lang: str
    path: str
    nplurals: int = 2
    plural: Callable[[int], int] = field(default=lambda n: int(n != 1))
    messages: dict[tuple[str | None, str], tuple[Markup, ...]] = field(default_factory=dict)

    def lookup(self, context: str | None, msgid: str, n: int | None = None) -> Markup | None:
        """The translation as HTML (see :func:`judge`), or None."""
        forms = self.messages.get((context, msgid))
        if forms is None:
            return None
        if n is None:
            return forms[0]
        try:
            index = self.plural(n)
        except (ArithmeticError, TypeError, ValueError):  # an n the header was not tried with
            return None
        return forms[index] if 0 <= index < len(forms) else None


_PO_STRING = re.compile(r'"(?:[^"\\]|\\[\\"abfnrtv]|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*"\s*$')
_PO_KEYWORD = re.compile(r"^(?:#~\s*)?(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(.*)$")
_PO_ORDER = {"msgctxt": {None, "msgstr", "msgstr[]"}, "msgid": {None, "msgctxt", "msgstr"}, "msgid_plural": {"msgid"}, "msgstr": {"msgid"}, "msgstr[]": {"msgid_plural", "msgstr[]"}}


def po_syntax_error(text: str) -> tuple[int, str] | None:
    """The first line that GNU gettext would reject as PO syntax, and why.

    polib and Babel both accept some broken files (an unterminated string loses its last
    character), so the file is checked line by line before either reads it.
    """
    previous: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        marker = CONFLICT.match(line)
        if marker:
            found = marker.group(1)
            return number, f"a git merge conflict marker ({found!r}): resolve the conflict first"
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#") and (not stripped.startswith("#~") or stripped.startswith("#~|")):
            continue
        body = stripped[2:].strip() if stripped.startswith("#~") else stripped
        if not body:
            continue
        if body.startswith('"'):
            if previous is None:
                return number, "a string continues nothing"
            if not _PO_STRING.match(body):
                return number, "unterminated or badly escaped string"
            continue
        m = _PO_KEYWORD.match(body)
        if not m:
            return number, f"not a PO keyword: {body.split()[0][:20]!r}"
        keyword = "msgstr[]" if m.group(1).startswith("msgstr[") else m.group(1)
        if previous not in _PO_ORDER[keyword] and not (keyword == "msgid" and previous in ("msgstr[]",)):
            return number, f"'{m.group(1)}' is out of place"
        if not _PO_STRING.match(m.group(2)):
            return number, "unterminated or badly escaped string"
        previous = keyword
    if previous in ("msgid", "msgid_plural", "msgctxt"):
        return len(text.split("\n")), "the last entry has no msgstr"
    return None


def msgid_lines(po: polib.POFile) -> dict[int, int]:
    """Entry start line (polib's ``linenum``) → the line of its ``msgid``, as msgfmt reports it."""
    result: dict[int, int] = {}
    if not po.fpath:
        return result
    with open(po.fpath, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    for entry in po:
        start = entry.linenum
        for number in range(max(start, 1), len(lines) + 1):
            if lines[number - 1].lstrip("#~ ").startswith("msgid "):
                result[start] = number
                break
    return result


def read_po(path: Path, shown: str) -> tuple[polib.POFile | None, Diagnostic | None]:
    try:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8"
            return None, error(Location(shown, line), "po-syntax", message)
        problem = po_syntax_error(text)
        if problem is not None:
            return None, error(Location(shown, problem[0]), "po-syntax", f"syntax error in the catalogue: {problem[1]}")
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=0), None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        text = str(exc)
        m = PO_SYNTAX_LINE.search(text)
        line = int(m.group(1)) if m else None
        if "Syntax error" in text or m:
            message = "syntax error in the catalogue (open it in Poedit or run 'msgfmt -c' for details)"
        else:
            message = f"cannot read the catalogue: {text}"
        return None, error(Location(shown, line), "po-syntax", message)


def header_line(po: polib.POFile, name: str) -> int:
    """The line of the header field ``name`` (``"Name: …"``), else of the header's
    ``msgstr`` (where msgfmt reports header problems), else 1."""
    if not po.fpath:
        return 1
    with open(po.fpath, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == 'msgid ""'), None)
    if start is None:
        return 1
    found = start + 1
    for number in range(start + 1, len(lines)):
        line = lines[number].strip()
        if line.startswith("msgstr"):
            found = number + 1
        elif not line.startswith('"'):
            break
        if line.startswith(f'"{name}:'):
            return number + 1
    return found


def msgstr_forms(entry: polib.POEntry) -> list[str]:
    """The translation's forms in order: one, or one per plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# --- the rule list ----------------------------------------------------------------------

INTERFACE = "interface"  # a template's strings: HTML, formatted with %
ARTICLE = "article"  # an article's segments (translate export): Markdown, never formatted
ARTICLE_HEADER = "X-Ushtil-Article"  # the header field that makes a .po file an article's
CYRILLIC_LANGS = ("kk", "ru")
# Latin letters that look like Cyrillic ones, and the letter meant.
LOOKALIKES = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у",
    "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "H": "Н", "K": "К", "M": "М",
    "T": "Т", "B": "В", "i": "і", "I": "І", "h": "һ", "ə": "ә", "Ə": "Ә",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Finding:
    """One reason a translation is not used: ``code`` names the rule."""

    code: str
    message: str


@dataclass(frozen=True)
class Verdict:
    """What :func:`judge` found; when nothing, the translation's forms as a page shows them."""

    findings: tuple[Finding, ...]
    forms: tuple[Markup, ...] | None = None


def lookalikes(text: str) -> list[tuple[str, list[str]]]:
    """Words that are Cyrillic but for Latin (or Latin-script) look-alike letters."""
    found = []
    for word in WORD.findall(text):
        cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
        foreign = [ch for ch in word if ch in LOOKALIKES]
        if cyrillic and foreign:
            found.append(
                (word, [f"'{ch}' (meant '{LOOKALIKES[ch]}'?)" for ch in dict.fromkeys(foreign)])
            )
    return found


def _edges(text: str) -> tuple[str, str]:
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead, trail


@functools.lru_cache(maxsize=1024)
def _source_markup(
    sources: tuple[str, ...],
) -> tuple[tuple[tuple[markup.Piece, ...], ...] | None, str | None]:
    """The msgids' pieces when any of them has markup (None when all are plain text), or
    why their markup cannot be translated."""
    if not any(markup.is_markup(s) for s in sources):
        return None, None
    parsed = []
    for source in sources:
        try:
            pieces = markup.parse(source, lenient=True)
        except markup.MarkupError as exc:
            return None, f"the source's markup is not well-formed: {exc}"
        why = markup.source_problem(pieces)
        if why:
            return None, f"the source cannot be translated safely: {why}"
        parsed.append(tuple(pieces))
    return tuple(parsed), None


def _markup_difference(
    which: str, have: list[markup.Piece], want: list[markup.Piece]
) -> str | None:
    extra = Counter(markup.markup_of(have)) - markup.markup_of(want)
    missing = Counter(markup.markup_of(want)) - markup.markup_of(have)
    if not extra and not missing:
        return None

    def listed(pieces: list[markup.Piece], counts: Counter[tuple[object, ...]]) -> str:
        shown = []
        for piece in pieces:
            if piece.kind != "text" and counts[piece.key] > 0:
                counts[piece.key] -= 1
                shown.append(markup.show(piece))
        return ", ".join(shown)

    if extra and missing:
        return (
            f"{which} has markup its source does not: {listed(have, extra)}; "
            f"it lacks the source's: {listed(want, missing)}"
        )
    if extra:
        return f"{which} has markup its source does not: {listed(have, extra)}"
    return f"{which} lacks markup of the source: {listed(want, missing)}"


def _html_findings(
    which: str, form: str, index: int, parsed: tuple[tuple[markup.Piece, ...], ...] | None
) -> tuple[list[Finding], Markup | None]:
    """The markup rules for one form of an interface string, and its HTML when it passes.
    ``parsed`` is the sources' pieces, or None for a plain-text source."""
    if parsed is None:  # a plain-text source: a plain-text translation, escaped
        findings = []
        tag = markup.TAG_START.search(form)
        if tag:
            findings.append(
                Finding(
                    "markup",
                    f"{which} has markup its source does not: "
                    + markup.construct_at(form, tag.start()),
                )
            )
        for at, written, meant in markup.references(form):
            findings.append(
                Finding(
                    "entity",
                    f"{which} has the character reference {written!r} at character {at + 1}, "
                    f"but its source is plain text: write {meant!r} itself",
                )
            )
            break
        return findings, None if findings else escape(form)
    try:
        pieces = markup.parse(form)
    except markup.MarkupError as exc:
        return [Finding("markup", f"{which}: {exc}")], None
    have = markup.markup_of(pieces)
    matched = next((source for source in parsed if markup.markup_of(list(source)) == have), None)
    findings = []
    if matched is None:
        want = list(parsed[min(index, len(parsed) - 1)])
        findings.append(
            Finding("markup", _markup_difference(which, pieces, want) or f"{which}: markup differs")
        )
    for at, written, meant in markup.references(form):
        if "%" in meant:
            findings.append(
                Finding(
                    "entity",
                    f"{which} writes '%' as the character reference {written!r} "
                    f"at character {at + 1}: write %% for a percent sign",
                )
            )
            break
    if findings or matched is None:
        return findings, None
    return [], Markup(markup.rebuild(pieces, list(matched)))


def judge(
    entry: polib.POEntry,
    nplurals: int | None,
    language: str,
    kind: str = INTERFACE,
    *,
    fuzzy: bool = False,
) -> Verdict:
    """The one rule list for a catalogue entry: everything that keeps its translation from
    being shown, and (for interface strings) the HTML shown when nothing does.

    The build shows a translation only when this finds nothing; ``i18n check`` reports
    what it finds as errors, ``i18n compile`` refuses a catalogue with any, and ``translate
    import`` refuses an article file with any (Markdown markup, checked here too for
    ``ARTICLE`` files, leaves only that segment untranslated). ``nplurals`` is None when
    the header gives no usable number. A fuzzy entry's translation is judged only with
    ``fuzzy`` (for ``compile --use-fuzzy``); an empty form is not judged.
    """
    findings: list[Finding] = []
    sources = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else (entry.msgid,)
    forms = msgstr_forms(entry)
    parsed = None
    source_ok = True
    if kind == INTERFACE:
        for source in sources:
            if bare_percent(source):
                findings.append(
                    Finding(
                        "bare-percent",
                        f"the source has a '%' that is not a placeholder: {source!r} (write '%%')",
                    )
                )
        parsed, problem = _source_markup(sources)
        if problem:
            findings.append(Finding("source-markup", problem))
            source_ok = False
    if entry.msgid_plural and nplurals is not None and len(forms) != nplurals:
        findings.append(
            Finding("plural-count", f"{len(forms)} plural forms; the header says {nplurals}")
        )
    if entry.obsolete or ("fuzzy" in entry.flags and not fuzzy):
        return Verdict(tuple(findings))
    want = [placeholders(s) for s in sources]
    want_printf = frozenset().union(*(w[0] for w in want))
    want_brace = frozenset().union(*(w[1] for w in want))
    shown: list[Markup] = []
    for index, form in enumerate(forms):
        if not form:
            continue
        which = f"msgstr[{index}]" if entry.msgid_plural else "msgstr"
        control = CONTROL.search(form)
        if control:
            findings.append(
                Finding(
                    "control-character",
                    f"{which} has the character U+{ord(control.group()):04X} "
                    f"at character {control.start() + 1}, "
                    "which XML and HTML forbid (often pasted from a word processor): remove it",
                )
            )
        if kind == INTERFACE:
            printf, brace = placeholders(form)
            extra = sorted(printf - want_printf) + sorted("{" + b + "}" for b in brace - want_brace)
            missing = sorted(want_printf - printf) + sorted(
                "{" + b + "}" for b in want_brace - brace
            )
            if extra:
                findings.append(
                    Finding(
                        "placeholder",
                        f"{which} has placeholders the source does not: {', '.join(extra)}",
                    )
                )
            if missing:
                findings.append(
                    Finding(
                        "placeholder",
                        f"{which} lacks placeholders of the source: {', '.join(missing)}",
                    )
                )
            if bare_percent(form) and not any(bare_percent(s) for s in sources):
                findings.append(
                    Finding(
                        "bare-percent", f"{which} has a '%' that is not a placeholder (write '%%')"
                    )
                )
            if source_ok:
                found, html_form = _html_findings(which, form, index, parsed)
                findings += found
                if html_form is not None:
                    shown.append(html_form)
        else:
            # imported here: segments needs the renderer, which needs this module
            from ushtil.translation.segments import inline_problems

            broken = inline_problems(entry.msgid, form)
            if broken:
                findings.append(Finding("markup", f"{which}: {'; '.join(broken)}"))
        if _edges(form) != _edges(entry.msgid):
            findings.append(
                Finding(
                    "whitespace",
                    f"{which} does not start and end with the same spaces and newlines "
                    "as the source",
                )
            )
        if language in CYRILLIC_LANGS:
            for word, letters in lookalikes(form):
                findings.append(
                    Finding(
                        "lookalike",
                        f"{which}: '{word}' mixes Latin {', '.join(letters)} into a Cyrillic word",
                    )
                )
    if findings:
        return Verdict(tuple(findings))
    return Verdict((), tuple(shown) if kind == INTERFACE and len(shown) == len(forms) else None)


def load_catalog(
    path: Path, shown: str, lang: str, diagnostics: list[Diagnostic]
) -> Catalog | None:
    po, problem = read_po(path, shown)
    if po is None:
        diagnostics.append(problem)  # type: ignore[arg-type]
        return None
    catalog = Catalog(lang, shown)
    parsed, why = plural_problem(po.metadata.get("Plural-Forms"), lang)
    if parsed is None:
        diagnostics.append(
            warning(
                Location(shown, header_line(po, "Plural-Forms")),
                "header-plural-forms",
                f"header-plural-forms: {why} (plural translations not used)",
            )
        )
        catalog.nplurals = -1
    else:
        catalog.nplurals, catalog.plural = parsed
    lines = msgid_lines(po)
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
            continue
        if entry.msgid_plural and catalog.nplurals < 1:
            continue
        where = Location(shown, lines.get(entry.linenum, entry.linenum))
        verdict = judge(entry, catalog.nplurals, lang)
        for finding in verdict.findings:
            diagnostics.append(
                warning(
                    where, finding.code, f"{finding.code}: {finding.message} (translation not used)"
                )
            )
        if verdict.forms is not None:
            catalog.messages[(entry.msgctxt, entry.msgid)] = verdict.forms
    return catalog


def load_catalogs(config: SiteConfig) -> tuple[dict[str, Catalog], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    catalogs: dict[str, Catalog] = {}
    for lang in config.codes:
        path = layout.catalogue(config.root, lang)
        shown = path.relative_to(config.root).as_posix()
        if not path.exists():
            diagnostics.append(
                warning(Location(shown), "no-catalogue", f"no catalogue for '{lang}': interface strings stay untranslated")
            )
            continue
        catalog = load_catalog(path, shown, lang, diagnostics)
        if catalog is not None:
            catalogs[lang] = catalog
    return catalogs, diagnostics


@functools.lru_cache(maxsize=4096)
def source_html(msgid: str) -> Markup:
    """A msgid shown untranslated, as HTML: with its own markup when it has any (msgids are
    written in templates), else as the plain text it is."""
    return Markup(msgid) if markup.is_markup(msgid) else escape(msgid)


class Translator:
    """gettext for one language, falling back along a chain of catalogues to the source.

    Every method but :meth:`label` returns HTML: a catalogue's translation as
    :func:`judge` made it, or the msgid as :func:`source_html` shows it.
    """

    def __init__(self, lang: str, chain: list[Catalog]) -> None:
        self.lang = lang
        self.chain = chain

    def _find(self, context: str | None, msgid: str, n: int | None) -> Markup | None:
        for catalog in self.chain:
            found = catalog.lookup(context, msgid, n)
            if found:
                return found
        return None

    def gettext(self, msgid: str) -> Markup:
        return self._find(None, msgid, None) or source_html(msgid)

    def label(self, context: str | None, msgid: str) -> str:
        """A name from site.toml (the site's, without a context; a category's or tag's)
        as plain text (not HTML): editors write these, so neither the msgid nor its
        translation is ever taken as markup; the caller escapes the result exactly once."""
        found = self._find(context, msgid, None)
        return found.unescape() if found is not None else msgid

    def pgettext(self, context: str, msgid: str) -> Markup:
        return self._find(context, msgid, None) or source_html(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> Markup:
        return self._find(None, singular, n) or source_html(singular if n == 1 else plural)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> Markup:
        return self._find(context, singular, n) or source_html(singular if n == 1 else plural)


SOURCE_LANGUAGE = "en"  # the language of the msgids: templates are written in English


def translator(config: SiteConfig, catalogs: dict[str, Catalog], lang: str) -> Translator:
    """gettext for ``lang``: its catalogue, then the fallback chain up to the source language."""
    codes: list[str] = []
    for code in (lang, *config.fallback_chain(lang)):
        codes.append(code)
        if code == SOURCE_LANGUAGE:
            break  # past it, the msgid itself is the right text
    return Translator(lang, [catalogs[c] for c in codes if c in catalogs])


# --- Babel extraction of the labels declared in site.toml ---------------------------

SITE_NAME_COMMENT = (
    "Translators: the site's name, shown at the top of every page and in the browser tab"
)
LABEL_TABLES = {
    "categories": ("category", "Translators: the name of a news category, shown in the menu and on articles"),
    "tags": ("tag", "Translators: a rubric (tag) name shown on articles"),
}


def extract_site_config(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Babel extractor: the site's name, and category and tag names with their contexts,
    of ``site.toml``."""
    text = fileobj.read().decode("utf-8-sig")
    data = tomllib.loads(text)
    from ushtil.project.tomlfields import key_line

    name = data.get("name")
    if isinstance(name, str) and name:
        yield key_line(text, "name"), "gettext", name, [SITE_NAME_COMMENT]
    for table, (context, comment) in LABEL_TABLES.items():
        for slug, msgid in data.get(table, {}).items():
            if isinstance(msgid, str) and msgid:
                yield key_line(text, slug, table), "pgettext", (context, msgid), [comment]
