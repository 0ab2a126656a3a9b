"""engine/store.py: the build cache's database lives in the user's own folder, one for each
project and output folder; a damaged one or one of another format is begun anew; a
transaction is all or nothing; and every value goes through JSON and back unchanged."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zoneinfo
from pathlib import Path

import pytest

from ushtil.engine import store
from ushtil.project.model import Facts, ImageText, MissingPolicy, Provenance, Version
from ushtil.project.problems import Diagnostic, Location, Severity
from ushtil.site.outputs import Indexed


def test_one_database_per_project_and_output_in_the_user_s_folder(
    tmp_path: Path, private_cache: Path
) -> None:
    root = tmp_path / "site"
    root.mkdir()
    one = store.database_path(root, root / "public")
    assert one is not None and one.parent == private_cache / "ushtil" / "builds"
    assert not one.is_relative_to(root)
    assert (one.parent.stat().st_mode & 0o777) == 0o700
    assert one == store.database_path(root, root / "public")
    assert one != store.database_path(root, tmp_path / "elsewhere")
    other = tmp_path / "other"
    other.mkdir()
    assert one != store.database_path(other, other / "public")
    # the same folders named another way are the same database
    assert store.database_path(tmp_path / "site/../site", root / "./public") == one


def database(tmp_path: Path) -> store.Database:
    return store.Database(tmp_path / "cache.sqlite3")


def test_what_is_written_is_read_back_and_a_failed_transaction_leaves_nothing(
    tmp_path: Path,
) -> None:
    db = database(tmp_path)
    with db.writing() as w:
        assert w is not None
        db.put(w, "meta", [("fingerprint", "abc")])
        db.put(w, "outputs", [("kk/index.html", "k1", None), ("kk/feed.xml", "k2", "[]")])
    assert db.meta("fingerprint") == "abc"
    with pytest.raises(RuntimeError), db.writing() as w:
        assert w is not None
        db.put(w, "meta", [("fingerprint", "changed")])
        db.delete(w, "outputs", "path", ["kk/index.html"])
        raise RuntimeError("the build stopped")
    assert db.meta("fingerprint") == "abc"
    assert len(db.select("SELECT path FROM outputs")) == 2
    again = database(tmp_path)  # another process, later
    assert again.meta("fingerprint") == "abc"


def test_a_damaged_database_or_another_format_is_begun_anew(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)  # damaged
    db = store.Database(path)
    assert db.meta("fingerprint") is None
    with db.writing() as w:
        assert w is not None
        db.put(w, "meta", [("fingerprint", "new")])
    assert store.Database(path).meta("fingerprint") == "new"
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as old:
        old.execute("CREATE TABLE meta (name TEXT, value TEXT)")
        old.execute("INSERT INTO meta VALUES ('fingerprint', 'from another ushtil')")
        old.execute(f"PRAGMA user_version={store.FORMAT + 1}")
    assert store.Database(other).meta("fingerprint") is None
    assert store.Database(None).meta("x") is None  # no folder of the user's: nothing kept


def test_forget_removes_the_database(tmp_path: Path) -> None:
    db = database(tmp_path)
    with db.writing() as w:
        assert w is not None
        db.put(w, "meta", [("fingerprint", "abc")])
    db.forget()
    assert not os.path.exists(tmp_path / "cache.sqlite3")
    assert database(tmp_path).meta("fingerprint") is None


def through_json(value: object) -> object:
    return json.loads(json.dumps(value))


def test_every_value_survives_json() -> None:
    almaty = zoneinfo.ZoneInfo("Asia/Almaty")
    for when in (
        dt.datetime(2026, 3, 1, 9, 30, tzinfo=almaty),
        dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
        dt.datetime(2026, 3, 1, 9, 30),
        None,
    ):
        back = store.moment(through_json(store.moment_json(when)))
        assert back == when and (back is None or back.tzinfo == when.tzinfo)  # type: ignore[union-attr]
    problem = Diagnostic(Severity.WARNING, Location("articles/a/kk.md", 3, 7), "x", "message")
    assert store.diagnostics(through_json([store.diagnostic_json(problem)])) == [problem]
    entry = Indexed(
        "https://a.kz/kk/", (("kk", "https://a.kz/kk/"), ("ru", "https://a.kz/ru/")), None
    )
    assert Indexed.from_json(through_json(entry.to_json())) == entry
    version = Version(
        "a",
        "kk",
        "Тақырып",
        "Қысқаша",
        "Мәтін «тырнақша»",
        Location("articles/a/kk.md", 1),
        9,
        "0123456789abcdef",
        Provenance("ru", "fedcba9876543210", "0011223344556677"),
        True,
        False,
        "hash",
        (ImageText("lead.jpg", "Сурет", "", "Автор", 5),),
    )
    assert store.version(through_json(store.version_json(version))) == version
    facts = Facts(
        dt.datetime(2026, 3, 1, 9, 30, tzinfo=almaty),
        "news",
        ("a", "b"),
        "lead.jpg",
        MissingPolicy.FALLBACK,
        ("b.jpg",),
    )
    assert store.facts(through_json(store.facts_json(facts))) == facts
    with pytest.raises(ValueError):
        store.facts([None, "news", [], None, None, []])
