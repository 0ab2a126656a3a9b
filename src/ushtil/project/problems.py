"""Diagnostics shared by every stage: where a problem is, how bad, and what it says.

Stages collect :class:`Diagnostic` values instead of raising, so one run reports every
problem; :class:`UshtilError` carries a batch of them when a stage cannot go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file; ``path`` is shown as given (relative to the project)."""

    path: str
    line: int | None = None
    column: int | None = None  # 1-based, in characters, where a word or character is named

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    location: Location
    code: str
    message: str

    def __str__(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return printable(f"{self.location}: {prefix}{self.message}")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` on one line: control characters (a newline in a file name, a terminal
    escape) shown as Python escapes such as ``\\n`` or ``\\x1b``."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def error(location: Location, code: str, message: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, location, code, message)


def warning(location: Location, code: str, message: str) -> Diagnostic:
    return Diagnostic(Severity.WARNING, location, code, message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple[str, int, str]:
    return (d.location.path, d.location.line or 0, d.message)


class UshtilError(Exception):
    """Raised by the library when it cannot go on; carries what went wrong."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it is inside it, else as given."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
