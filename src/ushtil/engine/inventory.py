"""What the last build left in its output folder, and the files in it that ushtil did not
write.

A build records, in the user's own folder (``$XDG_CACHE_HOME/ushtil/outputs/``, under
the name in the output's marker, so the record follows the folder when it is moved), the
files it wrote and, for every folder of the output, its inode number and change time.
A file added, removed or renamed in a folder moves that folder's change time, which no
program can set back; so the next build, even one that finds nothing to rebuild, asks
each folder's time (one ``lstat`` a folder, nothing listed) and lists only the folders
whose time moved. Every build thus names the files in the output that ushtil did not
write. A file's bytes changed in place are not looked for (that would cost a ``stat`` of
every file).

An update in place records the files it is about to write before it writes them (the
record is then unsettled, and the next build lists the whole output), so a build killed
half-way never makes ushtil's own files look foreign. An output without a record (one
whose build was killed just after the new folder was swapped in, when all of it is
ushtil's; or one whose record was removed) is taken as it is: its files are recorded as
ushtil's.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ushtil.project import private
from ushtil.project.problems import Diagnostic, Location, warning

FORM = 1
Folders = dict[str, str]  # folder of the output ("" the output itself) → "inode:ctime"


@dataclass(frozen=True)
class Record:
    """The files a build wrote into its output, its folders as it left them (None: an
    update was under way), and what it found there that it did not write."""

    files: frozenset[str]
    folders: Folders | None
    foreign: tuple[str, ...] = ()


@dataclass(frozen=True)
class Survey:
    """The output as a build finds it: the entries ushtil did not write (a folder of them
    as ``name/``), whether every recorded file is there, and its folders as seen."""

    foreign: tuple[str, ...]
    intact: bool
    folders: Folders


def _place(name: str | None) -> Path | None:
    if name is None or not re.fullmatch(r"[0-9a-f]{1,64}", name):
        return None
    home = private.folder()
    if home is None:
        return None
    folder = home / "outputs"
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
    except OSError:
        return None
    return folder / f"{name}.json"


def read(name: str | None) -> Record | None:
    """The record of the output whose marker is named ``name``; None if there is none."""
    path = _place(name)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            data = json.loads(handle.read())
        if data["form"] != FORM:
            return None
        files, folders, foreign = data["files"], data["folders"], data["foreign"]
        if not (
            isinstance(files, list)
            and isinstance(foreign, list)
            and (folders is None or isinstance(folders, dict))
            and all(isinstance(f, str) for f in [*files, *foreign, *(folders or {}).values()])
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Record(frozenset(files), folders, tuple(foreign))


def save(name: str | None, record: Record) -> None:
    """Keep ``record`` for the output whose marker is named ``name`` (written beside and
    renamed into place); without the user's folder nothing is kept."""
    path = _place(name)
    if path is None:
        return
    data = {
        "form": FORM,
        "files": sorted(record.files),
        "folders": record.folders,
        "foreign": list(record.foreign),
    }
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, separators=(",", ":"))
            os.rename(tmp, path)  # over the earlier record, at once
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # the next build lists the output whole


def forget(name: str | None) -> None:
    path = _place(name)
    if path is not None:
        path.unlink(missing_ok=True)


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def folders_of(files: Iterable[str]) -> set[str]:
    """Every folder the ``files`` lie in, up to the output itself (``""``)."""
    found = {""}
    for path in files:
        folder = _parent(path)
        while folder not in found:
            found.add(folder)
            folder = _parent(folder)
    return found


def _all_seen(out: Path, folders: Iterable[str]) -> Folders:
    """Each folder's inode and change time ("" when it is not a folder now), in one loop:
    the cost of a build with nothing to do."""
    whole, base, lstat, isdir = os.fspath(out), os.fspath(out) + os.sep, os.lstat, stat.S_ISDIR
    now = {}
    for folder in folders:
        try:
            info = lstat(base + folder if folder else whole)
        except OSError:
            now[folder] = ""
            continue
        now[folder] = f"{info.st_ino}:{info.st_ctime_ns}" if isdir(info.st_mode) else ""
    return now


def survey(out: Path, record: Record) -> Survey:
    """``out`` against ``record``: the recorded folders whose time is unchanged are taken
    as they were; the others are listed (all of them when the record is unsettled)."""
    if record.folders is None:
        return walk(out, record.files)
    now = _all_seen(out, record.folders)
    moved = {folder for folder, seen in now.items() if seen != record.folders[folder]}
    if not moved:
        return Survey(record.foreign, True, now)
    expected: dict[str, set[str]] = {}
    for path in record.files:
        folder, _, name = path.rpartition("/")
        if folder in moved:
            expected.setdefault(folder, set()).add(name)
    foreign = [f for f in record.foreign if _parent(f.rstrip("/")) not in moved]
    intact = True
    for folder in sorted(moved):
        names: set[str] = set()
        if now[folder]:
            try:
                with os.scandir(os.path.join(out, folder) if folder else out) as entries:
                    for entry in entries:
                        path = _join(folder, entry.name)
                        if entry.is_dir(follow_symlinks=False):
                            if path not in record.folders:
                                foreign.append(path + "/")
                        elif path in record.files:
                            names.add(entry.name)
                        else:
                            foreign.append(path)
            except OSError:
                pass
        intact = intact and expected.get(folder, set()) <= names
    return Survey(tuple(sorted(foreign)), intact, now)


def walk(out: Path, files: frozenset[str]) -> Survey:
    """The whole of ``out`` listed against ``files`` (one listing a folder)."""
    folders = folders_of(files)
    foreign, present = [], set()
    stack = [""]
    while stack:
        folder = stack.pop()
        try:
            entries = os.scandir(os.path.join(out, folder) if folder else out)
        except OSError:
            continue
        with entries:
            for entry in entries:
                path = _join(folder, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    if path in folders:
                        stack.append(path)
                    else:
                        foreign.append(path + "/")
                elif path in files:
                    present.add(path)
                else:
                    foreign.append(path)
    return Survey(tuple(sorted(foreign)), present == files, _all_seen(out, folders))


def settle(
    out: Path,
    files: frozenset[str],
    foreign: tuple[str, ...],
    seen: Folders | None = None,
    touched: Iterable[str] = (),
) -> Record:
    """The record of ``out`` as a build leaves it, holding ``files`` (and ``foreign``):
    each folder's time asked again, but those ``seen`` before the build wrote and not on
    the way to a ``touched`` path."""
    everything = folders_of(files)
    if seen is None:
        return Record(files, _all_seen(out, everything), foreign)
    changed = folders_of(touched)
    folders = {f: seen[f] for f in everything if f in seen and f not in changed}
    folders.update(_all_seen(out, everything - folders.keys()))
    return Record(files, folders, foreign)


def problems(out: Path, kept: Iterable[str], removed: Iterable[str]) -> list[Diagnostic]:
    """A warning for each file in ``out`` that ushtil did not write: those ``kept`` there
    (published with the site) and those this build ``removed`` with the old folder."""

    def named(path: str, message: str) -> Diagnostic:
        what = "a folder not written by ushtil, nor anything in it" if path.endswith("/") else ""
        where = Location(os.path.join(out, path.rstrip("/")))
        return warning(where, "foreign-output", message.format(what or "not written by ushtil"))

    return [
        named(
            path,
            "{}, but in the output folder (so published with the site); remove it, or put "
            "what the site needs in static/ (build --clean removes it)",
        )
        for path in kept
    ] + [named(path, "removed ({}) with the old output folder") for path in removed]
