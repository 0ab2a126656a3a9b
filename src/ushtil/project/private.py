"""What a checkout cannot supply: a folder of the user's own and a secret key in it.

A project folder is untrusted input (a site repository builds pull requests from outside
contributors), so what ushtil remembers between builds (the build cache) and anything
that would run code when loaded (Jinja's compiled templates) is kept only in the user's
own folder, and what it must leave in the output (an update's journal) is signed with a
key that lives there:
``$XDG_CACHE_HOME/ushtil`` (default ``~/.cache/ushtil``), made with mode 0700.

The folder is used only when it is a real folder (not a symbolic link), owned by this
user, closed to everyone else, and not inside the project; the key only when it is a
regular file of this user readable by nobody else. Files made by ``git checkout`` or
``tar`` do not pass (their modes let others read), so a project that happens to contain
``.cache/ushtil`` (a home folder used as a checkout) cannot plant one. When the folder
cannot be had, ushtil works without it: nothing is remembered between builds.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from ushtil.project.files import is_at_or_within

KEY_BYTES = 32


def folder(project: Path | None = None) -> Path | None:
    """The user's own ushtil folder, made if needed; None if it cannot be trusted."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    path = Path(base) / "ushtil"
    try:
        os.makedirs(base, exist_ok=True)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    if project is not None and is_at_or_within(os.path.realpath(path), os.path.realpath(project)):
        return None
    return path


def key(project: Path | None = None) -> bytes | None:
    """The user's secret key (made on first use); None if there is no trusted folder."""
    home = folder(project)
    if home is None:
        return None
    path = home / "key"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return _new_key(path)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        value = handle.read(KEY_BYTES + 1)
    return value if len(value) == KEY_BYTES else None


def _new_key(path: Path) -> bytes | None:
    value = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
        )
    except FileExistsError:  # another process made it first
        return key()
    except OSError:
        return None
    with os.fdopen(fd, "wb") as handle:
        handle.write(value)
    return value


def sign(secret: bytes, data: bytes) -> str:
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def verify(secret: bytes, data: bytes, mac: str) -> bool:
    return hmac.compare_digest(sign(secret, data), mac)
