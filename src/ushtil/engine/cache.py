"""What a build remembers for the next one.

- **sources**: each article file's parse, keyed by its path, size and change time,
  so unchanged files are not read or parsed again;
- **outputs**: for every file of the last output, the key of everything it was made from
  (and its entry, what the site recorded of it: a JSON value the engine keeps as it
  is), so a page whose inputs did not change is taken over from the
  previous output (a hard link) instead of being rendered again;
- **bodies**: the HTML of every article body, keyed by its text, read one by one when a
  page must be rendered.

Every key includes a fingerprint of the templates, catalogues, ``site.toml`` and ushtil
itself: change any of them and everything is rendered again. A cache that cannot be
read is ignored (the build is then a clean one); ``ushtil build --clean`` ignores it on
purpose. The output is byte-identical either way.

It is kept in the user's own folder, never in the project (which is untrusted input),
in an SQLite database read and written by the piece (:mod:`ushtil.engine.store`): a build
that changes one article writes a few rows, not the whole cache. Values are JSON rebuilt
into ushtil's own value types by explicit converters, so nothing in it can run code.
Without a trusted folder of the user's own nothing is cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ushtil import __version__
from ushtil.engine import store
from ushtil.engine.changes import file_key
from ushtil.project import layout
from ushtil.project.model import Facts, Version
from ushtil.project.problems import Diagnostic

if TYPE_CHECKING:
    from ushtil.project.articles import LoadedArticle

FORMAT = store.FORMAT
PRUNE_FROM = 1000  # bodies no version has any more, kept before they are worth removing


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def ushtil_sources() -> list[Path]:
    """Every source file of ushtil itself, in every wing."""
    return sorted(Path(__file__).resolve().parents[1].rglob("*.py"))


def fingerprint(root: Path) -> str:
    """Everything every page depends on: templates, catalogues, site.toml, ushtil and the
    libraries that shape the output."""
    h = hashlib.blake2b(digest_size=16)
    libraries = library_versions()
    h.update(repr((FORMAT, __version__, sys.version_info[:2], *libraries)).encode())
    files = ushtil_sources()
    for folder in (layout.TEMPLATES, layout.LOCALES):
        if (root / folder).is_dir():
            files += sorted(
                p for p in (root / folder).rglob("*") if p.is_file() and p.suffix != ".mo"
            )
    files.append(root / layout.CONFIG)
    for path in files:
        try:
            h.update(str(path).encode() + b"\0" + path.read_bytes())
        except OSError:
            h.update(str(path).encode() + b"\0missing")
    return h.hexdigest()


def library_versions() -> tuple[str, ...]:
    """The installed versions of the libraries that shape the output, read from their
    metadata (importing them would cost a build that finds nothing to do)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("babel", "jinja2", "markdown-it-py", "nh3"):
        try:
            found.append(version(name))
        except PackageNotFoundError:
            found.append("")
    return tuple(found)


@dataclass(frozen=True)
class LastBuild:
    """All that deciding "nothing changed" needs, kept apart so it is read alone."""

    signature: str  # of every input file's size and time (see signature())
    strict: bool
    out: str  # the output folder
    due: float  # POSIX time when the next dated article gets published (inf: none)
    diagnostics: tuple[Diagnostic, ...]  # that build's report
    pages: int

    def to_json(self) -> store.Json:
        return [
            FORMAT,
            self.signature,
            self.strict,
            self.out,
            self.due,
            [store.diagnostic_json(d) for d in self.diagnostics],
            self.pages,
        ]

    @classmethod
    def from_json(cls, data: store.Json) -> LastBuild:
        form, signature, strict, out, due, diagnostics, pages = data
        if form != FORMAT:
            raise ValueError("another format")
        return cls(
            signature,
            bool(strict),
            out,
            float(due),
            tuple(store.diagnostics(diagnostics)),
            int(pages),
        )


@dataclass(frozen=True)
class Parsed:
    """A source file's parse (None if it failed) and its problems, remembered while the
    file keeps its change time and size (``changes.file_key``)."""

    changed: int
    size: int
    value: Version | Facts | None
    problems: tuple[Diagnostic, ...]

    def to_json(self) -> store.Json:
        if isinstance(self.value, Version):
            kind, value = "version", store.version_json(self.value)
        elif isinstance(self.value, Facts):
            kind, value = "facts", store.facts_json(self.value)
        else:
            kind, value = "none", None
        return [
            self.changed,
            self.size,
            kind,
            value,
            [store.diagnostic_json(d) for d in self.problems],
        ]

    @classmethod
    def from_json(cls, data: store.Json) -> Parsed:
        changed, size, kind, value, problems = data
        parsed = (
            store.version(value)
            if kind == "version"
            else store.facts(value)
            if kind == "facts"
            else None
        )
        return cls(int(changed), int(size), parsed, tuple(store.diagnostics(problems)))


Recorded = tuple[str, store.Json]  # an output's key and its entry (the site's JSON value)
# an image's probe while the file keeps its file_key: digest, width, height, type, alpha
ImageMemo = tuple[int, int, str, int, int, str, bool]


