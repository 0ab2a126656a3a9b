"""A build that finds nothing changed gives the verdict a clean build gives.

After a good build, every input the build reads (``layout.BUILD_INPUTS``, the paths
``project/layout.py`` names inside them, and a file of each of their folders) is replaced
by a link into the project (of the size and time of the file it replaces), a dangling
link out of it, an oversized file or a folder; ``build`` must then say what
``build --clean`` says (ok or not, the same problems), and so must it once the input is
put back.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, make_project

from ushtil.engine.cache import fingerprint, last_build
from ushtil.engine.changes import signature
from ushtil.project import layout
from ushtil.site.build import BuildReport, build

OVERSIZED = 4 * 1024 * 1024 + 1024  # past the limit of 4 MiB (the glossary's, a stamp's)
COPIES = ".verdict-copies"  # inside the project, but not an input of the build


def verdict(report: BuildReport) -> tuple[bool, list[str]]:
    return report.ok, sorted(str(d) for d in report.diagnostics)


def named_inside(root: Path) -> list[str]:
    """Every path ``layout`` names inside an input: its constants (``i18n/glossary.tbx``,
    ``i18n/stamps``, …), a catalogue, and an article's files."""
    folders = tuple(f"{name}/" for name in layout.BUILD_INPUTS)
    constants = [
        value
        for name, value in vars(layout).items()
        if name.isupper() and isinstance(value, str) and value.startswith(folders)
    ]
    article = sorted((root / layout.ARTICLES).iterdir())[0].name
    return [
        *constants,
        layout.catalogue(root, "kk").relative_to(root).as_posix(),
        f"{layout.ARTICLES}/{article}/{layout.ARTICLE_FILE}",
        layout.version_file(article, "kk"),
    ]


def targets(root: Path) -> list[str]:
    """The inputs, the paths named inside them, and the first file of every folder among
    them (relative to the project)."""
    found = [*layout.BUILD_INPUTS, *named_inside(root)]
    for name in list(found):
        if (root / name).is_dir():
            files = sorted(p for p in (root / name).rglob("*") if p.is_file())
            assert files, f"the fixture has nothing in {name}"
            found.append(files[0].relative_to(root).as_posix())
    assert layout.GLOSSARY in found and layout.CONFIG in found
    return list(dict.fromkeys(found))


def same_size_link(link: Path, target: Path, like: os.stat_result | None) -> bool:
    """A link to ``target`` that, where it can, has the size (the length of what it names)
    and the modification time of the file it replaces: only what it is tells it apart.
    Whether it could."""
    text = os.path.relpath(target, link.parent)  # "…/.verdict-copies/…": it has a "/"
    fits = like is not None and len(text) < like.st_size < 4000
    if like is not None and fits:
        pad = like.st_size - len(text)  # "./" twice as often, "//" once if it is odd
        text = "./" * (pad // 2) + (text.replace("/", "//", 1) if pad % 2 else text)
    link.symlink_to(text)
    if like is not None:
        os.utime(link, ns=(like.st_atime_ns, like.st_mtime_ns), follow_symlinks=False)
        alike = os.lstat(link)
        assert alike.st_mtime_ns == like.st_mtime_ns
        assert alike.st_size == like.st_size or not fits
    return fits


def copy_of(path: Path, where: Path) -> Path:
    where.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        shutil.copytree(path, where, symlinks=True)
    elif path.exists():
        shutil.copy2(path, where)
    else:
        where.write_text("")
    return where


def mutations(root: Path, outside: Path) -> dict[str, Callable[[Path, str], bool]]:
    """Each kind of replacement: whether it applies to the path."""

    def link_in(path: Path, name: str) -> bool:
        like = os.lstat(path) if path.exists() else None
        copy = copy_of(path, root / COPIES / name)
        remove(path)
        alike = same_size_link(path, copy, like)
        assert alike or name != layout.GLOSSARY  # the case a size and a time cannot tell
        return True

    def dangling(path: Path, name: str) -> bool:
        remove(path)
        path.symlink_to(outside / "nothing-here")
        return True

    def oversized(path: Path, name: str) -> bool:
        if path.is_dir():  # a large file in it
            path = path / "large.md"
        data = path.read_bytes() if path.is_file() else b""
        remove(path)
        path.write_bytes(data + b"\n" + b" " * OVERSIZED + b"\n")
        return True

    def other_kind(path: Path, name: str) -> bool:
        if path.is_dir():  # a folder with nothing in it, in it
            (path / "empty").mkdir()
        else:  # a folder where a file was
            remove(path)
            path.mkdir()
        return True

    def forged(path: Path, name: str) -> bool:
        if path.is_dir() or not path.exists():
            return False  # no file: the other kinds make one
        info, data = path.stat(), path.read_bytes()
        path.write_bytes(b"\xff" + data[1:])  # no longer UTF-8, or another picture
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return True

    return {
        "other bytes of the same size and time": forged,
        "link into the project": link_in,
        "dangling link out of the project": dangling,
        "oversized": oversized,
        "folder": other_kind,
    }


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def restore(path: Path, pristine: Path) -> None:
    remove(path)
    if pristine.is_dir():
        shutil.copytree(pristine, path, symlinks=True)
    elif pristine.exists():
        shutil.copy2(pristine, path)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    top = tmp_path_factory.mktemp("verdict")
    root = make_project(top, "verdict")
    pristine = top / "pristine"
    shutil.copytree(root, pristine, symlinks=True)
    return root, pristine, top / "outside"


def test_the_fixture_builds_and_nothing_changed_is_noticed(
    project: tuple[Path, Path, Path],
) -> None:
    root, _, _ = project
    first = build(root, now=NOW, jobs=1)
    assert first.ok, [str(d) for d in first.diagnostics]
    out = root / layout.OUTPUT
    seen = signature(root, out, fingerprint(root))[0]
    last = last_build(root, out)  # the build touched none of its inputs: "up to date"
    assert last is not None and last.signature == seen
    again = build(root, now=NOW, jobs=1)
    assert verdict(again) == verdict(first) and again.written == 0
    assert signature(root, out, fingerprint(root))[0] == seen


@pytest.mark.parametrize("kind", list(mutations(Path(), Path())))
def test_build_after_a_good_build_says_what_a_clean_build_says(
    project: tuple[Path, Path, Path], kind: str
) -> None:
    root, pristine, outside = project
    good = build(root, now=NOW, jobs=1)
    assert good.ok, [str(d) for d in good.diagnostics]
    differ = []
    refused = 0
    for name in targets(root):
        path, saved = root / name, pristine / name
        if not mutations(root, outside)[kind](path, name):
            continue
        incremental = verdict(build(root, now=NOW, jobs=1))
        clean = verdict(build(root, now=NOW, jobs=1, clean=True))
        if incremental != clean:
            differ.append(f"{name} ({kind}): build {incremental}, build --clean {clean}")
        refused += not clean[0]
        restore(path, saved)
        shutil.rmtree(root / COPIES, ignore_errors=True)
        back = verdict(build(root, now=NOW, jobs=1))
        assert back == verdict(good), f"{name} put back: {back}"
    assert not differ, "\n".join(differ)
    assert refused, f"no {kind} was refused: the test proves nothing"
