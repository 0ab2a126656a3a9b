"""interface/plurals.py: a ``Plural-Forms`` header is read as GNU gettext reads it, and
refused where msgfmt refuses it (a division by zero, a form out of range, bad syntax)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ushtil.interface.plurals import parse_plural_forms, plural_forms

RUSSIAN = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
# two-form expressions, each with whether it may be used
TWO_FORMS = [
    ("(n != 1)", True),
    ("n>1000", True),
    ("n == 1 ? 0 : 1", True),
    ("n/0", False),
    ("1/(n-5)", False),
    ("n%3", False),
    ("(n==0 ? 2 : 1)", False),
    ("n%1001", False),
    ("(n != 1", False),
    ("n +* 1", False),
]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
@pytest.mark.parametrize(("expression", "usable"), TWO_FORMS)
def test_the_verdict_is_msgfmt_s(expression: str, usable: bool, tmp_path: Path) -> None:
    header = f"nplurals=2; plural={expression};"
    po = tmp_path / "kk.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {header}\\n"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "x"\nmsgstr[1] "y"\n',
        encoding="utf-8",
    )
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True)
    assert (checked.returncode == 0) == usable, checked.stderr
    rule, why = plural_forms(header)
    assert (rule is not None) == usable, why
    assert (why is None) == usable


def test_a_rule_gives_each_n_its_form() -> None:
    rule = parse_plural_forms(RUSSIAN)
    assert rule is not None and rule[0] == 3
    forms = {n: rule[1](n) for n in (0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1001)}
    assert forms == {
        0: 2, 1: 0, 2: 1, 4: 1, 5: 2, 11: 2, 12: 2, 14: 2, 21: 0, 22: 1, 25: 2,
        101: 0, 111: 2, 1001: 0,
    }  # fmt: skip
    english = parse_plural_forms(" nplurals = 2 ;plural = (n != 1) ")  # spacing as written
    assert english is not None and [english[1](n) for n in (0, 1, 2)] == [1, 0, 1]


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (None, "the header has no Plural-Forms"),
        ("", "the header has no Plural-Forms"),
        ("plural=(n != 1);", "must read 'nplurals=N; plural=EXPRESSION;'"),
        ("nplurals=0; plural=0;", "nplurals must be at least 1"),
        ("nplurals=2; plural=7/(n-7)>0;", "divides by zero for n=7"),
        ("nplurals=2; plural=n%3;", "gives 2 for n=2, but nplurals=2 allows only 0 to 1"),
        ("nplurals=2; plural=n>2000000000 ? 2 : 0;", "gives 2 for n=2147483647"),
        ("nplurals=2; plural=__import__('os');", "is not a valid expression"),
    ],
)
def test_why_a_header_is_refused(header: str | None, said: str) -> None:
    rule, why = plural_forms(header)
    assert rule is None and why is not None and said in why
    assert parse_plural_forms(header) is None
