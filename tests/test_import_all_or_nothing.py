"""`translate import` writes all it has to write, or nothing: the version, its stamp record
and the export's header are checked before the first is written, every file of an import
at once; a write that fails after all is undone."""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest
from conftest import make_project

from ushtil.cli.main import main
from ushtil.project.files import Planned, write_all
from ushtil.project.problems import UshtilError

EXPORTS = "i18n/articles"
STAMPS = "i18n/stamps"


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


def state(project: Path) -> dict[str, tuple[bytes, int, int] | str]:
    """Every file of the project but the exports, with its bytes, inode and modification
    time (a link as what it names)."""
    found: dict[str, tuple[bytes, int, int] | str] = {}
    for path in sorted(project.rglob("*")):
        name = path.relative_to(project).as_posix()
        if path.is_symlink():
            found[name] = os.readlink(path)
        elif path.is_file():
            info = path.stat()
            found[name] = (path.read_bytes(), info.st_ino, info.st_mtime_ns)
    return found


def exported(project: Path, article: str, lang: str, capsys: pytest.CaptureFixture[str]) -> Path:
    """``article``'s translation into ``lang`` exported, each title then translated anew
    (so importing it changes the version)."""
    code, _, err = run(project, "translate", "export", article, "--to", lang, capsys=capsys)
    assert code == 0, err
    path = project / EXPORTS / f"{article}.{lang}.po"
    po = polib.pofile(str(path))
    title = po.find(f"{article}/title", by="msgctxt")
    assert title is not None and title.msgstr and not title.fuzzy
    title.msgstr += " (edited)"
    po.save(str(path))
    return path


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    return make_project(tmp_path, "basic")


def test_a_linked_stamp_record_refuses_the_import_before_the_version_is_written(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = exported(basic, "a-full", "en", capsys)
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text("# not the project's\n", encoding="utf-8")
    (basic / STAMPS).mkdir(parents=True, exist_ok=True)
    (basic / STAMPS / "a-full.en.toml").symlink_to(elsewhere)
    before = state(basic)
    code, out, err = run(basic, "translate", "import", str(po), capsys=capsys)
    assert code == 1 and out == ""
    assert state(basic) == before  # en.md: the same bytes, inode and modification time
    assert elsewhere.read_text(encoding="utf-8") == "# not the project's\n"
    lines = err.splitlines()
    assert f"{STAMPS}/a-full.en.toml: is a symbolic link; ushtil does not write through " \
        "links (replace it with a regular file)" in lines, err  # fmt: skip
    assert (
        f"{EXPORTS}/a-full.en.po: nothing was written: articles/a-full/en.md, "
        f"{STAMPS}/a-full.en.toml, {EXPORTS}/a-full.en.po left as they were"
    ) in lines, err


def test_a_batch_is_imported_all_or_nothing(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for article, lang in (("a-full", "en"), ("a-full", "ru"), ("b-no-english", "ru")):
        exported(basic, article, lang, capsys)
    (basic / STAMPS).mkdir(parents=True, exist_ok=True)
    (basic / STAMPS / "a-full.ru.toml").mkdir()  # the second file's record: a folder
    before = state(basic)
    code, out, err = run(basic, "translate", "import", EXPORTS, capsys=capsys)
    assert code == 1 and out == ""
    assert state(basic) == before  # not the first file's version either, nor its record
    lines = err.splitlines()
    assert f"{STAMPS}/a-full.ru.toml: is not a regular file; nothing was written" in lines
    assert lines[-1] == (
        f"nothing was imported (all or nothing): {EXPORTS}/a-full.en.po, "
        f"{EXPORTS}/b-no-english.ru.po were not written either; "
        "import again when the problems above are corrected"
    ), err
    (basic / STAMPS / "a-full.ru.toml").rmdir()
    code, out, err = run(basic, "translate", "import", EXPORTS, capsys=capsys)
    assert code == 0, err
    assert out.splitlines() == [
        "articles/a-full/en.md: written current (4/4 segments)",
        "articles/a-full/ru.md: written current (4/4 segments)",
        "articles/b-no-english/ru.md: written current (2/2 segments)",
    ]
    text = (basic / "articles/b-no-english/ru.md").read_text(encoding="utf-8")
    assert 'title = "Сайт обновлён (edited)"' in text


def test_two_files_for_one_version_are_refused_together(
    basic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    po = exported(basic, "a-full", "en", capsys)
    again = po.with_name("a-full.en.copy.po")
    again.write_bytes(po.read_bytes())
    before = state(basic)
    code, out, err = run(basic, "translate", "import", EXPORTS, capsys=capsys)
    assert code == 1 and out == ""
    assert state(basic) == before
    assert (
        f"{EXPORTS}/a-full.en.po: articles/a-full/en.md is written by "
        f"{EXPORTS}/a-full.en.copy.po too: import one of them"
    ) in err.splitlines(), err


def test_a_write_that_fails_after_all_is_undone(tmp_path: Path) -> None:
    """The third file cannot be written (text that is no UTF-8): the first two, a changed
    file and a new one, are put back as they were."""
    (tmp_path / "site.toml").write_text("", encoding="utf-8")
    first, second = tmp_path / "first.md", tmp_path / "new" / "second.md"
    first.write_text("before\n", encoding="utf-8")
    os.utime(first, ns=(1_000_000_000, 1_000_000_000))
    planned = [
        Planned(first, "after\n"),
        Planned(second, "new\n", create=True),
        Planned(tmp_path / "third.md", "\udcff"),  # a lone surrogate cannot be encoded
    ]
    with pytest.raises(UnicodeEncodeError):
        write_all(tmp_path, planned)
    assert first.read_text(encoding="utf-8") == "before\n"
    assert first.stat().st_mtime_ns == 1_000_000_000
    assert not second.exists() and not (tmp_path / "third.md").exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["first.md", "new", "site.toml"]


def test_a_write_refused_after_the_checks_says_what_was_undone(tmp_path: Path) -> None:
    """Writing the first file makes the second impossible (its folder would be where the
    first now is): the first is removed again, and the error says so."""
    first, second = tmp_path / "x", tmp_path / "x" / "y.md"
    with pytest.raises(UshtilError) as caught:
        write_all(tmp_path, [Planned(first, "a file\n"), Planned(second, "below it\n")])
    assert [str(d) for d in caught.value.diagnostics] == [
        "x/y.md: cannot create its folder: x is a file",
        "x/y.md: nothing was written (x undone)",
    ]
    assert list(tmp_path.iterdir()) == []


def test_translate_done_writes_neither_the_version_nor_a_linked_stamp_record(
    basic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = basic / "articles/a-full/kk.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("орындықтар бар.", "орындықтар көп."), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text("# not the project's\n", encoding="utf-8")
    (basic / STAMPS).mkdir(parents=True, exist_ok=True)
    (basic / STAMPS / "a-full.ru.toml").symlink_to(elsewhere)
    before = state(basic)
    code, out, err = run(basic, "translate", "done", "a-full", "ru", "--force", capsys=capsys)
    assert code == 1 and out == ""
    assert state(basic) == before  # ru.md: the same bytes, inode and modification time
    assert f"{STAMPS}/a-full.ru.toml: is a symbolic link" in err, err
