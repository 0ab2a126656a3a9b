"""The command line: the only place that parses arguments, prints and picks exit codes.

Exit codes: 0 done, 1 problems found, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .build import build
from .errors import Diagnostic, UshtilError, has_errors
from . import translate

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for d in diagnostics:
        print(d, file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    out = Path(args.out).resolve() if args.out else root / "public"
    report = build(root, out, strict=args.strict)
    print_diagnostics(report.diagnostics)
    if not report.ok:
        print("build failed: nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"built {report.written} files into {out}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    report = build(root, strict=args.strict, write=False)
    print_diagnostics(report.diagnostics)
    if has_errors(report.diagnostics):
        return EXIT_PROBLEMS
    print(f"ok: {report.pages} pages would be built")
    return EXIT_OK


def cmd_i18n_extract(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    changed, diagnostics = translate.extract(root)
    print_diagnostics(diagnostics)
    print(f"{translate.POT_PATH}: {'written' if changed else 'unchanged'}")
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def cmd_i18n_init(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    path = translate.init(root, args.lang, translator=args.translator, team=args.team, force=args.force)
    print(f"{path.relative_to(root)}: created")
    return EXIT_OK


def cmd_i18n_update(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    changed, diagnostics = translate.update(root, drop_obsolete=args.drop_obsolete)
    print_diagnostics(diagnostics)
    for path in changed:
        print(f"{path.relative_to(root)}: updated")
    if not changed:
        print("all catalogues are up to date")
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ushtil", description="Build a trilingual (kk/ru/en) news site.")
    p.add_argument("--version", action="version", version=f"ushtil {__version__}")
    p.add_argument("-C", "--project", default=".", help="the project folder (default: here)")
    p.add_argument("--debug", action="store_true", help="show a traceback for unexpected failures")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build the site into the output folder")
    b.add_argument("--out", help="output folder (default: public/ in the project)")
    b.add_argument("--strict", action="store_true", help="treat missing required versions as errors")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="validate everything without writing")
    c.add_argument("--strict", action="store_true", help="treat missing required versions as errors")
    c.set_defaults(func=cmd_check)

    i18n = sub.add_parser("i18n", help="interface catalogues: extract, init, update, stats, check, compile")
    isub = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    e = isub.add_parser("extract", help="templates and sources → i18n/messages.pot")
    e.set_defaults(func=cmd_i18n_extract)
    n = isub.add_parser("init", help="start the catalogue of a new language")
    n.add_argument("lang", help="ISO 639-1 code, e.g. kk")
    n.add_argument("--translator", default="", help='Last-Translator, e.g. "Name <mail@example.kz>"')
    n.add_argument("--team", default="", help="Language-Team (default: the language's English name)")
    n.add_argument("--force", action="store_true", help="overwrite an existing catalogue")
    n.set_defaults(func=cmd_i18n_init)
    u = isub.add_parser("update", help="merge the template into every catalogue")
    u.add_argument("--drop-obsolete", action="store_true", help="drop strings no longer used instead of keeping them as #~")
    u.set_defaults(func=cmd_i18n_update)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UshtilError as exc:
        print_diagnostics(exc.diagnostics)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("interrupted: the output folder is unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in ushtil, not a user mistake
        if args.debug:
            traceback.print_exc()
        else:
            print(f"ushtil: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
