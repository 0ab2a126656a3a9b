"""engine/ledger.py: an output is reused only when the last build recorded the same key for
every one of its files and they are all still there; otherwise it is rendered. Either
way each file's key and entry (the site's own JSON value: a sitemap entry) are recorded
for the next build."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ushtil.engine.ledger import File, Ledger, Output
from ushtil.engine.store import Json
from ushtil.site.outputs import Indexed, indexed

BASE = "https://example.kz"


def entry(path: str) -> Json:
    return Indexed(
        f"{BASE}/{path}", (("kk", f"{BASE}/{path}"),), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ).to_json()


class Renderer:
    """An output's ``make`` that counts its calls."""

    def __init__(self, files: list[File] | None) -> None:
        self.files = files
        self.calls = 0

    def __call__(self) -> list[File] | None:
        self.calls += 1
        return self.files


def previous_build(tmp_path: Path) -> Path:
    out = tmp_path / "public"
    (out / "kk").mkdir(parents=True)
    (out / "kk/index.html").write_text("old list", encoding="utf-8")
    (out / "kk/feed.xml").write_text("old feed", encoding="utf-8")
    return out


def test_an_unchanged_key_reuses_the_previous_files(tmp_path: Path) -> None:
    out = previous_build(tmp_path)
    recorded = {"kk/index.html": ("k1", entry("kk/")), "kk/feed.xml": ("k1", None)}
    ledger = Ledger(recorded, out, None)
    render = Renderer([File("kk/index.html", b"new")])
    pages = ledger.produce(Output(("kk/index.html", "kk/feed.xml"), "k1", render))
    assert render.calls == 0
    assert [(p.path, p.source) for p in pages] == [
        ("kk/index.html", str(out / "kk/index.html")),
        ("kk/feed.xml", str(out / "kk/feed.xml")),
    ]
    assert ledger.recorded == recorded  # carried over to the next build
    assert ledger.entries() == [entry("kk/")]


def test_a_changed_key_a_missing_record_or_a_missing_file_renders_again(
    tmp_path: Path,
) -> None:
    out = previous_build(tmp_path)
    recorded = {"kk/index.html": ("k1", None), "kk/feed.xml": ("k1", None)}
    cases = {
        "changed key": (Ledger(recorded, out, None), ("kk/index.html",), "k2"),
        "one file not recorded": (
            Ledger({"kk/index.html": ("k1", None)}, out, None),
            ("kk/index.html", "kk/feed.xml"),
            "k1",
        ),
        "no previous output": (Ledger(recorded, None, None), ("kk/index.html",), "k1"),
        "a file gone": (
            Ledger({**recorded, "kk/gone.html": ("k1", None)}, out, None),
            ("kk/index.html", "kk/gone.html"),
            "k1",
        ),
        "nothing to reuse": (Ledger(recorded, out, None), (), "k1"),
    }
    for name, (ledger, paths, key) in cases.items():
        render = Renderer([File("kk/index.html", b"new", entry("kk/"))])
        pages = ledger.produce(Output(paths, key, render))
        assert render.calls == 1, name
        assert [(p.path, p.content, p.source) for p in pages] == [
            ("kk/index.html", b"new", None)
        ], name
        # what is recorded is the new key, for the rendered file only: a reused file of a
        # partly matching output is not recorded
        assert ledger.recorded == {"kk/index.html": (key, entry("kk/"))}, name


def test_a_failed_render_records_nothing(tmp_path: Path) -> None:
    ledger = Ledger({}, previous_build(tmp_path), None)
    assert ledger.produce(Output(("kk/index.html",), "k", Renderer(None))) == []
    assert ledger.recorded == {} and ledger.entries() == []


def test_a_worker_s_ledger_and_the_sitemap_entries(tmp_path: Path) -> None:
    out = previous_build(tmp_path)
    ledger = Ledger({"kk/index.html": ("k1", None), "ru/x.html": ("k", None)}, out, None)
    worker = ledger.fresh()
    assert worker.spool is ledger.spool and worker.previous == {}
    # a worker makes, never reuses: its build decided that
    render = Renderer(
        [
            File("kk/news/b/index.html", b"b", entry("kk/news/b/")),
            File("kk/news/a/index.html", b"a", entry("kk/news/a/")),
        ]
    )
    worker.make(Output(("kk/news/b/index.html",), "kb", render))
    assert render.calls == 1
    ledger.adopt(worker.recorded)
    ledger.produce(Output((), "feed", Renderer([File("kk/feed.xml", b"f")])))
    # files without an entry (a feed) left out; the sitemap's pages sorted by URL
    assert ledger.entries() == [entry("kk/news/b/"), entry("kk/news/a/")]
    pages = indexed(ledger.entries())
    assert [e.loc for e in pages] == [f"{BASE}/kk/news/a/", f"{BASE}/kk/news/b/"]
    assert ledger.previous_paths(lambda p: p.startswith("kk/")) == ("kk/index.html",)
