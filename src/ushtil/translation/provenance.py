"""``ushtil translate`` and ``ushtil translated``: writing a version's provenance.

``translate`` starts a version in a new language from an existing one (a draft with the
source's text and its digest stamped). ``translated`` records that a translator has
brought a version up to date with its source. Both change only the front matter, check
the result by reading it back, and replace the file atomically (:mod:`ushtil.project.files`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ushtil.project.config import load_config
from ushtil.project.articles import ARTICLE_ID, FRONT_MATTER, load_article, parse_version
from ushtil.project.problems import Diagnostic, Location, UshtilError, error
from ushtil.project.files import write_text
from ushtil.project.model import Article, SiteConfig, Version
from ushtil.project.freshness import CURRENT, DRAFT, OUTDATED, version_state
from ushtil.project import layout

TABLE_HEADER = re.compile(r"^\s*\[\s*([^\]\s]+)\s*\]\s*(#.*)?$")
TOP_KEY = re.compile(r"^\s*(?:\"?)([A-Za-z0-9_.-]+?)(?:\"?)\s*(?:\.|=)")


@dataclass(frozen=True)
class Outcome:
    path: str  # relative to the project
    changed: bool
    message: str


def _fail(where: str, code: str, message: str, line: int | None = None) -> UshtilError:
    return UshtilError([error(Location(where, line), code, message)])


def _load(root: Path, article_id: str) -> tuple[SiteConfig, Article]:
    config = load_config(root)
    folder = root / layout.ARTICLES / article_id
    shown = f"{layout.ARTICLES}/{article_id}"
    if not ARTICLE_ID.fullmatch(article_id):
        rule = "lowercase Latin letters, digits and single hyphens"
        raise _fail(shown, "bad-id", f"'{article_id}' is not an article ID ({rule})")
    if folder.is_symlink():
        raise _fail(shown, "symlink", "articles must be folders, not links")
    if not folder.is_dir():
        raise _fail(shown, "no-article", f"no article '{article_id}' (no folder {shown}/)")
    diagnostics: list[Diagnostic] = []
    article, problems = load_article(folder, config)
    diagnostics += problems
    errors = [d for d in diagnostics if d.is_error]
    if errors or article is None:
        raise UshtilError(errors or [error(Location(shown), "article", "the article could not be read")])
    return config, article


def _check_lang(config: SiteConfig, lang: str, what: str) -> None:
    if lang not in config.codes:
        raise _fail(layout.CONFIG, "language", f"{what} '{lang}' is not one of the site's languages ({', '.join(config.codes)})")


def _toml_string(value: str) -> str:
    # A JSON string without ASCII escaping is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def _provenance_lines(source_lang: str, digest: str, own_digest: str) -> list[str]:
    return [
        "[translated_from]",
        f"lang = {_toml_string(source_lang)}",
        f"digest = {_toml_string(digest)}",
        f"own_digest = {_toml_string(own_digest)}",
    ]


def scaffold(root: Path, article_id: str, to: str, from_lang: str | None = None) -> Outcome:
    """Write ``articles/<id>/<to>.md``: the source's text to translate, as a draft."""
    config, article = _load(root, article_id)
    _check_lang(config, to, "--to")
    shown = f"{layout.ARTICLES}/{article_id}/{to}.md"
    if article.version(to) is not None or (root / shown).exists():
        raise _fail(
            shown,
            "exists",
            f"already exists; translate in it, then run `ushtil translated {article_id} {to}`",
        )
    if from_lang is not None:
        _check_lang(config, from_lang, "--from")
        source = article.version(from_lang)
        if source is None:
            raise _fail(f"{layout.ARTICLES}/{article_id}", "no-source", f"there is no '{from_lang}' version to translate from")
    else:
        source = article.source
        if source is None:
            raise _fail(f"{layout.ARTICLES}/{article_id}", "no-source", "the article has no original; name one with --from")
    front = [f"title = {_toml_string(source.title)}"]
    if source.summary:
        front.append(f"summary = {_toml_string(source.summary)}")
    front += ["draft = true", ""] + _provenance_lines(source.lang, source.digest, source.digest)
    text = "\n".join([FRONT_MATTER, *front, FRONT_MATTER, source.body.rstrip("\n")]) + "\n"
    _verify(text, shown, article_id, to, config, expect_digest=source.digest, expect_source=source)
    write_text(root, root / shown, text, create=True)
    return Outcome(
        shown,
        True,
        f"{shown}: started from {source.lang}.md as a draft; translate the title, summary and text, "
        f"then run `ushtil translated {article_id} {to}`",
    )


