"""An output folder is ushtil's only when ushtil can show that it made it, other outputs'
staging folders are never taken for its own, and every build names the files in the
output that it did not write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOW, make_project

from ushtil.engine.outfolder import MARKER
from ushtil.site.build import build

EXIT_USAGE = 2
OLD_MARKER = b"This folder is made by ushtil build, which replaces everything in it.\n"


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry below ``folder`` (links not followed): its kind and bytes or target."""
    seen: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                seen[key] = ("link", os.readlink(path))
            elif path.is_dir():
                seen[key] = ("dir",)
            else:
                seen[key] = ("file", path.read_bytes())
    return seen


def ushtil(
    project: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ushtil.cli.main", "-C", str(project), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, "basic")


def built(project: Path, out: Path) -> Path:
    report = build(project, out, now=NOW)
    assert report.ok, "\n".join(map(str, report.diagnostics))
    return out


def users_folder(tmp_path: Path) -> Path:
    """A folder holding someone's own work."""
    folder = tmp_path / "mine"
    (folder / "drafts").mkdir(parents=True)
    (folder / "thesis.txt").write_text("four years of work\n")
    (folder / "drafts" / "chapter1.txt").write_text("it was a dark night\n")
    return folder


def refused(result: subprocess.CompletedProcess[str], *why: str) -> None:
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert "not building into this folder" in result.stderr, result.stderr
    for part in why:
        assert part in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- other outputs' staging folders --------------------------------------------------


@pytest.mark.parametrize(("name", "other"), [("*", "other"), ("?", "a"), ("[x]", "x")])
def test_an_output_named_with_pattern_characters_leaves_other_outputs_alone(
    project: Path, tmp_path: Path, name: str, other: str
) -> None:
    parent = tmp_path / "P"
    parent.mkdir()
    # what builds of `other` killed before they cleaned up left beside it: real staging
    # folders of ushtil's (built elsewhere on this disk and moved in)
    new, old = parent / f".{other}.new-abcd1234", parent / f".{other}.old-efgh5678"
    os.rename(built(project, tmp_path / "one"), new)
    os.rename(built(project, tmp_path / "two"), old)
    before = snapshot(parent)
    built(project, parent / name)
    after = snapshot(parent)
    assert {k: v for k, v in after.items() if not k.startswith((name, f".{name}."))} == before
    # they are leftovers ushtil removes, but only a build of their own output does
    built(project, parent / other)
    assert not new.exists() and not old.exists()


# --- a marker proves that ushtil made the folder --------------------------------------


def test_a_marker_written_by_hand_makes_no_folder_ushtils(project: Path, tmp_path: Path) -> None:
    folder = users_folder(tmp_path)
    (folder / MARKER).write_text("hi\n")
    before = snapshot(folder)
    result = ushtil(project, "build", "--out", str(folder))
    refused(result, f"{MARKER}, drafts/, thesis.txt", "was not written for this folder")
    assert snapshot(folder) == before


def test_a_marker_copied_from_an_output_makes_no_folder_ushtils(
    project: Path, tmp_path: Path
) -> None:
    genuine = built(project, tmp_path / "site")
    folder = users_folder(tmp_path)
    shutil.copy(genuine / MARKER, folder / MARKER)
    before = snapshot(folder)
    result = ushtil(project, "build", "--out", str(folder))
    refused(result, "drafts/, thesis.txt", "copied from another folder")
    assert snapshot(folder) == before


def test_an_output_of_another_users_ushtil_is_not_this_users(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-user"
    other.mkdir(mode=0o700)
    folder = tmp_path / "theirs"
    first = ushtil(
        project, "build", "--out", str(folder), env=dict(os.environ, XDG_CACHE_HOME=str(other))
    )
    assert first.returncode == 0, first.stderr
    (folder / "notes.txt").write_text("theirs\n")
    before = snapshot(folder)
    refused(ushtil(project, "build", "--out", str(folder)), "made by another user", "404.html")
    assert snapshot(folder) == before


def test_an_output_of_an_earlier_ushtil_is_refused_with_what_to_do(
    project: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "old-site"
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "index.html").write_text("<p>an old build</p>\n")
    (folder / MARKER).write_bytes(OLD_MARKER)
    before = snapshot(folder)
    result = ushtil(project, "build", "--out", str(folder))
    refused(result, "earlier version of ushtil", "remove it")
    assert snapshot(folder) == before


def test_staging_leftovers_without_a_proven_marker_are_kept(project: Path) -> None:
    public = built(project, project / "public")
    forged, copied = project / ".public.new-abcd1234", project / ".public.old-efgh5678"
    for folder in (forged, copied):
        folder.mkdir()
        (folder / "keep.txt").write_text("someone's\n")
    (forged / MARKER).write_text("forged\n")
    shutil.copy(public / MARKER, copied / MARKER)  # ushtil's marker, of another folder
    before = snapshot(forged), snapshot(copied)
    edit = project / "articles" / "a-full" / "en.md"
    edit.write_text(edit.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    for clean in (False, True):
        report = build(project, now=NOW, clean=clean)
        assert report.ok and report.written
        assert (snapshot(forged), snapshot(copied)) == before


def test_a_moved_output_stays_ushtils(project: Path, tmp_path: Path) -> None:
    first = built(project, tmp_path / "first")
    moved = tmp_path / "moved"
    os.rename(first, moved)
    result = ushtil(project, "build", "--out", str(moved))
    assert result.returncode == 0, result.stderr
    assert (moved / "en" / "index.html").is_file()


# --- files in the output that ushtil did not write ------------------------------------


PLANTED = ("stray.html", "en/news/a-full/evil.html", "extra/a.txt")


def plant(public: Path) -> None:
    for path in PLANTED:
        (public / path).parent.mkdir(parents=True, exist_ok=True)
        (public / path).write_text("planted\n")


def test_files_planted_in_the_output_are_named_by_every_build(project: Path) -> None:
    public = built(project, project / "public")
    assert "is up to date" in ushtil(project, "build").stdout
    plant(public)
    for _ in range(2):  # nothing to rebuild: still named, every time
        result = ushtil(project, "build")
        assert result.returncode == 0, result.stderr
        assert "is up to date" not in result.stdout
        assert "nothing to rebuild, but it holds 3 file(s) ushtil did not write" in result.stdout
        for shown in ("public/stray.html", "public/en/news/a-full/evil.html"):
            assert f"{shown}: warning: not written by ushtil, but" in result.stderr, result.stderr
        folder = "public/extra: warning: a folder not written by ushtil, nor anything in it, but"
        assert folder in result.stderr
    edit = project / "articles" / "a-full" / "en.md"
    edit.write_text(edit.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    result = ushtil(project, "build")  # in place (they stay) or a new folder (they go)
    assert result.returncode == 0 and result.stdout.startswith("built"), result.stderr
    for path in PLANTED[:2]:
        said = "not written by ushtil, but" if (public / path).exists() else "removed (not"
        assert f"public/{path}: warning: {said}" in result.stderr, result.stderr


def test_a_clean_build_says_which_planted_files_it_removed(project: Path) -> None:
    public = built(project, project / "public")
    plant(public)
    result = ushtil(project, "build", "--clean")
    assert result.returncode == 0, result.stderr
    for shown in ("public/stray.html", "public/en/news/a-full/evil.html"):
        assert f"{shown}: warning: removed (not written by ushtil) with the old" in result.stderr
    folder = "public/extra: warning: removed (a folder not written by ushtil, nor anything in it)"
    assert folder in result.stderr
    assert not any((public / path).exists() for path in PLANTED)
    again = ushtil(project, "build")
    assert "is up to date" in again.stdout and "warning: removed" not in again.stderr


def test_a_file_removed_from_the_output_is_written_again(project: Path) -> None:
    public = built(project, project / "public")
    page = public / "en" / "news" / "a-full" / "index.html"
    kept = page.read_bytes()
    page.unlink()
    result = ushtil(project, "build")
    assert result.returncode == 0 and "is up to date" not in result.stdout, result.stdout
    assert page.read_bytes() == kept


def test_a_pipe_in_place_of_the_lock_is_refused(project: Path) -> None:
    os.mkfifo(project / ".public.lock")
    result = ushtil(project, "build")
    refused(result, ".public.lock beside it is not a file but a named pipe; remove it")
    assert (project / ".public.lock").is_fifo() and not (project / "public").exists()


def test_a_pipe_in_place_of_the_journal_is_named_and_kept(project: Path) -> None:
    built(project, project / "public")
    os.mkfifo(project / ".public.journal")
    try:  # a pipe opened for reading waits for a writer: a build must not
        result = ushtil(project, "build", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the build waited on the pipe")
    assert result.returncode == 1, result.stderr
    assert ".public.journal beside it is not a file; remove it" in result.stderr
    assert "internal error" not in result.stderr and (project / ".public.journal").is_fifo()
