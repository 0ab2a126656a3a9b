"""Translator tooling for the interface catalogues: extract, init, update (Babel + polib).

Babel extracts and merges; polib writes, at one line width (:data:`WIDTH`), so every
file ushtil writes is standard gettext that GNU ``msgfmt -c`` accepts and that
round-trips through Poedit, Lokalize or ``msgcat`` without rewrapping. ``update`` sets a
``Plural-Forms`` header that cannot be evaluated (:func:`ushtil.interface.catalogs.plural_forms`)
to the language's. The template and the catalogues are read after the same syntax
check as the build's (a merge conflict is reported with its line); ``extract`` writes a
template it cannot read afresh, as it is made from the sources alone.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import polib
from babel import Locale
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po as babel_read_po

from ushtil.interface.catalogs import PLURAL_FORMS, bare_percent, header_line, parse_plural_forms, plural_forms, read_po
from ushtil.project.problems import Diagnostic, Location, UshtilError, error, warning
from ushtil.project.config import site_host
from ushtil.project.files import check_writable, write_text
from ushtil.project import layout

WIDTH = 79  # GNU gettext's and Poedit's line width: files round-trip unchanged
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


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime(DATE_FORMAT)


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


def extract_template(root: Path) -> tuple[BabelCatalog, list[Diagnostic]]:
    mapping_file = root / layout.BABEL_CFG
    if not mapping_file.exists():
        raise UshtilError([error(Location(layout.BABEL_CFG), "no-mapping", "missing: the extraction mapping for Babel")])
    with open(mapping_file, encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(mapping_file))
    catalog = BabelCatalog(fuzzy=False, charset="utf-8")
    diagnostics: list[Diagnostic] = []
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=False,
        directory_filter=lambda d: not Path(d).name.startswith(".") and Path(d).name not in (layout.OUTPUT, "tests", "node_modules"),
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
    for msg in catalog:
        if msg.id and any(bare_percent(i) for i in ((msg.id,) if isinstance(msg.id, str) else msg.id)):
            msg.flags.discard("python-format")
    return catalog, diagnostics


def extract(root: Path) -> tuple[bool, list[Diagnostic]]:
    """Write ``i18n/messages.pot``; rewrite it only when a message or reference changed."""
    catalog, diagnostics = extract_template(root)
    target = root / layout.POT
    check_writable(root, target)  # before the old template is read: it must be the project's
    old = None
    if target.exists():
        old, problem = read_po(target, layout.POT)
        if problem is not None:  # a merge conflict, say: the sources make the template anyway
            message = f"{problem.message}; written afresh from the sources"
            diagnostics.append(warning(problem.location, "template", message))
    created = old.metadata.get("POT-Creation-Date", _now()) if old else _now()
    metadata = {
        "Project-Id-Version": _project_name(root),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    pot = to_polib(catalog, metadata, header="Interface strings of the site: the template for every language catalogue.")
    text = pot_text(pot)
    if old is not None and _without_date(text) == _without_date(pot_text(old)):
        return False, diagnostics
    metadata["POT-Creation-Date"] = _now()
    write_text(root, target, pot_text(to_polib(catalog, metadata, header=pot.header)))
    return True, diagnostics


def _without_date(text: str) -> str:
    return re.sub(r'"POT-Creation-Date: [^"]*"', "", text)


def _project_name(root: Path) -> str:
    """The site's host from site.toml (e.g. astana.example.kz), else the folder's name."""
    try:
        import tomllib

        base = tomllib.loads((root / layout.CONFIG).read_text(encoding="utf-8-sig")).get("base_url", "")
        host = site_host(base) if isinstance(base, str) else None
    except (OSError, ValueError):
        host = None
    return host or root.resolve().name or "site"


# --- conversion and writing -----------------------------------------------------------


def _ids(value: Any) -> tuple[str, str | None]:
    if isinstance(value, (list, tuple)):
        return value[0], (value[1] if len(value) > 1 else None)
    return value, None


def to_polib(catalog: BabelCatalog, metadata: dict[str, str], header: str, obsolete: bool = True) -> polib.POFile:
    po = polib.POFile(wrapwidth=WIDTH, check_for_duplicates=False)
    po.header = header
    po.metadata = {k: metadata[k] for k in HEADER_ORDER if k in metadata}
    po.metadata.update({k: v for k, v in metadata.items() if k not in po.metadata})
    for message in catalog:
        if not message.id:
            continue
        po.append(_entry(message, catalog.num_plurals))
    if obsolete:
        for message in catalog.obsolete.values():
            entry = _entry(message, catalog.num_plurals)
            entry.obsolete = True
            entry.occurrences = []
            po.append(entry)
    return po


def _entry(message: Message, nplurals: int) -> polib.POEntry:
    msgid, msgid_plural = _ids(message.id)
    entry = polib.POEntry(
        msgid=msgid,
        msgctxt=message.context,
        occurrences=[(path, str(line) if line else "") for path, line in message.locations],
        comment="\n".join(message.auto_comments),
        tcomment="\n".join(message.user_comments),
        flags=sorted(message.flags),
    )
    if msgid_plural is not None:
        entry.msgid_plural = msgid_plural
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string or "",)
        entry.msgstr_plural = {i: (strings[i] if i < len(strings) else "") or "" for i in range(max(nplurals, 1))}
    else:
        entry.msgstr = message.string if isinstance(message.string, str) else (message.string or "")
    if message.previous_id:
        prev_id, prev_plural = _ids(message.previous_id)
        entry.previous_msgid = prev_id
        if prev_plural:
            entry.previous_msgid_plural = prev_plural
    return entry


def pot_text(po: polib.POFile) -> str:
    po.wrapwidth = WIDTH
    return str(po) + "\n" if not str(po).endswith("\n") else str(po)


# --- init and update --------------------------------------------------------------------


def from_polib(po: polib.POFile, nplurals: int) -> BabelCatalog:
    """A Babel catalogue from a file polib read (Babel's own reader garbles long ``#|`` lines)."""
    catalog = BabelCatalog(fuzzy=False, charset="utf-8")
    catalog._num_plurals = nplurals  # type: ignore[attr-defined]
    for entry in po:
        ident: Any = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
        string: Any = (
            tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)) if entry.msgid_plural else entry.msgstr
        )
        previous: Any = None
        if entry.previous_msgid:
            previous = [entry.previous_msgid, entry.previous_msgid_plural] if entry.previous_msgid_plural else entry.previous_msgid
        message = Message(
            ident,
            string,
            locations=[(path, int(line) if line and line.isdigit() else None) for path, line in entry.occurrences],
            flags=entry.flags,
            auto_comments=entry.comment.splitlines() if entry.comment else [],
            user_comments=entry.tcomment.splitlines() if entry.tcomment else [],
            previous_id=previous or (),
            context=entry.msgctxt,
        )
        if entry.obsolete:
            catalog.obsolete[(entry.msgid, entry.msgctxt) if entry.msgctxt else entry.msgid] = message
        else:
            catalog[ident] = message
    return catalog



