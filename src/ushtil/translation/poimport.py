"""``ushtil translate import``: ``<lang>.md`` written back from a translated .po file.

The file's header decides which version is written, so it is checked first: a language
of the site other than the source's, an existing article, every entry a segment of it.
The catalogues' rule list then judges the translations (as ``i18n check`` does for an
article file), each segment must keep its source's inline markup, and the source must
be the text the file was exported from. The version is rebuilt with the source's block
structure, stamped current with that source, and read back before it is written. What it
writes (the version, its stamp record, the export's header) is checked before the first
file is written, every file of an import at once: all are written, or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

from ushtil.interface.glossary import Glossary, po_problems
from ushtil.interface.posyntax import keyword_lines, parse_po
from ushtil.interface.report import check as check_catalogue
from ushtil.project import layout
from ushtil.project.articles import ARTICLE_ID, parse_version
from ushtil.project.config import read_config
from ushtil.project.files import Planned, is_within, plan_problems, write_all
from ushtil.project.markdown import inline_problems
from ushtil.project.model import SiteConfig, Version
from ushtil.project.problems import (
    Diagnostic,
    Location,
    UshtilError,
    display_path,
    error,
    warning,
)
from ushtil.project.text import text_digest
from ushtil.translation.memory import Memory
from ushtil.translation.poexport import (
    HEADER_ARTICLE,
    HEADER_DIGEST,
    HEADER_SOURCE,
    HEADER_TARGET,
    NO_TARGET,
)
from ushtil.translation.segments import rebuild, split, structure, unescape_plain
from ushtil.translation.stamps import planned_stamp
from ushtil.translation.versionfile import (
    ID_RULE,
    front_matter,
    image_lines,
    provenance_lines,
    read_article,
    refused,
    version_text,
)


@dataclass(frozen=True)
class Imported:
    path: Path  # the .md written
    translated: int
    total: int
    draft: bool
    writes: tuple[Planned, ...] = ()  # the version, its stamp record, the file's own header


@dataclass(frozen=True)
class Batch:
    """``translate import`` of several files: all are written, or none is."""

    checked: list[tuple[Path, Imported | None, list[Diagnostic]]]  # each file, in order
    written: bool
    problems: list[Diagnostic]  # of the files together: one version twice, a failed write


def _header_line(text: str, field: str) -> int:
    """The line of the PO header that sets ``field`` (1 if none does)."""
    start = f'"{field}:'
    lines = enumerate(text.split("\n"), 1)
    return next((number for number, line in lines if line.lstrip().startswith(start)), 1)


def _header_problems(
    root: Path, text: str, shown: str, config: SiteConfig, article_id: str, src_lang: str, lang: str
) -> list[Diagnostic]:
    """What is wrong with the header fields that name the file to write: a language of
    the site other than the source's, and an existing article."""
    problems: list[Diagnostic] = []
    codes = ", ".join(config.codes)

    def wrong(field: str, message: str) -> None:
        problems.append(error(Location(shown, _header_line(text, field)), "header", message))

    if lang not in config.codes:
        wrong("Language", f"Language '{lang}' is not one of the site's languages ({codes})")
    elif lang == src_lang:
        source = "the language of the version translated from; the file must be for another"
        wrong("Language", f"Language '{lang}' is {source}")
    if src_lang not in config.codes:
        site = f"one of the site's languages ({codes})"
        wrong(HEADER_SOURCE, f"{HEADER_SOURCE} '{src_lang}' is not {site}")
    folder = layout.article_folder(root, article_id)
    if not ARTICLE_ID.fullmatch(article_id):
        wrong(HEADER_ARTICLE, f"{HEADER_ARTICLE} '{article_id}' is not an article ID ({ID_RULE})")
    elif not folder.is_dir() or folder.is_symlink():
        where = f"there is no folder {layout.ARTICLES}/{article_id}/"
        wrong(HEADER_ARTICLE, f"{HEADER_ARTICLE} '{article_id}' names no article ({where})")
    return problems


