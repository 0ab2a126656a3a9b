"""The journal of an update in place: what a build records before it renames staged
files into the output, signed with the user's key, so that a build killed half-way is
completed by the next one, and never believed when anything in it is not ushtil's own."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TypedDict

from ushtil.engine.outfolder import is_ours
from ushtil.project import private

JOURNAL_TAG = b"ushtil-journal\0"


class Plan(TypedDict):
    """An update in place, as its journal records it: the staging folder (beside the
    output) and the paths to move from it, and to remove."""

    staging: str
    changed: list[str]
    removed: list[str]


def journal_path(out: Path) -> Path:
    return out.parent / f".{out.name}.journal"


def read_journal(journal: Path, out: Path) -> Plan | None:
    """The plan of an interrupted update, if ushtil wrote it: signed with the user's key
    (:mod:`ushtil.project.private`), its staging folder one of ``out``'s (with the
    marker), every path a plain relative path inside ``out``. Anything else is not
    believed (and not acted on)."""
    secret = private.key()
    try:
        fd = os.open(journal, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            mac = handle.readline().rstrip(b"\n").decode("ascii")
            data = handle.read()
        if secret is None or not private.verify(secret, JOURNAL_TAG + data, mac):
            return None
        plan = json.loads(data.decode("utf-8"))
        staging, changed, removed = plan["staging"], plan["changed"], plan["removed"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (
        isinstance(staging, str)
        and re.fullmatch(rf"\.{re.escape(out.name)}\.new-[A-Za-z0-9_]+", staging)
    ):
        return None
    if not is_ours(out.parent / staging) or not is_ours(out):
        return None
    paths = (
        [*changed, *removed] if isinstance(changed, list) and isinstance(removed, list) else [None]
    )
    if not all(isinstance(p, str) and is_plain(p) for p in paths):
        return None
    return {"staging": staging, "changed": changed, "removed": removed}


def is_plain(path: str) -> bool:
    """A relative POSIX path with no empty, ``.`` or ``..`` part (and no NUL)."""
    parts = path.split("/")
    return (
        bool(path)
        and "\0" not in path
        and not path.startswith("/")
        and all(p not in ("", ".", "..") for p in parts)
    )


def real_folder_inside(out: Path, path: str) -> bool:
    """Every folder on the way from ``out`` to ``path``'s file is a real folder (or not
    there yet): no symbolic link redirects a rename or a removal out of ``out``."""
    folder = out
    for part in path.split("/")[:-1]:
        folder = folder / part
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return False
        except FileNotFoundError:
            return True
    return True


def write_journal(journal: Path, plan: Plan) -> None:
    """Signed with the user's key (an unsigned journal is never believed), written beside
    the journal and renamed over it: a symbolic link in its place is replaced, never
    written through."""
    data = json.dumps(plan).encode("utf-8")
    secret = private.key()
    mac = private.sign(secret, JOURNAL_TAG + data) if secret is not None else "unsigned"
    fd, tmp = tempfile.mkstemp(prefix=f"{journal.name}.", dir=journal.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(mac.encode("ascii") + b"\n" + data)
        os.replace(tmp, journal)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply_plan(out: Path, plan: Plan) -> None:
    staging = out.parent / str(plan["staging"])
    for path in plan["changed"]:
        source = staging / path
        if not (real_folder_inside(out, path) and real_folder_inside(staging, path)):
            raise OSError(errno.ELOOP, f"a symbolic link is in the way of {path}")
        if os.path.lexists(source):  # not yet moved (a resumed update skips what was)
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, out / path)
    for path in plan["removed"]:
        if not real_folder_inside(out, path):
            raise OSError(errno.ELOOP, f"a symbolic link is in the way of {path}")
        target = out / path
        target.unlink(missing_ok=True)
        folder = target.parent
        while (
            folder != out
            and not folder.is_symlink()
            and folder.is_dir()
            and not any(folder.iterdir())
        ):
            folder.rmdir()
            folder = folder.parent
    shutil.rmtree(staging, ignore_errors=True)
