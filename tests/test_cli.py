"""The command line: `translate` as a group of actions (with the earlier spellings), the
project found from any folder inside it, paths given and printed relative to where the
user stands, and `python -m ushtil`."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

import polib
import pytest
from conftest import edit

from ushtil import __version__
from ushtil.cli.main import main, parser

ARTICLE = "articles/10888"
PO = "i18n/articles/10888.kk.po"


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """ushtil's main() in this process: its exit code, standard output and error."""

    def ushtil(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return ushtil


def usage(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """What argparse says about a wrong command line (exit 2)."""
    with pytest.raises(SystemExit) as stopped:
        main(list(args))
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err


def add_article(project: Path, article_id: str) -> None:
    folder = project / "articles" / article_id
    folder.mkdir()
    (folder / "article.toml").write_text(
        'published = 2016-07-08T10:00:00+06:00\ncategory = "news"\n', encoding="utf-8"
    )
    (folder / "ru.md").write_text(
        '+++\ntitle = "Экспорт зерна"\n+++\nЭкспорт зерна вырос.\n', encoding="utf-8"
    )


def translated(path: Path) -> None:
    """A translator at work: every entry given a translation (here, its source text)."""
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(path))


# --- translate is a group of actions -----------------------------------------------------


def test_an_article_called_export_can_be_started(
    sample: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    add_article(sample, "export")
    monkeypatch.chdir(sample)
    code, out, err = run("translate", "new", "export", "--to", "kk")
    assert code == 0, err
    assert out.startswith("articles/export/kk.md: started from ru.md as a draft;")
    assert "then run `ushtil translate done export kk`" in out
    text = (sample / "articles/export/kk.md").read_text(encoding="utf-8")
    assert 'title = "Экспорт зерна"' in text and "draft = true" in text
    # and its .po file is exported by the export action, article ID `export` or not
    code, out, err = run("translate", "export", "export", "--to", "en")
    assert code == 0, err
    assert out.startswith("i18n/articles/export.en.po: ")


def test_the_earlier_spelling_of_translate_new_names_the_new_one(
    sample: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (sample / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(sample)
    err = usage(capsys, "translate", "10888", "--to", "kk")
    assert err.splitlines()[-1] == (
        "ushtil translate: error: '10888' is not one of new, done, export, import; "
        "did you mean 'ushtil translate new 10888 --to kk'?"
    )
    err = usage(capsys, "translate", "10888")
    assert "did you mean 'ushtil translate new 10888 --to <lang>'?" in err
    err = usage(capsys, "translate", "exprot", "10888")
    actions = "is not one of new, done, export, import"
    assert f"'exprot' {actions}; did you mean 'ushtil translate export ...'?" in err
    assert not (sample / ARTICLE / "kk.md").exists()
    # the actions' own mistakes are argparse's usual messages
    err = usage(capsys, "translate", "new", "10888")
    required = "the following arguments are required: --to"
    assert err.splitlines()[-1] == f"ushtil translate new: error: {required}"


def test_translated_still_works_and_says_it_is_now_translate_done(
    sample: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    edit(sample / ARTICLE / "en.md", "have supported", "unanimously supported")
    said = "Конференцияға қатысушылар"
    edit(sample / ARTICLE / "kk.md", said, f"{said} бірауыздан")
    monkeypatch.chdir(sample)
    code, out, err = run("translated", "10888", "kk")
    assert code == 0, err
    assert err == "ushtil: note: `ushtil translated` is now `ushtil translate done`\n"
    assert out.strip() == (
        "articles/10888/kk.md: now current with en.md (was outdated); digest "
        + out.strip().rsplit(" ", 1)[-1]
    )
    code, out, err = run("translate", "done", "10888", "kk")
    assert code == 0 and err == ""
    assert out.strip() == "articles/10888/kk.md: already current with en.md; nothing changed"


def test_help_lists_the_actions_not_the_old_spellings(capsys: pytest.CaptureFixture[str]) -> None:
    top = parser().format_help()
    assert "translate-export" not in top and "translate-import" not in top
    assert "translated" not in top
    with pytest.raises(SystemExit):
        main(["translate", "--help"])
    group = capsys.readouterr().out
    assert group.startswith("usage: ushtil translate [-h] ACTION ...")
    for action in ("new", "done", "export", "import"):
        assert f"\n    {action} " in group


# --- the project from any folder inside it ---------------------------------------------


def test_commands_find_the_project_from_a_folder_inside_it(
    sample: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(sample / ARTICLE)
    code, out, err = run("check")
    assert code == 0 and out.startswith("ok: "), err
    code, out, err = run("status", "--lang", "kk", "--format", "json")
    assert code == 0, err
    assert '"path": "articles/10888/kk.md"' in out  # JSON names files from the project
    # a problem anywhere in the project is named from where the user stands
    edit(sample / "articles/site-languages/article.toml", 'category = "site"', 'category = "nws"')
    code, _, err = run("check")
    assert code == 1
    errors = [line for line in err.splitlines() if ": warning: " not in line]
    assert errors[0].startswith("../site-languages/article.toml:")
    edit(sample / "articles/site-languages/article.toml", 'category = "nws"', 'category = "site"')
    code, out, err = run("build")
    assert code == 0, err
    assert out.strip().endswith(" files into ../../public")
    assert (sample / "public/kk/news/10888/index.html").is_file()
    assert not (sample / ARTICLE / "public").exists()


def test_new_and_done_from_the_article_folder(
    sample: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (sample / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(sample / ARTICLE)
    code, out, err = run("translate", "new", "10888", "--to", "kk", "--from", "ru")
    assert code == 0, err
    assert out.startswith("kk.md: started from ru.md as a draft;")
    code, _, err = run("translate", "done", "10888", "kk")
    assert code == 1
    copied = "this is still the text copied from ru.md; translate it first"
    assert err.splitlines()[0] == f"kk.md: {copied}"


def test_paths_given_are_relative_to_where_the_user_stands(
    sample: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (sample / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(sample / ARTICLE)
    code, out, err = run("translate", "export", "10888", "--to", "kk", "--out", "../../today")
    assert code == 0, err
    assert out.startswith("../../today/10888.kk.po: 10 segments")
    assert (sample / "today/10888.kk.po").is_file()  # relative to here, not to the project
    translated(sample / "today/10888.kk.po")
    code, out, err = run("translate", "import", "../../today/10888.kk.po")
    assert code == 0, err
    assert out.strip() == "kk.md: written current (10/10 segments)"
    code, out, err = run("i18n", "stats", "../../locales/kk/LC_MESSAGES/messages.po")
    assert code == 0, err
    assert out.splitlines()[1].startswith("../../locales/kk/LC_MESSAGES/messages.po ")


def test_with_C_paths_start_at_DIR_as_if_started_there(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (sample / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(tmp_path)
    code, out, err = run("-C", str(sample), "translate", "export", "10888", "--to", "kk")
    assert code == 0 and out.startswith(f"{PO}: "), err
    translated(sample / PO)
    code, out, err = run("-C", str(sample / "i18n"), "translate", "import", "articles/10888.kk.po")
    assert code == 0, err
    assert out.strip() == "../articles/10888/kk.md: written current (10/10 segments)"
    code, _, err = run("-C", str(sample / ARTICLE), "translate", "import", "nothing.po")
    assert code == 1
    assert err.splitlines()[0] == "nothing.po: cannot read: No such file or directory"


def test_the_import_command_in_an_exported_file_works_as_written(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (sample / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(sample)
    assert run("translate", "export", "10888", "--to", "kk", "--from", "ru")[0] == 0
    assert run("translate", "export", "10888", "--to", "ru", "--out", str(tmp_path / "out"))[0] == 0
    exports = ((sample / PO, sample / ARTICLE), (tmp_path / "out/10888.ru.po", sample / "i18n"))
    for path, folder in exports:
        header = polib.pofile(str(path)).header
        line = next(x for x in header.splitlines() if x.startswith("When done, run: "))
        command = shlex.split(line.removeprefix("When done, run: "))
        assert command[:3] == ["ushtil", "translate", "import"]
        translated(path)
        monkeypatch.chdir(folder)  # a folder inside the project, not its own
        code, out, err = run(*command[1:])
        assert code == 0, err
        assert out.endswith("written current (10/10 segments)\n")
    assert polib.pofile(str(sample / PO)).header.splitlines()[-1] == (
        "When done, run: ushtil translate import :/i18n/articles/10888.kk.po"
    )


def test_outside_any_project(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("status")
    assert code == 2 and "this folder is not in an ushtil project" in err
    # i18n stats and check take any .po file, named as given
    po = sample / "locales/kk/LC_MESSAGES/messages.po"
    (tmp_path / "x.po").write_bytes(po.read_bytes())
    code, out, err = run("i18n", "stats", "x.po")
    assert code == 0, err
    assert out.splitlines()[1].startswith("x.po ")


# --- python -m ushtil and the console script ----------------------------------------------


def test_python_m_ushtil_and_the_console_script(sample: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ushtil", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == f"ushtil {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "ushtil", "check"],
        cwd=sample / ARTICLE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("ok: "), done.stderr
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "ushtil"]
    assert script.value == "ushtil.cli.main:main"
    assert script.load() is main
