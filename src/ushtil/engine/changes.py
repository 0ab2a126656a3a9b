"""What changed since the last build, found from the file system's metadata alone.

:func:`signature` walks the build's inputs (:data:`layout.BUILD_INPUTS`) once
(``os.scandir``: what each path is, its size and times, nothing read) for the decision
that nothing changed and for the parse cache (:func:`file_key`); ``serve`` keeps those
keys and brings them up to date from its watcher's list of changed paths
(:func:`restat`), so a saved file costs one ``stat``, not a walk.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
from collections.abc import Iterable
from pathlib import Path

from ushtil.engine.counters import Counters
from ushtil.project import git, layout

Stats = dict[str, tuple[int, int]]  # path as walked → its file_key


def file_key(info: os.stat_result) -> tuple[int, int]:
    """What a file's parse or probe is remembered by: its change time, which every write
    and every change of its modification time sets (and nobody can set back), and its
    size. A file given other bytes and its old modification time is read again."""
    return info.st_ctime_ns, info.st_size



def signature(
    root: Path, out: Path, fp: str, counters: Counters | None = None
) -> tuple[str, Stats]:
    """What every input of the build is, from its metadata (``lstat``: what a path is, a
    file, a folder or a link, its inode, size, modification and change times; nothing
    read), with ``fp`` (the templates', catalogues' and ushtil's own :func:`fingerprint`)
    and git's HEAD (commit times date outdated versions): equal signatures mean an equal
    site and equal problems, short of the clock passing an article's date. The inputs are
    :data:`layout.BUILD_INPUTS`, each walked without following a link in it (a link is an
    input as it is: the build refuses or skips it, and what it names is in ``fp`` when the
    build reads it). Also the :func:`file_key` of every file it looked at, so it is not
    asked twice; those files are counted in ``counters``."""
    h = hashlib.blake2b(digest_size=16)
    h.update(fp.encode() + b"\0" + str(out).encode())
    stats: Stats = {}
    lines: list[str] = []
    stack: list[str] = []
    for name in layout.BUILD_INPUTS:
        path = os.path.join(root, name)
        try:
            info = os.lstat(path)
        except OSError as exc:
            lines.append(f"{path}\0{exc.errno}\n")  # absent, or not to be looked at
            continue
        lines.append(_line(path, info))
        if not stat_module.S_ISREG(info.st_mode):
            stack.append(path)  # a folder, or a link the build follows as it reads
    while stack:
        folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue  # not a folder, or one that cannot be read: its own line says so
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):  # no stat: the listing says so
                        lines.append(f"{entry.path}\0folder\0{entry.inode()}\n")
                        stack.append(entry.path)
                        continue
                    info = entry.stat(follow_symlinks=False)
                except OSError as exc:  # gone meanwhile
                    lines.append(f"{entry.path}\0{exc.errno}\n")
                    continue
                lines.append(_line(entry.path, info))
                stats[entry.path] = file_key(info)
    if counters is not None:
        counters.add("files_statted", len(stats))
    lines.sort()  # one order, whatever order the folders were listed in
    h.update("".join(lines).encode("utf-8", "surrogateescape"))
    h.update(git.head(root))
    return h.hexdigest(), stats


def _line(path: str, info: os.stat_result) -> str:
    """A path's line of the signature: what it is (a file, a link, …, and its mode), its
    inode, size and times, so a file swapped for a link or for another file of the same
    size and modification time is noticed (a new file has a new inode and change time).
    A folder is known by what it holds."""
    kind = f"{path}\0{info.st_mode:o}\0{info.st_ino}"
    if stat_module.S_ISDIR(info.st_mode):
        return kind + "\n"
    return f"{kind}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\n"


def restat(stats: Stats, changed: Iterable[str], counters: Counters | None = None) -> Stats:
    """``stats`` brought up to date for the ``changed`` paths alone: a file's key asked
    again, a folder's files walked, a path that is gone forgotten with all under it."""
    for path in changed:
        for known in [k for k in stats if k == path or k.startswith(path + os.sep)]:
            del stats[known]
        if counters is not None:
            counters.add("files_statted")
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            continue
        if stat_module.S_ISDIR(info.st_mode):
            for folder, _, files in os.walk(path):
                for name in files:
                    restat(stats, [os.path.join(folder, name)], counters)
        else:
            stats[path] = file_key(info)
    return stats


def as_walked(root: Path, paths: Iterable[str]) -> list[str]:
    """``paths`` spelled as :func:`signature` spells what it walks (the watcher may have
    followed a link to the project); paths outside the project are left out."""
    real = os.path.realpath(root)
    found = []
    for path in paths:
        inside = os.path.relpath(os.path.realpath(path), real)
        if inside != os.pardir and not inside.startswith(os.pardir + os.sep):
            found.append(os.path.join(root, inside))
    return found
