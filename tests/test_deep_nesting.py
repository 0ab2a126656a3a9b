"""Deep nesting in a project's untrusted files (thousands of ``[`` or ``{a=`` in TOML,
tens of thousands of nested XML elements, all inside the size limits) is a
``path:line: message`` of the command that reads it, never an internal error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_project

from ushtil.cli.main import main
from ushtil.project import safexml, tomlfields
from ushtil.project.tomlfields import parse_toml

Run = Callable[..., tuple[int, str, str]]
DEEP = 5000


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def ushtil(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        assert "internal error" not in err and "Traceback" not in err, err
        return code, out, err

    return ushtil


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, "basic")


@pytest.mark.parametrize("value", ["[" * DEEP, "{a=" * DEEP, "[{a=" * DEEP, "[" * 300 + "]" * 300])
def test_deep_front_matter(project: Path, run: Run, value: str) -> None:
    kk = project / "articles/a-full/kk.md"
    text = kk.read_text(encoding="utf-8").replace("+++\n", f"+++\nsummary2 = 1\nx = {value}\n", 1)
    kk.write_text(text, encoding="utf-8")
    code, _, err = run("-C", str(project), "build")
    assert code == 1
    message = f"arrays, tables and dotted keys nested more than {tomlfields.MAX_NESTING} deep"
    assert f"articles/a-full/kk.md:3: {message}" in err, err


@pytest.mark.parametrize(
    "line",
    ["a" + ".a" * 50_000 + " = 1", "[" + "a." * 50_000 + "a]", "x = {" + "a." * 40 + "a = 1}"],
)
def test_deep_dotted_keys(project: Path, run: Run, line: str) -> None:
    """A dotted key nests a table for each dot: 50,000 of them took tomllib minutes."""
    kk = project / "articles/a-full/kk.md"
    text = kk.read_text(encoding="utf-8").replace("+++\n", f"+++\nsummary2 = 1\n{line}\n", 1)
    kk.write_text(text, encoding="utf-8")
    code, _, err = run("-C", str(project), "build")
    assert code == 1
    message = f"arrays, tables and dotted keys nested more than {tomlfields.MAX_NESTING} deep"
    assert f"articles/a-full/kk.md:3: {message}" in err, err


def test_dots_that_nest_nothing_are_read() -> None:
    """Numbers, times, quoted keys, strings and comments carry dots that are no tables."""
    text = (
        "x = [" + ", ".join(["1.5"] * 100) + "]\n"
        "t = 1979-05-27T07:32:00.999\ny = 1.5e3\n"
        'q."' + "a." * 100 + '" = 1\n'
        "s = '" + "a." * 100 + "'\n# " + "a." * 100 + "\n"
        "a.b.c = 1\n"
    )
    data, problems = parse_toml(text, "x.toml")
    assert problems == [] and data is not None and data["a"] == {"b": {"c": 1}}


def test_deep_article_toml(project: Path, run: Run) -> None:
    facts = project / "articles/a-full/article.toml"
    facts.write_text(facts.read_text(encoding="utf-8") + "x = " + "{a=" * DEEP, encoding="utf-8")
    code, _, err = run("-C", str(project), "check")
    assert code == 1
    message = "arrays, tables and dotted keys nested more than"
    assert f"articles/a-full/article.toml:4: {message}" in err, err


def test_nesting_within_the_limit_is_read() -> None:
    """The limit is on depth, not on the number of brackets; brackets in strings and
    comments do not count."""
    text = (
        "a = " + "[" * tomlfields.MAX_NESTING + "]" * tomlfields.MAX_NESTING + "\n"
        + "b = [" + "[1], " * 1000 + "]\n"
        + 'c = "' + "[" * 100 + '"\n'
        + "d = '''" + "{" * 100 + "'''\n"
        + 'e = """\n' + "[\\\n" * 100 + '"""\n'
        + "# " + "[" * 100 + "\n"
        + "[t]\nf = 1\n[[u]]\ng = [{h = [1]}]\n"
    )  # fmt: skip
    data, problems = parse_toml(text, "x.toml")
    assert problems == [] and data is not None and len(data["b"]) == 1000
    deeper = "a = 1\nb = " + "[" * (tomlfields.MAX_NESTING + 1) + "]" * (tomlfields.MAX_NESTING + 1)
    data, problems = parse_toml(deeper, "x.toml", first_line=10)
    assert data is None and [str(d) for d in problems] == [
        f"x.toml:11: arrays, tables and dotted keys nested more than {tomlfields.MAX_NESTING} deep"
    ]


def test_deep_stamp_record(project: Path, run: Run) -> None:
    """The stamp record is not used (the export still works) and the warning says why."""
    stamps = project / "i18n/stamps"
    stamps.mkdir(parents=True)
    (stamps / "a-full.en.toml").write_text(
        'source = "kk"\ndigest = "7d06e2c9d417b5f7"\nx = ' + "[" * DEEP, encoding="utf-8"
    )
    code, out, err = run("-C", str(project), "translate", "export", "a-full", "--to", "en")
    assert code == 0, err
    assert "a-full.en.po" in out
    message = "arrays, tables and dotted keys nested more than"
    assert f"i18n/stamps/a-full.en.toml:3: warning: {message}" in err


def test_deep_glossary(project: Path, run: Run) -> None:
    glossary = project / "i18n/glossary.tbx"
    glossary.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX">\n'
        + "<text>" * 50_000 + "</text>" * 50_000 + "\n</martif>\n",
        encoding="utf-8",
    )  # fmt: skip
    code, _, err = run("-C", str(project), "build")
    assert code == 1
    assert f"i18n/glossary.tbx:3: elements nested more than {safexml.MAX_DEPTH} deep" in err, err


def test_deep_tmx(project: Path, run: Run, tmp_path: Path) -> None:
    tmx = tmp_path / "deep.tmx"
    tmx.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header/><body>\n<tu><tuv xml:lang="kk"><seg>'
        + "<ph>" * 50_000 + "</ph>" * 50_000 + "</seg></tuv></tu></body></tmx>\n",
        encoding="utf-8",
    )  # fmt: skip
    code, _, err = run("-C", str(project), "tm", "import", str(tmx))
    assert code == 1
    assert f"deep.tmx:3: elements nested more than {safexml.MAX_DEPTH} deep" in err, err
    assert not (project / "i18n/memory/deep.tmx").exists()
