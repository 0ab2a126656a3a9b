"""Writing a file into the project: atomically, never through a symbolic link, never
outside the project.

Every file ushtil writes into a checkout (the catalogues and their template, article
versions, exported ``.po`` files) goes through :func:`write_text`. A checkout is
untrusted: a link where a file is to be written could point anywhere, so the target
must not be a link, the folder it goes into must lead (links followed) to a folder
inside the project, and the file is written beside its target and renamed over it, so
nothing is ever half-written. (The site's output folder has its own writer, ``write``.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ushtil.project import layout
from ushtil.project.problems import Diagnostic, Location, UshtilError, display_path, error

LINK = "is a symbolic link; ushtil does not write through links (replace it with a regular file)"


def _refuse(root: Path, path: Path, code: str, message: str) -> UshtilError:
    return UshtilError([error(Location(display_path(path, root)), code, message)])


def is_within(path: Path | str, folder: Path | str) -> bool:
    """Whether ``path`` names something inside ``folder`` (``..`` counted, links not)."""
    return os.path.normpath(path).startswith(os.path.normpath(folder).rstrip(os.sep) + os.sep)


def is_at_or_within(path: Path | str, folder: Path | str) -> bool:
    """``path`` is ``folder``, or inside it."""
    return os.path.normpath(path) == os.path.normpath(folder) or is_within(path, folder)


def check_writable(root: Path, path: Path, *, within: Path | None = None) -> None:
    """Raise :class:`UshtilError` unless ``path`` may be written: it is not a link nor a
    folder, and its folder, links followed, is inside ``within`` (default: the project
    ``root``). ``path`` is shown relative to ``root``."""
    bound = (within or root).resolve()
    what = "the project" if within is None else display_path(within, root)
    if path.is_symlink():
        raise _refuse(root, path, "symlink", LINK)
    if path.exists() and not path.is_file():
        raise _refuse(root, path, "not-a-file", "is not a regular file; nothing was written")
    if not is_within(path.parent.resolve() / path.name, bound):
        message = f"its folder leads out of {what} (through a symbolic link)"
        raise _refuse(root, path, "outside", message)


def _make_folders(root: Path, path: Path) -> None:
    """Create the missing folders above ``path`` one by one, none through a link."""
    missing: list[Path] = []
    folder = path.parent
    while not folder.is_dir():
        if folder.is_symlink() or folder.exists():
            problem = "is a symbolic link" if folder.is_symlink() else "is a file"
            message = f"cannot create its folder: {display_path(folder, root)} {problem}"
            raise _refuse(root, path, "folder", message)
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        os.mkdir(folder)


def write_text(
    root: Path, path: Path, text: str, *, create: bool = False, within: Path | None = None
) -> None:
    """Write ``text`` (UTF-8, as given) to ``path`` atomically, after
    :func:`check_writable`; missing folders are created. With ``create``, a file that is
    already there (or appears meanwhile) is left alone and reported."""
    check_writable(root, path, within=within)
    if create and path.exists():
        raise _refuse(root, path, "exists", "already exists; nothing was changed")
    _make_folders(root, path)
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        check_writable(root, path, within=within)  # again: the rename must not replace a new link
        if create and path.exists():
            raise _refuse(root, path, "exists", "appeared while writing; nothing was changed")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def links_out(root: Path) -> list[Diagnostic]:
    """The project's own files and folders that ushtil reads (``site.toml``, ``articles/``,
    ``locales/`` and every catalogue, ``i18n/``) that are links leading out of the
    project: a checkout could otherwise make ushtil read, publish or quote any file of
    the machine (a key, ``/etc/shadow``). Templates and ``static/`` are trusted."""
    top = os.path.realpath(root)
    candidates = [
        root / layout.CONFIG,
        root / layout.ARTICLES,
        root / layout.I18N,
        root / layout.POT,
        root / layout.BABEL_CFG,
        root / layout.EXPORTS,
        root / layout.LOCALES,
    ]
    locales = root / layout.LOCALES
    if locales.is_dir():
        for lang in sorted(locales.iterdir()):
            candidates += [
                lang,
                lang / layout.LC_MESSAGES,
                *sorted((lang / layout.LC_MESSAGES).glob("*.po")),
            ]
    problems = []
    for path in candidates:
        if os.path.lexists(path) and not is_within(Path(os.path.realpath(path)), Path(top)):
            shown = path.relative_to(root).as_posix()
            problems.append(
                error(
                    Location(shown),
                    "link-out",
                    "is a link that leads out of the project; "
                    "ushtil reads only the project's own files",
                )
            )
    return problems
