"""The one rule list for catalogue entries: :func:`judge` and :func:`plural_problem`.

What a translator wrote is untrusted. :func:`judge` decides whether a translated entry may
be shown; the build, ``i18n check``, ``i18n compile`` and ``translate import`` all call it
(through :func:`file_problems` for a whole file), so they agree on every entry. A
translation is used only when nothing is found: its placeholders are the msgid's, it has
no stray ``%``, no control character (nothing XML 1.0 forbids), no look-alike Latin
letters in a Cyrillic word, the msgid's leading and trailing white space, the header's
number of plural forms, and markup as :mod:`ushtil.interface.markup` allows: a msgid
without markup has a plain-text translation (escaped for HTML, with no tags or character
references of its own); a msgid with markup has a translation with exactly its tags and
attributes, rebuilt from the msgid's own tags.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

import polib
from markupsafe import Markup, escape

from ushtil.interface import markup
from ushtil.interface.plurals import PLURAL_FORMS, PluralRule, plural_forms
from ushtil.interface.posyntax import header_line, msgid_lines, msgstr_forms
from ushtil.project.lookalikes import CYRILLIC_LANGS, lookalikes
from ushtil.project.markdown import inline_problems
from ushtil.project.problems import Diagnostic, Location, error
from ushtil.project.text import UNPUBLISHABLE

# The one grammar of a %-placeholder: a conversion specifier as Python's % operator reads
# it (a mapping key without parentheses, flags, width, precision, length modifier,
# conversion; `conv` is None when the % starts no complete specifier). Interface strings
# are formatted with a mapping (`text % variables`), so a specifier that cannot take one
# (a `*` width or precision) and an unnamed one with the space flag (the `% d` of "50%
# discount") are stray '%', not placeholders; so is any % that starts no specifier, and
# %% with anything between.
PRINTF = re.compile(
    r"%(?:\((?P<name>[^()]*)\))?(?P<flags>[#0\- +]*)(?P<width>\*|\d+)?"
    r"(?:\.(?P<precision>\*|\d*))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])?"
)  # fmt: skip
BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}(?!\})")


def _stray(m: re.Match[str]) -> bool:
    """Whether a match of :data:`PRINTF` is a '%' that formatting with a mapping breaks on."""
    conv, name = m.group("conv"), m.group("name")
    if conv is None or conv == "%":
        return m.group() != "%%"  # a percent sign is %% exactly
    if "*" in (m.group("width") or "") + (m.group("precision") or ""):
        return True
    return name is None and " " in m.group("flags")


def placeholders(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(printf-style placeholders, brace placeholders) in ``text``; %% is not one."""
    printf = {
        f"%({m.group('name')})" if m.group("name") is not None else f"%{m.group('conv')}"
        for m in PRINTF.finditer(text)
        if not _stray(m) and m.group("conv") != "%"
    }
    return frozenset(printf), frozenset(BRACE.findall(text))


def bare_percent(text: str) -> bool:
    """True when ``text`` has a '%' that is no placeholder (it would break %-formatting)."""
    return any(_stray(m) for m in PRINTF.finditer(text))


def python_format(texts: tuple[str, ...]) -> bool:
    """Whether a message is ``python-format`` (gettext's flag): it has a %-specifier
    (``%%`` included) and no stray '%'."""
    return any(PRINTF.search(t) for t in texts) and not any(bare_percent(t) for t in texts)


def plural_problem(header: str | None, language: str) -> tuple[PluralRule | None, str | None]:
    """:func:`plural_forms`, and the number of forms checked against what ushtil knows of
    ``language``: the one header rule of the build, ``i18n check`` and ``compile``."""
    parsed, problem = plural_forms(header)
    expected = PLURAL_FORMS.get(language)
    if parsed is not None and expected and expected[0] != parsed[0]:
        return None, f"Plural-Forms says nplurals={parsed[0]}; {language} has {expected[0]}"
    return parsed, problem


INTERFACE = "interface"  # a template's strings: HTML, formatted with %
ARTICLE = "article"  # an article's segments (translate export): Markdown, never formatted
ARTICLE_HEADER = "X-Ushtil-Article"  # the header field that makes a .po file an article's


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
        control = UNPUBLISHABLE.search(form)  # invisible, often pasted from a word processor
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


def file_problems(
    po: polib.POFile, shown: str, language: str, *, fuzzy: bool = False
) -> list[Diagnostic]:
    """Every error :func:`judge` and the header rules find in one file, at the line of the
    entry's ``msgid`` or of the header field: what ``i18n check`` reports as errors and
    ``build --strict`` refuses. ``language`` decides the plural and look-alike rules; an
    article file (``translate export``) is judged as the Markdown text it is."""
    out: list[Diagnostic] = []
    meta = po.metadata
    if not meta.get("Language", ""):
        where = Location(shown, header_line(po, "Language"))
        out.append(error(where, "header-language", "the header has no Language"))
    content_type = meta.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower().replace(" ", ""):
        where = Location(shown, header_line(po, "Content-Type"))
        message = f"Content-Type must be 'text/plain; charset=UTF-8', not {content_type!r}"
        out.append(error(where, "header-charset", message))
    _, why = plural_problem(meta.get("Plural-Forms"), language)
    parsed, _ = plural_forms(meta.get("Plural-Forms"))
    nplurals = parsed[0] if parsed else None  # entries are still counted against a valid header
    if why is not None:
        out.append(
            error(Location(shown, header_line(po, "Plural-Forms")), "header-plural-forms", why)
        )
    if po.metadata_is_fuzzy:
        message = "the header is marked fuzzy: tools will ignore the catalogue's settings"
        out.append(error(Location(shown, 1), "header-fuzzy", message))
    kind = ARTICLE if meta.get(ARTICLE_HEADER) else INTERFACE
    lines = msgid_lines(po)
    for entry in po:
        if entry.obsolete:
            continue
        where = Location(shown, lines.get(entry.linenum or 0, entry.linenum))
        for finding in judge(entry, nplurals, language, kind, fuzzy=fuzzy).findings:
            out.append(error(where, finding.code, finding.message))
    return out
