"""Reading the project, second: ``articles/`` → :class:`Article` values.

One folder per article (its name is the ID), ``article.toml`` with the facts shared by
all languages, and one ``<lang>.md`` per language: TOML front matter between ``+++``
lines, then a Markdown body. Every problem is collected with its file and line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Protocol

from ushtil.project import layout
from ushtil.project.lookalikes import article_problems
from ushtil.project.model import (
    MISSING_POLICIES,
    Article,
    Facts,
    MissingPolicy,
    Provenance,
    SiteConfig,
    Version,
)
from ushtil.project.pictures import read_image_texts, read_images
from ushtil.project.problems import Diagnostic, Location, Severity, error, warning
from ushtil.project.text import read_text, reference_problems, text_digest
from ushtil.project.tomlfields import Fields, parse_toml


class ParseMemory(Protocol):
    """What remembers parses between builds (the build's cache): a file's parse while its
    modification time and size are unchanged."""

    def source(self, path: Path, shown: str) -> Remembered | None: ...

    def remember_source(
        self, path: Path, shown: str, value: Version | Facts | None, problems: list[Diagnostic]
    ) -> None: ...

    def article(self, name: str) -> LoadedArticle | None:
        """A whole folder's article, while nothing in the folder changed (``serve``)."""

    def remember_article(self, name: str, loaded: LoadedArticle) -> None: ...


LoadedArticle = tuple["Article | None", list[Diagnostic]]


class Remembered(Protocol):
    @property
    def value(self) -> Version | Facts | None: ...

    @property
    def problems(self) -> tuple[Diagnostic, ...]: ...


ARTICLE_ID = layout.NAME  # the one definition, with its length limit: layout.py
FRONT_MATTER = "+++"
DIGEST = re.compile(r"[0-9a-f]{16}\Z")
VERSION_KEYS = ("id", "title", "summary", "draft", "translated_from", "images")
ARTICLE_KEYS = ("published", "category", "tags", "image", "gallery", "missing")


def load_articles(
    config: SiteConfig, cache: ParseMemory | None = None
) -> tuple[list[Article], list[Diagnostic]]:
    """Every article under ``articles/``, sorted newest first; and what was wrong.
    With a ``cache``, files unchanged since the last build are not parsed again."""
    root = config.root / layout.ARTICLES
    diagnostics: list[Diagnostic] = []
    if not root.is_dir():
        return [], [error(Location(layout.ARTICLES), "no-articles", "no articles/ folder")]
    articles: list[Article] = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith("."):
            continue
        shown = f"{layout.ARTICLES}/{folder.name}"
        if folder.is_symlink() or not folder.is_dir():
            if folder.is_symlink():
                diagnostics.append(
                    error(Location(shown), "symlink", "articles must be folders, not links")
                )
            elif folder.suffix not in (".md", ".txt"):
                diagnostics.append(
                    warning(Location(shown), "stray-file", "not an article folder; ignored")
                )
            else:
                diagnostics.append(
                    error(
                        Location(shown),
                        "stray-file",
                        f"articles live in folders: move it to {shown[:-3]}/<lang>.md",
                    )
                )
            continue
        known = cache.article(folder.name) if cache is not None else None
        if known is None:
            known = load_article(folder, config, cache)
            if cache is not None:
                cache.remember_article(folder.name, known)
        article, problems = known
        diagnostics += problems
        if article is not None:
            articles.append(article)
    articles.sort(key=lambda a: (-a.published.timestamp(), a.id))
    return articles, diagnostics


def load_article(
    folder: Path, config: SiteConfig, cache: ParseMemory | None = None
) -> tuple[Article | None, list[Diagnostic]]:
    """The article in ``folder`` (None if it has errors) and every problem found in it."""
    diagnostics: list[Diagnostic] = []
    article_id = folder.name
    shown = f"{layout.ARTICLES}/{article_id}"
    ok = True
    bad_id = layout.name_problem(article_id, "article ID")
    if bad_id:
        message = f"{bad_id} (it becomes the URL /{{lang}}/news/{{id}}/)"
        diagnostics.append(error(Location(shown), "bad-id", message))
        ok = False
    fshown = f"{shown}/{layout.ARTICLE_FILE}"
    if (folder / layout.ARTICLE_FILE).is_symlink():  # it could be any file, anywhere
        message = f"{layout.ARTICLE_FILE} must be a file, not a link"
        diagnostics.append(error(Location(fshown), "symlink", message))
        facts = None
    else:
        facts, problems = _cached(
            cache, folder / layout.ARTICLE_FILE, fshown, lambda: _read_facts(folder, shown, config)
        )
        diagnostics += problems
    versions: list[Version] = []
    for path in sorted(folder.glob("*.md")):
        lang = path.stem
        vshown = f"{shown}/{path.name}"
        if lang not in config.codes:
            diagnostics.append(
                error(
                    Location(vshown),
                    "unknown-language",
                    f"'{lang}' is not one of the site's languages ({', '.join(config.codes)})",
                )
            )
            continue
        if path.is_symlink():
            diagnostics.append(
                error(Location(vshown), "symlink", "language files must not be links")
            )
            continue
        version, problems = _cached(
            cache, path, vshown, partial(read_version, path, vshown, article_id, lang, config)
        )
        diagnostics += problems
        if isinstance(version, Version):
            versions.append(version)
        else:
            ok = False  # its problems are reported; checks across versions would only echo them
    if not versions and ok and facts is not None:
        diagnostics.append(
            error(
                Location(shown),
                "no-versions",
                f"no language versions ({', '.join(c + '.md' for c in config.codes)})",
            )
        )
        return None, diagnostics
    if not isinstance(facts, Facts) or not ok:
        return None, diagnostics
    order = {code: i for i, code in enumerate(config.codes)}
    versions.sort(key=lambda v: order[v.lang])
    for v in versions:
        src = v.translated_from
        if src is not None and src.lang not in {w.lang for w in versions}:
            diagnostics.append(
                error(
                    v.location,
                    "no-source",
                    f"translated from '{src.lang}', but {shown}/{src.lang}.md does not exist",
                )
            )
    published, category, tags, image, missing, gallery = facts
    return Article(
        id=article_id,
        published=facts.published,
        category=facts.category,
        location=Location(f"{shown}/{layout.ARTICLE_FILE}"),
        versions=tuple(versions),
        tags=tags,
        image=image,
        missing=missing,
        gallery=gallery,
    ), diagnostics


Parse = tuple[Version | Facts | None, list[Diagnostic]]


def _cached(cache: ParseMemory | None, path: Path, shown: str, parse: Callable[[], Parse]) -> Parse:
    """``parse()``, or its remembered result while the file is unchanged."""
    if cache is not None:
        found = cache.source(path, shown)
        if found is not None:
            return found.value, list(found.problems)
    value, problems = parse()
    if cache is not None:  # an image that vanishes later is site.media's to report
        kept = (
            dataclasses.replace(value, body="", body_elided=True)
            if isinstance(value, Version)
            else value
        )
        cache.remember_source(path, shown, kept, problems)
        return kept, problems  # a build reads a body again when it renders it
    return value, problems



def _read_facts(
    folder: Path, shown: str, config: SiteConfig
) -> tuple[Facts | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    path = folder / layout.ARTICLE_FILE
    fshown = f"{shown}/{layout.ARTICLE_FILE}"
    if not path.exists():
        diagnostics.append(
            error(
                Location(fshown),
                "no-article-toml",
                "missing: every article needs article.toml with its date and category",
            )
        )
        return None, diagnostics
    text, problems = read_text(path, fshown)
    diagnostics.extend(problems)
    if text is None:
        return None, diagnostics
    data, syntax = parse_toml(text, fshown)
    if data is None:
        return None, diagnostics + syntax
    f = Fields(data, fshown, text)
    f.unknown(ARTICLE_KEYS)
    published = f.datetime("published", required=True)
    category = f.string("category", required=True, nonempty=True)
    if category is not None and config.category(category) is None:
        declared = ", ".join(c.slug for c in config.categories) or "none"
        f.fail(
            "category",
            "category",
            f"category '{category}' is not declared in site.toml [categories] "
            f"(declared: {declared})",
        )
    tags = f.strings("tags") or ()
    for tag in tags:
        if config.tag(tag) is None:
            f.fail("tags", "tag", f"tag '{tag}' is not declared in site.toml [tags]")
    image, gallery = read_images(f, folder, shown)
    chosen = f.choice("missing", MISSING_POLICIES)
    missing = MissingPolicy(chosen) if chosen is not None else None
    before = len(diagnostics)
    diagnostics += f.diagnostics
    if any(d.is_error for d in diagnostics[before:]) or published is None or category is None:
        return None, diagnostics
    return Facts(published, category, tags, image, missing, gallery), diagnostics


def split_front_matter(
    text: str, shown: str
) -> tuple[tuple[str, str, int] | None, list[Diagnostic]]:
    """(front matter, body, line where the body starts), or None and the problem."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER:
        return None, [
            error(
                Location(shown, 1),
                "no-front-matter",
                "no front matter: the file must start with a '+++' line, "
                "then title = \"…\", then '+++'",
            )
        ]
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FRONT_MATTER:
            return ("\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number + 1), []
    return None, [
        error(
            Location(shown, 1),
            "unterminated-front-matter",
            "front matter opened with '+++' is never closed",
        )
    ]


def body_digest(body: str) -> str:
    """A version's ``body_hash``."""
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


def read_body(path: Path, body_hash: str) -> str | None:
    """The body of a version read before, read again (a build keeps no bodies in its
    model): None unless the file still holds the very body whose digest is ``body_hash``
    (so it is the text that was checked then)."""
    text, _ = read_text(path, str(path))
    parts = split_front_matter(text, str(path))[0] if text is not None else None
    if parts is None or body_digest(parts[1]) != body_hash:
        return None
    return parts[1]


def read_version(
    path: Path, shown: str, article_id: str, lang: str, config: SiteConfig
) -> tuple[Version | None, list[Diagnostic]]:
    """The version in the file at ``path`` (None if it has errors) and its problems."""
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    version, more = parse_version(text, shown, article_id, lang, config.codes)
    return version, problems + more


def parse_version(
    text: str,
    shown: str,
    article_id: str,
    lang: str,
    codes: tuple[str, ...],
) -> tuple[Version | None, list[Diagnostic]]:
    """A version from its file's text (None if it has errors) and every problem in it."""
    diagnostics: list[Diagnostic] = []
    parts, problems = split_front_matter(text, shown)
    diagnostics.extend(problems)
    if parts is None:
        return None, diagnostics
    front, body, body_line = parts
    data, syntax = parse_toml(front, shown, first_line=2)
    if data is None:
        diagnostics.extend(syntax)
        return None, diagnostics
    before = len(diagnostics)
    f = Fields(data, shown, front, first_line=2)
    f.unknown(VERSION_KEYS, severity=Severity.WARNING)
    claimed = f.string("id")
    if claimed is not None and claimed != article_id:
        f.fail(
            "id",
            "id-mismatch",
            f"claims article ID '{claimed}', but it is in the folder of article '{article_id}' "
            "(the folder name is the ID: move the file, or drop the id key)",
        )
    title = f.string("title", required=True, nonempty=True)
    summary = f.string("summary") or ""
    draft = bool(f.boolean("draft"))
    provenance = None
    src = f.sub("translated_from")
    if src is not None:
        src.unknown(("lang", "digest", "own_digest"))
        src_lang = src.string("lang", required=True)
        digest = src.string("digest", required=True) or ""
        own_digest = src.string("own_digest")
        for key, value in (("digest", digest), ("own_digest", own_digest)):
            if value and not DIGEST.fullmatch(value):
                src.fail(
                    key,
                    "digest",
                    f"{key} '{value}' is not a digest (16 hex digits); "
                    "let `ushtil translate new` and `ushtil translate done` write it",
                )
        if src_lang is not None and src_lang not in codes:
            src.fail(
                "lang",
                "language",
                f"'{src_lang}' is not one of the site's languages ({', '.join(codes)})",
            )
        elif src_lang == lang:
            src.fail("lang", "language", "a version cannot be translated from itself")
        elif src_lang is not None:
            provenance = Provenance(src_lang, digest, own_digest)
    images = read_image_texts(f)
    diagnostics += f.diagnostics
    diagnostics.extend(reference_problems(body, shown, body_line))
    diagnostics.extend(article_problems(text, shown, lang, body_line))
    if not body.strip() and not draft:
        diagnostics.append(
            error(Location(shown, body_line - 1), "empty-body", "the article body is empty")
        )
    if any(d.is_error for d in diagnostics[before:]) or title is None:
        return None, diagnostics
    version = Version(
        article_id=article_id,
        lang=lang,
        title=title.strip(),
        summary=summary.strip(),
        body=body,
        location=Location(shown, 1),
        body_line=body_line,
        digest=text_digest(title, summary, body),
        translated_from=provenance,
        draft=draft,
        images=images,
        body_hash=body_digest(body),
    )
    return version, diagnostics
