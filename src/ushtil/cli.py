"""The command line: the only place that parses arguments, prints and picks exit codes.

Exit codes: 0 done, 1 problems found, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .build import build
from .errors import Diagnostic, UshtilError, has_errors
from . import poreport, translate

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


def _po_files(args: argparse.Namespace) -> list[tuple[Path, str]]:
    if args.files:
        return [(Path(f).resolve(), f) for f in args.files]
    root = Path(args.project).resolve()
    return [(p, p.relative_to(root).as_posix()) for p in sorted(root.glob("locales/*/LC_MESSAGES/*.po"))]


def cmd_i18n_stats(args: argparse.Namespace) -> int:
    rows, diagnostics = [], []
    for path, shown in _po_files(args):
        result, problems = poreport.stats(path, shown)
        diagnostics += problems
        if result is not None:
            rows.append(result)
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        print(f"{'catalogue':44} {'lang':4} {'translated':>10} {'fuzzy':>6} {'untransl.':>9} {'obsolete':>8} {'words':>11} {'done':>6}")
        for r in rows:
            words = f"{r.translated_words}/{r.translated_words + r.fuzzy_words + r.untranslated_words}"
            print(f"{r.path:44} {r.language:4} {r.translated:>10} {r.fuzzy:>6} {r.untranslated:>9} {r.obsolete:>8} {words:>11} {r.percent:>5}%")
    print_diagnostics(diagnostics)
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def cmd_i18n_check(args: argparse.Namespace) -> int:
    diagnostics: list[Diagnostic] = []
    for path, shown in _po_files(args):
        diagnostics += poreport.check(path, shown, strict=args.strict)
    if args.format == "json":
        print(json.dumps(
            [{"path": d.location.path, "line": d.location.line, "severity": d.severity.value, "code": d.code,
              "message": d.message.split(": ", 1)[-1]} for d in diagnostics],
            ensure_ascii=False, indent=2,
        ))
    else:
        for d in diagnostics:
            print(d)
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def cmd_i18n_compile(args: argparse.Namespace) -> int:
    root = Path(args.project).resolve()
    out_root = Path(args.out).resolve() if args.out else root / "locales"
    failed = False
    for path in sorted(root.glob("locales/*/LC_MESSAGES/*.po")):
        shown = path.relative_to(root).as_posix()
        target = out_root / path.relative_to(root / "locales").with_suffix(".mo")
        problems = poreport.compile_catalog(path, shown, target, use_fuzzy=args.use_fuzzy)
        print_diagnostics(problems)
        if problems:
            failed = True
            print(f"{shown}: not compiled", file=sys.stderr)
        else:
            print(f"{shown} -> {target}")
    return EXIT_PROBLEMS if failed else EXIT_OK


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
    st = isub.add_parser("stats", help="translated / fuzzy / untranslated / obsolete per catalogue")
    st.add_argument("files", nargs="*", help=".po files (default: the project's catalogues)")
    st.add_argument("--format", choices=("table", "json"), default="table")
    st.set_defaults(func=cmd_i18n_stats)
    ch = isub.add_parser("check", help="every problem in the catalogues, as path:line: code: message")
    ch.add_argument("files", nargs="*", help=".po files (default: the project's catalogues)")
    ch.add_argument("--format", choices=("text", "json"), default="text")
    ch.add_argument("--strict", action="store_true", help="fuzzy and untranslated entries are errors")
    ch.set_defaults(func=cmd_i18n_check)
    co = isub.add_parser("compile", help="write .mo files for other consumers (only from catalogues that pass)")
    co.add_argument("--out", help="folder for <lang>/LC_MESSAGES/messages.mo (default: locales/)")
    co.add_argument("--use-fuzzy", action="store_true", help="include fuzzy translations")
    co.set_defaults(func=cmd_i18n_compile)
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
