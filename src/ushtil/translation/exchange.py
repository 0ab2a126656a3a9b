"""``ushtil translate export`` / ``import``: an article version as a standard .po file.

One entry per segment (:mod:`ushtil.translation.segments`): ``msgctxt`` is ``<id>/<segment>``, the
``msgid`` the source text, ``#.`` comments say which article and where. Exporting again
to the same file merges like ``msgmerge``: unchanged segments keep their translations,
changed ones become fuzzy with their previous source text (``#|``). Empty entries are
pre-filled from the translation memory (fuzzy, with the origin in a comment).

Import rebuilds ``<lang>.md`` with the source's block structure and stamps its
provenance with the source text the file was exported from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale

from ushtil.interface.posyntax import po_syntax_error
from ushtil.project.config import load_config
from ushtil.project.articles import ARTICLE_ID, FRONT_MATTER, parse_version
from ushtil.project.problems import Diagnostic, Location, UshtilError, error
from ushtil.project.files import check_writable, is_within, write_text
from ushtil.translation.memory import DEFAULT_THRESHOLD, Memory
from ushtil.project.model import Article, SiteConfig, Version
from ushtil.interface.pofile import Entry, render
from ushtil.interface.report import check as check_catalogue
from ushtil.translation.provenance import _load, _toml_string
from ushtil.translation.segments import Segment, inline_problems, rebuild, split, structure, unescape_plain
from ushtil.project.freshness import CURRENT, DRAFT, MISSING, OUTDATED, version_state
from ushtil.project.text import text_digest
from ushtil.interface.tooling import now, plural_header
from ushtil.project import layout

HEADER_ARTICLE = "X-Ushtil-Article"
HEADER_SOURCE = "X-Ushtil-Source-Language"
HEADER_DIGEST = "X-Ushtil-Source-Digest"


@dataclass(frozen=True)
class Exported:
    path: Path
    segments: int
    translated: int
    fuzzy: int


def export_path(out_dir: Path, article_id: str, lang: str) -> Path:
    return out_dir / f"{article_id}.{lang}.po"


def _source_version(article: Article, from_lang: str | None) -> Version:
    source = article.version(from_lang) if from_lang else article.source
    if source is None:
        where = f"{layout.ARTICLES}/{article.id}"
        raise UshtilError([error(Location(where), "no-source", f"there is no '{from_lang}' version to translate from" if from_lang else "the article has no original; name one with --from")])
    return source


def _previous(path: Path) -> tuple[dict[str, polib.POEntry], dict[str, str]]:
    """The entries (by msgctxt) and header of an earlier export to ``path``."""
    if not path.is_file():
        return {}, {}
    text = path.read_text(encoding="utf-8")
    problem = po_syntax_error(text)
    if problem is not None:
        line, message = problem
        raise UshtilError([error(Location(str(path), line), "po-syntax", f"{message}; fix it before exporting into it again")])
    po = polib.pofile(text)
    return {e.msgctxt or "": e for e in po if not e.obsolete}, dict(po.metadata)


def _aligned(target: Version | None, source: Version) -> dict[str, Segment]:
    """The target's segments by key, when its blocks line up with the source's."""
    if target is None or target.translated_from is None or target.translated_from.lang != source.lang:
        return {}
    mine, theirs = split(source), split(target)
    if [s.kind for s in mine] != [s.kind for s in theirs]:
        return {}
    return {s.key: s for s in theirs}


def export_article(
    root: Path,
    article_id: str,
    to: str,
    *,
    from_lang: str | None = None,
    out_dir: Path | None = None,
    memory: Memory | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> Exported:
    config, article = _load(root, article_id)
    if to not in config.codes:
        raise UshtilError([error(Location(layout.CONFIG), "language", f"--to '{to}' is not one of the site's languages ({', '.join(config.codes)})")])
    source = _source_version(article, from_lang)
    if source.lang == to:
        raise UshtilError([error(source.location, "language", f"{to}.md is the version to translate from; choose another --to")])
    out = out_dir or root / layout.EXPORTS
    within = None if is_within(out, root) else out  # a folder outside was the user's choice
    path = export_path(out, article_id, to)
    check_writable(root, path, within=within)  # before an earlier export there is read
    previous, old_header = _previous(path)
    target = article.version(to)
    existing = _aligned(target, source)
    target_current = target is not None and version_state(article, target) == CURRENT
    segments = split(source)
    entries: list[Entry] = []
    for number, segment in enumerate(segments, 1):
        context = f"{article_id}/{segment.key}"
        entry = Entry(
            segment.text,
            msgctxt=context,
            comments=[f"article {article_id}: {source.title}", f"{segment.kind}, segment {number} of {len(segments)}"],
        )
        old = previous.get(context)
        if old is not None:
            entry.msgstr = old.msgstr
            entry.translator_comments = [c for c in (old.tcomment or "").split("\n") if c]
            if old.msgid == segment.text:
                entry.flags = ["fuzzy"] if old.fuzzy and old.msgstr else []
                entry.previous_msgid = old.previous_msgid if old.fuzzy else None
            elif old.msgstr:
                entry.flags = ["fuzzy"]
                entry.previous_msgid = old.msgid
        elif segment.key in existing:
            entry.msgstr = existing[segment.key].text
            if not target_current:
                entry.flags = ["fuzzy"]
                entry.comments.append(f"from {to}.md, which is outdated: check it against the source")
        elif memory is not None:
            matches = memory.lookup(segment.text, source.lang, to, threshold=threshold, limit=1)
            if matches:
                match = matches[0]
                entry.msgstr = match.target
                same = match.score == 1.0 and match.article == article_id
                entry.flags = [] if same else ["fuzzy"]
                entry.comments.append(
                    f"memory: {round(match.score * 100)}% match, {match.origin} ({source.lang}→{to})"
                    + ("" if match.score == 1.0 else f": {match.source}")
                )
        entries.append(entry)
    # What translators' tools set on save is kept from the previous file, so exporting
    # again changes only what changed in the source.
    english = Locale.parse(to).get_display_name("en") or to
    header = [
        ("Project-Id-Version", f"{_host(config)} article {article_id}"),
        ("Report-Msgid-Bugs-To", old_header.get("Report-Msgid-Bugs-To", "")),
        ("PO-Revision-Date", old_header.get("PO-Revision-Date", now())),
        ("Last-Translator", old_header.get("Last-Translator", "")),
        ("Language-Team", old_header.get("Language-Team", english)),
        ("Language", to),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_header(to) or "nplurals=2; plural=(n != 1);"),
        (HEADER_ARTICLE, article_id),
        (HEADER_SOURCE, source.lang),
        (HEADER_DIGEST, source.digest),
    ]
    comment = (
        f"Article {article_id}, translated from {source.lang} into {to}.\n"
        f"When done, run: ushtil translate import {path.name}"
    )
    text = render(comment, header, entries)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_text(root, path, text, create=not path.exists(), within=within)
    return Exported(
        path,
        len(entries),
        sum(1 for e in entries if e.msgstr and not e.fuzzy),
        sum(1 for e in entries if e.fuzzy),
    )


def _host(config: SiteConfig) -> str:
    return config.base_url.split("://", 1)[-1].split("/", 1)[0]


def pending(root: Path, to: str) -> list[str]:
    """Articles whose ``to`` version is missing or outdated (drafts count as missing)."""
    from ushtil.site.build import load_site

    loaded = load_site(root)
    errors = [d for d in loaded.diagnostics if d.is_error]
    if loaded.site is None or errors:
        raise UshtilError(errors or [error(Location(layout.CONFIG), "config", "the project could not be read")])
    result = []
    for article in loaded.site.articles:
        state = version_state(article, article.version(to))
        if state in (MISSING, OUTDATED, DRAFT) and article.source is not None and article.source.lang != to:
            result.append(article.id)
    return result


@dataclass(frozen=True)
class Imported:
    path: Path  # the .md written
    translated: int
    total: int
    draft: bool


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
    folder = root / layout.ARTICLES / article_id
    if not ARTICLE_ID.fullmatch(article_id):
        rule = "lowercase Latin letters, digits and single hyphens"
        wrong(HEADER_ARTICLE, f"{HEADER_ARTICLE} '{article_id}' is not an article ID ({rule})")
    elif not folder.is_dir() or folder.is_symlink():
        where = f"there is no folder {layout.ARTICLES}/{article_id}/"
        wrong(HEADER_ARTICLE, f"{HEADER_ARTICLE} '{article_id}' names no article ({where})")
    return problems


def _entry_problems(
    po: polib.POFile, shown: str, article_id: str, kinds: dict[str, str]
) -> list[Diagnostic]:
    """Entries that are not segments of the article, and translations with characters
    that cannot be published."""
    problems: list[Diagnostic] = []
    for entry in po:
        if entry.obsolete:
            continue
        where = Location(shown, entry.linenum)
        context = entry.msgctxt or ""
        owner, _, key = context.partition("/")
        if owner != article_id or key not in kinds:
            message = f"msgctxt '{context}' is not a segment of article '{article_id}'"
            message += f" ({HEADER_ARTICLE})"
            problems.append(error(where, "msgctxt", message))
            continue
    return problems


def import_file(root: Path, po_path: Path, *, draft: bool = False, threshold: float = 100.0) -> Imported:
    shown = str(po_path)
    try:
        text = po_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UshtilError([error(Location(shown), "read", f"cannot read: {exc}")]) from None
    problem = po_syntax_error(text)
    if problem is not None:
        raise UshtilError([error(Location(shown, problem[0]), "po-syntax", problem[1])])
    po = polib.pofile(text)
    article_id = po.metadata.get(HEADER_ARTICLE, "")
    src_lang = po.metadata.get(HEADER_SOURCE, "")
    digest = po.metadata.get(HEADER_DIGEST, "")
    lang = po.metadata.get("Language", "")
    if not (article_id and src_lang and digest and lang):
        raise UshtilError([error(Location(shown, 1), "header", f"not an article file: the header needs Language, {HEADER_ARTICLE}, {HEADER_SOURCE} and {HEADER_DIGEST} (made by `ushtil translate export`)")])
    # the header decides which file is written: only a version of an existing article
    wrong = _header_problems(root, text, shown, load_config(root), article_id, src_lang, lang)
    if wrong:
        raise UshtilError(wrong)
    config, article = _load(root, article_id)
    source = article.version(src_lang)
    if source is None:
        raise UshtilError([error(Location(shown, 1), "no-source", f"article {article_id} has no {src_lang}.md any more")])
    segments = split(source)
    wrong = _entry_problems(po, shown, article_id, {s.key: s.kind for s in segments})
    if wrong:
        raise UshtilError(wrong)
    # the catalogues' rule list (rules.judge, as i18n check applies it to an article
    # file): control characters, look-alike letters, whitespace, header; a segment whose
    # Markdown markup differs is left untranslated below, by the same test (inline_problems)
    skipped = ("fuzzy", "untranslated", "markup")
    checked = [d for d in check_catalogue(po_path, shown) if d.is_error and d.code not in skipped]
    if checked:
        raise UshtilError(checked + [error(Location(shown), "checks", "nothing was written: correct these first")])
    by_context = {e.msgctxt: e for e in po if not e.obsolete}
    if source.digest != digest or any(by_context.get(f"{article_id}/{s.key}") is None or by_context[f"{article_id}/{s.key}"].msgid != s.text for s in segments):
        raise UshtilError([error(Location(shown, 1), "source-changed", f"{layout.ARTICLES}/{article_id}/{src_lang}.md changed since this file was exported; export it again (`ushtil translate export {article_id} --to {lang}`): the changed segments become fuzzy and the rest keep their translations")])
    problems: list[Diagnostic] = []
    translations: dict[str, str] = {}
    for segment in segments:
        entry = by_context[f"{article_id}/{segment.key}"]
        where = Location(shown, entry.linenum)
        if not entry.msgstr:
            problems.append(error(where, "untranslated", f"segment {segment.key} ({segment.kind}) is not translated"))
            continue
        if entry.fuzzy:
            problems.append(error(where, "fuzzy", f"segment {segment.key} ({segment.kind}) is fuzzy: check it and clear the fuzzy mark"))
            continue
        broken = inline_problems(segment.text, entry.msgstr)
        if broken:
            problems.append(error(where, "markup", f"segment {segment.key} ({segment.kind}): " + "; ".join(broken)))
            continue
        translations[segment.key] = entry.msgstr
    missing = [p for p in problems if p.is_error]
    percent = 100.0 * len(translations) / len(segments)
    complete = not missing
    if percent < threshold and not draft:
        raise UshtilError(
            missing
            + [error(Location(shown), "incomplete", f"{len(translations)} of {len(segments)} segments usable ({percent:.0f}%, at least {threshold:.0f}% needed); nothing was written (use --draft to write a draft)")]
        )
    filled = {s.key: translations.get(s.key, s.text) for s in segments}
    title = unescape_plain(filled["title"])
    summary = unescape_plain(filled.get("summary", ""))
    body = rebuild(source, filled)
    own = text_digest(title, summary, body)
    is_draft = draft or not complete
    front = [f"title = {_toml_string(title)}"]
    if summary:
        front.append(f"summary = {_toml_string(summary)}")
    if is_draft:
        front.append("draft = true")
    front += ["", "[translated_from]", f"lang = {_toml_string(src_lang)}", f"digest = {_toml_string(digest)}", f"own_digest = {_toml_string(own)}"]
    content = "\n".join([FRONT_MATTER, *front, FRONT_MATTER, body.rstrip("\n")]) + "\n"
    target_shown = f"{layout.ARTICLES}/{article_id}/{lang}.md"
    check: list[Diagnostic] = []
    version = parse_version(content, target_shown, article_id, lang, config.codes, check)
    if version is None or structure(version.body) != structure(source.body):
        raise UshtilError(check + [error(Location(shown), "rebuild", "the translated text changes the article's block structure; check the segments for stray Markdown")])
    target = root / target_shown
    write_text(root, target, content, create=not target.exists())
    return Imported(target, len(translations), len(segments), is_draft)
