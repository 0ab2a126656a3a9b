"""Stage three: ``locales/<lang>/LC_MESSAGES/messages.po`` → translations in memory.

Only entries a reader may safely see are kept: not fuzzy, every plural form filled,
placeholders matching the msgid, and no markup the msgid did not have (such markup is
escaped and reported). Lookups fall back along the site's language chain, then to the
source text. Also the Babel extractor for the labels declared in ``site.toml``.
"""

from __future__ import annotations

import html

import gettext as _gettext
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterator

import polib
from markupsafe import escape

from .errors import Diagnostic, Location, error, warning
from .model import SiteConfig

DOMAIN = "messages"
PO_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")
PYFORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])?"
)
BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}(?!\})")
TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")

# Plural rules ushtil vouches for; a catalogue whose header disagrees is reported.
PLURAL_FORMS = {
    "kk": (2, "(n != 1)"),
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "en": (2, "(n != 1)"),
}
PLURAL_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


def catalog_path(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


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


def tags(text: str) -> frozenset[str]:
    return frozenset(re.sub(r"\s+", " ", t) for t in TAG.findall(text))


def parse_plural_forms(header: str | None) -> tuple[int, Callable[[int], int]] | None:
    if not header:
        return None
    m = PLURAL_HEADER.match(header)
    if not m:
        return None
    try:
        return int(m.group(1)), _gettext.c2py(m.group(2))
    except (ValueError, SyntaxError):
        return None


@dataclass
class Catalog:
    """One language's usable translations: (msgctxt, msgid) → forms."""

    lang: str
    path: str
    nplurals: int = 2
    plural: Callable[[int], int] = field(default=lambda n: int(n != 1))
    messages: dict[tuple[str | None, str], tuple[str, ...]] = field(default_factory=dict)

    def lookup(self, context: str | None, msgid: str, n: int | None = None) -> str | None:
        forms = self.messages.get((context, msgid))
        if forms is None:
            return None
        if n is None:
            return forms[0]
        index = self.plural(n)
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
        problem = po_syntax_error(path.read_text(encoding="utf-8"))
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


def entry_problem(entry: polib.POEntry, nplurals: int) -> str | None:
    """Why a translated entry cannot be shown to a reader, or None."""
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    forms = msgstr_forms(entry)
    if entry.msgid_plural and len(forms) != nplurals:
        return f"has {len(forms)} plural forms, the header says {nplurals}"
    source_sets = [placeholders(s) for s in sources]
    wanted_printf = frozenset().union(*(s[0] for s in source_sets))
    wanted_brace = frozenset().union(*(s[1] for s in source_sets))
    for form in forms:
        printf, brace = placeholders(form)
        if bare_percent(form) and not any(bare_percent(s) for s in sources):
            return "has a '%' that is not a placeholder (write '%%' for a percent sign)"
        extra = (printf - wanted_printf) | {"{" + b + "}" for b in brace - wanted_brace}
        if extra:
            return f"has placeholders the source does not: {', '.join(sorted(extra))}"
        missing = wanted_printf - printf
        if missing:
            return f"lacks placeholders of the source: {', '.join(sorted(missing))}"
    return None


def msgstr_forms(entry: polib.POEntry) -> list[str]:
    """The translation's forms in order: one, or one per plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def load_catalog(
    path: Path, shown: str, lang: str, diagnostics: list[Diagnostic]
) -> Catalog | None:
    po, problem = read_po(path, shown)
    if po is None:
        diagnostics.append(problem)  # type: ignore[arg-type]
        return None
    catalog = Catalog(lang, shown)
    parsed = parse_plural_forms(po.metadata.get("Plural-Forms"))
    expected = PLURAL_FORMS.get(lang)
    if parsed is None:
        diagnostics.append(
            warning(Location(shown, 1), "plural-forms", "missing or invalid Plural-Forms header; plural translations are not used")
        )
        catalog.nplurals = -1
    else:
        catalog.nplurals, catalog.plural = parsed
        if expected and expected[0] != parsed[0]:
            diagnostics.append(
                warning(
                    Location(shown, 1),
                    "plural-forms",
                    f"Plural-Forms says nplurals={parsed[0]}; {lang} has {expected[0]}",
                )
            )
    lines = msgid_lines(po)
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
            continue
        if entry.msgid_plural and catalog.nplurals < 1:
            continue
        where = Location(shown, lines.get(entry.linenum, entry.linenum))
        why = entry_problem(entry, catalog.nplurals)
        if why:
            diagnostics.append(warning(where, "bad-translation", f"translation not used: it {why}"))
            continue
        forms = msgstr_forms(entry)
        source_tags = tags(entry.msgid) | (tags(entry.msgid_plural) if entry.msgid_plural else frozenset())
        if any(tags(form) - source_tags for form in forms):
            diagnostics.append(
                warning(where, "markup", "translation has markup its source does not have; it is shown escaped")
            )
            forms = [str(escape(form)) for form in forms]
        elif not source_tags and "&" not in entry.msgid:
            # A plain-text source: its translation is plain text too, even inside an attribute.
            forms = [str(escape(form)) for form in forms]
        catalog.messages[(entry.msgctxt, entry.msgid)] = tuple(forms)
    return catalog


def load_catalogs(config: SiteConfig) -> tuple[dict[str, Catalog], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    catalogs: dict[str, Catalog] = {}
    for lang in config.codes:
        path = catalog_path(config.root, lang)
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


class Translator:
    """gettext for one language, falling back along a chain of catalogues to the source."""

    def __init__(self, lang: str, chain: list[Catalog]) -> None:
        self.lang = lang
        self.chain = chain

    def _find(self, context: str | None, msgid: str, n: int | None) -> str | None:
        for catalog in self.chain:
            found = catalog.lookup(context, msgid, n)
            if found:
                return found
        return None

    def gettext(self, msgid: str) -> str:
        return self._find(None, msgid, None) or msgid

    def label(self, context: str, msgid: str) -> str:
        """A category or tag name from site.toml as plain text (not HTML): editors write
        these, so neither the msgid nor its translation may carry markup."""
        found = self._find(context, msgid, None)
        # A translation is stored HTML-escaped where its msgid is plain text; undo that
        # so the caller escapes every label exactly once.
        return html.unescape(found) if found is not None and not tags(msgid) else (found or msgid)

    def pgettext(self, context: str, msgid: str) -> str:
        return self._find(context, msgid, None) or msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._find(None, singular, n) or (singular if n == 1 else plural)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._find(context, singular, n) or (singular if n == 1 else plural)


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

LABEL_TABLES = {
    "categories": ("category", "Translators: the name of a news category, shown in the menu and on articles"),
    "tags": ("tag", "Translators: a rubric (tag) name shown on articles"),
}


def extract_site_config(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor: category and tag names of ``site.toml``, with their contexts."""
    text = fileobj.read().decode("utf-8-sig")
    data = tomllib.loads(text)
    from .tomlfields import key_line

    for table, (context, comment) in LABEL_TABLES.items():
        for slug, msgid in data.get(table, {}).items():
            if isinstance(msgid, str) and msgid:
                yield key_line(text, slug, table), "pgettext", (context, msgid), [comment]
