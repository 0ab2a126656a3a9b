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
    code, out, err = run(project, "translate", "export", "party", "--from", "ru", "--to", "kk",
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    return polib.pofile(str(project / "i18n/articles/party.kk.po"))


def imported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """kk.md made from ru.md through an export and an import; the export then lost."""
    po = export(project, capsys)
    assert all(e.msgstr and not e.fuzzy for e in po)
    code, out, err = run(project, "translate", "import", str(project / "i18n/articles"),
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    (project / "i18n/articles/party.kk.po").unlink()
    assert (project / "i18n/stamps/party.kk.toml").is_file()


def test_one_changed_sentence_makes_one_fuzzy_segment_with_its_previous_text(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(portal, capsys)
    old = "Сегодня на внеочередной партийной конференции"
    edit(portal / "articles/party/ru.md", old, "Сегодня на очередной партийной конференции")
    po = export(portal, capsys)
    fuzzy = [e for e in po if e.fuzzy]
    assert len(fuzzy) == 1, [e.msgctxt for e in fuzzy]
    assert fuzzy[0].previous_msgid is not None and old in fuzzy[0].previous_msgid
    assert fuzzy[0].msgstr.startswith("Бүгін партия")  # the translation it had
    assert all(e.msgstr for e in po)
    text = (portal / "i18n/articles/party.kk.po").read_text(encoding="utf-8")
    assert '#| msgid ""\n#| "Сегодня на внеочередной' in text


def test_an_inserted_paragraph_leaves_the_others_translated(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(portal, capsys)
    edit(portal / "articles/party/ru.md", "Сегодня на внеочередной",
         "Совсем новый абзац о городе.\n\nСегодня на внеочередной")  # fmt: skip
    po = export(portal, capsys)
    new = next(e for e in po if e.msgid == "Совсем новый абзац о городе.")
    assert not new.msgstr or new.fuzzy
    rest = [e for e in po if e is not new]
    assert all(e.msgstr and not e.fuzzy for e in rest)


def test_translate_done_records_the_source_too(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kk = portal / "articles/party/kk.md"
    edit(portal / "articles/party/en.md", "Today, the new mayor", "Today, the newly elected mayor")
    edit(kk, "Бүгін партия", "Бүгін, партия")
    code, out, err = run(portal, "translate", "done", "party", "kk", capsys=capsys)
    assert code == 0, err
    stamp = (portal / "i18n/stamps/party.kk.toml").read_text(encoding="utf-8")
    assert 'source = "en"' in stamp and "Today, the newly elected mayor" in stamp
    edit(portal / "articles/party/en.md", "extraordinary party conference", "party conference")
    code, out, err = run(portal, "translate", "export", "party", "--to", "kk", capsys=capsys)
    assert code == 0, err
    po = polib.pofile(str(portal / "i18n/articles/party.kk.po"))
    assert [e.msgctxt for e in po if e.fuzzy] == ["party/1"]
