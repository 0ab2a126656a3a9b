"""Translator tooling for the interface catalogues: extract, init, update.

Babel extracts and merges; :mod:`ushtil.interface.pofile` writes, in GNU msgcat's layout,
so every file ushtil writes is standard gettext that GNU ``msgfmt -c`` accepts and that
round-trips through Poedit, Lokalize or ``msgcat`` unchanged. ``update`` sets a
``Plural-Forms`` header that cannot be evaluated
(:func:`ushtil.interface.plurals.plural_forms`) to the language's. The template and the
catalogues are read after the same syntax check as the build's (a merge conflict is
reported with its line); ``extract`` writes a template it cannot read afresh, as it is
made from the sources alone.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polib
from babel import Locale
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from ushtil.interface.plurals import PLURAL_FORMS, plural_forms
from ushtil.interface.pofile import Entry, render
from ushtil.interface.posyntax import header_line, read_po
from ushtil.interface.rules import bare_percent, python_format
from ushtil.project import layout
from ushtil.project.config import site_host
from ushtil.project.files import check_writable, write_text
from ushtil.project.problems import Diagnostic, Location, UshtilError, error, warning

TEMPLATE_HEADER = "Interface strings of the site: the template for every language catalogue."
COMMENT_TAGS = ("Translators:",)
HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)
DATE_FORMAT = "%Y-%m-%d %H:%M%z"
LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?\Z")  # a catalogue's folder name: kk, pt_BR


def now() -> str:
    """The time as a PO header's dates give it (``2026-11-27 11:26+0000``)."""
    return dt.datetime.now(dt.UTC).strftime(DATE_FORMAT)


def plural_header(lang: str) -> str | None:
    known = PLURAL_FORMS.get(lang)
    if known:
        return f"nplurals={known[0]}; plural={known[1]};"
    try:
        locale = Locale.parse(lang)
    except (ValueError, LookupError):
        return None
    from babel.messages.plurals import get_plural

    rule = get_plural(locale)
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


# --- extract -------------------------------------------------------------------------


def extract_template(root: Path) -> tuple[BabelCatalog | None, list[Diagnostic]]:
    mapping_file = root / layout.BABEL_CFG
    if not mapping_file.exists():
        missing = "missing: the extraction mapping for Babel"
        return None, [error(Location(layout.BABEL_CFG), "no-mapping", missing)]
    with open(mapping_file, encoding="utf-8") as handle:
        # Babel's frontend module has no type information
        method_map, options_map = parse_mapping_cfg(handle, str(mapping_file))  # type: ignore[no-untyped-call]  # Babel ships it untyped
    catalog = BabelCatalog(fuzzy=False, charset="utf-8")
    diagnostics: list[Diagnostic] = []
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=False,
        directory_filter=lambda d: (
            not Path(d).name.startswith(".")
            and Path(d).name not in (layout.OUTPUT, "tests", "node_modules")
        ),
    ):
        path = Path(filename).as_posix()
        msgids = message if isinstance(message, tuple) else (message,)
        for msgid in msgids:
            if msgid and bare_percent(msgid):
                diagnostics.append(
                    warning(
                        Location(path, lineno),
                        "bare-percent",
                        f"'%' in {msgid!r} is not a placeholder; write '%%' for a percent sign",
                    )
                )
        comments = [c if c.startswith(COMMENT_TAGS) else f"{COMMENT_TAGS[0]} {c}" for c in comments]
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog, diagnostics


