"""What the commands print, and the exit codes they end with.

Problems go to standard error as ``path:line: message`` with the path as the user sees
it (:meth:`Place.show`), then a count; results go to standard output.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import TextIO

from ushtil.cli.place import Place
from ushtil.project.problems import Diagnostic


class Exit(IntEnum):
    OK = 0  # done
    PROBLEMS = 1  # problems found, each printed
    USAGE = 2  # wrong usage
    INTERRUPTED = 130  # Ctrl-C or SIGTERM: nothing half-written
    BROKEN_PIPE = 141  # the output's reader closed it early, as for SIGPIPE


def shown(place: Place, d: Diagnostic) -> Diagnostic:
    """``d`` with its file named as the user sees it."""
    location = dataclasses.replace(d.location, path=place.show(d.location.path))
    return dataclasses.replace(d, location=location)


def print_diagnostics(place: Place, diagnostics: Sequence[Diagnostic]) -> None:
    for d in diagnostics:
        print(shown(place, d), file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def usage(command: str, message: str) -> Exit:
    """A mistake in the command line: said on standard error; exit 2."""
    print(f"ushtil {command}: {message}", file=sys.stderr)
    return Exit.USAGE


def note(message: str) -> None:
    print(message, file=sys.stderr)


def terminal_progress(stream: TextIO | None = None) -> Callable[[int, int], None] | None:
    """Pages done / total on one line of a terminal (standard error by default); nothing
    when not on one."""
    out = sys.stderr if stream is None else stream
    try:
        if not out.isatty():
            return None
    except ValueError:  # a closed stream
        return None

    def show(done: int, total: int) -> None:
        out.write(f"\r{done}/{total} pages")
        if done >= total:
            out.write("\r" + " " * 24 + "\r")
        out.flush()

    return show