def restamp(
    root: Path, article_id: str, lang: str, *, force: bool = False, from_lang: str | None = None
) -> Outcome:
    """Record that ``lang`` now matches its source: stamp the digest, clear ``draft``.

    ``from_lang`` declares (or changes) the language the version was translated from;
    that is how a translation made before ushtil gets its first stamp."""
    config, article = _load(root, article_id)
    _check_lang(config, lang, "language")
    shown = f"{layout.ARTICLES}/{article_id}/{lang}.md"
    version = article.version(lang)
    if version is None:
        raise _fail(shown, "missing", f"does not exist; start it with `ushtil translate {article_id} --to {lang}`")
    if from_lang is not None:
        return _declare(config, article, version, shown, from_lang, root)
    provenance = version.translated_from
    if provenance is None:
        raise _fail(
            shown,
            "original",
            "this version does not say what it was translated from (it counts as the original); "
            f"if it is a translation, run `ushtil translated {article_id} {lang} --from <language>`",
        )
    source = article.version(provenance.lang)
    assert source is not None  # load_article reports a translation without its source
    state = version_state(article, version)
    unchanged = provenance.own_digest == version.digest
    if state == CURRENT and unchanged:
        return Outcome(shown, False, f"{shown}: already current with {source.lang}.md; nothing changed")
    if state in (OUTDATED, DRAFT) and not force:
        if provenance.own_digest is None:
            raise _fail(
                shown,
                "no-record",
                "there is no record of this version's text when it was last stamped (own_digest), so ushtil cannot "
                f"tell whether it was updated; compare it with {source.lang}.md and run again with --force",
            )
        if unchanged and state == OUTDATED:
            raise _fail(
                shown,
                "unchanged",
                f"{source.lang}.md changed, but this version's text has not changed since it was last stamped; "
                "update the translation first (or use --force if it needs no change)",
            )
        if unchanged and provenance.digest == version.digest:
            raise _fail(
                shown,
                "unchanged",
                f"this is still the text copied from {source.lang}.md; translate it first",
            )
    _stamp(root, shown, config, version, source)
    if state == CURRENT:
        return Outcome(shown, True, f"{shown}: current with {source.lang}.md; its text as it is now is recorded")
    was = "was outdated" if state == OUTDATED else "was a draft; now published"
    return Outcome(shown, True, f"{shown}: now current with {source.lang}.md ({was}); digest {source.digest}")


def _declare(config: SiteConfig, article: Article, version: Version, shown: str, from_lang: str, root: Path) -> Outcome:
    _check_lang(config, from_lang, "--from")
    if from_lang == version.lang:
        raise _fail(shown, "language", "a version cannot be translated from itself")
    source = article.version(from_lang)
    if source is None:
        raise _fail(shown, "no-source", f"there is no {from_lang}.md to have translated from")
    seen = {version.lang}
    step: Version | None = source
    while step is not None and step.translated_from is not None:
        if step.translated_from.lang in seen or step.lang in seen:
            break
        seen.add(step.lang)
        step = article.version(step.translated_from.lang)
    if step is None or step.lang in seen or step.translated_from is not None:
        raise _fail(
            shown,
            "cycle",
            f"{from_lang}.md is itself translated (directly or not) from {version.lang}.md; the article would have no original",
        )
    _stamp(root, shown, config, version, source)
    return Outcome(shown, True, f"{shown}: recorded as translated from {source.lang}.md and current with it")


def _stamp(root: Path, shown: str, config: SiteConfig, version: Version, source: Version) -> None:
    """Rewrite ``version``'s provenance: current with ``source`` as it is now; not a draft."""
    text, crlf = _read_raw(root / shown, shown)
    new_text = _replace_front_matter(
        text, shown, _provenance_lines(source.lang, source.digest, version.digest), clear_draft=True
    )
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    _verify(new_text, shown, version.article_id, version.lang, config, expect_digest=version.digest, expect_source=source)
    write_text(root, root / shown, new_text)


def _read_raw(path: Path, shown: str) -> tuple[str, bool]:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3 if bom else 0 :].decode("utf-8")  # load_article has already accepted it
    crlf = "\r\n" in text
    return text.replace("\r\n", "\n"), crlf


def _replace_front_matter(text: str, shown: str, provenance: list[str], *, clear_draft: bool) -> str:
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER), None)
    if not lines or lines[0].strip() != FRONT_MATTER or end is None:
        raise _fail(shown, "front-matter", "no front matter between '+++' lines")
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
    return "\n".join([lines[0], *front, *lines[end:]])


def _verify(
    text: str,
    shown: str,
    article_id: str,
    lang: str,
    config: SiteConfig,
    *,
    expect_digest: str,
    expect_source: Version,
) -> None:
    """Read the new text back: same words, the intended provenance, or nothing is written."""
    diagnostics: list[Diagnostic] = []
    version = parse_version(text.replace("\r\n", "\n"), shown, article_id, lang, config.codes, diagnostics)
    ok = (
        version is not None
        and version.digest == expect_digest
        and version.translated_from is not None
        and version.translated_from.lang == expect_source.lang
        and version.translated_from.digest == expect_source.digest
    )
    if not ok:
        raise UshtilError(
            [d for d in diagnostics if d.is_error]
            + [
                error(
                    Location(shown, 1),
                    "rewrite",
                    "could not rewrite the front matter safely; the file was left unchanged "
                    "(set [translated_from] lang/digest by hand)",
                )
            ]
        )


