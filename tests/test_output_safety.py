"""The output folder belongs to ushtil only if ushtil made it, and nothing a checkout
contains (journal, lock, cache, compiled templates) can redirect a write or run code."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import NOW, build_ok, make_project

from ushtil.engine.outfolder import MARKER
from ushtil.site.build import build

EXIT_USAGE = 2


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
                seen[key] = ("file", path.read_bytes(), path.stat().st_mode)
    return seen


def ushtil(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ushtil.cli.main", "-C", str(project), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """A folder holding the project beside other people's files."""
    parent = tmp_path / "work"
    parent.mkdir()
    (parent / "thesis.txt").write_text("four years of work\n")
    (parent / "photos").mkdir()
    (parent / "photos" / "cat.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    project = make_project(parent, "portal")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    return parent, project


def refused(result: subprocess.CompletedProcess[str], why: str) -> None:
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert "not building into this folder" in result.stderr and why in result.stderr, result.stderr
    assert "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_out_dot_is_the_project(world: tuple[Path, Path]) -> None:
    parent, project = world
    before = snapshot(parent)
    refused(ushtil(project, "build", "--out", "."), "it is the project folder itself")
    assert snapshot(parent) == before


def test_out_dotdot_contains_the_project(world: tuple[Path, Path]) -> None:
    parent, project = world
    before = snapshot(parent)
    refused(ushtil(project, "build", "--out", ".."), "it contains the project")
    assert snapshot(parent) == before


def test_out_someone_elses_folder(world: tuple[Path, Path], tmp_path: Path) -> None:
    parent, project = world
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / ".bashrc").write_text("alias ll='ls -l'\n")
    (home / "Documents" / "taxes.pdf").write_bytes(b"%PDF-1.4")
    before = snapshot(home)
    result = ushtil(project, "build", "--out", str(home))
    refused(result, "it holds files ushtil did not make (.bashrc, Documents/)")
    assert "static/" in result.stderr  # where a site's own files go
    assert snapshot(home) == before


def test_out_a_symlink_to_a_folder(world: tuple[Path, Path], tmp_path: Path) -> None:
    parent, project = world
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep\n")
    (project / "public").symlink_to(target)
    before, before_target = snapshot(parent), snapshot(target)
    refused(ushtil(project, "build", "--out", "public"), "it is a symbolic link")
    refused(ushtil(project, "build"), "it is a symbolic link")  # the default output too
    assert snapshot(parent) == before and snapshot(target) == before_target


def test_out_a_file(world: tuple[Path, Path]) -> None:
    parent, project = world
    (project / "notes.txt").write_text("meeting notes\n")
    before = snapshot(parent)
    refused(ushtil(project, "build", "--out", "notes.txt"), "it is a file, not a folder")
    assert snapshot(parent) == before


@pytest.mark.parametrize("out", ["articles", "articles/party", "templates", ".git", "static/site"])
def test_out_inside_the_sources(world: tuple[Path, Path], out: str) -> None:
    parent, project = world
    before = snapshot(parent)
    refused(ushtil(project, "build", "--out", out), "the project's")
    assert snapshot(parent) == before


def test_out_library_call_refuses_too(world: tuple[Path, Path]) -> None:
    parent, project = world
    before = snapshot(parent)
    report = build(project, project, now=NOW)
    assert not report.ok and "it is the project folder itself" in str(report.diagnostics[0])
    assert snapshot(parent) == before


