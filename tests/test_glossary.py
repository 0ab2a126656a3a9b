"""The official glossary: read as TBX by ushtil and translate-toolkit alike; terms found
in inflected Kazakh and Russian; hints in exports; warnings where a term is missing."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from conftest import ROOT, edit
from translate.storage import tbx

from ushtil.cli.main import main
from ushtil.interface.glossary import occurs, read_glossary


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_sample_glossary_reads_the_same_in_translate_toolkit() -> None:
    ours, problems = read_glossary(ROOT)
    assert ours is not None and not problems
    data = (ROOT / "i18n/glossary.tbx").read_bytes()
    for lang in ("kk", "ru"):
        store = tbx.tbxfile.parsestring(data, sourcelanguage="en", targetlanguage=lang)
        theirs = {}
        for unit in store.units:
            terms = unit.get_target_terms(lang)
            theirs[unit.getid()] = (
                [t.text for t in unit.get_source_terms()],
                [t.text for t in terms if not t.deprecated],
                [t.text for t in terms if t.deprecated],
            )
        mine = {
            c.id: (list(c.terms["en"]), list(c.terms[lang]), list(c.deprecated.get(lang, ())))
            for c in ours.concepts
        }
        assert theirs == mine
    akimat = next(c for c in ours.concepts if c.id == "akimat")
    assert akimat.terms == {"kk": ("әкімдік",), "ru": ("акимат",), "en": ("akimat",)}
    assert akimat.deprecated == {"ru": ("мэрия",)}


def test_a_deprecated_term_in_a_translation_is_warned_about(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ru = portal / "articles/party/ru.md"
    edit(ru, "Сегодня на внеочередной", "Сегодня в мэрии на внеочередной")
    line = next(n for n, t in enumerate(ru.read_text().split("\n"), 1) if "мэрии" in t)
    code, out, err = run(portal, "check", capsys=capsys)
    assert code == 0
    assert (
        f"articles/party/ru.md:{line}: warning: the translation uses 'мэрия', which the "
        "glossary marks deprecated: use 'акимат'"
    ) in err


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("әкімдік", "Қала әкімдігі хабарлады", True),
        ("әкімдік", "әкімдіктің баспасөз қызметі", True),
        ("акимат", "в акимате города", True),
        ("акимат", "пресс-служба акимата", True),
        ("маслихат", "сессия городского маслихата", True),
        ("мәслихат", "қалалық мәслихатының сессиясы", True),
        ("Астана", "Астананың әкімі", True),
        ("«Нұрлы жол»", "«Нұрлы жол» бағдарламасын", True),
        ("Нурлы жол", "программы «Нурлы жола»", True),
        ("акимат", "аким города", False),
        ("Нурлы жол", "жол нурлы", False),
        ("EXPO-2017", "has expressed", False),
        ("akimat", "the akimats of the regions", True),
    ],
)
def test_terms_are_found_in_inflected_forms(term: str, text: str, found: bool) -> None:
    assert occurs(term, text) is found


def test_export_gives_the_terms_and_import_warns_where_one_is_missing(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(portal, "translate", "export", "party", "--from", "ru", "--to", "kk",
                         capsys=capsys)  # fmt: skip
    assert code == 0, err
    path = portal / "i18n/articles/party.kk.po"
    text = path.read_text(encoding="utf-8")
    assert "#. glossary: аким → әкім (The head of the city administration (mayor).)" in text
    assert "#. glossary: Астана → Астана (The capital city.)" in text
    # the translator writes "head" where the approved term is әкім
    po = polib.pofile(str(path))
    summary = next(e for e in po if e.msgctxt == "party/summary")
    assert "әкімі" in summary.msgstr
    summary.msgstr = summary.msgstr.replace("әкімі", "басшысы")
    po.save(str(path))
    lines = path.read_text(encoding="utf-8").split("\n")
    there = next(n for n, t in enumerate(lines, 1) if "басшысы" in t)
    msgstr_line = max(n for n, t in enumerate(lines[:there], 1) if t.startswith("msgstr"))
    kk = portal / "articles/party/kk.md"
    before = kk.read_bytes()
    code, out, err = run(portal, "translate", "import", str(path), "--strict", capsys=capsys)
    assert code == 1
    where = f"i18n/articles/party.kk.po:{msgstr_line}"
    assert f"{where}: the source has the glossary term 'аким'" in err
    assert "approved kk translation 'әкім' is not in the translation" in err
    assert kk.read_bytes() == before
    code, out, err = run(portal, "i18n", "check", str(path), capsys=capsys)
    assert code == 0 and f"party.kk.po:{msgstr_line}: warning: glossary: the source" in out
    code, out, err = run(portal, "i18n", "check", "--strict", str(path), capsys=capsys)
    assert code == 1
    code, out, err = run(portal, "translate", "import", str(path), capsys=capsys)
    assert code == 0, err
    assert f"party.kk.po:{msgstr_line}: warning: the source has the glossary term 'аким'" in err
    assert "басшысы" in kk.read_text(encoding="utf-8")


def test_the_build_warns_where_a_translation_lacks_an_approved_term(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(portal, "check", capsys=capsys)
    assert code == 0 and "glossary" not in err
    kk = portal / "articles/party/kk.md"
    edit(kk, "Астананың жаңа әкімі «Нұр", "Астананың жаңа басшысы «Нұр")
    code, out, err = run(portal, "check", capsys=capsys)
    assert code == 0
    assert re.search(
        r"articles/party/kk\.md:2: warning: the source has the glossary term 'mayor'; its "
        r"approved kk translation 'әкім' is not in the translation \(i18n/glossary\.tbx:\d+\)",
        err,
    )
    code, out, err = run(portal, "check", "--strict", capsys=capsys)
    assert code == 1
    # a build that remembers the parses (bodies left out) warns the same
    for _ in range(2):
        code, out, err = run(portal, "build", capsys=capsys)
        assert code == 0 and "kk.md:2: warning: the source has the glossary term 'mayor'" in err
    edit(portal / "articles/party/ru.md", "Сегодня на", "Сегодня  на")  # another file changed
    code, out, err = run(portal, "build", capsys=capsys)
    assert code == 0 and "kk.md:2: warning: the source has the glossary term 'mayor'" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY a "aaaa">\n]>\n<martif/>',
         "i18n/glossary.tbx:3: an entity declaration"),
        ("<martif>\n<text>\n</martif>", "i18n/glossary.tbx:3: not well-formed XML"),
        ("<html/>", "i18n/glossary.tbx:1: not a TBX glossary"),
    ],
)  # fmt: skip
def test_a_broken_glossary_is_named_with_its_line(
    portal: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    (portal / "i18n/glossary.tbx").write_text(content, encoding="utf-8")
    code, out, err = run(portal, "check", capsys=capsys)
    assert expected in err
    assert "Traceback" not in err


def test_the_build_checks_the_catalogues_against_the_glossary(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue = portal / "locales/kk/LC_MESSAGES/messages.po"
    edit(catalogue, 'msgstr "Астана қаласы әкімдігінің ресми сайты"',
         'msgstr "Қала әкімдігінің ресми сайты"')  # fmt: skip
    line = (
        catalogue.read_text(encoding="utf-8")
        .split("\n")
        .index('msgstr "Қала әкімдігінің ресми сайты"')
        + 1
    )
    expected = (
        f"locales/kk/LC_MESSAGES/messages.po:{line}: warning: the source has the glossary "
        "term 'Astana'; its approved kk translation 'Астана' is not in the translation"
    )
    code, out, err = run(portal, "check", capsys=capsys)
    assert code == 0 and expected in err
    code, out, err = run(portal, "i18n", "check", capsys=capsys)
    assert code == 0 and f"messages.po:{line}: warning: glossary: the source has" in out
    code, out, err = run(portal, "check", "--strict", capsys=capsys)
    assert code == 1
