"""Writing a file into the project: atomically, never through a symbolic link, never
outside the project.

Every file ushtil writes into a checkout (the catalogues and their template, article
versions, exported ``.po`` files) goes through :func:`write_text`. A checkout is
untrusted: a link where a file is to be written could point anywhere, so the target
must not be a link, the folder it goes into must lead (links followed) to a folder
inside the project, and the file is written beside its target and renamed over it, so
nothing is ever half-written. Files that belong together (a version, its stamp record,
the header of the file it was imported from) go through :func:`write_all`: every one is
checked before the first is written, and all are written or none. (The site's output
folder has its own writer, ``write``.)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
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


def _missing_folders(root: Path, path: Path) -> list[Path]:
    """The folders above ``path`` that are not there yet, nearest first; raise
    :class:`UshtilError` if one of them cannot be made (a link or a file is in its place)."""
    missing: list[Path] = []
    folder = path.parent
    while not folder.is_dir():
        if folder.is_symlink() or folder.exists():
            problem = "is a symbolic link" if folder.is_symlink() else "is a file"
            message = f"cannot create its folder: {display_path(folder, root)} {problem}"
            raise _refuse(root, path, "folder", message)
        missing.append(folder)
        folder = folder.parent
    return missing


def _make_folders(root: Path, path: Path) -> None:
    """Create the missing folders above ``path`` one by one, none through a link."""
    for folder in reversed(_missing_folders(root, path)):
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


@dataclass(frozen=True)
class Planned:
    """A file a command is to write: ``text`` into ``path``, as :func:`write_text` does."""

    path: Path
    text: str
    create: bool = False  # a new file: one that is already there is refused
    within: Path | None = None  # see check_writable


def plan_problems(root: Path, planned: Sequence[Planned]) -> list[Diagnostic]:
    """Why any of ``planned`` could not be written (a link or a folder in its place, a
    folder that leads out of the project or cannot be made, a new file that is already
    there): every one, found before anything is written."""
    problems: list[Diagnostic] = []
    for plan in planned:
        try:
            check_writable(root, plan.path, within=plan.within)
            if plan.create and plan.path.exists():
                raise _refuse(root, plan.path, "exists", "already exists; nothing was changed")
            _missing_folders(root, plan.path)
        except UshtilError as exc:
            problems += exc.diagnostics
    return problems


def write_all(root: Path, planned: Sequence[Planned]) -> None:
    """Write every one of ``planned``, or none: all are checked (:func:`plan_problems`)
    before the first is written, and if one still cannot be written (a full disk, a link
    put in its place meanwhile, Ctrl-C), those already written are put back as they were
    (bytes, mode and modification time; a file that was not there removed again). Raise
    :class:`UshtilError` saying what was not written and what was put back."""
    problems = plan_problems(root, planned)
    if problems:
        raise UshtilError(problems)
    done: list[tuple[Planned, tuple[bytes, os.stat_result] | None]] = []
    plan = None
    try:
        for plan in planned:
            old = (plan.path.read_bytes(), plan.path.stat()) if plan.path.exists() else None
            write_text(root, plan.path, plan.text, create=plan.create, within=plan.within)
            done.append((plan, old))
    except BaseException as exc:
        left = [p.path for p, old in reversed(done) if not _put_back(root, p, old)]
        if not isinstance(exc, OSError | UshtilError) or plan is None:
            raise
        found = list(exc.diagnostics) if isinstance(exc, UshtilError) else []
        if isinstance(exc, OSError):
            reason = f"cannot write: {exc.strerror or exc}"
            found.append(error(Location(display_path(plan.path, root)), "write", reason))
        back = [display_path(p.path, root) for p, _ in done if p.path not in left]
        summary = "nothing was written"
        if back:
            summary += f" ({', '.join(back)} undone)"
        if left:
            summary = f"{', '.join(display_path(p, root) for p in left)} written, and could "
            summary += "not be put back as it was; the rest was not written"
        found.append(error(Location(display_path(plan.path, root)), "not-written", summary))
        raise UshtilError(found) from None


def _put_back(root: Path, plan: Planned, old: tuple[bytes, os.stat_result] | None) -> bool:
    """``plan.path`` as it was before it was written (``old``; None: it was not there)."""
    path = plan.path
    try:
        check_writable(root, path, within=plan.within)
        if old is None:
            path.unlink(missing_ok=True)  # made a moment ago by write_all
            return True
        data, info = old
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, info.st_mode & 0o7777)
            os.utime(tmp, ns=(info.st_atime_ns, info.st_mtime_ns))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, UshtilError):
        return False
    return True


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