def test_out_new_empty_or_marked_folders_are_built(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    parent, project = world
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (tmp_path / "new" / "site", empty):
        result = ushtil(project, "build", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert (out / MARKER).is_file() and (out / "kk" / "index.html").is_file()
    # built once, it is ushtil's: later builds (and stale files in it) are fine
    (empty / "stale.html").write_text("old page\n")
    result = ushtil(project, "build", "--out", str(empty), "--clean")
    assert result.returncode == 0, result.stderr
    assert not (empty / "stale.html").exists()


def test_journal_naming_outside_paths_is_not_believed(world: tuple[Path, Path]) -> None:
    parent, project = world
    public = build_ok(project)
    victim = parent / "photos"
    before = snapshot(parent / "photos")
    for staging in ("../photos", ".public.new-x/../../photos", ".public.new-abc"):
        (project / ".public.new-abc").mkdir(exist_ok=True)  # made by the checkout: no marker
        (project / ".public.new-abc" / "cat.jpg").write_text("replaced")
        plan = {
            "staging": staging,
            "changed": ["../../work/photos/cat.jpg", "index.html"],
            "removed": ["../../work/thesis.txt", "../photos/cat.jpg", "kk/index.html"],
        }
        (project / ".public.journal").write_text(json.dumps(plan))
        build_ok(project)
        assert snapshot(victim) == before
        assert (parent / "thesis.txt").read_text() == "four years of work\n"
        assert (public / "kk" / "index.html").is_file()
        assert (
            project / ".public.new-abc" / "cat.jpg"
        ).read_text() == "replaced"  # not ushtil's: kept


def test_a_symlinked_lock_is_refused_and_its_target_kept(world: tuple[Path, Path]) -> None:
    parent, project = world
    (project / ".public.lock").symlink_to(parent / "thesis.txt")
    result = ushtil(project, "build")
    assert result.returncode == 1
    assert ".public.lock beside it is a symbolic link; remove it" in result.stderr
    assert (parent / "thesis.txt").read_text() == "four years of work\n"


def test_a_symlinked_journal_is_not_written_through(world: tuple[Path, Path]) -> None:
    parent, project = world
    build_ok(project)
    (project / ".public.journal").symlink_to(parent / "thesis.txt")
    edit = project / "articles" / "party" / "en.md"
    edit.write_text(edit.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build_ok(project)
    assert (parent / "thesis.txt").read_text() == "four years of work\n"


class Payload:
    """Unpickling this creates the file named: proof that a pickle was loaded."""

    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.sentinel}",))


def test_a_planted_cache_runs_no_code(world: tuple[Path, Path], tmp_path: Path) -> None:
    parent, project = world
    sentinel = tmp_path / "pwned"
    cache = project / ".ushtil-cache"
    cache.mkdir()
    blob = pickle.dumps(Payload(sentinel))
    for name in ("quick", "state", "bodies", "bodies-extra", "rows"):
        (cache / f"{name}.pickle").write_bytes(blob)
        (cache / f"{name}.json").write_bytes(b"ushtil-cache 00\n" + blob)
    # compiled templates where a checkout can put them: Jinja would load and run them
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(project / "templates")))
    bytecode = jinja2.FileSystemBytecodeCache(str(cache / "jinja"))
    (cache / "jinja").mkdir()
    code = compile(f"open({str(sentinel)!r}, 'w').close()", "<planted>", "exec")
    for name in env.list_templates():
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        bucket = bytecode.get_bucket(env, name, filename, source)
        bucket.code = code
        bytecode.set_bucket(bucket)
    result = ushtil(project, "build")
    assert result.returncode == 0, result.stderr
    assert ushtil(project, "build").returncode == 0
    assert not sentinel.exists()


def test_cache_signed_by_another_user_is_ignored(world: tuple[Path, Path], tmp_path: Path) -> None:
    parent, project = world
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "a"))
    (tmp_path / "a").mkdir(mode=0o700)
    (tmp_path / "b").mkdir(mode=0o700)
    run = [sys.executable, "-m", "ushtil.cli.main", "-C", str(project), "build"]
    first = subprocess.run(run, env=env, capture_output=True, text=True)
    assert first.returncode == 0 and "built" in first.stdout
    again = subprocess.run(run, env=env, capture_output=True, text=True)
    assert "is up to date" in again.stdout  # the cache is used by its owner
    other = subprocess.run(
        run, env=dict(env, XDG_CACHE_HOME=str(tmp_path / "b")), capture_output=True, text=True
    )
    # and by nobody else: to another user the output folder is not even ushtil's
    assert other.returncode == EXIT_USAGE and "is up to date" not in other.stdout
    assert "made by another user" in other.stderr


