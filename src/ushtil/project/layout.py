"""Where everything is in a project: the one place that names its files and folders.

::

    site.toml                               CONFIG
    articles/<id>/article.toml, <lang>.md   ARTICLES, ARTICLE_FILE
    templates/                              TEMPLATES
    static/                                 STATIC
    locales/<lang>/LC_MESSAGES/messages.po  LOCALES, catalogue()
    i18n/messages.pot                       POT
    i18n/articles/<id>.<lang>.po            EXPORTS
    i18n/memory/<name>.tmx                  MEMORIES (translation memories imported)
    i18n/glossary.tbx                       GLOSSARY
    i18n/stamps/<id>.<lang>.toml            STAMPS (the source's segments when stamped)
    public/                                 OUTPUT (the default output folder)
    .ushtil-cache/                          CACHE
"""

from __future__ import annotations

import re
from pathlib import Path

CONFIG = "site.toml"
ARTICLES = "articles"
ARTICLE_FILE = "article.toml"
TEMPLATES = "templates"
STATIC = "static"
LOCALES = "locales"
LC_MESSAGES = "LC_MESSAGES"
DOMAIN = "messages"
I18N = "i18n"
POT = f"{I18N}/{DOMAIN}.pot"
BABEL_CFG = f"{I18N}/babel.cfg"
EXPORTS = f"{I18N}/articles"
MEMORIES = f"{I18N}/memory"
GLOSSARY = f"{I18N}/glossary.tbx"
STAMPS = f"{I18N}/stamps"
OUTPUT = "public"
CACHE = ".ushtil-cache"
# A path given to a command that starts with this is relative to the project's folder,
# wherever the command runs (git's ":/" pathspec), e.g. ":/i18n/articles/10888.kk.po".
FROM_PROJECT = ":/"

# An article's ID, and a category's or a tag's slug: each becomes a URL segment and names
# files and folders (articles/<id>/, i18n/articles/<id>.<lang>.po, i18n/stamps/, media/<id>/,
# a category's pages), so it is lowercase Latin letters, digits and single hyphens, and no
# longer than NAME_MAX characters (a file name has 255 bytes at most). Matched whole
# (fullmatch; \Z, unlike $, does not accept a final newline).
NAME_MAX = 100
NAME = re.compile(rf"(?=.{{1,{NAME_MAX}}}\Z)[a-z0-9]+(?:-[a-z0-9]+)*\Z")
NAME_RULE = "lowercase Latin letters, digits and single hyphens"


def name_problem(name: str, what: str) -> str | None:
    """Why ``name`` cannot be an article's ID or a slug (``what`` says which), or None."""
    if len(name) > NAME_MAX:
        return f"{what} longer than {NAME_MAX} characters"
    if not NAME.fullmatch(name):
        return f"{what} '{name}' must be {NAME_RULE}"
    return None


# what the project is made of: an output folder may lie beside these, never around or in them
SOURCES = (CONFIG, ARTICLES, TEMPLATES, LOCALES, STATIC, I18N, ".git", CACHE)
# What a build reads: each a file, or a folder and everything in it (``i18n/`` holds the
# glossary, and the paths the build checks for links out of the project; its memories and
# stamps are there too). Every file that can change a page or a problem of a build is one
# of these, so the decision that nothing changed since the last build (engine/changes.py)
# looks at every one of them, links and all; `ushtil serve` watches them.
BUILD_INPUTS = (CONFIG, ARTICLES, TEMPLATES, STATIC, LOCALES, I18N)
WATCHED = BUILD_INPUTS


def catalogue(root: Path, lang: str) -> Path:
    """``locales/<lang>/LC_MESSAGES/messages.po``"""
    return root / LOCALES / lang / LC_MESSAGES / f"{DOMAIN}.po"


def catalogue_glob() -> str:
    """Every catalogue, relative to the project."""
    return f"{LOCALES}/*/{LC_MESSAGES}/*.po"


def article_folder(root: Path, article_id: str) -> Path:
    return root / ARTICLES / article_id


def version_file(article_id: str, lang: str) -> str:
    """``articles/<id>/<lang>.md``, as shown to the user."""
    return f"{ARTICLES}/{article_id}/{lang}.md"


def find_project(start: Path) -> Path | None:
    """The project ``start`` is in: the nearest folder, ``start`` itself or above it,
    that holds ``site.toml`` (as git finds its repository)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG).is_file():
            return candidate
    return None
