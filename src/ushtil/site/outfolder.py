"""Which folders a build may write into, the marker that makes a folder ushtil's, and
the lock that keeps two builds of one output from interleaving.

An output folder belongs to ushtil only if ushtil made it: :func:`refuse_output` lets a
build write only into a folder that does not exist, is empty, or carries the
:data:`MARKER` file an earlier build left in it, and never into the project itself, a
folder that contains the project or lies inside its sources, a symbolic link or a file.
Staging folders carry the marker too (:func:`mark`), so leftovers are removed only when
ushtil made them. The lock is opened without following symbolic links.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ushtil.project import layout
from ushtil.project.files import is_at_or_within
from ushtil.project.problems import Diagnostic, Location, UshtilError, error

MARKER = ".ushtil-output"
MARKER_TEXT = b"This folder is made by ushtil build, which replaces everything in it.\n"
SHOWN_FOREIGN = 3


def refuse_output(root: Path, out: Path) -> list[Diagnostic]:
    """Why ``out`` cannot be the output folder of the project at ``root`` (nothing if it
    can). Decided before anything is touched; ``out`` is taken as given (a symbolic link
    is not followed)."""

    def refused(why: str) -> list[Diagnostic]:
        message = f"not building into this folder: {why}; nothing was changed"
        return [error(Location(str(out)), "output-refused", message)]

    out = Path(os.path.abspath(out))
    try:
        info = os.lstat(out)
    except (FileNotFoundError, NotADirectoryError):
        info = None  # a new folder (a file on its way is reported when it is made)
    except OSError as exc:
        return refused(f"it cannot be read ({exc.strerror or exc})")
    if info is not None and stat.S_ISLNK(info.st_mode):
        return refused(f"it is a symbolic link (to {os.readlink(out)}); give the folder itself")
    if info is not None and not stat.S_ISDIR(info.st_mode):
        return refused("it is a file, not a folder")
    real_out, real_root = os.path.realpath(out), os.path.realpath(root)
    if real_out == real_root:
        return refused("it is the project folder itself")
    if is_at_or_within(real_root, real_out):
        return refused("it contains the project")
    for name in layout.SOURCES:
        source = os.path.join(real_root, name)
        if is_at_or_within(real_out, source) or is_at_or_within(source, real_out):
            where = "is or lies inside" if is_at_or_within(real_out, source) else "contains"
            return refused(f"it {where} the project's {name}")
    if info is not None and not is_ours(out):
        try:
            foreign = sorted(
                e.name + ("/" if e.is_dir(follow_symlinks=False) else "") for e in os.scandir(out)
            )
        except OSError as exc:
            return refused(f"it cannot be read ({exc.strerror or exc})")
        if foreign:
            more = len(foreign) - SHOWN_FOREIGN
            shown = ", ".join(foreign[:SHOWN_FOREIGN]) + (f" and {more} more" if more > 0 else "")
            return refused(
                f"it holds files ushtil did not make ({shown}); build into a new or empty folder "
                f"(a site's own files such as CNAME or .well-known/ belong in static/)"
            )
    return []


def is_ours(folder: Path | str) -> bool:
    """``folder`` is a real folder holding ushtil's marker (a regular file)."""
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        return stat.S_ISREG(os.lstat(os.path.join(folder, MARKER)).st_mode)
    except OSError:
        return False


def mark(folder: Path, out: Path) -> None:
    """Put the marker in a new staging ``folder`` (the output's own, when it has one)."""
    if is_ours(out):
        try:
            os.link(os.path.join(out, MARKER), os.path.join(folder, MARKER))
            return
        except OSError:
            pass
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(os.path.join(folder, MARKER), flags, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(MARKER_TEXT)


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``out``; a second build is told, not made to wait.
    The lock file is never truncated, and a symbolic link in its place is refused."""
    lock_path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = f"{lock_path.name} beside it is a symbolic link; remove it"
        elif isinstance(exc, IsADirectoryError):
            reason = f"{lock_path.name} beside it is a folder, not ushtil's lock; remove it"
        elif isinstance(exc, (FileExistsError, NotADirectoryError)):
            reason = "a file is in the way"
        else:
            reason = exc.strerror or str(exc)
        raise UshtilError(
            [error(Location(str(out)), "write", f"cannot write the output folder: {reason}")]
        ) from None
    handle = os.fdopen(fd, "r+b")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        message = f"cannot write the output folder: {lock_path.name} beside it is not a file"
        raise UshtilError([error(Location(str(out)), "write", message)])
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UshtilError(
                [
                    error(
                        Location(str(out)),
                        "locked",
                        "another build is writing this output folder; try again when it ends",
                    )
                ]
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
