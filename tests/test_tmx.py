"""The translation memory as TMX: exported for CAT tools, imported from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit
from translate.storage import tmx as tt_tmx

from ushtil.cli.main import main


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_is_read_back_by_translate_toolkit_with_every_pair_intact(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # quotes, placeholders-like text and Kazakh letters survive the trip
    code, out, err = run(portal, "tm", "export", str(tmp_path / "all.tmx"), capsys=capsys)
    assert code == 0, err
    store = tt_tmx.tmxfile.parsefile(str(tmp_path / "all.tmx"))
    units = store.getunits()
    assert f"{len(units)} translation units" in out
    pairs = {(u.source, u.target) for u in units}
    code, out, err = run(portal, "tm", "export", str(tmp_path / "ru-kk.tmx"), "--from", "ru",
                         "--to", "kk", capsys=capsys)  # fmt: skip
    assert code == 0
    text = (tmp_path / "ru-kk.tmx").read_text(encoding="utf-8")
    assert '<tmx version="1.4">' in text and 'srclang="ru"' in text
    assert 'xml:lang="kk"' in text and 'type="x-ushtil-article">party<' in text
    assert 'creationdate="20' in text
    ru_kk = tt_tmx.tmxfile.parsefile(str(tmp_path / "ru-kk.tmx"))
    got = {(u.source, u.target) for u in ru_kk.getunits()}
    # every ru→kk segment pair of the article, compared with what the memory looks up
    title = (
        "Асет Исекешев возглавил столичный филиал партии «Нур Отан»",
        "Әсет Исекешев «Нұр Отан» партиясының елордалық филиалын басқарды",
    )
    assert title in got and title in pairs
    assert any("%(" in s or "{" in s for s, _ in pairs)  # interface placeholders
    for source, target in got:
        code, out, err = run(portal, "tm", "lookup", source, "--from", "ru", "--to", "kk",
                             "--limit", "50", capsys=capsys)  # fmt: skip
        assert code == 0 and target in out


def test_a_tmx_written_by_translate_toolkit_is_used_for_suggestions(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tt_tmx.tmxfile(sourcelanguage="ru-RU", targetlanguage="kk-KZ")
    store.addtranslation("Маслихат города утвердил бюджет.", "ru-RU",
                         "Қалалық мәслихат бюджетті бекітті.", "kk-KZ")  # fmt: skip
    store.addtranslation("Аким «Нур Отан» & \"квоты\" <b>", "ru-RU",
                         "Әкім «Нұр Отан» & \"квоталар\" <b>", "kk-KZ")  # fmt: skip
    made = tmp_path / "omegat-project.tmx"
    store.savefile(str(made))
    code, out, err = run(portal, "tm", "import", str(made), capsys=capsys)
    assert code == 0, err
    assert "i18n/memory/omegat-project.tmx: 2 translation units kept" in out
    code, out, err = run(portal, "tm", "lookup", "Маслихат города утвердил бюджет.", "--from",
                         "ru", "--to", "kk", capsys=capsys)  # fmt: skip
    assert code == 0
    assert "Қалалық мәслихат бюджетті бекітті." in out and "TMX omegat-project.tmx" in out
    code, out, err = run(portal, "tm", "lookup", 'Аким «Нур Отан» & "квоты" <b>', "--from",
                         "ru", "--to", "kk", capsys=capsys)  # fmt: skip
    assert 'Әкім «Нұр Отан» & "квоталар" <b>' in out
    # a translate export suggests it, naming its origin
    article = portal / "articles/party"
    first = "Маслихат города утвердил бюджет.\n\nСегодня на внеочередной"
    edit(article / "ru.md", "Сегодня на внеочередной", first)
    (article / "kk.md").unlink()
    code, out, err = run(portal, "translate", "export", "party", "--from", "ru", "--to", "kk",
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    exported = (portal / "i18n/articles/party.kk.po").read_text(encoding="utf-8")
    assert 'msgstr "Қалалық мәслихат бюджетті бекітті."' in exported
    assert "memory: 100% match, TMX omegat-project.tmx" in exported
    # the imported memory is never replaced, and never exported again as ushtil's own
    code, out, err = run(portal, "tm", "import", str(made), capsys=capsys)
    assert code == 1 and "already exists" in err
    run(portal, "tm", "export", str(tmp_path / "again.tmx"), capsys=capsys)
    assert "бюджетті" not in (tmp_path / "again.tmx").read_text(encoding="utf-8")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="ru"><seg>&lol3;</seg></tuv>
<tuv xml:lang="kk"><seg>x</seg></tuv></tu></body></tmx>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header/><body><tu><tuv xml:lang="ru"><seg>&x;</seg></tuv>
<tuv xml:lang="kk"><seg>x</seg></tuv></tu></body></tmx>
"""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (BILLION_LAUGHS, "bad.tmx:3: an entity declaration (<!ENTITY …>) is not accepted"),
        (EXTERNAL, "bad.tmx:2: an entity declaration (<!ENTITY …>) is not accepted"),
        ('<?xml version="1.0"?>\n<tmx version="1.4">\n<body><tu>\n</tmx>\n',
         "bad.tmx:4: not well-formed XML: mismatched tag"),
        ('<?xml version="1.0"?>\n<html/>\n', "bad.tmx:2: not a TMX document"),
        ('<tmx version="1.4"><header/><body>\n<tu><tuv xml:lang="ru"><seg>а</seg></tuv>'
         '<tuv xml:lang="de"><seg>b</seg></tuv></tu></body></tmx>',
         "bad.tmx:1: no translation unit with two of the site's languages"),
        ('<tmx version="1.4"><header/><body>\n<tu><tuv xml:lang="r u"><seg>а</seg></tuv>'
         "</tu></body></tmx>", "bad.tmx:2: 'r u' is not a language tag"),
    ],
)  # fmt: skip
def test_an_untrusted_tmx_is_refused_with_its_line(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run(portal, "tm", "import", str(bad), capsys=capsys)
    assert code == 1
    assert expected in err
    assert "Traceback" not in err and "internal error" not in err
    assert not (portal / "i18n/memory").exists()


def test_an_oversized_tmx_is_refused_before_it_is_parsed(
    portal: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ushtil.translation import tmx

    monkeypatch.setattr(tmx, "MAX_BYTES", 100)
    big = tmp_path / "big.tmx"
    big.write_text("<tmx>" + " " * 200 + "</tmx>", encoding="utf-8")
    code, out, err = run(portal, "tm", "import", str(big), capsys=capsys)
    assert code == 1 and "big.tmx: 211 bytes: over" in err


def test_import_warns_where_an_imported_memory_translates_a_segment_otherwise(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "Асет Исекешев возглавил столичный филиал партии «Нур Отан»"
    other = "Әсет Исекешев «Нұр Отан» партиясының астаналық филиалын басқарды"
    store = tt_tmx.tmxfile(sourcelanguage="ru", targetlanguage="kk")
    store.addtranslation(title, "ru", other, "kk")
    store.savefile(str(tmp_path / "agency.tmx"))
    code, out, err = run(portal, "tm", "import", str(tmp_path / "agency.tmx"), capsys=capsys)
    assert code == 0, err
    code, out, err = run(portal, "translate", "export", "party", "--from", "ru", "--to", "kk",
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    path = portal / "i18n/articles/party.kk.po"
    lines = path.read_text(encoding="utf-8").split("\n")
    msgstr = lines.index('msgctxt "party/title"') + 3
    assert lines[msgstr - 1].startswith("msgstr")
    code, out, err = run(portal, "translate", "import", str(path), capsys=capsys)
    assert code == 0, err
    assert (
        f"i18n/articles/party.kk.po:{msgstr}: warning: segment party/title: TMX agency.tmx "
        f"(Translate Toolkit) translates this source otherwise: '{other}'"
    ) in err


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("articles/memory.tmx", "inside a folder ushtil reads"),
        ("i18n/memory/mine.tmx", "inside a folder ushtil reads"),
        ("memory.txt", "the file's name must end in .tmx"),
    ],
)
def test_tm_export_writes_only_where_it_may(
    portal: Path, capsys: pytest.CaptureFixture[str], name: str, why: str
) -> None:
    code, out, err = run(portal, "tm", "export", name, capsys=capsys)
    assert code == 2 and why in err
    assert not (portal / name).exists()
