"""The interface catalogues at run time: ``locales/<lang>/LC_MESSAGES/messages.po`` →
translations in memory, and gettext for the pages.

Only translations :func:`ushtil.interface.rules.judge` finds nothing against are kept; the
build warns about the others (with ``--strict`` every problem ``i18n check`` calls an
error is an error of the build). Lookups fall back along the site's language chain, then
to the source text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from ushtil.interface import markup
from ushtil.interface.posyntax import header_line, msgid_lines, read_po
from ushtil.interface.rules import file_problems, judge, plural_problem
from ushtil.project import layout
from ushtil.project.model import SiteConfig
from ushtil.project.problems import Diagnostic, Location, error, warning


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


def load_catalog(
    path: Path, shown: str, lang: str, *, strict: bool = False
) -> tuple[Catalog | None, list[Diagnostic]]:
    """One language's usable translations, and what keeps the others from being used:
    warnings, or with ``strict`` the errors ``i18n check`` reports for the file."""
    po, problems = read_po(path, shown)
    if po is None:
        return None, problems
    catalog = Catalog(lang, shown)
    diagnostics: list[Diagnostic] = []
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
        where = Location(shown, lines.get(entry.linenum or 0, entry.linenum))
        verdict = judge(entry, catalog.nplurals, lang)
        for finding in verdict.findings:
            # the build's wording names the rule, as i18n check does
            message = f"{finding.code}: {finding.message} (translation not used)"
            diagnostics.append(warning(where, finding.code, message))
        if verdict.forms is not None:
            catalog.messages[(entry.msgctxt, entry.msgid)] = verdict.forms
    if strict:  # what i18n check calls an error is one, in the build's words
        found = file_problems(po, shown, lang)
        diagnostics = [error(d.location, d.code, f"{d.code}: {d.message}") for d in found]
    return catalog, diagnostics


def load_catalogs(
    config: SiteConfig, *, strict: bool = False
) -> tuple[dict[str, Catalog], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    catalogs: dict[str, Catalog] = {}
    for lang in config.codes:
        path = layout.catalogue(config.root, lang)
        shown = path.relative_to(config.root).as_posix()
        if not path.exists():
            message = f"no catalogue for '{lang}': interface strings stay untranslated"
            diagnostics.append(warning(Location(shown), "no-catalogue", message))
            continue
        catalog, problems = load_catalog(path, shown, lang, strict=strict)
        diagnostics += problems
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
