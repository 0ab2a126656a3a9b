"""What changed since the last build, found from the file system's metadata alone.

:func:`signature` walks the sources once (``os.scandir``: size and modification time of
every file, nothing read) for the decision that nothing changed and for the parse cache;
``serve`` keeps those sizes and times and brings them up to date from its watcher's list
of changed paths (:func:`restat`), so a saved file costs one ``stat``, not a walk.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
from collections.abc import Iterable
from pathlib import Path

from ushtil.project import git, layout
from ushtil.site.counters import Counters

Stats = dict[str, tuple[int, int]]  # path as walked → (modification time in ns, size)


def signature(
    root: Path, out: Path, fp: str, counters: Counters | None = None
) -> tuple[str, Stats]:
    """Sizes and modification times of every input, with ``fp`` (the templates',
    catalogues' and ushtil's own :func:`fingerprint`) and git's HEAD (commit times date
    outdated versions): equal signatures mean an equal site, short of the clock passing an
    article's date. Also the (modification time, size) of every file it looked at, so they
    are not asked twice."""
    h = hashlib.blake2b(digest_size=16)
    h.update(fp.encode() + str(out).encode())
    stats: Stats = {}
    stack = [os.path.join(root, layout.ARTICLES), os.path.join(root, layout.STATIC)]
    lines: list[str] = []
    while stack:
        folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    stat = entry.stat(follow_symlinks=False)
                    stats[entry.path] = (stat.st_mtime_ns, stat.st_size)
                    lines.append(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    if counters is not None:
        counters.add("files_statted", len(stats))
    lines.sort()  # one order, whatever order the folders were listed in
    h.update("".join(lines).encode())
    h.update(git.head(root))
    return h.hexdigest(), stats


def restat(stats: Stats, changed: Iterable[str], counters: Counters | None = None) -> Stats:
    """``stats`` brought up to date for the ``changed`` paths alone: a file's size and time
    asked again, a folder's files walked, a path that is gone forgotten with all under it."""
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
            stats[path] = (info.st_mtime_ns, info.st_size)
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
