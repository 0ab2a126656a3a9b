"""Which folders a build may write into, the marker that makes a folder ushtil's, and
the lock that keeps two builds of one output from interleaving.

An output folder belongs to ushtil only if ushtil can show that it made it:
:func:`refuse_output` lets a build write only into a folder that does not exist, is
empty, or carries a :data:`MARKER` that this user's ushtil wrote for that very folder, and
never into the project itself, a folder that contains the project or lies inside its
sources, a symbolic link or a file. The marker holds a random name and a proof: an HMAC,
with the user's key (:mod:`ushtil.project.private`), of that name and the folder's inode
number, so a marker written by hand, copied from another folder or made with another
user's key proves nothing (and a folder renamed or moved stays ushtil's). Staging folders
are marked too (:func:`mark`), so leftovers are removed only when ushtil made them. The
lock is opened without following symbolic links, and only a regular file is used as one.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ushtil.project import layout, private
from ushtil.project.files import is_at_or_within
from ushtil.project.problems import Diagnostic, Location, UshtilError, error

MARKER = ".ushtil-output"
MARKER_TEXT = b"This folder is made by ushtil build, which replaces everything in it.\n"
MARKER_TAG = b"ushtil-output\0"
MARKER_FORM = "ushtil-output 2"
MARKER_LIMIT = 4096  # bytes of a marker read, at most
SHOWN_FOREIGN = 3

# why a folder's marker does not make it ushtil's
NO_MARKER, OLDER, NOT_PROVEN, NO_KEY = "none", "older", "not-proven", "no-key"


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
    if info is not None:
        found = read_marker(out)
        if found.id is None:
            try:
                foreign = sorted(
                    e.name + ("/" if e.is_dir(follow_symlinks=False) else "")
                    for e in os.scandir(out)
                )
            except OSError as exc:
                return refused(f"it cannot be read ({exc.strerror or exc})")
            if foreign:
                return refused(_foreign_folder(found.problem, foreign))
    lock = lock_path(out)
    try:
        kind = stat.S_IFMT(os.lstat(lock).st_mode)
    except OSError:
        kind = stat.S_IFREG  # not there (made by the lock), or reported by the lock
    if kind not in (stat.S_IFREG, stat.S_IFDIR, stat.S_IFLNK):
        return refused(f"{lock.name} beside it is not a file but a {_kind(kind)}; remove it")
    return []


def _foreign_folder(problem: str, foreign: list[str]) -> str:
    more = len(foreign) - SHOWN_FOREIGN
    shown = ", ".join(foreign[:SHOWN_FOREIGN]) + (f" and {more} more" if more > 0 else "")
    fresh = "build into a new or empty folder"
    if problem == OLDER:
        return (
            f"it holds files ({shown}) and the {MARKER} of an earlier version of ushtil, which "
            f"cannot show that your ushtil made them; if it is an old output folder, remove it "
            f"(or empty it) and build again, else {fresh}"
        )
    if problem == NO_KEY:
        return (
            f"it holds files ({shown}) and ushtil cannot check that it made them: it has no key, "
            f"as $XDG_CACHE_HOME/ushtil (~/.cache/ushtil) is not a folder of yours closed to "
            f"others; {fresh}"
        )
    if problem == NOT_PROVEN:
        return (
            f"it holds files ushtil did not make ({shown}): its {MARKER} was not written for "
            f"this folder by your ushtil (written by hand, copied from another folder, or made "
            f"by another user); {fresh}"
        )
    return (
        f"it holds files ushtil did not make ({shown}); {fresh} "
        f"(a site's own files such as CNAME or .well-known/ belong in static/)"
    )


def _kind(mode: int) -> str:
    kinds = {stat.S_IFIFO: "named pipe", stat.S_IFSOCK: "socket"}
    return kinds.get(mode, "device")


@dataclass(frozen=True)
class Marker:
    """What a folder's marker shows: its name when this user's ushtil wrote it for that
    folder (else None), and why not."""

    id: str | None
    problem: str = ""


def _proven(inode: int, name: str) -> bytes:
    """What a marker's proof signs: the marker's name and its folder's inode number."""
    return MARKER_TAG + f"{inode}\0{name}".encode("ascii")


def read_marker(folder: Path | str) -> Marker:
    """The marker of ``folder`` (a real folder), checked against the user's key and the
    folder's inode number; a link, a pipe or a file of another kind is no marker."""
    try:
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return Marker(None, NO_MARKER)
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(os.path.join(folder, MARKER), flags)
    except OSError:
        return Marker(None, NO_MARKER)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return Marker(None, NO_MARKER)
            text = handle.read(MARKER_LIMIT + 1)
        except OSError:
            return Marker(None, NO_MARKER)
    if text == MARKER_TEXT:
        return Marker(None, OLDER)
    if not text.isascii():
        return Marker(None, NOT_PROVEN)
    lines = text.decode("ascii").split("\n")
    words = lines[1].split(" ") if len(lines) == 3 and lines[2] == "" else []
    if len(words) != 4 or " ".join(words[:2]) != MARKER_FORM or not words[2].isalnum():
        return Marker(None, NOT_PROVEN)
    secret = private.key()
    if secret is None:
        return Marker(None, NO_KEY)
    if not private.verify(secret, _proven(info.st_ino, words[2]), words[3]):
        return Marker(None, NOT_PROVEN)
    return Marker(words[2])


def is_ours(folder: Path | str) -> bool:
    """``folder`` is a real folder holding a marker this user's ushtil wrote for it."""
    return read_marker(folder).id is not None


def mark(folder: Path) -> str:
    """Put a new marker in the new ``folder`` (a staging folder); returns its name. With
    no key (no folder of the user's own) the marker proves nothing: the folder is taken
    for ushtil's by no later build."""
    name = secrets.token_hex(16)
    secret = private.key()
    inode = os.lstat(folder).st_ino
    proof = private.sign(secret, _proven(inode, name)) if secret is not None else "unproven"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(os.path.join(folder, MARKER), flags, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(MARKER_TEXT + f"{MARKER_FORM} {name} {proof}\n".encode("ascii"))
    return name


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``out``; a second build is told, not made to wait.
    The lock file is never truncated, and a symbolic link in its place is refused."""
    lock = lock_path(out)
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = f"{lock.name} beside it is a symbolic link; remove it"
        elif isinstance(exc, IsADirectoryError):
            reason = f"{lock.name} beside it is a folder, not ushtil's lock; remove it"
        elif isinstance(exc, (FileExistsError, NotADirectoryError)):
            reason = "a file is in the way"
        else:
            reason = exc.strerror or str(exc)
        raise UshtilError(
            [error(Location(str(out)), "write", f"cannot write the output folder: {reason}")]
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # a pipe, a device: never opened as a file
        os.close(fd)
        message = f"cannot write the output folder: {lock.name} beside it is not a file"
        raise UshtilError([error(Location(str(out)), "write", message)])
    handle = os.fdopen(fd, "r+b")
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
