"""Where a command runs: the project it works on and the folder the user stands in.

The project is found as git finds its repository: the nearest folder holding
``site.toml``, the current folder or one above it (``-C DIR``: DIR or one above it).
Paths the user gives are relative to where they stand (with ``-C``, to DIR, as if
started there); ``:/`` starts a path at the project's folder. Paths printed are
relative to where the user stands when they are inside the project, else in full.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ushtil.project import layout


@dataclass(frozen=True)
class Place:
    here: Path  # where the user stands (the current folder, or -C DIR), absolute
    root: Path | None  # the project; None only for a command that needs none

    @property
    def project(self) -> Path:
        if self.root is None:  # main finds a project for every command that needs one
            raise RuntimeError("this command runs on a project")
        return self.root

    def given(self, name: str) -> Path:
        """A path the user gave, made absolute (``..`` resolved by name: a link in it is
        not followed)."""
        if name.startswith(layout.FROM_PROJECT) and self.root is not None:
            return Path(os.path.normpath(self.root / name[len(layout.FROM_PROJECT) :]))
        return Path(os.path.normpath(self.here / name))

    def name(self, path: Path) -> str:
        """How the library names ``path``: relative to the project inside it, else in
        full (and, with no project, as it is)."""
        if self.root is None:
            return str(path)
        normal = Path(os.path.normpath(path))
        if normal == self.root or normal.is_relative_to(self.root):
            return normal.relative_to(self.root).as_posix()
        return str(path)

    def show(self, path: Path | str) -> str:
        """``path`` (absolute, or named relative to the project as diagnostics name files)
        as the user sees it: relative to where they stand when it is in the project."""
        if self.root is None:
            return str(path)
        full = Path(os.path.normpath(self.root / path))  # an absolute path stays itself
        if full != self.root and not full.is_relative_to(self.root):
            return str(path)
        return Path(os.path.relpath(full, self.here)).as_posix()


def locate(project: str | None, *, optional: bool = False) -> tuple[Place | None, str | None]:
    """The place a command runs in, or why it cannot run (a usage error). With
    ``optional``, a command may run outside any project (not with ``-C``: it names one)."""
    if project is None:
        try:
            here = Path.cwd().resolve()
        except OSError as exc:  # e.g. the folder was removed while the shell stood in it
            return None, f"ushtil: cannot tell which folder this is: {exc.strerror or exc}"
        root = layout.find_project(here)
        if root is None and not optional:
            return None, (
                "ushtil: this folder is not in an ushtil project (no site.toml here or in any "
                "folder above it); run ushtil in the project's folder or give it with -C DIR"
            )
        return Place(here, root), None
    folder = Path(project)
    if not folder.exists():
        return None, f"ushtil: -C {project}: no such folder"
    if not folder.is_dir():
        return None, f"ushtil: -C {project}: not a folder"
    here = folder.resolve()
    root = layout.find_project(here)
    if root is None:
        return None, (
            f"ushtil: -C {project}: not in an ushtil project "
            "(no site.toml there or in any folder above it)"
        )
    return Place(here, root), None