def _entry_problems(
    po: polib.POFile, text: str, shown: str, article_id: str, kinds: dict[str, str]
) -> list[Diagnostic]:
    """Entries that are not segments of the article, at the line of their msgctxt."""
    problems: list[Diagnostic] = []
    lines = keyword_lines(text, po, "msgctxt")
    for entry in po:
        if entry.obsolete:
            continue
        context = entry.msgctxt or ""
        owner, _, key = context.partition("/")
        if owner != article_id or key not in kinds:
            message = f"msgctxt '{context}' is not a segment of article '{article_id}'"
            message += f" ({HEADER_ARTICLE})"
            line = lines.get(entry.linenum or 0, entry.linenum)
            problems.append(error(Location(shown, line), "msgctxt", message))
    return problems


def _read(po_path: Path, shown: str) -> tuple[tuple[str, polib.POFile] | None, list[Diagnostic]]:
    """The file's text, parsed after the line-by-line syntax check. A link is refused:
    the file itself is read (and its header updated) or nothing."""
    if po_path.is_symlink():
        return None, refused(shown, "symlink", "is a symbolic link; give the file itself")
    try:
        text = po_path.read_text(encoding="utf-8")
    except OSError as exc:  # the location names the file; the reason need not again
        return None, refused(shown, "read", f"cannot read: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        return None, refused(shown, "read", f"cannot read: {exc}")
    po, problem = parse_po(text)
    if po is None:
        line, why = problem or (1, "cannot be read")
        return None, refused(shown, "po-syntax", why, line)
    return (text, po), []


def _translations(
    po: polib.POFile, text: str, shown: str, article_id: str, source: Version
) -> tuple[dict[str, str], list[Diagnostic]]:
    """The usable translation of each segment, by key; the others as problems, at the
    line of the entry's msgstr, the segment named by its msgctxt."""
    by_context = {e.msgctxt: e for e in po if not e.obsolete}
    lines = keyword_lines(text, po, "msgstr")
    problems: list[Diagnostic] = []
    translations: dict[str, str] = {}
    for segment in split(source):
        entry = by_context[f"{article_id}/{segment.key}"]
        where = Location(shown, lines.get(entry.linenum or 0, entry.linenum))
        what = f"segment {article_id}/{segment.key} ({segment.kind})"
        if not entry.msgstr:
            problems.append(error(where, "untranslated", f"{what} is not translated"))
            continue
        if entry.fuzzy:
            message = f"{what} is fuzzy: check it and clear the fuzzy mark"
            problems.append(error(where, "fuzzy", message))
            continue
        broken = inline_problems(segment.text, entry.msgstr)
        if broken:
            problems.append(error(where, "markup", f"{what}: " + "; ".join(broken)))
            continue
        translations[segment.key] = entry.msgstr
    return translations, problems


def _memory_problems(
    po: polib.POFile, text: str, shown: str, memory: Memory, src: str, lang: str
) -> list[Diagnostic]:
    """Warnings for translated segments that a memory translates otherwise, word for word
    the same source, at the msgstr's line, naming the memory."""
    lines = keyword_lines(text, po, "msgstr")
    problems: list[Diagnostic] = []
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgstr:
            continue
        found = memory.lookup(entry.msgid, src, lang, threshold=1.0, limit=3)
        if found and all(m.target != entry.msgstr for m in found):
            where = Location(shown, lines.get(entry.linenum or 0, entry.linenum))
            other = found[0]
            message = (
                f"segment {entry.msgctxt}: {other.origin} translates this source otherwise: "
                f"'{other.target}'"
            )
            problems.append(warning(where, "memory", message))
    return problems


def import_files(
    root: Path,
    po_paths: Sequence[Path],
    *,
    draft: bool = False,
    threshold: float = 100.0,
    force: bool = False,
    glossary: Glossary | None = None,
    strict: bool = False,
    memory: Memory | None = None,
) -> Batch:
    """Write ``<lang>.md`` from each translated export, or nothing at all: every file is
    checked (:func:`check_file`), and two files for one version are refused, before the
    first is written."""
    checked: list[tuple[Path, Imported | None, list[Diagnostic]]] = []
    for path in po_paths:
        try:
            done, problems = check_file(
                root,
                path,
                draft=draft,
                threshold=threshold,
                force=force,
                glossary=glossary,
                strict=strict,
                memory=memory,
            )
        except UshtilError as exc:
            done, problems = None, list(exc.diagnostics)
        checked.append((path, done, problems))
    files: dict[Path, list[Path]] = {}
    for path, done, _ in checked:
        if done is not None:
            files.setdefault(done.path, []).append(path)
    twice = []
    for target, sources in files.items():
        for path in sources if len(sources) > 1 else []:
            others = ", ".join(display_path(p, root) for p in sources if p != path)
            also = f"{display_path(target, root)} is written by {others} too: import one of them"
            twice += refused(display_path(path, root), "same-version", also)
    if twice or any(done is None for _, done, _ in checked):
        return Batch(checked, False, twice)
    try:
        write_all(root, [w for _, done, _ in checked if done is not None for w in done.writes])
    except UshtilError as exc:
        return Batch(checked, False, list(exc.diagnostics))
    return Batch(checked, True, [])


def check_file(
    root: Path,
    po_path: Path,
    *,
    draft: bool = False,
    threshold: float = 100.0,
    force: bool = False,
    glossary: Glossary | None = None,
    strict: bool = False,
    memory: Memory | None = None,
) -> tuple[Imported | None, list[Diagnostic]]:
    """What importing a translated export writes (``<lang>.md``, its stamp record, the
    file's own header), every check made and nothing written. Refused when the file is
    not a complete, clean translation of the source as it is now, when the version it
    would replace was edited after the export (unless ``force``), or when one of the
    files it writes cannot be (a link, a folder in its place). A glossary term whose
    approved translation is missing is a warning returned with the result (an error that
    refuses the file with ``strict``), and so is a segment that ``memory`` (the imported
    TMX files) translates otherwise."""
    shown = display_path(po_path, root)
    read, problems = _read(po_path, shown)
    if read is None:
        return None, problems
    text, po = read
    article_id = po.metadata.get(HEADER_ARTICLE, "")
    src_lang = po.metadata.get(HEADER_SOURCE, "")
    digest = po.metadata.get(HEADER_DIGEST, "")
    lang = po.metadata.get("Language", "")
    if not (article_id and src_lang and digest and lang):
        needs = f"Language, {HEADER_ARTICLE}, {HEADER_SOURCE} and {HEADER_DIGEST}"
        made = "made by `ushtil translate export`"
        message = f"not an article file: the header needs {needs} ({made})"
        return None, refused(shown, "header", message, 1)
    # the header decides which file is written: only a version of an existing article
    config, problems = read_config(root)
    if config is None:
        return None, problems
    problems = _header_problems(root, text, shown, config, article_id, src_lang, lang)
    if problems:
        return None, problems
    editing, problems = read_article(root, article_id)
    if editing is None:
        return None, problems
    config, article = editing.config, editing.article
    source = article.version(src_lang)
    if source is None:
        gone = f"article {article_id} has no {src_lang}.md any more"
        return None, refused(shown, "no-source", gone, 1)
    target_version = article.version(lang)
    recorded = po.metadata.get(HEADER_TARGET)
    now = target_version.digest if target_version is not None else NO_TARGET
    if recorded is not None and recorded != now and not force:
        edited = (
            f"{layout.version_file(article_id, lang)} was changed after this file was exported; "
            "importing would replace that change: export again to translate from it, "
            "or import with --force to replace it"
        )
        return None, refused(shown, "target-changed", edited, _header_line(text, HEADER_TARGET))
    segments = split(source)
    problems = _entry_problems(po, text, shown, article_id, {s.key: s.kind for s in segments})
    if problems:
        return None, problems
    # the catalogues' rule list (rules.judge, as i18n check applies it to an article
    # file): control characters, look-alike letters, whitespace, header; a segment whose
    # Markdown markup differs is left untranslated below, by the same test (inline_problems)
    skipped = ("fuzzy", "untranslated", "markup")
    checked = [d for d in check_catalogue(po_path, shown) if d.is_error and d.code not in skipped]
    terms = po_problems(po, text, shown, glossary, strict=strict) if glossary else []
    if memory is not None:
        terms += _memory_problems(po, text, shown, memory, src_lang, lang)
    if checked or any(d.is_error for d in terms):
        return None, checked + terms + refused(
            shown, "checks", "nothing was written: correct these first"
        )
    by_context = {e.msgctxt: e for e in po if not e.obsolete}
    exported_from = [by_context.get(f"{article_id}/{s.key}") for s in segments]
    if source.digest != digest or any(
        e is None or e.msgid != s.text for e, s in zip(exported_from, segments, strict=True)
    ):
        again = f"`ushtil translate export {article_id} --to {lang}`"
        message = (
            f"{layout.version_file(article_id, src_lang)} changed since this file was exported; "
            f"export it again ({again}): the changed segments become fuzzy and the rest keep "
            "their translations"
        )
        return None, refused(shown, "source-changed", message, 1)
    translations, missing = _translations(po, text, shown, article_id, source)
    percent = 100.0 * len(translations) / len(segments)
    if percent < threshold and not draft:
        usable = (
            f"{len(translations)} of {len(segments)} segments usable ({percent:.0f}%, "
            f"at least {threshold:.0f}% needed); nothing was written (use --draft to write a draft)"
        )
        return None, missing + refused(shown, "incomplete", usable)
    filled = {s.key: translations.get(s.key, s.text) for s in segments}
    title = unescape_plain(filled["title"])
    summary = unescape_plain(filled.get("summary", ""))
    body = rebuild(source, filled)
    is_draft = draft or bool(missing)
    if is_draft and target_version is not None and not target_version.draft and not force:
        demoted = (
            f"{layout.version_file(article_id, lang)} is published; this file would replace it "
            f"with a draft ({len(translations)} of {len(segments)} segments translated): finish "
            "the translation, or import with --force to replace it"
        )
        return None, missing + refused(shown, "would-unpublish", demoted)
    front = front_matter(title, summary, draft=is_draft)
    own = text_digest(title, summary, body)
    front += ["", *provenance_lines(src_lang, digest, own)]
    # the photos' texts: the version's own, kept. A new version gets none: the source's are
    # in another language, and a published page must not pass them off as this one's (the
    # build warns that its alt texts are missing)
    front += image_lines(target_version)
    content = version_text(front, body)
    target_shown = layout.version_file(article_id, lang)
    version, check = parse_version(content, target_shown, article_id, lang, config.codes)
    if version is None or structure(version.body) != structure(source.body):
        changed = (
            "the translated text changes the article's block structure; "
            "check the segments for stray Markdown"
        )
        return None, check + refused(shown, "rebuild", changed)
    target = root / target_shown
    writes = [Planned(target, content, create=not target.exists())]
    writes += planned_stamp(root, article_id, lang, source)
    if recorded is not None and recorded != version.digest:  # the file now knows what it wrote
        field = f'"{HEADER_TARGET}: {recorded}\\n"'
        within = None if is_within(po_path, root) else po_path.parent
        header = text.replace(field, f'"{HEADER_TARGET}: {version.digest}\\n"', 1)
        writes.append(Planned(po_path, header, within=within))
    problems = plan_problems(root, writes)
    if problems:
        names = ", ".join(display_path(w.path, root) for w in writes)
        message = f"nothing was written: {names} left as they were"
        return None, problems + refused(shown, "not-written", message)
    return Imported(target, len(translations), len(segments), is_draft, tuple(writes)), terms
