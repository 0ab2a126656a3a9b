"""``ushtil fix-lookalikes`` (and ``ushtil check --fix``): Latin look-alike letters in
Kazakh and Russian articles rewritten as the Cyrillic letters meant, where unambiguous."""

from __future__ import annotations

import argparse

from ushtil.cli.output import Exit, note, print_diagnostics
from ushtil.cli.parsing import Subcommands
from ushtil.cli.place import Place
from ushtil.project.lookalikes import fix_articles
from ushtil.project.problems import UshtilError


def fix_lookalikes(place: Place, article_ids: tuple[str, ...] = ()) -> int:
    """Fix, print each change as ``path:line:column: 'word' → 'fixed'``; the exit code."""
    try:
        fixed, problems = fix_articles(place.project, article_ids)
    except UshtilError as exc:  # a file could not be written
        fixed, problems = [], list(exc.diagnostics)
    for done in fixed:
        shown = place.show(place.project / done.path)
        for change in done.changes:
            print(f"{shown}:{change.line}:{change.column}: '{change.word}' → '{change.fixed}'")
    print_diagnostics(place, problems)
    count = sum(len(done.changes) for done in fixed)
    files = len(fixed)
    print(f"fixed {count} word{'s' * (count != 1)} in {files} file{'s' * (files != 1)}")
    if fixed:
        note(
            "ushtil: note: a translation made from a fixed version now counts as outdated "
            "(`ushtil status`); when the fix needs no change in it, "
            "`ushtil translate done <id> <lang> --force` stamps it current again"
        )
    return Exit.PROBLEMS if problems else Exit.OK


def cmd_fix_lookalikes(args: argparse.Namespace, place: Place) -> int:
    return fix_lookalikes(place, tuple(args.ids))


def add_commands(sub: Subcommands) -> None:
    f = sub.add_parser(
        "fix-lookalikes",
        help="rewrite Latin look-alike letters in Kazakh and Russian articles as Cyrillic",
    )
    f.add_argument("ids", nargs="*", help="only these articles (default: every article)")
    f.set_defaults(func=cmd_fix_lookalikes)
