"""What a build remembers, in an SQLite database in the user's own folder, read and
written by the piece; and the JSON form of the values in it.

The project is untrusted input, so nothing a checkout holds is read back as remembered:
the database lives in the user's own folder (:mod:`ushtil.project.private`, mode 0700,
never inside the project), one file for each project and output folder,
``builds/<digest>.sqlite3``. Values are JSON text in plain columns, rebuilt by the explicit
converters below, one per type, never by a name found in the data, so nothing in it can
run code. A database that cannot be read, is damaged or has another format (another
version of ushtil) is removed and begun again: the build is then a clean one.

A forked worker process that reads from it opens a connection of its own (a connection
is never shared across a fork).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
import zoneinfo
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ushtil.engine.counters import Counters
from ushtil.project import private
from ushtil.project.model import Facts, ImageText, MissingPolicy, Provenance, Version
from ushtil.project.problems import Diagnostic, Location, Severity

FORMAT = 5  # of the tables and of the JSON in them
TABLES = {
    "meta": "name TEXT PRIMARY KEY, value TEXT NOT NULL",
    "sources": "path TEXT PRIMARY KEY, value TEXT NOT NULL",
    "outputs": "path TEXT PRIMARY KEY, key TEXT NOT NULL, entry TEXT",
    "written": "path TEXT PRIMARY KEY",
    "bodies": "key TEXT PRIMARY KEY, html TEXT NOT NULL",
    "rows": "key TEXT PRIMARY KEY, html TEXT NOT NULL",
    "checks": "path TEXT PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL",
}

Json = Any  # what json.loads returns


def database_path(root: Path, out: Path) -> Path | None:
    """Where the builds of ``root`` into ``out`` are remembered; None without a trusted
    folder of the user's own (nothing is then remembered)."""
    home = private.folder(root)
    if home is None:
        return None
    builds = home / "builds"
    try:
        os.mkdir(builds, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        if not stat.S_ISDIR(os.lstat(builds).st_mode):
            return None
    except OSError:
        return None
    both = f"{os.path.realpath(root)}\0{os.path.realpath(out)}".encode()
    return builds / (hashlib.blake2b(both, digest_size=16).hexdigest() + ".sqlite3")


class Database:
    """The database of one project and output folder, opened on first use; the rows it
    reads and writes are counted in ``counters`` (the build's, once it has begun)."""

    def __init__(self, path: Path | None, counters: Counters | None = None) -> None:
        self.path = path
        self.counters = counters if counters is not None else Counters()
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def connection(self) -> sqlite3.Connection | None:
        """The open database (made, or begun again, when missing, damaged or of another
        format); None when there is none to be had."""
        if self.path is None:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._pid = os.getpid()  # a forked worker never uses its parent's connection
        self._db = self._open()
        if self._db is None and self._remove():
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection | None:
        assert self.path is not None
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and not db.execute("SELECT 1 FROM sqlite_master").fetchone():
                db.execute("PRAGMA journal_mode=WAL")
                with _transaction(db):
                    for table, columns in TABLES.items():
                        db.execute(f"CREATE TABLE {table} ({columns})")
                    db.execute(f"PRAGMA user_version={FORMAT}")
            elif version != FORMAT:
                db.close()
                return None
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("SELECT count(*) FROM meta").fetchone()  # damaged: raises here
            return db
        except sqlite3.Error:
            return None

    def _remove(self) -> bool:
        """Remove an unusable database (ours: named by us, in the user's own folder)."""
        assert self.path is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError:
                return False
        return True

    def forget(self) -> None:
        """Close and remove the database: the next build is a clean one."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
        if self.path is not None:
            self._remove()

    def meta(self, name: str) -> str | None:
        found = self.select("SELECT value FROM meta WHERE name = ?", (name,))
        return str(found[0][0]) if found else None

    def select(self, query: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query; none when the database cannot be read."""
        db = self.connection()
        if db is None:
            return []
        try:
            rows = db.execute(query, args).fetchall()
        except sqlite3.Error:
            return []
        self.counters.add("memory_rows_read", len(rows))
        return rows

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection | None]:
        """One transaction: all of it is remembered, or none."""
        db = self.connection()
        if db is None:
            yield None
            return
        with _transaction(db):
            yield db

    def put(self, db: sqlite3.Connection, table: str, rows: Iterable[tuple[object, ...]]) -> None:
        columns = TABLES[table].count(",") + 1
        marks = ", ".join("?" * columns)
        rows = list(rows)
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
        self.counters.add("memory_rows_written", len(rows))

    def delete(self, db: sqlite3.Connection, table: str, column: str, keys: Iterable[str]) -> None:
        gone = [(k,) for k in keys]
        db.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)
        self.counters.add("memory_rows_written", len(gone))


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


# --- converters: value → JSON → value ---------------------------------------------------


def moment_json(value: dt.datetime | None) -> Json:
    if value is None:
        return None
    zone = value.tzinfo
    if isinstance(zone, zoneinfo.ZoneInfo):
        return [value.replace(tzinfo=None).isoformat(), zone.key, value.fold]
    if zone is None or isinstance(zone, dt.timezone):
        return value.isoformat()
    raise TypeError(f"cannot remember a time in {zone!r}")


def moment(data: Json) -> dt.datetime | None:
    if data is None:
        return None
    if isinstance(data, list):
        text, key, fold = data
        return dt.datetime.fromisoformat(text).replace(tzinfo=zoneinfo.ZoneInfo(key), fold=fold)
    return dt.datetime.fromisoformat(data)


def location_json(value: Location) -> Json:
    return [value.path, value.line]


def location(data: Json) -> Location:
    return Location(str(data[0]), data[1])


def diagnostic_json(value: Diagnostic) -> Json:
    return [
        value.severity.value,
        value.location.path,
        value.location.line,
        value.code,
        value.message,
        value.location.column,
    ]


def diagnostic(data: Json) -> Diagnostic:
    severity, path, line, code, message, column = data
    return Diagnostic(Severity(severity), Location(path, line, column), code, message)


def diagnostics(data: Json) -> list[Diagnostic]:
    return [diagnostic(d) for d in data]


def version_json(value: Version) -> Json:
    source = value.translated_from
    return [
        value.article_id,
        value.lang,
        value.title,
        value.summary,
        value.body,
        location_json(value.location),
        value.body_line,
        value.digest,
        None if source is None else [source.lang, source.digest, source.own_digest],
        value.draft,
        value.body_elided,
        value.body_hash,
        [[t.name, t.alt, t.caption, t.credit, t.line] for t in value.images],
    ]


def version(data: Json) -> Version:
    (
        article_id,
        lang,
        title,
        summary,
        body,
        where,
        body_line,
        digest,
        source,
        draft,
        elided,
        body_hash,
        images,
    ) = data
    return Version(
        article_id,
        lang,
        title,
        summary,
        body,
        location(where),
        body_line,
        digest,
        None if source is None else Provenance(*source),
        draft,
        elided,
        body_hash,
        tuple(ImageText(str(n), str(a), str(c), str(r), int(li)) for n, a, c, r, li in images),
    )


def facts_json(value: Facts) -> Json:
    return [
        moment_json(value.published),
        value.category,
        list(value.tags),
        value.image,
        value.missing,
        list(value.gallery),
    ]


def facts(data: Json) -> Facts:
    published, category, tags, image, missing, gallery = data
    when = moment(published)
    if when is None:
        raise ValueError("an article without a date")
    policy = None if missing is None else MissingPolicy(missing)
    return Facts(when, category, tuple(tags), image, policy, tuple(gallery))
