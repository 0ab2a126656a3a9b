"""The command line: the only place that parses arguments, prints and picks exit codes.

This module holds the parser, finds where a command runs (:mod:`ushtil.cli.place`) and
runs it; the commands are in :mod:`ushtil.cli.site`, :mod:`ushtil.cli.translate` and
:mod:`ushtil.cli.i18n`. Exit codes: 0 done, 1 problems found, 2 wrong usage
(:class:`ushtil.cli.output.Exit`).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from types import FrameType

from ushtil import __version__
from ushtil.cli import fixes, i18n, site, translate
from ushtil.cli.output import Exit, note, print_diagnostics
from ushtil.cli.parsing import Parser
from ushtil.cli.place import Place, locate
from ushtil.project.files import links_out
from ushtil.project.problems import UshtilError

Command = Callable[[argparse.Namespace, Place], int]


def parser() -> Parser:
    p = Parser(prog="ushtil", description="Build a trilingual (kk/ru/en) news site.")
    p.add_argument("--version", action="version", version=f"ushtil {__version__}")
    p.add_argument(
        "-C",
        "--project",
        metavar="DIR",
        help="run as if started in DIR (the project's folder or one inside it)",
    )
    p.add_argument("--debug", action="store_true", help="show a traceback for unexpected failures")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    site.add_commands(sub)
    translate.add_commands(sub)
    i18n.add_commands(sub)
    fixes.add_commands(sub)
    return p


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    # only `i18n stats` and `i18n check` given .po files run outside a project
    optional = bool(getattr(args, "anywhere", False) and args.files)
    place, problem = locate(args.project, optional=optional)
    if place is None:
        note(problem or "ushtil: no project")
        anywhere = getattr(args, "anywhere", "")  # the command, when it runs outside one too
        if anywhere and args.project is None:
            note(f"ushtil: outside a project, name the .po files: ushtil {anywhere} FILE.po")
        return Exit.USAGE
    if not optional:
        outside = links_out(place.project)
        if outside:
            print_diagnostics(place, outside)
            return Exit.PROBLEMS
    command: Command = args.func
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C
    try:
        return command(args, place)
    except UshtilError as exc:
        print_diagnostics(place, exc.diagnostics)
        return Exit.PROBLEMS
    except KeyboardInterrupt:
        note(
            "interrupted: the output folder holds a whole site, never a mix (the previous one, "
            "or the new one if it was already in place)"
        )
        return Exit.INTERRUPTED
    except BrokenPipeError:  # the reader went away (`ushtil status | head`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return Exit.BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001  # a bug in ushtil, not a user mistake: said once
        if args.debug:
            traceback.print_exc()
        else:
            why = f"{type(exc).__name__}: {exc}"
            note(f"ushtil: internal error: {why} (run with --debug for details)")
        return Exit.PROBLEMS
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
