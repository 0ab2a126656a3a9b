"""``ushtil translate new`` and ``ushtil translate done``: writing a version's provenance.

``new`` starts a version in a new language from an existing one (a draft with the
source's text and its digest stamped). ``done`` records that a translator has brought a
version up to date with its source. Both change only the front matter, check the result
by reading it back, and replace the file atomically (:mod:`ushtil.project.files`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ushtil.project import layout
from ushtil.project.articles import FRONT_MATTER, parse_version
from ushtil.project.files import Planned, write_all
from ushtil.project.freshness import CURRENT, DRAFT, OUTDATED, version_state
from ushtil.project.model import Article, SiteConfig, Version
from ushtil.project.problems import Diagnostic, Location, error
from ushtil.translation.stamps import planned_stamp
from ushtil.translation.versionfile import (
    front_matter,
    image_lines,
    language_problems,
    provenance_lines,
    read_for,
    refused,
    source_version,
    version_text,
)

TABLE_HEADER = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]\s*(#.*)?$")
TOP_KEY = re.compile(r"^\s*(?:\"?)([A-Za-z0-9_.-]+?)(?:\"?)\s*(?:\.|=)")


@dataclass(frozen=True)
class Outcome:
    path: str  # the version's file, relative to the project
    changed: bool
    message: str  # what was done, to follow the path


def scaffold(
    root: Path, article_id: str, to: str, from_lang: str | None = None
) -> tuple[Outcome | None, list[Diagnostic]]:
    """Write ``articles/<id>/<to>.md``: the source's text to translate, as a draft."""
    editing, problems = read_for(root, article_id, to, "--to")
    if editing is None:
        return None, problems
    config, article = editing.config, editing.article
    shown = layout.version_file(article_id, to)
    if article.version(to) is not None or (root / shown).exists():
        then = f"then run `ushtil translate done {article_id} {to}`"
        return None, refused(shown, "exists", f"already exists; translate in it, {then}")
    source, problems = source_version(config, article, from_lang)
    if source is None:
        return None, problems
    front = front_matter(source.title, source.summary, draft=True)
    front += ["", *provenance_lines(source.lang, source.digest, source.digest)]
    front += image_lines(source)  # the photos' texts, to translate with the rest
    text = version_text(front, source.body)
    problems = _verify(
        text, shown, article_id, to, config, expect_digest=source.digest, source=source
    )
    if problems:
        return None, problems
    write_all(
        root,
        [Planned(root / shown, text, create=True), *planned_stamp(root, article_id, to, source)],
    )
    return Outcome(
        shown,
        True,
        f"started from {source.lang}.md as a draft; translate the title, summary and text, "
        f"then run `ushtil translate done {article_id} {to}`",
    ), []


def restamp(
    root: Path, article_id: str, lang: str, *, force: bool = False, from_lang: str | None = None
) -> tuple[Outcome | None, list[Diagnostic]]:
    """Record that ``lang`` now matches its source: stamp the digest, clear ``draft``.

    ``from_lang`` declares (or changes) the language the version was translated from;
    that is how a translation made before ushtil gets its first stamp."""
    editing, problems = read_for(root, article_id, lang, "language")
    if editing is None:
        return None, problems
    config, article = editing.config, editing.article
    shown = layout.version_file(article_id, lang)
    version = article.version(lang)
    if version is None:
        start = f"start it with `ushtil translate new {article_id} --to {lang}`"
        return None, refused(shown, "missing", f"does not exist; {start}")
    if from_lang is not None:
        return _declare(root, config, article, version, from_lang)
    provenance = version.translated_from
    if provenance is None:
        return None, refused(
            shown,
            "original",
            "this version does not say what it was translated from (it counts as the original); "
            "if it is a translation, run "
            f"`ushtil translate done {article_id} {lang} --from <language>`",
        )
    source = article.version(provenance.lang)
    assert source is not None  # load_article reports a translation without its source
    state = version_state(article, version)
    unchanged = provenance.own_digest == version.digest
    if state == CURRENT and unchanged:
        return Outcome(shown, False, f"already current with {source.lang}.md; nothing changed"), []
    if state in (OUTDATED, DRAFT) and not force:
        if provenance.own_digest is None:
            return None, refused(
                shown,
                "no-record",
                "there is no record of this version's text when it was last stamped (own_digest), "
                "so ushtil cannot tell whether it was updated; "
                f"compare it with {source.lang}.md and run again with --force",
            )
        if unchanged and state == OUTDATED:
            return None, refused(
                shown,
                "unchanged",
                f"{source.lang}.md changed, but this version's text has not changed since it was "
                "last stamped; update the translation first (or use --force if it needs no change)",
            )
        if unchanged and provenance.digest == version.digest:
            copied = f"this is still the text copied from {source.lang}.md; translate it first"
            return None, refused(shown, "unchanged", copied)
    problems = _stamp(root, config, version, source)
    if problems:
        return None, problems
    if state == CURRENT:
        recorded = f"current with {source.lang}.md; its text as it is now is recorded"
        return Outcome(shown, True, recorded), []
    was = "was outdated" if state == OUTDATED else "was a draft; now published"
    now = f"now current with {source.lang}.md ({was}); digest {source.digest}"
    return Outcome(shown, True, now), []


