"""What the translation commands share: the article they work on, the version they
translate from, and the text of a version file they write.

Every function returns its value with the problems found (nothing is raised for a
refusal); the commands write only when there are none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ushtil.project import layout
from ushtil.project.articles import FRONT_MATTER, load_article, load_articles
from ushtil.project.config import read_config
from ushtil.project.model import Article, Site, SiteConfig, Version
from ushtil.project.problems import Diagnostic, Location, error

ID_RULE = layout.NAME_RULE


@dataclass(frozen=True)
class Editing:
    """An article to write a version of, with the site it belongs to."""

    config: SiteConfig
    article: Article


def refused(where: str, code: str, message: str, line: int | None = None) -> list[Diagnostic]:
    """One error, as a stage's list of problems."""
    return [error(Location(where, line), code, message)]


def read_site(root: Path) -> tuple[Site | None, list[Diagnostic]]:
    """The site's configuration and articles (not its catalogues); None if either has an
    error."""
    config, problems = read_config(root)
    if config is None:
        return None, problems
    articles, diagnostics = load_articles(config)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        return None, errors
    return Site(config, tuple(articles)), []


def read_article(root: Path, article_id: str) -> tuple[Editing | None, list[Diagnostic]]:
    """``articles/<article_id>``, refused when the ID is not one, the folder is a link or
    missing, or the article has an error."""
    config, problems = read_config(root)
    if config is None:
        return None, problems
    folder = layout.article_folder(root, article_id)
    shown = f"{layout.ARTICLES}/{article_id}"
    bad_id = layout.name_problem(article_id, "article ID")
    if bad_id:
        return None, refused(shown, "bad-id", bad_id)
    if folder.is_symlink():
        return None, refused(shown, "symlink", "articles must be folders, not links")
    if not folder.is_dir():
        return None, refused(shown, "no-article", f"no article '{article_id}' (no folder {shown}/)")
    article, diagnostics = load_article(folder, config)
    errors = [d for d in diagnostics if d.is_error]
    if errors or article is None:
        return None, errors or refused(shown, "article", "the article could not be read")
    return Editing(config, article), []


def read_for(
    root: Path, article_id: str, lang: str, what: str
) -> tuple[Editing | None, list[Diagnostic]]:
    """The article to edit, when ``lang`` (named by the user as ``what``) is one of the
    site's languages."""
    editing, problems = read_article(root, article_id)
    if editing is None:
        return None, problems
    problems = language_problems(editing.config, lang, what)
    return (None, problems) if problems else (editing, [])


def language_problems(config: SiteConfig, lang: str, what: str) -> list[Diagnostic]:
    """``lang`` (named by the user as ``what``) is not a language of the site."""
    if lang in config.codes:
        return []
    codes = ", ".join(config.codes)
    return refused(
        layout.CONFIG, "language", f"{what} '{lang}' is not one of the site's languages ({codes})"
    )


def source_version(
    config: SiteConfig, article: Article, from_lang: str | None
) -> tuple[Version | None, list[Diagnostic]]:
    """The version to translate from: ``from_lang``'s, or the article's original."""
    where = f"{layout.ARTICLES}/{article.id}"
    if from_lang is None:
        if article.source is None:
            return None, refused(
                where, "no-source", "the article has no original; name one with --from"
            )
        return article.source, []
    problems = language_problems(config, from_lang, "--from")
    if problems:
        return None, problems
    source = article.version(from_lang)
    if source is None:
        message = f"there is no '{from_lang}' version to translate from"
        return None, refused(where, "no-source", message)
    return source, []


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (a JSON string without ASCII escaping is one)."""
    return json.dumps(value, ensure_ascii=False)


def provenance_lines(source_lang: str, digest: str, own_digest: str) -> list[str]:
    """The ``[translated_from]`` table of a version's front matter."""
    return [
        "[translated_from]",
        f"lang = {toml_string(source_lang)}",
        f"digest = {toml_string(digest)}",
        f"own_digest = {toml_string(own_digest)}",
    ]


def front_matter(title: str, summary: str, *, draft: bool) -> list[str]:
    """The front matter's own keys: title, summary when there is one, and ``draft``."""
    lines = [f"title = {toml_string(title)}"]
    if summary:
        lines.append(f"summary = {toml_string(summary)}")
    if draft:
        lines.append("draft = true")
    return lines


def image_lines(version: Version | None) -> list[str]:
    """The ``[images."<file>"]`` tables of ``version``'s front matter (alt, caption,
    credit), to carry into a version written from it; none without a version."""
    lines: list[str] = []
    for text in version.images if version is not None else ():
        lines += ["", f"[images.{toml_string(text.name)}]", f"alt = {toml_string(text.alt)}"]
        if text.caption:
            lines.append(f"caption = {toml_string(text.caption)}")
        if text.credit:
            lines.append(f"credit = {toml_string(text.credit)}")
    return lines


def version_text(front: list[str], body: str) -> str:
    """A version file: the front matter between ``+++`` lines, then the body."""
    return "\n".join([FRONT_MATTER, *front, FRONT_MATTER, body.rstrip("\n")]) + "\n"
