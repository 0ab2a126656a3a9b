"""Translation status: for every article × language, whether the version is current.

A version made by translation records the language it was translated from and the
digest of that source's text at the time (``[translated_from]`` in its front matter).
It is **current** while the digest still matches the source's present text, and
**outdated** once the source has changed. The original of an article is its
**source**; a version marked ``draft = true`` is a **draft**; a language with no file
is **missing**. The reader's pages, the ``_status/`` dashboard, ``ushtil status`` and
``build --strict`` all ask :func:`version_state`, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ushtil.project import git, layout
from ushtil.project.model import Article, Site, Version


class Freshness(enum.StrEnum):
    """How a version of an article stands against its source (printed as its value)."""

    SOURCE = "source"  # the original
    CURRENT = "current"  # translated from the source's present text
    OUTDATED = "outdated"  # translated from text the source has since changed
    MISSING = "missing"  # no file in that language
    DRAFT = "draft"  # marked draft = true


SOURCE = Freshness.SOURCE
CURRENT = Freshness.CURRENT
OUTDATED = Freshness.OUTDATED
MISSING = Freshness.MISSING
DRAFT = Freshness.DRAFT
STATES = tuple(Freshness)
FAILABLE = (OUTDATED, MISSING, DRAFT)  # what `status --fail-on` accepts


def version_state(article: Article, version: Version | None) -> Freshness:
    """The state of one version of ``article`` (None: the language has no file)."""
    if version is None:
        return MISSING
    if version.draft:
        return DRAFT
    provenance = version.translated_from
    if provenance is None:
        return SOURCE
    source = article.version(provenance.lang)
    if source is None or source.digest != provenance.digest:
        return OUTDATED
    return CURRENT


@dataclass(frozen=True)
class Cell:
    lang: str
    state: Freshness
    path: str | None  # the version's file, relative to the project
    translated_from: str | None  # the language it was translated from
    source_changed: dt.datetime | None = None  # outdated: when its source last changed


@dataclass(frozen=True)
class Row:
    article: Article
    cells: tuple[Cell, ...]  # site language order (or the languages asked for)

    def cell(self, lang: str) -> Cell:
        return next(c for c in self.cells if c.lang == lang)

    @property
    def source_lang(self) -> str | None:
        source = self.article.source
        return source.lang if source is not None else None


@dataclass(frozen=True)
class Coverage:
    lang: str
    counts: tuple[tuple[Freshness, int], ...]  # (state, n) for every state

    def count(self, state: Freshness) -> int:
        return dict(self.counts)[state]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def up_to_date(self) -> int:
        """Versions a reader can trust: sources and current translations."""
        return self.count(SOURCE) + self.count(CURRENT)

    @property
    def percent(self) -> int:
        return round(100 * self.up_to_date / self.total) if self.total else 100


@dataclass(frozen=True)
class Status:
    languages: tuple[str, ...]
    rows: tuple[Row, ...]  # articles newest first, then by ID

    def coverage(self) -> tuple[Coverage, ...]:
        result = []
        for lang in self.languages:
            states = [row.cell(lang).state for row in self.rows]
            result.append(Coverage(lang, tuple((s, states.count(s)) for s in STATES)))
        return tuple(result)

    def failing(self, states: Iterable[str]) -> list[tuple[Row, Cell]]:
        wanted = set(states)
        return [(row, cell) for row in self.rows for cell in row.cells if cell.state in wanted]

    def as_dict(self, now: dt.datetime) -> dict[str, Any]:
        """The JSON form of ``ushtil status --format json`` (documented in the README)."""
        return {
            "languages": list(self.languages),
            "articles": [
                {
                    "id": row.article.id,
                    "published": row.article.published.isoformat(),
                    "source": row.source_lang,
                    "versions": {
                        cell.lang: {
                            "state": cell.state,
                            "path": cell.path,
                            "translated_from": cell.translated_from,
                            "source_changed": _iso(cell.source_changed),
                            "outdated_days": _days(cell.source_changed, now),
                        }
                        for cell in row.cells
                    },
                }
                for row in self.rows
            ],
            "summary": {
                c.lang: {
                    **{state: c.count(state) for state in STATES},
                    "total": c.total,
                    "up_to_date_percent": c.percent,
                }
                for c in self.coverage()
            },
        }


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def _days(value: dt.datetime | None, now: dt.datetime) -> int | None:
    return max(0, (now - value).days) if value else None


def compute_status(
    site: Site, languages: Iterable[str] | None = None, *, changed: ChangeTimes | None = None
) -> Status:
    """The matrix for ``languages`` (default: all of the site's)."""
    codes = tuple(languages) if languages else site.config.codes
    rows = []
    for article in site.articles:
        cells = []
        for lang in codes:
            version = article.version(lang)
            state = version_state(article, version)
            provenance = version.translated_from if version else None
            when = None
            if state == OUTDATED and changed is not None and provenance is not None:
                source = article.version(provenance.lang)
                when = changed.of(source.location.path) if source is not None else None
            cells.append(
                Cell(
                    lang=lang,
                    state=state,
                    path=version.location.path if version else None,
                    translated_from=provenance.lang if provenance else None,
                    source_changed=when,
                )
            )
        rows.append(Row(article, tuple(cells)))
    return Status(codes, tuple(rows))


class ChangeTimes:
    """When a file's text last changed: its last commit when the project is a git
    checkout (``.git`` in the project's own folder) and the file is as committed, else its
    modification time (a fresh clone gives every file the same mtime, so git's answer comes
    first). Git is asked twice in all, however many files are looked up, and only through
    :func:`ushtil.project.git.run`, which runs nothing a checkout's configuration names."""

    def __init__(self, root: Path, folder: str = layout.ARTICLES) -> None:
        self.root = root
        self.folder = folder
        self._commits: dict[str, dt.datetime] | None = None
        self._blobs: dict[str, str] = {}  # path → its blob's id in HEAD

    def _load(self) -> dict[str, dt.datetime]:
        if self._commits is not None:
            return self._commits
        self._commits = {}
        tree = git.run(self.root, "ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", self.folder)
        for entry in (tree or "").split("\0"):
            info, _, path = entry.partition("\t")
            mode, _, rest = info.partition(" ")
            kind, _, blob = rest.partition(" ")
            if kind == "blob" and mode in ("100644", "100755"):
                self._blobs[path] = blob
        if not self._blobs:
            return self._commits
        log = git.run(
            self.root,
            "log",
            "--format=%x00%cI",
            "--name-only",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "HEAD",
            "--",
            self.folder,
        )
        when: dt.datetime | None = None
        for line in (log or "").split("\n"):
            if line.startswith("\0"):
                try:
                    when = dt.datetime.fromisoformat(line[1:].strip())
                except ValueError:
                    when = None
            elif line.strip() and when is not None:
                self._commits.setdefault(line.strip(), when)
        return self._commits

    def of(self, path: str) -> dt.datetime | None:
        commits = self._load()
        blob = self._blobs.get(path)
        if path in commits and blob is not None and git.blob_id(self.root / path, blob) == blob:
            return commits[path]
        try:
            return dt.datetime.fromtimestamp((self.root / path).stat().st_mtime, dt.UTC)
        except OSError:
            return None