def _declare(
    root: Path, config: SiteConfig, article: Article, version: Version, from_lang: str
) -> tuple[Outcome | None, list[Diagnostic]]:
    shown = layout.version_file(article.id, version.lang)
    problems = language_problems(config, from_lang, "--from")
    if problems:
        return None, problems
    if from_lang == version.lang:
        return None, refused(shown, "language", "a version cannot be translated from itself")
    source = article.version(from_lang)
    if source is None:
        none = f"there is no {from_lang}.md to have translated from"
        return None, refused(shown, "no-source", none)
    seen = {version.lang}
    step: Version | None = source
    while step is not None and step.translated_from is not None:
        if step.translated_from.lang in seen or step.lang in seen:
            break
        seen.add(step.lang)
        step = article.version(step.translated_from.lang)
    if step is None or step.lang in seen or step.translated_from is not None:
        return None, refused(
            shown,
            "cycle",
            f"{from_lang}.md is itself translated (directly or not) from {version.lang}.md; "
            "the article would have no original",
        )
    problems = _stamp(root, config, version, source)
    if problems:
        return None, problems
    recorded = f"recorded as translated from {source.lang}.md and current with it"
    return Outcome(shown, True, recorded), []


def _stamp(root: Path, config: SiteConfig, version: Version, source: Version) -> list[Diagnostic]:
    """Rewrite ``version``'s provenance: current with ``source`` as it is now; not a draft."""
    shown = layout.version_file(version.article_id, version.lang)
    text, crlf = _read_raw(root / shown)
    lines = provenance_lines(source.lang, source.digest, version.digest)
    new_text, problems = _replace_front_matter(text, shown, lines, clear_draft=True)
    if new_text is None:
        return problems
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    problems = _verify(
        new_text,
        shown,
        version.article_id,
        version.lang,
        config,
        expect_digest=version.digest,
        source=source,
    )
    if not problems:
        stamp = planned_stamp(root, version.article_id, version.lang, source)
        write_all(root, [Planned(root / shown, new_text), *stamp])  # both, or neither
    return problems


def _read_raw(path: Path) -> tuple[str, bool]:
    """The file's text with LF line ends, and whether it had CRLF ones."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0 :].decode("utf-8")  # load_article has already accepted it
    crlf = "\r\n" in text
    return text.replace("\r\n", "\n"), crlf


def _replace_front_matter(
    text: str, shown: str, provenance: list[str], *, clear_draft: bool
) -> tuple[str | None, list[Diagnostic]]:
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER), None)
    if not lines or lines[0].strip() != FRONT_MATTER or end is None:
        return None, refused(shown, "front-matter", "no front matter between '+++' lines")
    kept: list[str] = []
    table: str | None = None
    for line in lines[1:end]:
        header = TABLE_HEADER.match(line)
        if header:
            table = header.group(1)
        if table == "translated_from":
            continue
        key = TOP_KEY.match(line)
        if table is None and key:
            name = key.group(1).split(".")[0]
            if name == "translated_from" or (clear_draft and name == "draft"):
                continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    front = kept + [""] + provenance
    return "\n".join([lines[0], *front, *lines[end:]]), []


def _verify(
    text: str,
    shown: str,
    article_id: str,
    lang: str,
    config: SiteConfig,
    *,
    expect_digest: str,
    source: Version,
) -> list[Diagnostic]:
    """Read the new text back: same words, the intended provenance, or nothing is written."""
    version, diagnostics = parse_version(
        text.replace("\r\n", "\n"), shown, article_id, lang, config.codes
    )
    if (
        version is not None
        and version.digest == expect_digest
        and version.translated_from is not None
        and version.translated_from.lang == source.lang
        and version.translated_from.digest == source.digest
    ):
        return []
    return [d for d in diagnostics if d.is_error] + [
        error(
            Location(shown, 1),
            "rewrite",
            "could not rewrite the front matter safely; the file was left unchanged "
            "(set [translated_from] lang/digest by hand)",
        )
    ]
