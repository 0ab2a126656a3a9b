"""Stage five: pages → the output folder, atomically.

Everything is written into a temporary folder beside the output, which replaces the
output only when every file is written; a failure leaves the previous site as it was.
A lock keeps two builds of one output from interleaving.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import Location, UshtilError, error
from .model import Page


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``out``; a second build is told, not made to wait."""
    lock_path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "w")
    except OSError as exc:
        reason = "a file is in the way" if isinstance(exc, (FileExistsError, NotADirectoryError)) else (exc.strerror or str(exc))
        raise UshtilError(
            [error(Location(str(out)), "write", f"cannot write the output folder: {reason}")]
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UshtilError(
                [error(Location(str(out)), "locked", "another build is writing this output folder; try again when it ends")]
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(out: Path) -> None:
    """Staging folders of a build that was killed (call with the lock held)."""
    for stale in (*out.parent.glob(f".{out.name}.new-*"), *out.parent.glob(f".{out.name}.old-*")):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def write_site(pages: Iterable[Page], out: Path) -> int:
    """Write ``pages`` as the new content of ``out``; return how many files were written.

    Call with :func:`output_lock` held."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as exc:
        raise UshtilError([error(Location(str(out)), "write", f"cannot write the output folder: {exc.strerror or exc}")]) from None
    count = 0
    try:
        root = staging.resolve()
        for page in pages:
            target = (staging / page.path).resolve()
            if root not in target.parents:
                raise UshtilError([error(Location(page.path), "unsafe-path", "output path leaves the output folder")])
            target.parent.mkdir(parents=True, exist_ok=True)
            if page.source is None:
                target.write_bytes(page.content)
            elif Path(page.source).parent.is_relative_to(out):
                _link(Path(page.source), target)  # unchanged since the last build
            else:
                shutil.copyfile(page.source, target)  # a file of the project: never linked
            count += 1
        os.chmod(staging, 0o755)
        _swap(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise UshtilError(
            [error(Location(str(out)), "write", f"cannot write the site ({reason}); the previous site is unchanged")]
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def unchanged(pages: list[Page], out: Path, present: set[str]) -> bool:
    """Whether ``out`` already holds exactly these files with these bytes (``present``:
    the files the last build wrote there)."""
    if not out.is_dir():
        return False
    wanted = set()
    for page in pages:
        target = out / page.path
        wanted.add(page.path)
        if page.source is not None:
            if Path(page.source) != target:
                return False
        else:
            try:
                if target.stat().st_size != len(page.content) or target.read_bytes() != page.content:
                    return False
            except OSError:
                return False
    return present == wanted


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
