"""cli/parsing.py: the argument parser shows what a refused command line likely meant,
from everything it was given, and argparse's own message otherwise."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ushtil.cli.parsing import Parser


def parser(seen: list[Sequence[str]]) -> Parser:
    p = Parser(prog="tool")
    commands = p.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new")
    new.add_argument("article")

    def guess(given: Sequence[str]) -> str | None:
        seen.append(list(given))
        if given and given[0] not in ("new",):
            return f"did you mean 'tool new {given[0]}'?"
        return None

    p.guess = guess
    return p


def test_a_guess_replaces_argparse_s_message(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[Sequence[str]] = []
    with pytest.raises(SystemExit) as raised:
        parser(seen).parse_args(["10", "--to", "kk"])
    assert raised.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == "tool: error: did you mean 'tool new 10'?"
    assert seen == [["10", "--to", "kk"]]


def test_without_a_guess_argparse_speaks(capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[Sequence[str]] = []
    with pytest.raises(SystemExit):
        parser(seen).parse_args(["new"])
    assert "the following arguments are required: article" in capsys.readouterr().err
    plain = Parser(prog="plain")
    plain.add_argument("--n", type=int)
    with pytest.raises(SystemExit):
        plain.parse_args(["--n", "x"])
    assert "argument --n: invalid int value: 'x'" in capsys.readouterr().err


def test_a_good_command_line_parses() -> None:
    args = parser([]).parse_args(["new", "a"])
    assert (args.command, args.article) == ("new", "a")
