"""Git, asked only when a source last changed, in a way no checkout can turn into code.

A checkout is untrusted (SECURITY.md), and so is a ``.git`` folder that came with it (an
unpacked archive) or a folder that looks like one (``HEAD``, ``objects/``, ``refs/`` and a
``config``: git takes it for a repository). Git's configuration can name programs that git
runs: ``core.fsmonitor``, hooks, the pager, an external diff, ``textconv`` and clean/smudge
filters (for any driver name), ``gpg.program`` for ``log.showSignature``, and, through a
partial clone's lazy fetch, ``core.sshCommand``, ``ext::`` and remote helpers. Git has no
switch that stops it reading the repository's own configuration, so :func:`run`, the one
way ushtil runs git:

- names the repository itself, ``<project>/.git`` and that work tree (``GIT_DIR``,
  ``GIT_WORK_TREE``), so nothing is discovered: not a folder above the project, not the
  project folder taken for a bare repository; with no ``.git`` git is not run at all;
- keeps none of the caller's ``GIT_*`` variables (they could name another repository,
  index or object store), but the user's own system and global configuration, which are
  theirs;
- allows no transport (``GIT_ALLOW_PROTOCOL`` empty overrides every ``protocol.*`` key,
  ``GIT_NO_LAZY_FETCH``), so a missing object is an error and never a fetch;
- sets ``core.fsmonitor=false``, ``core.hooksPath=/dev/null``, ``log.showSignature=false``,
  ``--no-pager``, no terminal prompt and no input;
- and is used only for commands that read objects and refs and never the work tree: ``log``
  without a diff (``--no-ext-diff --no-textconv --no-renames``) and ``ls-tree``. ``git
  status`` and ``diff`` are never run: they refresh the index, which runs ``core.fsmonitor``
  and, for any file whose time changed, the clean filter ``.gitattributes`` names. Whether
  a file is committed unmodified is decided here instead, by hashing its bytes as git
  hashes a blob (a filter or line-ending conversion makes it count as modified: its own
  modification time is used, which is what a project outside git gets).

The executable is looked up in the absolute folders of ``PATH`` only (an empty or ``.``
entry would find a ``git`` planted in the project). Without git every answer is None.

The no-change signature of a build must notice a commit without starting a process:
:func:`head` reads ``.git/HEAD`` and the branch it names as small regular files, never
through a link or from a FIFO, and a ref name with a ``..`` is not followed (a worktree's
``.git`` file is the one case where it asks git).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

GIT_DIR = ".git"
TIMEOUT = 60  # seconds, for one command
# configuration given on git's command line, which wins over the repository's own
SETTINGS = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "log.showSignature=false",
    "safe.bareRepository=explicit",
    "protocol.allow=never",
)
# a ref name as HEAD may name it: no empty part, no part starting with "." (so no ".."),
# no control character, space or character git forbids
_REF = re.compile(rb"ref: (refs(?:/[^\x00-\x20\x7f~^:?*\[\\/.][^\x00-\x20\x7f~^:?*\[\\/]*)+)\n?\Z")
_SMALL = 4096  # bytes: HEAD and a loose ref are one line
_BLOB_LIMIT = 64 * 1024 * 1024


def executable() -> str | None:
    """git, found in the absolute folders of ``PATH`` (None when there is none)."""
    folders = os.environ.get("PATH", os.defpath).split(os.pathsep)
    absolute = os.pathsep.join(f for f in folders if os.path.isabs(f))
    return shutil.which("git", path=absolute) if absolute else None


def environment(root: Path) -> dict[str, str]:
    """The environment git runs in: the caller's without its ``GIT_*`` variables, the
    repository named, no transport, no prompt."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    top = os.path.abspath(root)
    env.update(
        GIT_DIR=os.path.join(top, GIT_DIR),
        GIT_WORK_TREE=top,
        GIT_ALLOW_PROTOCOL="",
        GIT_NO_LAZY_FETCH="1",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
    )
    return env


def run(root: Path, *args: str) -> str | None:
    """The output of ``git <args>`` on the repository ``<root>/.git``, or None: no such
    folder, no git, git failed or took too long. Only read-only commands that touch no
    work-tree file belong here (``log`` without a diff, ``ls-tree``)."""
    program = executable()
    if program is None or not os.path.lexists(os.path.join(root, GIT_DIR)):
        return None
    settings = [part for setting in SETTINGS for part in ("-c", setting)]
    try:
        done = subprocess.run(
            [program, "--no-pager", *settings, *args],
            cwd=root,
            env=environment(root),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _read(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes, at most ``limit`` of them (None: not one, or larger),
    opened without following a link and without waiting on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def head(root: Path) -> bytes:
    """What ``HEAD`` is now, for the no-change signature: its text, the commit of the
    branch it names and the size and time of ``packed-refs`` (empty when there is no
    ``.git`` folder). Read as small regular files only; git is run (:func:`run`) only
    when ``.git`` is a file that names the repository elsewhere (a worktree's)."""
    folder = root / GIT_DIR
    if os.path.isfile(folder):  # "gitdir: …", a worktree's: git itself finds its HEAD
        return (run(root, "rev-parse", "--verify", "-q", "HEAD") or "").encode()
    text = _read(folder / "HEAD", _SMALL)
    if text is None:
        return b""
    parts = [text]
    ref = _REF.match(text)
    if ref is not None:
        parts.append(_read(folder / os.fsdecode(ref.group(1)), _SMALL) or b"")
        try:
            packed = os.stat(folder / "packed-refs", follow_symlinks=False)
            parts.append(f"{packed.st_size} {packed.st_mtime_ns}".encode())
        except OSError:
            pass
    return b"\0".join(parts)


def blob_id(path: Path, like: str) -> str | None:
    """The id git gives a blob of ``path``'s bytes as they are (no filter, no line-ending
    conversion), in the object format of ``like`` (an id from the same repository: SHA-1
    or SHA-256); None when the file cannot be read as a regular file."""
    data = _read(path, _BLOB_LIMIT)
    if data is None:
        return None
    h = hashlib.sha256() if len(like) == 64 else hashlib.sha1(usedforsecurity=False)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()
