"""``ushtil translate new / done / export / import`` and ``ushtil tm``: article
translation.

``ushtil translated <id> <lang>``, the earlier spelling of ``translate done``, still
works for one release and says so; ``ushtil translate <id> --to <lang>``, the earlier
spelling of ``translate new``, is a usage error that names the new one.
"""

from __future__ import annotations

import argparse
import difflib
import shlex
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ushtil.cli import tmx
from ushtil.cli.output import Exit, note, print_diagnostics, usage
from ushtil.cli.parsing import Parser, Subcommands
from ushtil.cli.place import Place
from ushtil.cli.tmx import imported_memory, project_memory
from ushtil.project import layout

if TYPE_CHECKING:
    from ushtil.translation.memory import Memory

# What the commands use is imported when they run: a build never pays for it.

ACTIONS = ("new", "done", "export", "import")


def _meant(given: Sequence[str]) -> str | None:
    """What ``ushtil translate`` followed by ``given`` was meant to be, when the first word
    is none of its actions: most likely an article ID, in the earlier spelling of
    ``translate new``, or a misspelt action."""
    word = next((a for a in given if not a.startswith("-")), None)
    if word is None or word in ACTIONS:
        return None
    has_to = any(a == "--to" or a.startswith("--to=") for a in given)
    close = difflib.get_close_matches(word, ACTIONS, n=1)
    if close and not has_to:
        meant = f"ushtil translate {close[0]} ..."
    else:
        meant = shlex.join(["ushtil", "translate", "new", *given])
        meant += "" if has_to else " --to <lang>"
    return f"'{word}' is not one of {', '.join(ACTIONS)}; did you mean '{meant}'?"


def cmd_new(args: argparse.Namespace, place: Place) -> int:
    from ushtil.translation import provenance


    outcome, problems = provenance.scaffold(place.project, args.id, args.to, args.from_lang)
    if outcome is None:
        print_diagnostics(place, problems)
        return Exit.PROBLEMS
    print(f"{place.show(outcome.path)}: {outcome.message}")
    return Exit.OK


def cmd_done(args: argparse.Namespace, place: Place) -> int:
    from ushtil.translation import provenance


    outcome, problems = provenance.restamp(
        place.project, args.id, args.lang, force=args.force, from_lang=args.from_lang
    )
    if outcome is None:
        print_diagnostics(place, problems)
        return Exit.PROBLEMS
    print(f"{place.show(outcome.path)}: {outcome.message}")
    return Exit.OK


def cmd_translated(args: argparse.Namespace, place: Place) -> int:
    note("ushtil: note: `ushtil translated` is now `ushtil translate done`")
    return cmd_done(args, place)


def _memory(place: Place) -> Memory:
    return project_memory(place)


