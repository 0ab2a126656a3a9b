"""engine/changes.py: the no-change signature, from file-system metadata alone, is the same for
the same sources and changes with any of them; `restat` brings remembered sizes and times
up to date from a watcher's list of paths, as a fresh walk would find them."""

from __future__ import annotations

import os
from pathlib import Path

from ushtil.engine.changes import as_walked, restat, signature


def touch(path: Path, text: str, ns: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(ns, ns))


def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    touch(root / "articles/a/kk.md", "бір", 10**18)
    touch(root / "articles/a/article.toml", "x", 10**18)
    touch(root / "static/site.css", "body{}", 10**18)
    return root


def test_the_same_sources_give_the_same_signature(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = root / "public"
    first, stats = signature(root, out, "fp")
    assert signature(root, out, "fp") == (first, stats)
    assert set(stats) == {
        str(root / "articles/a/kk.md"),
        str(root / "articles/a/article.toml"),
        str(root / "static/site.css"),
    }
    kk = os.stat(root / "articles/a/kk.md")  # remembered by change time, which no one sets back
    assert stats[str(root / "articles/a/kk.md")] == (kk.st_ctime_ns, len("бір".encode()))
    assert signature(root, out, "another fingerprint")[0] != first
    assert signature(root, tmp_path / "elsewhere", "fp")[0] != first


def test_any_change_of_a_source_changes_it(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = root / "public"
    seen = {signature(root, out, "fp")[0]}
    changes = [
        lambda: os.utime(root / "articles/a/kk.md", ns=(10**18 + 1, 10**18 + 1)),  # saved again
        lambda: touch(root / "articles/a/kk.md", "екі сөз", 10**18 + 1),  # the same time, new size
        lambda: touch(root / "articles/b/kk.md", "үш", 10**18),  # a new file
        lambda: (root / "articles/a/article.toml").unlink(),  # a file gone
        lambda: touch(root / "static/site.css", "body{ }", 10**18),  # a static file
    ]
    for change in changes:
        change()
        now = signature(root, out, "fp")[0]
        assert now not in seen
        seen.add(now)


def test_restat_agrees_with_a_fresh_walk(tmp_path: Path) -> None:
    root = project(tmp_path)
    _, stats = signature(root, root / "public", "fp")
    touch(root / "articles/a/kk.md", "жаңа мәтін", 10**18 + 5)
    touch(root / "articles/c/ru.md", "новый", 10**18)
    touch(root / "articles/c/article.toml", "y", 10**18)
    (root / "static/site.css").unlink()
    changed = [
        str(root / "articles/a/kk.md"),
        str(root / "articles/c"),
        str(root / "static/site.css"),
    ]
    assert restat(dict(stats), changed) == signature(root, root / "public", "fp")[1]
    # a folder that went, with everything in it
    for name in ("ru.md", "article.toml"):
        (root / "articles/c" / name).unlink()
    (root / "articles/c").rmdir()
    fresh = signature(root, root / "public", "fp")[1]
    assert restat(dict(stats), [*changed]) == fresh


def test_paths_as_the_walk_spells_them(tmp_path: Path) -> None:
    root = project(tmp_path)
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    found = as_walked(root, [str(alias / "articles/a/kk.md"), str(tmp_path / "other.md")])
    assert found == [str(root / "articles/a/kk.md")]  # outside the project: left out
