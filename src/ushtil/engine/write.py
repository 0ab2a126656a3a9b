"""Building the site, last: pages → the output folder, atomically.

Everything is written into a temporary folder beside the output, which replaces the
output only when every file is written; a failure leaves the previous site as it was.
Which folders may be written, and the lock per output, are :mod:`ushtil.engine.outfolder`'s.
Staging folders carry ushtil's marker, so leftovers are removed only when ushtil made
them (found by their exact names, never by a pattern made of the output's name). Nothing
outside the output folder and its own staging siblings is removed or renamed; the
journal of an interrupted update is believed only for paths inside the output, and the
journal and the output's files are opened without following symbolic links.
"""

from __future__ import annotations

import errno
import filecmp
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ushtil.engine.counters import Counters
from ushtil.engine.journal import (
    Plan,
    apply_plan,
    journal_path,
    read_journal,
    real_folder_inside,
    write_journal,
)
from ushtil.engine.outfolder import is_ours, mark, refuse_output
from ushtil.project.model import Page
from ushtil.project.problems import Diagnostic, Location, UshtilError, error

# refuse_output is outfolder's; the command line takes it from here
__all__ = [
    "Changes",
    "Plan",
    "Spool",
    "refuse_output",
    "remove_leftovers",
    "write_changes",
    "write_site",
]


def remove_leftovers(out: Path) -> list[str] | None:
    """What a killed build left (call with the lock held): an update it had started to
    apply is completed, then its staging folders are removed. Returns the files that
    update touched, which no longer are what the last complete build wrote; None when a
    journal is there that cannot be completed (not signed by this user, or applying it
    failed): then nothing in the output may be taken for what the last build wrote."""
    journal = journal_path(out)
    touched: list[str] | None = []
    try:
        kind = stat.S_IFMT(os.lstat(journal).st_mode)
    except OSError:
        kind = stat.S_IFREG
    if kind not in (stat.S_IFREG, stat.S_IFLNK):  # not ushtil's: never removed (nor read)
        what = "a folder, not ushtil's journal" if kind == stat.S_IFDIR else "not a file"
        where = f"{journal.name} beside it is {what}; remove it"
        raise UshtilError(
            [error(Location(str(out)), "write", f"cannot write the output folder: {where}")]
        )
    if os.path.lexists(journal):
        plan = read_journal(journal, out)
        touched = None
        if plan is not None:
            try:
                apply_plan(out, plan)
                touched = [*plan["changed"], *plan["removed"]]
            except OSError:
                pass  # the staging folder goes; the build writes the whole site again
        journal.unlink(missing_ok=True)
    for stale in staging_leftovers(out):
        if is_ours(stale):
            shutil.rmtree(stale, ignore_errors=True)
    return touched


