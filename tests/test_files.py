"""project/files.py: a file written into the project is written whole (beside it, then
renamed), never through a link, never into a folder that leads out of the project; and
the project's files that are links out of it are named before anything is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ushtil.project.files import (
    check_writable,
    is_at_or_within,
    is_within,
    links_out,
    write_text,
)
from ushtil.project.problems import UshtilError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "site"
    (project / "articles/a").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    return project


def refused(call: object, *args: object, **kw: object) -> str:
    with pytest.raises(UshtilError) as raised:
        call(*args, **kw)  # type: ignore[operator]
    return str(raised.value)


def test_a_file_is_written_whole_with_its_folders_and_mode(root: Path) -> None:
    target = root / "i18n/articles/a.kk.po"
    write_text(root, target, "бір\r\nекі")
    assert target.read_bytes() == "бір\r\nекі".encode()  # as given, no newline translation
    assert (target.stat().st_mode & 0o777) == 0o644
    os.chmod(target, 0o600)
    write_text(root, target, "үш")
    assert target.read_text(encoding="utf-8") == "үш" and (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.kk.po"]  # no temporary left


def test_create_leaves_an_existing_file_alone(root: Path) -> None:
    target = root / "articles/a/kk.md"
    target.write_text("editor's work", encoding="utf-8")
    message = refused(write_text, root, target, "scaffold", create=True)
    assert message == "articles/a/kk.md: already exists; nothing was changed"
    assert target.read_text(encoding="utf-8") == "editor's work"


def test_never_through_a_link(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside/secret"
    secret.write_text("keep", encoding="utf-8")
    (root / "articles/a/kk.md").symlink_to(secret)
    message = refused(write_text, root, root / "articles/a/kk.md", "x")
    assert message.startswith("articles/a/kk.md: is a symbolic link;")
    (root / "articles/b").symlink_to(tmp_path / "outside", target_is_directory=True)
    message = refused(write_text, root, root / "articles/b/kk.md", "x")
    assert message == (
        "articles/b/kk.md: its folder leads out of the project (through a symbolic link)"
    )
    (root / "i18n").symlink_to(tmp_path / "outside")
    assert "leads out of the project" in refused(write_text, root, root / "i18n/x/y.po", "x")
    assert secret.read_text(encoding="utf-8") == "keep"
    assert not (tmp_path / "outside/kk.md").exists() and not (tmp_path / "outside/x").exists()


def test_a_folder_in_the_way_and_a_narrower_bound(root: Path) -> None:
    (root / "i18n").write_text("a file", encoding="utf-8")
    message = refused(write_text, root, root / "i18n/articles/a.po", "x")
    assert message == "i18n/articles/a.po: cannot create its folder: i18n is a file"
    message = refused(write_text, root, root / "articles", "x")
    assert message == "articles: is not a regular file; nothing was written"
    check_writable(root, root / "articles/a/kk.md", within=root / "articles")
    message = refused(check_writable, root, root / "site.toml", within=root / "articles")
    assert message == "site.toml: its folder leads out of articles (through a symbolic link)"


def test_inside_means_inside() -> None:
    assert is_within("/p/articles/a", "/p") and is_within("/p/a/../b", "/p")
    assert not is_within("/p", "/p") and is_at_or_within("/p/", "/p")
    assert not is_within("/p2/x", "/p") and not is_within("/p/../etc", "/p")
    assert is_within("/p/x", "/p/") and not is_at_or_within("/", "/p")


def test_links_out_of_the_project_are_named(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "messages.po").write_text("", encoding="utf-8")
    (root / "site.toml").symlink_to(outside / "site.toml")  # dangling counts too
    (root / "locales/kk/LC_MESSAGES").mkdir(parents=True)
    (root / "locales/kk/LC_MESSAGES/messages.po").symlink_to(outside / "messages.po")
    (root / "locales/ru").symlink_to(outside)
    (root / "templates").symlink_to(outside)  # templates are trusted: not named
    (root / "articles/inside.md").symlink_to(root / "articles/a")  # a link inside: fine
    assert [str(d) for d in links_out(root)] == [
        f"{name}: is a link that leads out of the project; "
        "ushtil reads only the project's own files"
        for name in ("site.toml", "locales/kk/LC_MESSAGES/messages.po", "locales/ru")
    ]