def extract(root: Path) -> tuple[bool, list[Diagnostic]]:
    """Write ``i18n/messages.pot``; rewrite it only when a message or reference changed."""
    catalog, diagnostics = extract_template(root)
    if catalog is None:
        return False, diagnostics
    target = root / layout.POT
    check_writable(root, target)  # before the old template is read: it must be the project's
    old = None
    old_text = ""
    if target.exists():
        old, problems = read_po(target, layout.POT)
        for problem in problems:  # a merge conflict, say: the sources make the template anyway
            message = f"{problem.message}; written afresh from the sources"
            diagnostics.append(warning(problem.location, "template", message))
        if old is not None:
            old_text = target.read_text(encoding="utf-8")
    created = old.metadata.get("POT-Creation-Date", now()) if old else now()
    metadata = {
        "Project-Id-Version": _project_name(root),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    text = po_text(catalog, metadata, TEMPLATE_HEADER)
    if old is not None and _without_date(text) == _without_date(old_text):
        return False, diagnostics
    if old is None or _messages(polib.pofile(text)) != _messages(old):
        metadata["POT-Creation-Date"] = now()  # else only the layout changed
    write_text(root, target, po_text(catalog, metadata, TEMPLATE_HEADER))
    return True, diagnostics


def _messages(po: polib.POFile) -> list[tuple[object, ...]]:
    """What a template says, whatever its layout (a comment's lines may be filled anew)."""
    return [
        (e.msgctxt, e.msgid, e.msgid_plural, e.occurrences, " ".join(e.comment.split()), e.flags)
        for e in po
    ]


def _without_date(text: str) -> str:
    return re.sub(r'"POT-Creation-Date: [^"]*"', "", text)


def _project_name(root: Path) -> str:
    """The site's host from site.toml (e.g. astana.example.kz), else the folder's name."""
    try:
        import tomllib

        base = tomllib.loads((root / layout.CONFIG).read_text(encoding="utf-8-sig")).get(
            "base_url", ""
        )
        host = site_host(base) if isinstance(base, str) else None
    except (OSError, ValueError):
        host = None
    return host or root.resolve().name or "site"


# --- conversion and writing -----------------------------------------------------------


def _ids(value: object) -> tuple[str, str | None]:
    if isinstance(value, (list, tuple)):
        return str(value[0]), (str(value[1]) if len(value) > 1 else None)
    return str(value), None


def _flags(message: Message) -> list[str]:
    """A message's flags, ``python-format`` decided by ushtil's grammar of placeholders
    (:func:`ushtil.interface.rules.python_format`), not Babel's."""
    flags = set(message.flags) - {"python-format"}
    ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
    if "no-python-format" not in flags and python_format(ids):
        flags.add("python-format")
    return sorted(flags)


def _entry(message: Message, nplurals: int) -> Entry:
    msgid, msgid_plural = _ids(message.id)
    entry = Entry(
        msgid,
        msgctxt=message.context,
        references=[(path, line or None) for path, line in message.locations],
        comments=list(message.auto_comments),
        translator_comments=list(message.user_comments),
        flags=_flags(message),
    )
    string = message.string
    if msgid_plural is not None:
        entry.msgid_plural = msgid_plural
        strings = list(string) if isinstance(string, (list, tuple)) else [string or ""]
        entry.msgstr_plural = [
            (strings[i] if i < len(strings) else "") or "" for i in range(max(nplurals, 1))
        ]
    else:
        entry.msgstr = string if isinstance(string, str) else ""
    if message.previous_id:
        entry.previous_msgid, entry.previous_msgid_plural = _ids(message.previous_id)
    return entry


def po_text(
    catalog: BabelCatalog, metadata: dict[str, str], header: str, obsolete: bool = True
) -> str:
    """A catalogue or template as :func:`ushtil.interface.pofile.render` writes it (GNU
    msgcat's layout): the header fields in gettext's order, then every message, then the
    obsolete ones."""
    fields = [(k, metadata[k]) for k in HEADER_ORDER if k in metadata]
    fields += [(k, v) for k, v in metadata.items() if k not in HEADER_ORDER]
    entries = [_entry(m, catalog.num_plurals) for m in catalog if m.id]
    if obsolete:
        for message in catalog.obsolete.values():
            entry = _entry(message, catalog.num_plurals)
            entry.obsolete = True
            entry.references = []
            entries.append(entry)
    return render(header, fields, entries)


# --- init and update --------------------------------------------------------------------


def _catalog(nplurals: int) -> BabelCatalog:
    """An empty Babel catalogue with ``nplurals`` plural forms. Babel takes the number from
    a locale unless a ``Plural-Forms`` header is set, through its public ``mime_headers``."""
    catalog = BabelCatalog(locale=None, fuzzy=False, charset="utf-8")
    catalog.mime_headers = [("Plural-Forms", f"nplurals={nplurals};")]
    return catalog


def from_polib(po: polib.POFile, nplurals: int) -> BabelCatalog:
    """A Babel catalogue from a file polib read (Babel's own reader garbles long ``#|`` lines)."""
    catalog = _catalog(nplurals)
    for entry in po:
        ident: str | tuple[str, str] = (
            (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
        )
        string: str | tuple[str, ...] = (
            tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr
        )
        message = Message(
            ident,
            string,
            locations=[
                (path, int(line) if line.isdigit() else 0) for path, line in entry.occurrences
            ],
            flags=entry.flags,
            auto_comments=entry.comment.splitlines() if entry.comment else [],
            user_comments=entry.tcomment.splitlines() if entry.tcomment else [],
            previous_id=_previous(entry),
            context=entry.msgctxt,
        )
        if entry.obsolete:
            catalog.obsolete[(entry.msgid, entry.msgctxt) if entry.msgctxt else entry.msgid] = (
                message
            )
        else:
            catalog[ident] = message
    return catalog


def _previous(entry: polib.POEntry) -> list[str]:
    """An entry's previous msgid (``#|``) as Babel keeps it: [], [msgid] or [msgid, plural]."""
    if not entry.previous_msgid:
        return []
    if entry.previous_msgid_plural:
        return [entry.previous_msgid, entry.previous_msgid_plural]
    return [entry.previous_msgid]


Template = tuple[BabelCatalog, dict[str, str]]  # the template and its header


def read_template(root: Path) -> tuple[Template | None, list[Diagnostic]]:
    """``i18n/messages.pot`` as Babel's catalogue, and its header; a file that GNU gettext
    would not read (a merge conflict, say) is reported with its line."""
    target = root / layout.POT
    if not target.exists():
        missing = "missing: run 'ushtil i18n extract' first"
        return None, [error(Location(layout.POT), "no-template", missing)]
    pot, problems = read_po(target, layout.POT)
    if pot is None:
        return None, problems
    return (from_polib(pot, 2), dict(pot.metadata)), []


def init(
    root: Path, lang: str, *, translator: str = "", team: str = "", force: bool = False
) -> tuple[Path | None, list[Diagnostic]]:
    """A new catalogue for ``lang`` from the template, with a complete header."""
    if not LANGUAGE.fullmatch(lang):
        problem = f"'{lang}' is not a language code (such as kk, or pt_BR)"
        return None, [error(Location(layout.LOCALES), "language", problem)]
    target = layout.catalogue(root, lang)
    check_writable(root, target)
    if target.exists() and not force:
        exists = "already exists: use 'ushtil i18n update'"
        return None, [error(Location(target.relative_to(root).as_posix()), "exists", exists)]
    plural = plural_header(lang)
    if plural is None:
        return None, [error(Location(layout.POT), "language", f"unknown language '{lang}'")]
    read, problems = read_template(root)
    if read is None:
        return None, problems
    template, pot_metadata = read
    parsed, _ = plural_forms(plural)
    catalog = _catalog(parsed[0] if parsed else 2)
    for message in template:
        if message.id:
            catalog.add(
                message.id,
                None,
                message.locations,
                flags=message.flags,
                auto_comments=message.auto_comments,
                context=message.context,
            )
    english = Locale.parse(lang).get_display_name("en") or lang
    metadata = {
        "Project-Id-Version": pot_metadata.get("Project-Id-Version", _project_name(root)),
        "Report-Msgid-Bugs-To": pot_metadata.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": pot_metadata.get("POT-Creation-Date", now()),
        "PO-Revision-Date": now(),
        "Last-Translator": translator,
        "Language-Team": team or english,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural,
    }
    text = po_text(catalog, metadata, f"{english} translation of the site's interface strings.")
    write_text(root, target, text, create=not force)
    return target, []


def update(
    root: Path, *, drop_obsolete: bool = False, langs: list[str] | None = None
) -> tuple[list[Path], list[Diagnostic]]:
    """Merge the template into every catalogue; return the files that changed. A
    ``Plural-Forms`` header the build would refuse as broken is set to the language's."""
    read, problems = read_template(root)
    if read is None:
        return [], problems
    template, pot_metadata = read
    changed: list[Path] = []
    diagnostics: list[Diagnostic] = []
    folder = root / layout.LOCALES
    targets = (
        sorted(folder.glob(f"*/{layout.LC_MESSAGES}/{layout.DOMAIN}.po")) if folder.is_dir() else []
    )
    for target in targets:
        lang = target.parent.parent.name
        if langs and lang not in langs:
            continue
        shown = target.relative_to(root).as_posix()
        try:
            check_writable(root, target)  # before it is read: it must be the project's
        except UshtilError as exc:
            diagnostics.extend(exc.diagnostics)
            continue
        old, problems = read_po(target, shown)
        if old is None:
            diagnostics += problems
            continue
        metadata = dict(old.metadata)
        header = metadata.get("Plural-Forms")
        parsed, why = plural_forms(header)
        if parsed is None:
            repaired = plural_header(lang)
            diagnostics.append(
                warning(
                    Location(shown, header_line(old, "Plural-Forms")),
                    "plural-forms",
                    f"Plural-Forms was missing or invalid ({why}); set to '{repaired}'",
                )
            )
            if repaired:
                metadata["Plural-Forms"] = repaired
                parsed, _ = plural_forms(repaired)
        nplurals = parsed[0] if parsed else 2
        catalog = from_polib(old, nplurals)
        catalog.update(
            template,
            no_fuzzy_matching=False,
            update_header_comment=False,
            update_creation_date=False,
        )
        kept: dict[tuple[str | None, str], polib.POEntry] = {
            (e.msgctxt, e.msgid): e
            for e in old
            if not e.obsolete and e.previous_msgid and "fuzzy" in e.flags
        }
        for message in catalog:
            entry = kept.get((message.context, _ids(message.id)[0]))
            if message.fuzzy and not message.previous_id and entry is not None:
                message.previous_id = _previous(entry)
        if drop_obsolete:
            catalog.obsolete.clear()
        created = pot_metadata.get("POT-Creation-Date", metadata.get("POT-Creation-Date", ""))
        metadata["POT-Creation-Date"] = created
        if not metadata.get("Language"):
            metadata["Language"] = lang
        metadata["Content-Type"] = "text/plain; charset=UTF-8"
        text = po_text(catalog, metadata, old.header)
        if text != target.read_text(encoding="utf-8"):
            try:
                write_text(root, target, text)
            except UshtilError as exc:
                diagnostics.extend(exc.diagnostics)
                continue
            changed.append(target)
    return changed, diagnostics
