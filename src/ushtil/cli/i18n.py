"""``ushtil i18n extract / init / update / stats / check / compile``: the interface
catalogues."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ushtil.cli.output import Exit, print_diagnostics, shown, usage
from ushtil.cli.parsing import Subcommands
from ushtil.cli.place import Place
from ushtil.project import layout
from ushtil.project.files import check_writable, is_within
from ushtil.project.problems import UshtilError, has_errors

# The commands import what they use when they run: a build never pays for Babel's tooling.


def cmd_extract(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface import tooling

    root = place.project
    changed, diagnostics = tooling.extract(root)
    print_diagnostics(place, diagnostics)
    print(f"{place.show(layout.POT)}: {'written' if changed else 'unchanged'}")
    return Exit.PROBLEMS if has_errors(diagnostics) else Exit.OK


def cmd_init(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface import tooling

    path, problems = tooling.init(
        place.project, args.lang, translator=args.translator, team=args.team, force=args.force
    )
    print_diagnostics(place, problems)
    if path is None:
        return Exit.PROBLEMS
    print(f"{place.show(path)}: created")
    return Exit.OK


def cmd_update(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface import tooling

    changed, diagnostics = tooling.update(place.project, drop_obsolete=args.drop_obsolete)
    print_diagnostics(place, diagnostics)
    for path in changed:
        print(f"{place.show(path)}: updated")
    if not changed:
        print("all catalogues are up to date")
    return Exit.PROBLEMS if has_errors(diagnostics) else Exit.OK


def _po_files(args: argparse.Namespace, place: Place) -> list[tuple[Path, str]]:
    """The catalogues to read, each with the name the library gives it: the files given
    (relative to where the user stands), else the project's catalogues."""
    if args.files:
        given = [(place.given(f), f) for f in args.files]
        if place.root is None:  # no project: named as given
            return [(path.resolve(), f) for path, f in given]
        return [(path.resolve(), place.name(path)) for path, _ in given]
    root = place.project
    return [(p, place.name(p)) for p in sorted(root.glob(layout.catalogue_glob()))]


def cmd_stats(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface import report

    rows, diagnostics = [], []
    for path, name in _po_files(args, place):
        result, problems = report.stats(path, name)
        diagnostics += problems
        if result is not None:
            rows.append(result)
    if args.format == "json":  # paths relative to the project, wherever it runs (like git's)
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        print(
            f"{'catalogue':44} {'lang':4} {'translated':>10} {'fuzzy':>6} {'untransl.':>9} "
            f"{'obsolete':>8} {'words':>11} {'done':>6}"
        )
        for r in rows:
            total = r.translated_words + r.fuzzy_words + r.untranslated_words
            words = f"{r.translated_words}/{total}"
            print(
                f"{place.show(r.path):44} {r.language:4} {r.translated:>10} {r.fuzzy:>6} "
                f"{r.untranslated:>9} {r.obsolete:>8} {words:>11} {r.percent:>5}%"
            )
    print_diagnostics(place, diagnostics)
    return Exit.PROBLEMS if has_errors(diagnostics) else Exit.OK


def cmd_check(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface import report
    from ushtil.interface.glossary import read_glossary

    # outside a project a file is judged by its own header (its Language) and the rule
    # list alone: the glossary is a project's
    glossary, diagnostics = read_glossary(place.root) if place.root is not None else (None, [])
    for path, name in _po_files(args, place):
        diagnostics += report.check(path, name, strict=args.strict, glossary=glossary)
    if args.format == "json":  # paths relative to the project, wherever it runs (like git's)
        found = [
            {
                "path": d.location.path,
                "line": d.location.line,
                "severity": d.severity.value,
                "code": d.code,
                "message": d.message,
            }
            for d in diagnostics
        ]
        print(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        for d in diagnostics:
            print(report.check_line(shown(place, d)))
    return Exit.PROBLEMS if has_errors(diagnostics) else Exit.OK


def cmd_compile(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface.compile import compile_catalog

    root = place.project
    out_root = place.given(args.out).resolve() if args.out else root / layout.LOCALES
    if out_root.exists() and not out_root.is_dir():
        return usage("i18n compile", f"--out {args.out}: not a folder")
    within = None if is_within(out_root, root) else out_root  # a folder outside: the user's choice
    failed = False
    for path in sorted(root.glob(layout.catalogue_glob())):
        name = place.name(path)
        target = out_root / path.relative_to(root / layout.LOCALES).with_suffix(".mo")
        try:
            check_writable(root, target, within=within)
        except UshtilError as exc:
            problems = list(exc.diagnostics)
        else:
            problems = compile_catalog(path, name, target, use_fuzzy=args.use_fuzzy)
        print_diagnostics(place, problems)
        if problems:
            failed = True
            print(f"{place.show(path)}: not compiled", file=sys.stderr)
        else:
            print(f"{place.show(path)} -> {place.show(target)}")
    return Exit.PROBLEMS if failed else Exit.OK


def add_commands(sub: Subcommands) -> None:
    i18n = sub.add_parser(
        "i18n", help="interface catalogues: extract, init, update, stats, check, compile"
    )
    isub = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    e = isub.add_parser("extract", help="templates and sources → i18n/messages.pot")
    e.set_defaults(func=cmd_extract)
    n = isub.add_parser("init", help="start the catalogue of a new language")
    n.add_argument("lang", help="ISO 639-1 code, e.g. kk")
    n.add_argument(
        "--translator", default="", help='Last-Translator, e.g. "Name <mail@example.kz>"'
    )
    n.add_argument(
        "--team", default="", help="Language-Team (default: the language's English name)"
    )
    n.add_argument("--force", action="store_true", help="overwrite an existing catalogue")
    n.set_defaults(func=cmd_init)
    u = isub.add_parser("update", help="merge the template into every catalogue")
    u.add_argument(
        "--drop-obsolete",
        action="store_true",
        help="drop strings no longer used instead of keeping them as #~",
    )
    u.set_defaults(func=cmd_update)
    files = ".po files (default: the project's catalogues)"
    st = isub.add_parser("stats", help="translated / fuzzy / untranslated / obsolete per catalogue")
    st.add_argument("files", nargs="*", help=files)
    st.add_argument("--format", choices=("table", "json"), default="table")
    st.set_defaults(func=cmd_stats, anywhere="i18n stats")
    ch = isub.add_parser(
        "check", help="every problem in the catalogues, as path:line: code: message"
    )
    ch.add_argument("files", nargs="*", help=files)
    ch.add_argument("--format", choices=("text", "json"), default="text")
    ch.add_argument(
        "--strict",
        action="store_true",
        help="fuzzy and untranslated entries, and missing glossary terms, are errors",
    )
    ch.set_defaults(func=cmd_check, anywhere="i18n check")
    co = isub.add_parser(
        "compile", help="write .mo files for other consumers (only from catalogues that pass)"
    )
    co.add_argument("--out", help="folder for <lang>/LC_MESSAGES/messages.mo (default: locales/)")
    co.add_argument("--use-fuzzy", action="store_true", help="include fuzzy translations")
    co.set_defaults(func=cmd_compile)
