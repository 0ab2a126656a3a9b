"""The glossary's verdicts, remembered per content, so a build checks only what changed.

The glossary check compares every current translation with its source, paragraph by
paragraph, and every catalogue with its msgids. Its verdict on a translation depends on
nothing but the two versions' text (and the line the translation's body starts at), the
glossary and ushtil itself; on a catalogue, on the catalogue's text. So each verdict is
kept in the build memory (:mod:`ushtil.engine.store`, table ``checks``: one row per
translation or catalogue, its path, the digest of all it depends on, its warnings) and
reported again while that digest is unchanged: a version whose verdict is remembered is
not read. The rows are read in one query, the first time a build asks; a build writes
only the rows that changed.

A row is its own proof (its key is the digest of everything the verdict was made from),
so the rows are saved apart from the rest of the memory. A build that starts from no
last build (``--clean``, the first one, a memory that could not be read) reads none and
replaces them all. The verdicts are kept as warnings; ``--strict`` makes them errors
where they are reported, as for a verdict just made.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from ushtil import __version__
from ushtil.engine import store
from ushtil.engine.cache import digest, ushtil_sources
from ushtil.engine.counters import Counters
from ushtil.project.model import Site, Version
from ushtil.project.problems import Diagnostic

if TYPE_CHECKING:
    from ushtil.engine.cache import BuildCache
    from ushtil.interface.glossary import Glossary

Row = tuple[str, str]  # the key of what the verdict was made from, its warnings as JSON
NONE = "[]"  # the verdict of most: no warning
KEPT = "verdicts"  # the name they are kept under on the build cache (BuildCache.kept)


@dataclass
class Verdicts:
    """The remembered verdicts of one build memory: the rows as the database holds them
    (read on first use) and the rows of this build."""

    db: store.Database
    reuse: bool  # False: nothing is read, every row is replaced
    saved: dict[str, Row] | None = None
    now: dict[str, Row] | None = None  # this build's, once it has checked

    def kept(self) -> dict[str, Row]:
        """What the last build left (one query), or nothing when it is not to be reused."""
        if self.saved is None:
            rows = self.db.select("SELECT path, key, value FROM checks") if self.reuse else []
            self.saved = {str(p): (str(k), str(v)) for p, k, v in rows}
        return self.saved

    def save(self) -> None:
        """Write this build's rows that differ from the database's (all of them, after a
        build that reused none); a failure leaves the rows for the next build to redo."""
        if self.now is None or (self.reuse and self.now == self.kept()):
            return
        try:
            with self.db.writing() as db:
                if db is None:
                    return
                if self.reuse:
                    old = self.kept()
                    self.db.delete(db, "checks", "path", [p for p in old if p not in self.now])
                else:
                    db.execute("DELETE FROM checks")
                    old = {}
                rows = [(p, k, v) for p, (k, v) in self.now.items() if old.get(p) != (k, v)]
                self.db.put(db, "checks", rows)
        except (sqlite3.Error, OSError):
            return
        self.saved, self.reuse, self.now = self.now, True, None


def verdicts(cache: BuildCache) -> Verdicts:
    """The cache's remembered verdicts (kept on it for ``serve``'s next build)."""
    kept = cache.kept.get(KEPT)
    if not isinstance(kept, Verdicts):
        kept = cache.kept[KEPT] = Verdicts(cache.db, reuse=cache.last is not None)
    return kept


def code_digest() -> str:
    """ushtil itself and the catalogue reader: a verdict made by other code is made again."""
    h = hashlib.blake2b(digest_size=16)
    try:
        polib = version("polib")
    except PackageNotFoundError:
        polib = ""
    h.update(repr((store.FORMAT, __version__, sys.version_info[:2], polib)).encode())
    for path in ushtil_sources():
        try:
            h.update(str(path).encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(str(path).encode() + b"\0missing")
    return h.hexdigest()


@dataclass
class Checked:
    """The glossary's warnings of a build, and what it checked (not took from memory)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


def glossary_check(
    site: Site,
    glossary: Glossary,
    cache: BuildCache | None = None,
    counters: Counters | None = None,
) -> Checked:
    """The glossary's warnings on every current translation and every catalogue of the
    site; with a ``cache``, a verdict whose inputs did not change is taken from it. What
    is checked (and the versions read again for it) is counted in ``counters``."""
    from ushtil.interface.glossary import (
        catalogue_text,
        catalogue_text_problems,
        pair_problems,
        translated_pairs,
    )

    root = site.config.root
    counters = counters if counters is not None else Counters()
    memory = verdicts(cache) if cache is not None else None
    kept = memory.kept() if memory is not None else {}
    base = digest(glossary, code_digest()) if memory is not None else ""
    result, rows = Checked(), dict[str, Row]()

    def verdict(shown: str, key: str) -> list[Diagnostic] | None:
        row = kept.get(shown)
        if row is None or row[0] != key:
            return None
        try:
            return [] if row[1] == NONE else store.diagnostics(json.loads(row[1]))
        except (TypeError, ValueError, KeyError):
            return None

    def remember(shown: str, key: str, found: list[Diagnostic]) -> None:
        result.checked.append(shown)
        if memory is not None:
            text = json.dumps([store.diagnostic_json(d) for d in found], ensure_ascii=False)
            rows[shown] = (key, text)

    for source, target in translated_pairs(site):
        counters.add("glossary_keyed")
        shown = target.location.path
        key = digest(base, shown, *_text(target), target.body_line, *_text(source)) if base else ""
        found = verdict(shown, key) if memory is not None else None
        if found is None:
            counters.add("glossary_checks")
            counters.add("glossary_reads", source.body_elided + target.body_elided)
            found = pair_problems(root, glossary, source, target)
            if found is None:  # a body not read back as it was: not remembered, not reported
                result.checked.append(shown)
                continue
            remember(shown, key, found)
        else:
            rows[shown] = kept[shown]
        result.diagnostics += found
    for lang in site.config.codes:
        catalogue = catalogue_text(root, lang)
        if catalogue is None:
            continue
        shown, text = catalogue
        counters.add("glossary_keyed")
        key = digest(base, shown, text) if base else ""
        found = verdict(shown, key) if memory is not None else None
        if found is None:
            counters.add("glossary_checks")
            found = catalogue_text_problems(shown, text, glossary)
            remember(shown, key, found)
        else:
            rows[shown] = kept[shown]
        result.diagnostics += found
    if memory is not None:
        memory.now = rows
    return result


def _text(version: Version) -> tuple[str, str, str]:
    """What of a version its verdict is made from: its language, its title and summary (by
    the digest, which ignores only spaces no word is made of) and its exact body."""
    return version.lang, version.digest, version.body_hash
