"""Exporting again without the earlier export file: only changed segments are fuzzy."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import edit

from ushtil.cli.main import main


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def export(project: Path, capsys: pytest.CaptureFixture[str]) -> polib.POFile:
    code, out, err = run(project, "translate", "export", "10888", "--from", "ru", "--to", "kk",
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    return polib.pofile(str(project / "i18n/articles/10888.kk.po"))


def imported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """kk.md made from ru.md through an export and an import; the export then lost."""
    po = export(project, capsys)
    assert all(e.msgstr and not e.fuzzy for e in po)
    code, out, err = run(project, "translate", "import", str(project / "i18n/articles"),
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    (project / "i18n/articles/10888.kk.po").unlink()
    assert (project / "i18n/stamps/10888.kk.toml").is_file()


def test_one_changed_sentence_makes_one_fuzzy_segment_with_its_previous_text(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(sample, capsys)
    old = "Сегодня на внеочередной партийной конференции"
    edit(sample / "articles/10888/ru.md", old, "Сегодня на очередной партийной конференции")
    po = export(sample, capsys)
    fuzzy = [e for e in po if e.fuzzy]
    assert len(fuzzy) == 1, [e.msgctxt for e in fuzzy]
    assert fuzzy[0].previous_msgid is not None and old in fuzzy[0].previous_msgid
    assert fuzzy[0].msgstr.startswith("Бүгін партия")  # the translation it had
    assert all(e.msgstr for e in po)
    text = (sample / "i18n/articles/10888.kk.po").read_text(encoding="utf-8")
    assert '#| msgid ""\n#| "Сегодня на внеочередной' in text


def test_an_inserted_paragraph_leaves_the_others_translated(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(sample, capsys)
    edit(sample / "articles/10888/ru.md", "Сегодня на внеочередной",
         "Совсем новый абзац о городе.\n\nСегодня на внеочередной")  # fmt: skip
    po = export(sample, capsys)
    new = next(e for e in po if e.msgid == "Совсем новый абзац о городе.")
    assert not new.msgstr or new.fuzzy
    rest = [e for e in po if e is not new]
    assert all(e.msgstr and not e.fuzzy for e in rest)


def test_translate_done_records_the_source_too(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = sample / "articles/10888/kk.md"
    edit(sample / "articles/10888/en.md", "Today, the new mayor", "Today, the newly elected mayor")
    edit(kk, "Бүгін партия", "Бүгін, партия")
    code, out, err = run(sample, "translate", "done", "10888", "kk", capsys=capsys)
    assert code == 0, err
    stamp = (sample / "i18n/stamps/10888.kk.toml").read_text(encoding="utf-8")
    assert 'source = "en"' in stamp and "Today, the newly elected mayor" in stamp
    edit(sample / "articles/10888/en.md", "extraordinary party conference", "party conference")
    code, out, err = run(sample, "translate", "export", "10888", "--to", "kk", capsys=capsys)
    assert code == 0, err
    po = polib.pofile(str(sample / "i18n/articles/10888.kk.po"))
    assert [e.msgctxt for e in po if e.fuzzy] == ["10888/1"]