def staging_leftovers(out: Path) -> list[Path]:
    """The folders beside ``out`` named as its staging folders are (``.<name>.new-…``,
    ``.<name>.old-…``), compared as names: no character of ``out``'s name is a pattern, so
    another output's folders are never among them."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:new|old)-[A-Za-z0-9_]+")
    try:
        with os.scandir(out.parent) as entries:
            return [Path(e.path) for e in entries if pattern.fullmatch(e.name)]
    except OSError:
        return []


class Spool:
    """A staging folder beside ``out``, made on first use, that rendered pages go into as
    they are made (so a large build never holds them all in memory). The build swaps it
    in with :func:`write_site`, or discards it.

    Each folder is made once (the spool remembers which it made; a forked worker its own
    share), and a file costs three system calls when ``out`` does not exist yet: there is
    no earlier file to compare it with. Files written and linked are counted in
    ``counters`` (a forked worker's copy sends its share back with its batch)."""

    def __init__(self, out: Path, counters: Counters | None = None) -> None:
        self.out = out
        self.counters = counters if counters is not None else Counters()
        self.path: Path | None = None
        self._folders: set[str] = set()
        self._previous = True  # whether ``out`` may hold an earlier copy of a file

    def open(self) -> str:
        if self.path is None:
            self.path = _new_staging(self.out)
            self._folders = {os.fspath(self.path)}
            self._previous = os.path.lexists(self.out)
        return os.fspath(self.path)

    def write(self, path: str, content: bytes) -> str:
        """``content`` as ``path`` in the staging folder; returns where it is."""
        parts = path.split("/")
        target = os.path.join(self.open(), *parts)
        try:
            folder = os.path.dirname(target)
            if folder not in self._folders:
                _make_folder(folder)
                self._folders.add(folder)
            if self._previous:
                _write_or_keep(target, content, os.path.join(self.out, *parts), self.counters)
            else:
                _write_file(target, content)
                self.counters.add("files_written")
        except OSError as exc:
            raise UshtilError([_write_error(self.out, exc)]) from None
        return target

    def discard(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None
            self._folders = set()


def _make_folder(folder: str) -> None:
    """``folder`` and any missing parents: one system call when its parent is there."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def _new_staging(out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        mark(staging)
        return staging
    except OSError as exc:
        raise UshtilError(
            [
                error(
                    Location(str(out)),
                    "write",
                    f"cannot write the output folder: {exc.strerror or exc}",
                )
            ]
        ) from None


def _write_error(out: Path, exc: OSError) -> Diagnostic:
    reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return error(
        Location(str(out)),
        "write",
        f"cannot write the site ({reason}); the previous site is unchanged",
    )


def write_site(
    pages: Iterable[Page],
    out: Path,
    staging: Path | None = None,
    counters: Counters | None = None,
) -> int:
    """Write ``pages`` as the new content of ``out``; return how many files were written.
    ``staging`` already holds the pages whose source is in it (a :class:`Spool`).

    Call with :func:`output_lock` held."""
    staging = staging if staging is not None else _new_staging(out)
    with _until_swapped(staging, out):
        count = _stage(pages, staging, out, counters if counters is not None else Counters())
        os.chmod(staging, 0o755)
        _swap(staging, out)
    return count


@contextmanager
def _until_swapped(staging: Path, out: Path) -> Iterator[None]:
    """Any failure before the new files are in place: the staging folder goes, the
    previous site stays, and a write error becomes a message for the user."""
    try:
        yield
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UshtilError([_write_error(out, exc)]) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


SMALL_CHANGE = 0.3  # up to this share of files changed: update in place, file by file


@dataclass(frozen=True)
class Changes:
    """What a write did to the output folder: the files (re)written and the files removed,
    by path. When the whole folder was replaced, every file counts as written."""

    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    replaced: bool = False  # the whole folder was replaced (nothing else in it is left)


def write_changes(
    pages: list[Page], out: Path, previous: set[str], counters: Counters | None = None
) -> Changes:
    """Bring ``out`` (which holds ``previous``) to ``pages`` by replacing only what
    changed. Changed files are staged beside ``out`` first; then a journal is written
    and the staged files are renamed into place with Ctrl-C and SIGTERM held back, so a
    failure before that point changes nothing, and a build killed during those renames
    is completed by the next build. A large change rewrites the whole folder instead."""
    where = os.fspath(out)
    changed = [p for p in pages if p.source is None or p.source != os.path.join(where, p.path)]
    removed = sorted(previous - {p.path for p in pages})
    if (
        not out.is_dir()
        or not previous
        or len(changed) + len(removed) > SMALL_CHANGE * max(len(pages), 1)
    ):
        write_site(pages, out, counters=counters)
        return Changes(tuple(p.path for p in pages), tuple(removed), replaced=True)
    changed = [p for p in changed if not _same(p, out)]
    if not changed and not removed:
        return Changes()
    if not all(real_folder_inside(out, path) for path in (*(p.path for p in changed), *removed)):
        write_site(pages, out, counters=counters)  # a link inside the output: all replaced
        return Changes(tuple(p.path for p in pages), tuple(removed), replaced=True)
    staging = _new_staging(out)
    plan = Plan(staging=staging.name, changed=[p.path for p in changed], removed=removed)
    journal = journal_path(out)
    with _until_swapped(staging, out):
        _stage(changed, staging, out, counters if counters is not None else Counters())
        write_journal(journal, plan)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        apply_plan(out, plan)
        journal.unlink()
    except OSError as exc:  # the journal stays: the next build completes the update
        raise UshtilError(
            [
                error(
                    Location(str(out)),
                    "write",
                    f"the update stopped half-way ({exc.strerror or exc}); "
                    "build again to complete it",
                )
            ]
        ) from None
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return Changes(tuple(p.path for p in changed), tuple(removed))


def _same(page: Page, out: Path) -> bool:
    """Whether ``out`` already has this page (rendered, or a copy of a project's file such
    as an article's image), byte for byte."""
    target = out / page.path
    try:
        if page.source is not None:  # linked to when the same: never through a link
            return (
                real_folder_inside(out, page.path)
                and stat.S_ISREG(os.lstat(target).st_mode)
                and filecmp.cmp(page.source, target, shallow=False)
            )
        return target.stat().st_size == len(page.content) and target.read_bytes() == page.content
    except OSError:
        return False


def _stage(pages: Iterable[Page], staging: Path, out: Path, counters: Counters) -> int:
    """Write ``pages`` under ``staging``; unchanged ones are links to ``out``'s copies."""
    made: set[str] = set()
    count = 0
    base = os.fspath(staging)
    spooled = os.fspath(staging) + os.sep
    for page in pages:
        if page.source is not None and page.source.startswith(spooled):
            count += 1  # rendered straight into the staging folder
            continue
        parts = page.path.split("/")
        if page.path.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise UshtilError(
                [error(Location(page.path), "unsafe-path", "output path leaves the output folder")]
            )
        target = os.path.join(base, *parts)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if page.source is None:
            _write_or_keep(target, page.content, os.path.join(out, *parts), counters)
        elif Path(page.source).parent.is_relative_to(out):
            _link(Path(page.source), Path(target))  # unchanged since the last build
            counters.add("files_linked")
        elif _same(page, out):
            os.link(os.path.join(out, *parts), target)  # the same bytes: the same file
            counters.add("files_linked")
        else:
            shutil.copyfile(page.source, target)  # a file of the project: never linked
            counters.add("files_written")
        count += 1
    return count


def _write_or_keep(path: str, content: bytes, previous: str, counters: Counters) -> None:
    """``content`` as ``path``; when the previous output's file ``previous`` has exactly
    these bytes, it is linked instead, so a file whose bytes did not change keeps its
    inode (and a deploy tool comparing inodes or times sees no change)."""
    try:
        info = os.lstat(previous)
        if stat.S_ISREG(info.st_mode) and info.st_size == len(content):
            with open(previous, "rb") as handle:
                if handle.read() == content:
                    os.link(previous, path)
                    counters.add("files_linked")
                    return
    except OSError:
        pass
    _write_file(path, content)
    counters.add("files_written")


def _write_file(path: str, content: bytes) -> None:
    """A new file in a staging folder: open, write, close (no buffering layer's checks)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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
