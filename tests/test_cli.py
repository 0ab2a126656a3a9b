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

ARTICLE = "articles/party"
PO = "i18n/articles/party.kk.po"


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
    portal: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    add_article(portal, "export")
    monkeypatch.chdir(portal)
    code, out, err = run("translate", "new", "export", "--to", "kk")
    assert code == 0, err
    assert out.startswith("articles/export/kk.md: started from ru.md as a draft;")
    assert "then run `ushtil translate done export kk`" in out
    text = (portal / "articles/export/kk.md").read_text(encoding="utf-8")
    assert 'title = "Экспорт зерна"' in text and "draft = true" in text
    # and its .po file is exported by the export action, article ID `export` or not
    code, out, err = run("translate", "export", "export", "--to", "en")
    assert code == 0, err
    assert out.startswith("i18n/articles/export.en.po: ")


def test_the_earlier_spelling_of_translate_new_names_the_new_one(
    portal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (portal / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(portal)
    err = usage(capsys, "translate", "party", "--to", "kk")
    assert err.splitlines()[-1] == (
        "ushtil translate: error: 'party' is not one of new, done, export, import; "
        "did you mean 'ushtil translate new party --to kk'?"
    )
    err = usage(capsys, "translate", "party")
    assert "did you mean 'ushtil translate new party --to <lang>'?" in err
    err = usage(capsys, "translate", "exprot", "party")
    actions = "is not one of new, done, export, import"
    assert f"'exprot' {actions}; did you mean 'ushtil translate export ...'?" in err
    assert not (portal / ARTICLE / "kk.md").exists()
    # the actions' own mistakes are argparse's usual messages
    err = usage(capsys, "translate", "new", "party")
    required = "the following arguments are required: --to"
    assert err.splitlines()[-1] == f"ushtil translate new: error: {required}"


def test_translated_still_works_and_says_it_is_now_translate_done(
    portal: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    edit(portal / ARTICLE / "en.md", "have supported", "unanimously supported")
    said = "Конференцияға қатысушылар"
    edit(portal / ARTICLE / "kk.md", said, f"{said} бірауыздан")
    monkeypatch.chdir(portal)
    code, out, err = run("translated", "party", "kk")
    assert code == 0, err
    assert err == "ushtil: note: `ushtil translated` is now `ushtil translate done`\n"
    assert out.strip() == (
        "articles/party/kk.md: now current with en.md (was outdated); digest "
        + out.strip().rsplit(" ", 1)[-1]
    )
    code, out, err = run("translate", "done", "party", "kk")
    assert code == 0 and err == ""
    assert out.strip() == "articles/party/kk.md: already current with en.md; nothing changed"


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
    portal: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(portal / ARTICLE)
    code, out, err = run("check")
    assert code == 0 and out.startswith("ok: "), err
    code, out, err = run("status", "--lang", "kk", "--format", "json")
    assert code == 0, err
    assert '"path": "articles/party/kk.md"' in out  # JSON names files from the project
    # a problem anywhere in the project is named from where the user stands
    edit(portal / "articles/languages/article.toml", 'category = "site"', 'category = "nws"')
    code, _, err = run("check")
    assert code == 1
    errors = [line for line in err.splitlines() if ": warning: " not in line]
    assert errors[0].startswith("../languages/article.toml:")
    edit(portal / "articles/languages/article.toml", 'category = "nws"', 'category = "site"')
    code, out, err = run("build")
    assert code == 0, err
    assert out.strip().endswith(" files into ../../public")
    assert (portal / "public/kk/news/party/index.html").is_file()
    assert not (portal / ARTICLE / "public").exists()


def test_new_and_done_from_the_article_folder(
    portal: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (portal / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(portal / ARTICLE)
    code, out, err = run("translate", "new", "party", "--to", "kk", "--from", "ru")
    assert code == 0, err
    assert out.startswith("kk.md: started from ru.md as a draft;")
    code, _, err = run("translate", "done", "party", "kk")
    assert code == 1
    copied = "this is still the text copied from ru.md; translate it first"
    assert err.splitlines()[0] == f"kk.md: {copied}"


def test_paths_given_are_relative_to_where_the_user_stands(
    portal: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (portal / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(portal / ARTICLE)
    code, out, err = run("translate", "export", "party", "--to", "kk", "--out", "../../today")
    assert code == 0, err
    assert out.startswith("../../today/party.kk.po: 10 segments")
    assert (portal / "today/party.kk.po").is_file()  # relative to here, not to the project
    translated(portal / "today/party.kk.po")
    code, out, err = run("translate", "import", "../../today/party.kk.po")
    assert code == 0, err
    assert out.strip() == "kk.md: written current (10/10 segments)"
    code, out, err = run("i18n", "stats", "../../locales/kk/LC_MESSAGES/messages.po")
    assert code == 0, err
    assert out.splitlines()[1].startswith("../../locales/kk/LC_MESSAGES/messages.po ")


def test_with_C_paths_start_at_DIR_as_if_started_there(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (portal / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(tmp_path)
    code, out, err = run("-C", str(portal), "translate", "export", "party", "--to", "kk")
    assert code == 0 and out.startswith(f"{PO}: "), err
    translated(portal / PO)
    code, out, err = run("-C", str(portal / "i18n"), "translate", "import", "articles/party.kk.po")
    assert code == 0, err
    assert out.strip() == "../articles/party/kk.md: written current (10/10 segments)"
    code, _, err = run("-C", str(portal / ARTICLE), "translate", "import", "nothing.po")
    assert code == 1
    assert err.splitlines()[0] == "nothing.po: cannot read: No such file or directory"


def test_the_import_command_in_an_exported_file_works_as_written(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    (portal / ARTICLE / "kk.md").unlink()
    monkeypatch.chdir(portal)
    assert run("translate", "export", "party", "--to", "kk", "--from", "ru")[0] == 0
    assert run("translate", "export", "party", "--to", "ru", "--out", str(tmp_path / "out"))[0] == 0
    exports = ((portal / PO, portal / ARTICLE), (tmp_path / "out/party.ru.po", portal / "i18n"))
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
    assert polib.pofile(str(portal / PO)).header.splitlines()[-1] == (
        "When done, run: ushtil translate import :/i18n/articles/party.kk.po"
    )


def test_outside_any_project(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("status")
    assert code == 2 and "this folder is not in an ushtil project" in err
    # i18n stats and check take any .po file, named as given
    po = portal / "locales/kk/LC_MESSAGES/messages.po"
    (tmp_path / "x.po").write_bytes(po.read_bytes())
    code, out, err = run("i18n", "stats", "x.po")
    assert code == 0, err
    assert out.splitlines()[1].startswith("x.po ")


# --- python -m ushtil and the console script ----------------------------------------------


def test_python_m_ushtil_and_the_console_script(portal: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ushtil", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == f"ushtil {__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "ushtil", "check"],
        cwd=portal / ARTICLE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("ok: "), done.stderr
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "ushtil"]
    assert script.value == "ushtil.cli.main:main"
    assert script.load() is main
