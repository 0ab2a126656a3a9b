"""The argument parser every command of ushtil is parsed with."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeAlias


class Parser(argparse.ArgumentParser):
    """argparse's parser, which may be taught what a refused command line likely meant:
    ``guess`` takes the arguments this parser was given and returns the message to show
    instead of argparse's, or None."""

    guess: Callable[[Sequence[str]], str | None] | None = None
    given: Sequence[str] = ()

    def parse_known_args(  # type: ignore[override]  # typeshed's overloads; same behaviour
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.given = list(args) if args is not None else sys.argv[1:]
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        meant = self.guess(self.given) if self.guess is not None else None
        super().error(meant or message)


# what add_subparsers returns (argparse's class is generic only to type checkers)
Subcommands: TypeAlias = "argparse._SubParsersAction[Parser]"