@dataclass
class State:
    """What the next build may reuse: parses, and the key of every output file."""

    fingerprint: str = ""
    sources: dict[str, Parsed] = field(default_factory=dict)
    outputs: dict[str, Recorded] = field(default_factory=dict)  # path → (key, entry)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # render warnings of reused pages
    out: str = ""  # the output folder these outputs are in
    written: list[str] = field(default_factory=list)  # every file of that output
    images: dict[str, ImageMemo] = field(default_factory=dict)  # by the image's path


class Kept(Protocol):  # what the site keeps on the cache between builds, saved on its own
    def save(self) -> None: ...


@dataclass
class BuildCache:
    """The state a build starts from and leaves for the next one, with the bodies and
    dashboard rows read from the database when wanted. What was read is kept, so saving
    writes only what changed."""

    db: store.Database = field(default_factory=lambda: store.Database(None))
    state: State = field(default_factory=State)
    last: LastBuild | None = None
    dirty: bool = False
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # seen by the signature
    used_bodies: set[str] = field(default_factory=set)
    new_bodies: dict[str, str] = field(default_factory=dict)
    new_rows: dict[str, str] = field(default_factory=dict)
    _rows: dict[str, str] | None = None
    _saved: State = field(default_factory=State)  # what the database holds
    _sources_changed: set[str] = field(default_factory=set)
    _wipe: bool = False  # the database held what could not be read: everything is replaced
    articles: dict[str, LoadedArticle] | None = None  # whole folders' articles (serve's builds)
    kept: dict[str, Kept] = field(default_factory=dict)  # by name (the glossary's verdicts)

    def start(self, fp: str, survives: Callable[[str], bool]) -> None:
        """Forget every parse and output key made under another fingerprint, but the
        outputs whose path ``survives`` takes (keyed by what they are made of alone)."""
        if self.state.fingerprint != fp:
            outputs = {p: kept for p, kept in self.state.outputs.items() if survives(p)}
            self.state = State(
                fingerprint=fp,
                outputs=outputs,
                out=self.state.out,
                written=self.state.written,
                images=self.state.images,
            )
            self.articles = {} if self.articles is not None else None

    def article(self, name: str) -> LoadedArticle | None:
        return self.articles.get(name) if self.articles is not None else None

    def remember_article(self, name: str, loaded: LoadedArticle) -> None:
        """Kept when articles are (by ``serve``), unless it shows an image (which may
        vanish without its folder changing: a link)."""
        if self.articles is not None and (loaded[0] is None or not loaded[0].pictures):
            self.articles[name] = (loaded[0], list(loaded[1]))

    def record(self, fp: str, outputs: dict[str, Recorded], diagnostics: list[Diagnostic]) -> None:
        if (self.state.fingerprint, self.state.outputs, self.state.diagnostics) != (
            fp,
            outputs,
            diagnostics,
        ):
            self.dirty = True
        self.state.fingerprint, self.state.outputs, self.state.diagnostics = (
            fp,
            outputs,
            diagnostics,
        )

    def finish(self, last: LastBuild, written: list[str]) -> bool:
        """Remember the build just written; whether anything needs saving."""
        if not self.dirty and last == self.last and self.state.out == last.out:
            return False
        self.state.out, self.state.written, self.last = last.out, written, last
        return True

    # --- sources ----------------------------------------------------------------

    def _stat(self, path: Path) -> tuple[int, int] | None:
        seen = self.stats.get(os.fspath(path))  # this build's signature has just looked
        if seen is not None:
            return seen
        try:
            return file_key(path.stat())
        except OSError:
            return None

    def source(self, path: Path, shown: str) -> Parsed | None:
        stat = self._stat(path)
        found = self.state.sources.get(shown)
        if stat is not None and found is not None and (found.changed, found.size) == stat:
            return found
        return None

    def remember_source(
        self, path: Path, shown: str, value: Version | Facts | None, problems: list[Diagnostic]
    ) -> None:
        stat = self._stat(path)
        if stat is None:
            return
        self.state.sources[shown] = Parsed(stat[0], stat[1], value, tuple(problems))
        self._sources_changed.add(shown)
        self.dirty = True

    # --- bodies -----------------------------------------------------------------

    def body(self, key: str) -> str | None:
        """A remembered body's HTML, read from the database alone."""
        found = self.new_bodies.get(key)
        if found is None:
            rows = self.db.select("SELECT html FROM bodies WHERE key = ?", (key,))
            found = str(rows[0][0]) if rows else None
        if found is not None:
            self.used_bodies.add(key)
        return found

    def remember_body(self, key: str, html: str) -> None:
        self.new_bodies[key] = html
        self.used_bodies.add(key)

    # --- dashboard rows ---------------------------------------------------------

    @property
    def rows(self) -> dict[str, str]:
        if self._rows is None:
            self._rows = {str(k): str(v) for k, v in self.db.select("SELECT key, html FROM rows")}
        return self._rows

    def remember_row(self, key: str, html: str) -> None:
        self.new_rows[key] = html

    # --- persistence ------------------------------------------------------------

    def save(self) -> bool:
        """Remember this build: only the rows that changed since the database was read.
        False when it could not be remembered (nothing is: the next build is a clean one)."""
        try:
            with self.db.writing() as db:
                if db is None:
                    return False
                self._save(db)
        except (sqlite3.Error, OSError):  # what it held no longer matches the output
            self.db.forget()
            return False
        self._saved = State(
            self.state.fingerprint,
            dict(self.state.sources),
            dict(self.state.outputs),
            list(self.state.diagnostics),
            self.state.out,
            list(self.state.written),
            dict(self.state.images),
        )
        self._sources_changed, self._wipe = set(), False
        self._rows = self.new_rows or self._rows
        self.new_bodies, self.new_rows = {}, {}
        return True

    def _save(self, db: sqlite3.Connection) -> None:
        state, saved, put = self.state, self._saved, self.db.put
        head = [FORMAT, state.fingerprint, state.out]
        put(db, "meta", [("state", json.dumps(head, ensure_ascii=False))])
        found = [store.diagnostic_json(d) for d in state.diagnostics]
        put(db, "meta", [("diagnostics", _dumps(found))])
        if self.last is not None:
            put(db, "meta", [("last", _dumps(self.last.to_json()))])
        if state.images != saved.images:
            memo = {k: list(v) for k, v in state.images.items()}
            put(db, "meta", [("images", _dumps(memo))])
        changed_sources: Iterable[str] = self._sources_changed
        if state.fingerprint != saved.fingerprint:  # every parse and output key is new
            wiped = ("sources", "outputs", "written") + (("bodies", "rows") if self._wipe else ())
            for table in wiped:
                db.execute(f"DELETE FROM {table}")
            saved, changed_sources = State(), state.sources
        put(db, "sources", [(k, _dumps(state.sources[k].to_json())) for k in changed_sources])
        outputs = state.outputs
        self.db.delete(db, "outputs", "path", [k for k in saved.outputs if k not in outputs])
        put(
            db,
            "outputs",
            [
                (k, key, _dumps(entry))
                for k, (key, entry) in outputs.items()
                if saved.outputs.get(k) != (key, entry)
            ],
        )
        was, now = set(saved.written), set(state.written)
        self.db.delete(db, "written", "path", was - now)
        put(db, "written", [(k,) for k in now - was])
        put(db, "bodies", self.new_bodies.items())
        if self.new_bodies and self.used_bodies:  # forget bodies no version has any more
            count = db.execute("SELECT count(*) FROM bodies").fetchone()[0]
            if count > 2 * len(self.used_bodies) + PRUNE_FROM:
                known = [k for (k,) in db.execute("SELECT key FROM bodies")]
                self.db.delete(db, "bodies", "key", [k for k in known if k not in self.used_bodies])
        if self.new_rows and self.new_rows != self.rows:
            old = self.rows
            self.db.delete(db, "rows", "key", [k for k in old if k not in self.new_rows])
            put(db, "rows", [(k, v) for k, v in self.new_rows.items() if old.get(k) != v])


