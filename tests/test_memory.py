"""The translation memory (translation/memory.py): what it offers for a text is taken
from versions that are up to date with each other (an original and its current
translations, in every direction) and from the catalogues' finished entries; an outdated
translation or a draft is never offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, make_project

from ushtil.project import layout
from ushtil.site.build import load_site
from ushtil.translation.memory import Match, Memory, build_memory

BRIDGE = {  # articles/current: kk the original, ru from kk, en from ru, all current
    "kk": "Есіл өзені арқылы жаңа көпір салынды.",
    "ru": "Через Есиль построен новый мост.",
    "en": "A new bridge has been built across the Yesil.",
}
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, "status")


def memory_of(project: Path) -> Memory:
    site = load_site(project).site
    assert site is not None
    return build_memory(site)


def targets(memory: Memory, text: str, src: str, tgt: str) -> list[str]:
    return [m.target for m in memory.lookup(text, src, tgt)]


def test_current_versions_are_remembered_in_every_direction(project: Path) -> None:
    memory = memory_of(project)
    for src, text in BRIDGE.items():
        for tgt, translation in BRIDGE.items():
            if src != tgt:
                assert memory.lookup(text, src, tgt) == [
                    Match(text, translation, "article current", 1.0, "current")
                ], (src, tgt)
    assert targets(memory, "Жаңа көпір", "kk", "en") == ["A new bridge"]  # titles too


def test_an_outdated_translation_or_a_draft_is_never_offered(project: Path) -> None:
    memory = memory_of(project)
    # articles/outdated: ru.md changed after kk.md and en.md were translated from it
    ru = "В городе начался ремонт дорог и тротуаров."
    for tgt in ("kk", "en"):
        assert targets(memory, ru, "ru", tgt) == []
        assert targets(memory, "Ремонт дорог", "ru", tgt) == []
    assert targets(memory, "Қалада жол жөндеу басталды.", "kk", "en") == []
    # articles/draft: ru.md is a draft (still the Kazakh text)
    assert targets(memory, "Қала күні мерекесі өтеді.", "kk", "ru") == []

    edit(project / "articles/draft/ru.md", "draft = true\n", "")  # now a current translation
    assert targets(memory_of(project), "Қала күні мерекесі өтеді.", "kk", "ru") == [
        "Қала күні мерекесі өтеді."
    ]


def test_versions_of_another_shape_are_not_aligned(project: Path) -> None:
    en = project / "articles/current/en.md"
    edit(en, "across the Yesil.", "across the Yesil.\n\nIt is long.")
    memory = memory_of(project)  # en, still current with ru, now has two paragraphs
    assert targets(memory, BRIDGE["kk"], "kk", "en") == []
    assert targets(memory, BRIDGE["ru"], "ru", "en") == []
    assert targets(memory, "It is long.", "en", "kk") == []
    assert targets(memory, BRIDGE["kk"], "kk", "ru") == [BRIDGE["ru"]]  # still one each

    edit(en, "A new bridge has been built across the Yesil.\n\nIt is long.", "# Bridge")
    memory = memory_of(project)  # one block again, but a heading, not a paragraph
    assert targets(memory, BRIDGE["kk"], "kk", "en") == []
    assert targets(memory, "Bridge", "en", "ru") == []


def test_a_close_text_is_offered_with_its_score(project: Path) -> None:
    memory = memory_of(project)
    close = memory.lookup("Есіл өзені арқылы тағы бір жаңа көпір салынды.", "kk", "ru")
    assert [(m.source, m.target, m.origin) for m in close] == [
        (BRIDGE["kk"], BRIDGE["ru"], "article current")
    ]
    assert 0.75 <= close[0].score < 1.0
    assert memory.lookup("Есіл өзені арқылы жаңа көпір салынды.", "kk", "ru", limit=0) == []
    assert targets(memory, "Паркте жаңа орындықтар бар.", "kk", "ru") == []  # not close enough


def test_catalogues_give_their_finished_entries_only(project: Path) -> None:
    for lang in ("kk", "ru", "en"):
        layout.catalogue(project, lang).unlink()
    layout.catalogue(project, "kk").write_text(
        HEADER + 'msgid "Search"\nmsgstr "Іздеу"\n\n'
        '#, fuzzy\nmsgid "Home"\nmsgstr "Басты бет"\n\n'
        'msgid "Archive"\nmsgstr ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Ескі"\n',
        encoding="utf-8",
    )
    layout.catalogue(project, "ru").write_text(
        HEADER + 'msgid "Search"\nmsgstr "Поиск"\n', encoding="utf-8"
    )
    memory = memory_of(project)
    assert memory.lookup("Search", "en", "kk") == [Match("Search", "Іздеу", "interface", 1.0)]
    assert targets(memory, "Поиск", "ru", "kk") == ["Іздеу"]  # through the shared msgid
    assert targets(memory, "Іздеу", "kk", "ru") == ["Поиск"]
    assert targets(memory, "Home", "en", "kk") == []  # fuzzy
    assert targets(memory, "Archive", "en", "kk") == []  # untranslated
    assert targets(memory, "Old", "en", "kk") == []  # obsolete
    assert memory.sizes()[("en", "kk")] == 1 + 4  # Search, and the two current articles'


def test_add_keeps_one_of_each_translation_and_nothing_blank() -> None:
    memory = Memory()
    memory.add("kk", "ru", "Сәлем", "Привет", "interface")
    memory.add("kk", "ru", "Сәлем", "Привет", "article x", "x")  # the same translation again
    memory.add("kk", "ru", "Сәлем", "Здравствуйте", "article y", "y")
    memory.add("kk", "ru", "  ", "Пусто", "interface")
    memory.add("kk", "kk", "Сәлем", "Сәлем", "interface")
    assert targets(memory, "Сәлем", "kk", "ru") == ["Привет", "Здравствуйте"]
    assert memory.sizes() == {("kk", "ru"): 1}
