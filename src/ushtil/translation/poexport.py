"""``ushtil translate export``: an article version as a standard .po file.

One entry per segment (:mod:`ushtil.translation.segments`): ``msgctxt`` is
``<id>/<segment>``, the ``msgid`` the source text, ``#.`` comments say which article and
where. Exporting again to the same file merges like ``msgmerge``: unchanged segments keep
their translations, changed ones become fuzzy with their previous source text (``#|``).
Empty entries are pre-filled from the translation memory (fuzzy, with the origin in a
comment). The header names the article, the source language and the digest of the
source's text, which :mod:`ushtil.translation.poimport` reads back.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale

from ushtil.interface.glossary import Glossary, hint, hits
from ushtil.interface.pofile import Entry, render
from ushtil.interface.posyntax import parse_po
from ushtil.interface.tooling import DATE_FORMAT, plural_header
from ushtil.project import layout
from ushtil.project.config import site_host
from ushtil.project.files import check_writable, is_within, write_text
from ushtil.project.freshness import CURRENT, DRAFT, MISSING, OUTDATED, version_state
from ushtil.project.model import Article, Version
from ushtil.project.problems import Diagnostic, display_path, error
from ushtil.translation.memory import DEFAULT_THRESHOLD, Memory
from ushtil.translation.segments import Segment, split
from ushtil.translation.stamps import read_stamp, realign
from ushtil.translation.versionfile import (
    read_for,
    read_site,
    refused,
    source_version,
)

HEADER_ARTICLE = "X-Ushtil-Article"
HEADER_SOURCE = "X-Ushtil-Source-Language"
HEADER_DIGEST = "X-Ushtil-Source-Digest"
# the target version's own digest when the file was exported ("none": there was none), so
# that importing cannot silently replace an edit made to it since
HEADER_TARGET = "X-Ushtil-Target-Digest"
NO_TARGET = "none"


@dataclass(frozen=True)
class Exported:
    path: Path
    segments: int
    translated: int
    fuzzy: int


def export_path(out_dir: Path, article_id: str, lang: str) -> Path:
    return out_dir / f"{article_id}.{lang}.po"


def import_command(root: Path, path: Path) -> str:
    """The command that imports ``path``, as it works from the project's folder or any
    folder inside it: a file in the project named from the project (``:/``), any other
    by its full path."""
    if is_within(path, root):
        name = layout.FROM_PROJECT + Path(os.path.relpath(path, root)).as_posix()
    else:
        name = str(path)
    return f"ushtil translate import {shlex.quote(name)}"


def _previous(
    root: Path, path: Path
) -> tuple[tuple[dict[str, polib.POEntry], dict[str, str]] | None, list[Diagnostic]]:
    """The entries (by msgctxt) and header of an earlier export to ``path``."""
    if not path.is_file():
        return ({}, {}), []
    text = path.read_text(encoding="utf-8")
    po, problem = parse_po(text)
    if po is None:
        line, message = problem or (1, "cannot be read")
        again = f"{message}; fix it before exporting into it again"
        return None, refused(display_path(path, root), "po-syntax", again, line)
    return ({e.msgctxt or "": e for e in po if not e.obsolete}, dict(po.metadata)), []


def _aligned(target: Version | None, source: Version) -> dict[str, Segment]:
    """The target's segments by key, when its blocks line up with the source's."""
    made_from = target.translated_from if target is not None else None
    if target is None or made_from is None or made_from.lang != source.lang:
        return {}
    mine, theirs = split(source), split(target)
    kinds, their_kinds = [s.kind for s in mine], [s.kind for s in theirs]
    if kinds == their_kinds:
        return {s.key: s for s in theirs}
    # blocks added or removed since (and no record of the source it was made from): the
    # runs of blocks of the same kinds, in order, are offered (fuzzy: the version is outdated)
    found: dict[str, Segment] = {}
    matcher = difflib.SequenceMatcher(None, kinds, their_kinds, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            found[mine[a + k].key] = theirs[b + k]
    return found


def _from_stamp(
    root: Path, article: Article, source: Version, to: str
) -> tuple[dict[str, tuple[str, str | None]], list[Diagnostic]]:
    """The ``to`` version's segments aligned with ``source`` through what its source was
    when it was last stamped (:mod:`ushtil.translation.stamps`): by new key, the
    translation and, when the source segment changed since, its earlier text; a warning
    for a record that cannot be read."""
    target = article.version(to)
    made_from = target.translated_from if target is not None else None
    if target is None or made_from is None or made_from.lang != source.lang:
        return {}, []
    stamp, problems = read_stamp(root, article.id, to)
    if stamp is None or stamp.source_lang != source.lang or stamp.digest != made_from.digest:
        return {}, problems
    theirs = split(target)
    if [s.kind for s in stamp.segments] != [s.kind for s in theirs]:
        return {}, []
    translated = {old.key: mine.text for old, mine in zip(stamp.segments, theirs, strict=True)}
    return realign(stamp.segments, split(source), translated), []


def export_article(
    root: Path,
    article_id: str,
    to: str,
    *,
    from_lang: str | None = None,
    out_dir: Path | None = None,
    memory: Memory | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    glossary: Glossary | None = None,
) -> tuple[Exported | None, list[Diagnostic]]:
    editing, problems = read_for(root, article_id, to, "--to")
    if editing is None:
        return None, problems
    config, article = editing.config, editing.article
    source, problems = source_version(config, article, from_lang)
    if source is None:
        return None, problems
    if source.lang == to:
        another = f"{to}.md is the version to translate from; choose another --to"
        return None, [error(source.location, "language", another)]
    out = out_dir or root / layout.EXPORTS
    within = None if is_within(out, root) else out  # a folder outside was the user's choice
    path = export_path(out, article_id, to)
    check_writable(root, path, within=within)  # before an earlier export there is read
    previous, problems = _previous(root, path)
    if previous is None:
        return None, problems
    restored, warnings = _from_stamp(root, article, source, to) if not previous[0] else ({}, [])
    entries = _entries(article, source, to, previous[0], memory, threshold, restored)
    if glossary is not None:  # the approved terms of each segment, for the translator
        for entry in entries:
            found = hits(glossary, entry.msgid, source.lang, to)
            entry.comments += [hint(term, concept, to) for term, concept in found]
    # What translators' tools set on save is kept from the previous file, so exporting
    # again changes only what changed in the source.
    old = previous[1]
    english = Locale.parse(to).get_display_name("en") or to
    now = dt.datetime.now(dt.UTC).strftime(DATE_FORMAT)
    host = site_host(config.base_url) or root.name
    header = [
        ("Project-Id-Version", f"{host} article {article_id}"),
        ("Report-Msgid-Bugs-To", old.get("Report-Msgid-Bugs-To", "")),
        ("PO-Revision-Date", old.get("PO-Revision-Date", now)),
        ("Last-Translator", old.get("Last-Translator", "")),
        ("Language-Team", old.get("Language-Team", english)),
        ("Language", to),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_header(to) or "nplurals=2; plural=(n != 1);"),
        (HEADER_ARTICLE, article_id),
        (HEADER_SOURCE, source.lang),
        (HEADER_DIGEST, source.digest),
        (
            HEADER_TARGET,
            target.digest if (target := article.version(to)) is not None else NO_TARGET,
        ),
    ]
    comment = (
        f"Article {article_id}, translated from {source.lang} into {to}.\n"
        f"When done, run: {import_command(root, path)}"
    )
    text = render(comment, header, entries)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_text(root, path, text, create=not path.exists(), within=within)
    translated = sum(1 for e in entries if e.msgstr and not e.fuzzy)
    return Exported(path, len(entries), translated, sum(1 for e in entries if e.fuzzy)), warnings


def _entries(
    article: Article,
    source: Version,
    to: str,
    previous: dict[str, polib.POEntry],
    memory: Memory | None,
    threshold: float,
    restored: dict[str, tuple[str, str | None]],
) -> list[Entry]:
    """One entry per segment of ``source``: translated as in the previous export, else as
    in the ``to`` version aligned through its stamp record (``restored``), else as in the
    ``to`` version when it lines up, else from the memory."""
    target = article.version(to)
    existing = _aligned(target, source)
    target_current = target is not None and version_state(article, target) == CURRENT
    segments = split(source)
    in_body = sum(1 for s in segments if s.key.isdigit())
    entries: list[Entry] = []
    for segment in segments:
        context = f"{article.id}/{segment.key}"
        # named as import names it: by its msgctxt; a body segment's number is its key
        where = f" {segment.key} of {in_body}" if segment.key.isdigit() else ""
        entry = Entry(
            segment.text,
            msgctxt=context,
            comments=[
                f"article {article.id}: {source.title}",
                f"{segment.kind}{where}, segment {context}",
            ],
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
        elif segment.key in restored:
            entry.msgstr, was = restored[segment.key]
            if was is not None:  # the source segment changed since the translation was made
                entry.flags = ["fuzzy"]
                entry.previous_msgid = was
        elif segment.key in existing:
            entry.msgstr = existing[segment.key].text
            if not target_current:
                entry.flags = ["fuzzy"]
                outdated = f"from {to}.md, which is outdated: check it against the source"
                entry.comments.append(outdated)
        elif memory is not None:
            matches = memory.lookup(segment.text, source.lang, to, threshold=threshold, limit=1)
            if matches:
                match = matches[0]
                entry.msgstr = match.target
                same = match.score == 1.0 and match.article == article.id
                entry.flags = [] if same else ["fuzzy"]
                pair = f"{source.lang}→{to}"
                entry.comments.append(
                    f"memory: {round(match.score * 100)}% match, {match.origin} ({pair})"
                    + ("" if match.score == 1.0 else f": {match.source}")
                )
        entries.append(entry)
    return entries


def pending(root: Path, to: str) -> tuple[list[str], list[Diagnostic]]:
    """Articles whose ``to`` version is missing or outdated (drafts count as missing)."""
    site, problems = read_site(root)
    if site is None:
        return [], problems
    result = []
    for article in site.articles:
        state = version_state(article, article.version(to))
        translatable = article.source is not None and article.source.lang != to
        if state in (MISSING, OUTDATED, DRAFT) and translatable:
            result.append(article.id)
    return result, []