def read_template(root: Path) -> tuple[BabelCatalog, dict[str, str]]:
    """``i18n/messages.pot`` as Babel's catalogue, and its header; a file that GNU gettext
    would not read (a merge conflict, say) is reported with its line."""
    target = root / layout.POT
    if not target.exists():
        raise UshtilError([error(Location(layout.POT), "no-template", "missing: run 'ushtil i18n extract' first")])
    pot, problem = read_po(target, layout.POT)
    if pot is None:
        raise UshtilError([problem] if problem else [])
    try:
        with open(target, "rb") as handle:
            return babel_read_po(handle), dict(pot.metadata)
    except (OSError, ValueError, LookupError) as exc:
        problem = error(Location(layout.POT), "po-syntax", f"cannot read the template: {exc}")
        raise UshtilError([problem]) from None


def init(root: Path, lang: str, *, translator: str = "", team: str = "", force: bool = False) -> Path:
    """A new catalogue for ``lang`` from the template, with a complete header."""
    if not LANGUAGE.fullmatch(lang):
        problem = f"'{lang}' is not a language code (such as kk, or pt_BR)"
        raise UshtilError([error(Location(layout.LOCALES), "language", problem)])
    target = layout.catalogue(root, lang)
    check_writable(root, target)
    if target.exists() and not force:
        raise UshtilError(
            [error(Location(target.relative_to(root).as_posix()), "exists", "already exists: use 'ushtil i18n update'")]
        )
    plural = plural_header(lang)
    if plural is None:
        raise UshtilError([error(Location(layout.POT), "language", f"unknown language '{lang}'")])
    template, pot_metadata = read_template(root)
    catalog = BabelCatalog(locale=None, fuzzy=False, charset="utf-8")
    nplurals = int(plural.split(";")[0].split("=")[1])
    catalog._num_plurals = nplurals  # type: ignore[attr-defined]
    for message in template:
        if message.id:
            catalog.add(message.id, None, message.locations, flags=message.flags, auto_comments=message.auto_comments, context=message.context)
    english = Locale.parse(lang).get_display_name("en") or lang
    metadata = {
        "Project-Id-Version": pot_metadata.get("Project-Id-Version", _project_name(root)),
        "Report-Msgid-Bugs-To": pot_metadata.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": pot_metadata.get("POT-Creation-Date", _now()),
        "PO-Revision-Date": _now(),
        "Last-Translator": translator,
        "Language-Team": team or english,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural,
    }
    po = to_polib(catalog, metadata, header=f"{english} translation of the site's interface strings.")
    write_text(root, target, pot_text(po), create=not force)
    return target


def update(root: Path, *, drop_obsolete: bool = False, langs: list[str] | None = None) -> tuple[list[Path], list[Diagnostic]]:
    """Merge the template into every catalogue; return the files that changed. A
    ``Plural-Forms`` header the build would refuse as broken is set to the language's."""
    template, pot_metadata = read_template(root)
    changed: list[Path] = []
    diagnostics: list[Diagnostic] = []
    folder = root / layout.LOCALES
    targets = sorted(folder.glob(f"*/{layout.LC_MESSAGES}/{layout.DOMAIN}.po")) if folder.is_dir() else []
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
        old, problem = read_po(target, shown)
        if old is None:
            diagnostics.append(problem)  # type: ignore[arg-type]
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
                parsed = parse_plural_forms(repaired)
        nplurals = parsed[0] if parsed else 2
        catalog = from_polib(old, nplurals)
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False, update_creation_date=False)
        kept = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete and e.previous_msgid and "fuzzy" in e.flags}
        for message in catalog:
            entry = kept.get((message.context, _ids(message.id)[0]))
            if message.fuzzy and not message.previous_id and entry is not None:
                message.previous_id = (
                    [entry.previous_msgid, entry.previous_msgid_plural] if entry.previous_msgid_plural else entry.previous_msgid
                )
        if drop_obsolete:
            catalog.obsolete.clear()
        created = pot_metadata.get("POT-Creation-Date", metadata.get("POT-Creation-Date", ""))
        metadata["POT-Creation-Date"] = created
        if not metadata.get("Language"):
            metadata["Language"] = lang
        metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po = to_polib(catalog, metadata, header=old.header)
        text = pot_text(po)
        if text != target.read_text(encoding="utf-8"):
            try:
                write_text(root, target, text)
            except UshtilError as exc:
                diagnostics.extend(exc.diagnostics)
                continue
            changed.append(target)
    return changed, diagnostics