def test_a_symlinked_cache_folder_is_not_written_through(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    parent, project = world
    target = tmp_path / "ssh"
    target.mkdir()
    (project / ".ushtil-cache").symlink_to(target)
    build_ok(project)
    assert list(target.iterdir()) == []


def test_private_folder_must_be_closed_to_others(tmp_path: Path) -> None:
    from ushtil.project import private

    open_folder = tmp_path / "open"
    (open_folder / "ushtil").mkdir(parents=True)
    os.chmod(open_folder / "ushtil", 0o755)  # as git or tar would make it
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(open_folder)
    try:
        assert private.folder() is None and private.key() is None
    finally:
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old


@pytest.mark.parametrize(
    "link",
    ["locales/ru/LC_MESSAGES/messages.po", "locales", "articles", "locales/ru"],
)
def test_links_out_of_the_project_are_not_read(
    world: tuple[Path, Path], tmp_path: Path, link: str
) -> None:
    parent, project = world
    secret = tmp_path / "secret"
    original = project / link
    if original.is_dir():
        shutil.copytree(original, secret)
        (secret / "SECRET-MARK").write_text("root:*:20228:0:99999\n")
        shutil.rmtree(original)
    else:
        secret.write_text("root:*:20228:0:99999\n")
        original.unlink()
    original.symlink_to(secret)
    for command in (["build"], ["check"], ["i18n", "update"], ["status"]):
        result = ushtil(project, *command)
        assert result.returncode == 1, (command, result.stderr)
        assert f"{link}: is a link that leads out of the project" in result.stderr
        assert "root:*" not in result.stderr + result.stdout
    assert not (project / "public").exists()


def test_a_planted_journal_and_staging_cannot_add_to_the_output(world: tuple[Path, Path]) -> None:
    parent, project = world
    public = build_ok(project)
    staging = project / ".public.new-evil"
    staging.mkdir()
    (staging / MARKER).write_text("forged\n")
    (staging / "evil.html").write_text("<script>alert(1)</script>")
    (public / "stray.html").write_text("planted")
    plan = {"staging": staging.name, "changed": ["evil.html"], "removed": []}
    (project / ".public.journal").write_text(json.dumps(plan))
    build_ok(project)
    assert not (public / "evil.html").exists()
    assert not (public / "stray.html").exists()  # the output was not trusted: written whole


def test_a_link_inside_the_output_is_replaced_not_written_through(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    parent, project = world
    public = build_ok(project)
    victim = tmp_path / "victim-en"
    shutil.copytree(public / "en", victim)
    before = snapshot(victim)
    shutil.rmtree(public / "en")
    (public / "en").symlink_to(victim)
    md = project / "articles" / "party" / "en.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build_ok(project)
    assert snapshot(victim) == before
    assert (
        not (public / "en").is_symlink()
        and "One more line." in (public / "en/news/party/index.html").read_text()
    )


def test_usage_mistakes_in_build_options(world: tuple[Path, Path]) -> None:
    parent, project = world
    for args in (["--jobs", "0"], ["--jobs", "-3"], ["--out", ""]):
        result = ushtil(project, "build", *args)
        assert result.returncode == EXIT_USAGE and "Traceback" not in result.stderr, (
            args,
            result.stderr,
        )
    assert not (project / "public").exists()


@pytest.mark.parametrize("name", [".public.journal", ".public.lock"])
def test_a_folder_in_place_of_the_journal_or_lock_is_kept_and_named(
    world: tuple[Path, Path], name: str
) -> None:
    parent, project = world
    build_ok(project)
    (project / ".public.lock").unlink()
    (project / name).mkdir()
    (project / name / "mine.txt").write_text("someone's notes\n")
    before = snapshot(parent)
    result = ushtil(project, "build")
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert f"{name} beside it is a folder, not ushtil's" in result.stderr
    after = snapshot(parent)
    if name != ".public.lock":
        after.pop("portal/.public.lock")  # ushtil's own lock, made before the journal is read
    assert after == before
