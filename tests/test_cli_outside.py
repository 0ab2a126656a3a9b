"""`ushtil i18n check` and `i18n stats` run outside any project on the `.po` files given:
each file judged by the rule list in the language its header names (no glossary: that is
a project's), problems as `path:line: code: message`; without a file, a usage error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ushtil
from ushtil.project import layout

RU_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def po(lang: str, plurals: str, entries: list[tuple[str, str]]) -> str:
    """A catalogue: the header on lines 1–5, then each entry's msgid on lines 7, 10, …"""
    header = [
        'msgid ""',
        'msgstr ""',
        f'"Language: {lang}\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Plural-Forms: {plurals}\\n"',
    ]
    body = [f'\nmsgid "{msgid}"\nmsgstr "{msgstr}"' for msgid, msgstr in entries]
    return "\n".join(header + body) + "\n"


GOOD = po("ru", RU_PLURALS, [("Hello, %(name)s", "Здравствуйте, %(name)s"), ("News", "Новости")])
# line 7: a placeholder renamed; line 10: a Latin "a" in a Russian word
BAD = po("ru", RU_PLURALS, [("Hello, %(name)s", "Здравствуйте, %(nam)s"), ("News", "Новостa")])
# the same Latin letter in an English file is no look-alike: the header's language decides
EN = po("en", "nplurals=2; plural=(n != 1);", [("News", "Newsa")])


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "loose"
    (folder / "sub").mkdir(parents=True)
    assert layout.find_project(folder) is None  # no site.toml here or above
    (folder / "good.po").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "bad.po").write_text(BAD, encoding="utf-8")
    (folder / "en.po").write_text(EN, encoding="utf-8")
    return folder


def ushtil_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line, run as a user runs it, standing in ``folder``."""
    source = str(Path(ushtil.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "ushtil", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_passes_a_good_file(outside: Path) -> None:
    done = ushtil_in(outside, "i18n", "check", "good.po", "en.po")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_check_names_each_problem_by_path_and_line(outside: Path) -> None:
    done = ushtil_in(outside, "i18n", "check", "good.po", "sub/bad.po")
    assert done.returncode == 1
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert [line.split(": ")[0:2] for line in lines] == [
        ["sub/bad.po:7", "placeholder"],
        ["sub/bad.po:7", "placeholder"],
        ["sub/bad.po:10", "lookalike"],
    ]
    found = ushtil_in(outside, "i18n", "check", "--format", "json", "sub/bad.po")
    assert found.returncode == 1
    assert [(d["path"], d["line"], d["code"]) for d in json.loads(found.stdout)] == [
        ("sub/bad.po", 7, "placeholder"),
        ("sub/bad.po", 7, "placeholder"),
        ("sub/bad.po", 10, "lookalike"),
    ]


def test_stats_counts_the_files_given(outside: Path) -> None:
    done = ushtil_in(outside, "i18n", "stats", "--format", "json", "good.po", "sub/bad.po")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["path"], r["language"], r["translated"]) for r in rows] == [
        ("good.po", "ru", 2),
        ("sub/bad.po", "ru", 2),
    ]


@pytest.mark.parametrize("action", ["check", "stats"])
def test_without_a_file_a_usage_error(outside: Path, action: str) -> None:
    done = ushtil_in(outside, "i18n", action)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert f"ushtil i18n {action} FILE.po" in done.stderr


def test_a_missing_file_is_a_problem_not_a_crash(outside: Path) -> None:
    done = ushtil_in(outside, "i18n", "check", "nowhere.po")
    assert done.returncode == 1
    assert done.stdout.startswith("nowhere.po: cannot read the catalogue: no such file")
    assert "Errno" not in done.stdout
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