def _dumps(value: store.Json) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def last_build(root: Path, out: Path) -> LastBuild | None:
    """What the last build left for deciding "nothing changed", without the rest."""
    return _last(store.Database(store.database_path(root, out)))


def _last(db: store.Database) -> LastBuild | None:
    text = db.meta("last")
    try:
        return None if text is None else LastBuild.from_json(json.loads(text))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def load(root: Path, out: Path, *, clean: bool = False) -> BuildCache:
    """What the last build of ``root`` into ``out`` left (nothing, with ``clean``)."""
    db = store.Database(store.database_path(root, out))
    cache = BuildCache(db)
    head = db.meta("state")
    try:
        form, fp, where = json.loads(head) if head is not None else (None, "", "")
        if form != FORMAT:
            raise ValueError("another format")
        sources = {
            str(k): Parsed.from_json(json.loads(v))
            for k, v in db.select("SELECT path, value FROM sources")
        }
        outputs = {
            str(k): (str(key), json.loads(entry))
            for k, key, entry in db.select("SELECT path, key, entry FROM outputs")
        }
        diagnostics = store.diagnostics(json.loads(db.meta("diagnostics") or "[]"))
        written = [str(k) for (k,) in db.select("SELECT path FROM written")]
        images = {
            str(k): (int(m), int(s), str(d), int(w), int(h), str(t), bool(a))
            for k, (m, s, d, w, h, t, a) in json.loads(db.meta("images") or "{}").items()
        }
        cache._saved = State(str(fp), sources, outputs, diagnostics, str(where), written, images)
    except (TypeError, ValueError, KeyError, AttributeError):
        cache._saved, cache._wipe = State(fingerprint="\0"), True  # not one of ours: begun anew
        return cache
    if clean:
        return cache  # the database is written over, the state begins empty
    saved = cache._saved
    cache.state = State(
        saved.fingerprint,
        dict(saved.sources),
        dict(saved.outputs),
        list(saved.diagnostics),
        saved.out,
        list(saved.written),
        dict(saved.images),
    )
    cache.last = _last(db)
    return cache