def cmd_export(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface.glossary import read_glossary
    from ushtil.translation import poexport


    root = place.project
    out = place.given(args.out) if args.out else root / layout.EXPORTS
    if out.exists() and not out.is_dir():
        what = "not a folder (it names the folder for the <id>.<lang>.po files)"
        return usage("translate export", f"--out {args.out}: {what}")
    read = [
        root / name for name in (layout.ARTICLES, layout.TEMPLATES, layout.LOCALES, layout.STATIC)
    ]
    inside = next((folder for folder in read if out == folder or out.is_relative_to(folder)), None)
    if inside is not None:
        what = f"inside the project's {inside.name}/, which the build reads; choose another folder"
        return usage("translate export", f"--out {args.out}: {what}")
    if args.pending == bool(args.id):
        every = "every missing or outdated version"
        return usage("translate export", f"give an article ID or --pending ({every})")
    if args.pending:
        ids, problems = poexport.pending(root, args.to)
        if problems:
            print_diagnostics(place, problems)
            return Exit.PROBLEMS
    else:
        ids = [args.id]
    memory = _memory(place)
    glossary, problems = read_glossary(root)
    print_diagnostics(place, problems)
    for article_id in ids:
        done, problems = poexport.export_article(
            root,
            article_id,
            args.to,
            from_lang=args.from_lang,
            out_dir=out,
            memory=memory,
            threshold=args.match / 100,
            glossary=glossary,
        )
        print_diagnostics(place, problems)  # the refusal, or warnings (a stamp record not used)
        if done is None:
            return Exit.PROBLEMS
        counts = f"{done.segments} segments, {done.translated} translated, {done.fuzzy} fuzzy"
        print(f"{place.show(done.path)}: {counts}")
    if not ids:
        print(f"nothing to export: every '{args.to}' version is current")
    return Exit.OK


def cmd_import(args: argparse.Namespace, place: Place) -> int:
    from ushtil.interface.glossary import read_glossary
    from ushtil.translation import poimport


    root = place.project
    files = []
    for name in args.files:
        path = place.given(name)  # a link is not followed: check_file refuses one
        if path.is_dir() and not path.is_symlink():
            found = sorted(path.glob("*.po"))
            if not found:
                return usage("translate import", f"{name}: no .po files in this folder")
            files += found
        else:
            files.append(path)
    glossary, problems = read_glossary(root)
    memory, more = imported_memory(root)  # the TMX files: translations to be consistent with
    print_diagnostics(place, problems + more)
    batch = poimport.import_files(
        root,
        files,
        draft=args.draft,
        threshold=args.threshold,
        force=args.force,
        glossary=glossary,
        strict=args.strict,
        memory=memory,
    )
    for _, _, problems in batch.checked:
        print_diagnostics(place, problems)  # a refused file's problems, the others' warnings
    print_diagnostics(place, batch.problems)
    if not batch.written:
        good = [place.show(path) for path, done, _ in batch.checked if done is not None]
        if len(batch.checked) > 1 and good:
            note(
                f"nothing was imported (all or nothing): {', '.join(good)} "
                f"{'was' if len(good) == 1 else 'were'} not written either; "
                "import again when the problems above are corrected"
            )
        return Exit.PROBLEMS
    for _, done, _ in batch.checked:
        if done is not None:  # every one, when written
            state = "as a draft" if done.draft else "current"
            shown = place.show(done.path)
            print(f"{shown}: written {state} ({done.translated}/{done.total} segments)")
    return Exit.OK


def cmd_tm_stats(args: argparse.Namespace, place: Place) -> int:
    sizes = _memory(place).sizes()
    for (src, tgt), size in sizes.items():
        print(f"{src} → {tgt}: {size} segments")
    if not sizes:
        print("the memory is empty: no current translations yet")
    return Exit.OK


def cmd_tm_lookup(args: argparse.Namespace, place: Place) -> int:
    matches = _memory(place).lookup(
        args.text, args.from_lang, args.to, threshold=args.match / 100, limit=args.limit
    )
    for m in matches:
        print(f"{round(m.score * 100)}%  {m.target}\n      ({m.origin}: {m.source})")
    if not matches:
        print("no match", file=sys.stderr)
        return Exit.PROBLEMS
    return Exit.OK


def _add_done(parser: Parser) -> None:
    parser.add_argument("id", help="the article ID")
    parser.add_argument("lang", help="the version's language")
    parser.add_argument(
        "--force",
        action="store_true",
        help="stamp even if the text has not changed since it went outdated",
    )
    parser.add_argument(
        "--from",
        dest="from_lang",
        help="declare the language it was translated from (first stamp)",
    )


def add_commands(sub: Subcommands) -> None:
    original = "the version to translate from (default: the original)"
    t = sub.add_parser("translate", help="article translation: new, done, export, import")
    t.guess = _meant
    tsub = t.add_subparsers(dest="translate_command", required=True, metavar="ACTION")

    n = tsub.add_parser("new", help="start a new language version of an article, as a draft")
    n.add_argument("id", help="the article ID (its folder name)")
    n.add_argument("--to", required=True, help="the language to translate into")
    n.add_argument("--from", dest="from_lang", help=original)
    n.set_defaults(func=cmd_new)

    d = tsub.add_parser("done", help="record that a version is up to date with its source")
    _add_done(d)
    d.set_defaults(func=cmd_done)

    e = tsub.add_parser("export", help="an article version as a .po file to translate")
    e.add_argument("id", nargs="?", help="the article ID")
    e.add_argument("--to", required=True, help="the language to translate into")
    e.add_argument("--from", dest="from_lang", help=original)
    e.add_argument("--out", help=f"folder for <id>.<lang>.po (default: {layout.EXPORTS})")
    e.add_argument(
        "--pending",
        action="store_true",
        help="every article whose --to version is missing or outdated",
    )
    e.add_argument(
        "--match",
        type=int,
        default=75,
        help="memory suggestions from this similarity, in percent (default 75)",
    )
    e.set_defaults(func=cmd_export)

    i = tsub.add_parser("import", help="write <lang>.md from translated .po files")
    i.add_argument("files", nargs="+", help=".po files or folders of them")
    i.add_argument("--draft", action="store_true", help="write even if incomplete, as a draft")
    i.add_argument(
        "--force",
        action="store_true",
        help="replace the version even if it was edited after the file was exported",
    )
    i.add_argument(
        "--strict",
        action="store_true",
        help="a glossary term whose approved translation is missing is an error",
    )
    i.add_argument(
        "--threshold",
        type=float,
        default=100.0,
        help="percent of segments that must be translated (default 100)",
    )
    i.set_defaults(func=cmd_import)

    tm = sub.add_parser("tm", help="the translation memory: stats, lookup, export, import")
    tmsub = tm.add_subparsers(dest="tm_command", required=True, metavar="ACTION")
    tms = tmsub.add_parser("stats", help="how many segments per language pair")
    tms.set_defaults(func=cmd_tm_stats)
    tml = tmsub.add_parser(
        "lookup", help="translations of a text remembered from articles and catalogues"
    )
    tml.add_argument("text")
    tml.add_argument("--from", dest="from_lang", required=True)
    tml.add_argument("--to", required=True)
    tml.add_argument(
        "--match", type=int, default=75, help="minimum similarity in percent (default 75)"
    )
    tml.add_argument("--limit", type=int, default=5)
    tml.set_defaults(func=cmd_tm_lookup)
    tmx.add_to(tmsub)

    # the earlier spelling of `translate done`, for one release; not listed in --help
    old = sub.add_parser("translated", description="the earlier spelling of `translate done`")
    _add_done(old)
    old.set_defaults(func=cmd_translated)
