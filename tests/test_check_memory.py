"""Checks remembered per content: the glossary's verdict on a translation (or catalogue)
is made again only when something it was made from changed, and every build reports
what a clean build reports."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import NOW, edit, make_project

from ushtil.project.text import text_digest
from ushtil.site.build import BuildReport, Memory, build

KK_CATALOGUE = "locales/kk/LC_MESSAGES/messages.po"
CATALOGUES = tuple(f"locales/{lang}/LC_MESSAGES/messages.po" for lang in ("en", "kk", "ru"))

CONCEPTS = {
    "akimat": {"kk": "әкімдік", "ru": "акимат", "en": "akimat"},
    "maslikhat": {"kk": "мәслихат", "ru": "маслихат", "en": "maslikhat"},
    "transport": {"kk": "көлік", "ru": "транспорт", "en": "transport"},
}
DEPRECATED = {"akimat": {"ru": "мэрия"}}

# article → its source language and each version's (title, body)
# fmt: off
ARTICLES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "park": ("kk", {  # the English lacks "akimat"
        "kk": ("Жаңа саябақ", "Қала әкімдігі жаңа саябақ ашты.\n\nСаябақта ағаштар бар."),
        "ru": ("Новый парк", "Городской акимат открыл новый парк.\n\nВ парке есть деревья."),
        "en": ("A new park", "The city opened a new park.\n\nThe park has trees."),
    }),
    "session": ("kk", {  # the Russian lacks "маслихат"
        "kk": ("Сессия", "Қалалық мәслихат сессиясы өтті."),
        "ru": ("Сессия", "Прошла сессия городского собрания."),
        "en": ("Session", "The city maslikhat met in session."),
    }),
    "road": ("kk", {  # no term; a Latin "o" in a Kazakh word (a look-alike)
        "kk": ("Жаңа жол", "Көшеде жаңа жoл салынды."),
        "ru": ("Новая дорога", "На улице построили новую дорогу."),
        "en": ("A new road", "A new road was built on the street."),
    }),
    "meeting": ("kk", {  # the Russian uses the deprecated "мэрия", lacks "акимат"
        "kk": ("Жиналыс", "Әкімдік жиналыс өткізді."),
        "ru": ("Собрание", "Мэрия провела собрание."),
        "en": ("Meeting", "The akimat held a meeting."),
    }),
    "budget": ("ru", {  # a Russian original; the English lacks "maslikhat"
        "ru": ("Бюджет", "Маслихат утвердил бюджет."),
        "kk": ("Бюджет", "Мәслихат бюджетті бекітті."),
        "en": ("Budget", "The council approved the spending plan."),
    }),
}
# fmt: on
PAIRS = sorted(
    f"articles/{name}/{lang}.md"
    for name, (source, versions) in ARTICLES.items()
    for lang in versions
    if lang != source
)


def tbx(concepts: dict[str, dict[str, str]]) -> str:
    entries = []
    for concept, terms in concepts.items():
        sets = []
        for lang, term in terms.items():
            tigs = f"<tig><term>{term}</term></tig>"
            banned = DEPRECATED.get(concept, {}).get(lang)
            if banned:
                status = "deprecatedTerm-admn-sts"
                tigs += (
                    f'<tig><term>{banned}</term><termNote type="administrativeStatus">'
                    f"{status}</termNote></tig>"
                )
            sets.append(f'<langSet xml:lang="{lang}">{tigs}</langSet>')
        entries.append(f'<termEntry id="{concept}">{"".join(sets)}</termEntry>')
    body = "\n".join(entries)
    return f'<martif type="TBX-Basic"><text><body>\n{body}\n</body></text></martif>\n'


def version_file(title: str, body: str, source: tuple[str, str, str] | None = None) -> str:
    """A version's file; ``source``: the (language, title, body) it is stamped from."""
    front = f'title = "{title}"\n'
    if source is not None:
        lang, source_title, source_body = source
        digest = text_digest(source_title, "", source_body + "\n")
        front += f'\n[translated_from]\nlang = "{lang}"\ndigest = "{digest}"\n'
    return f"+++\n{front}+++\n{body}\n"


def write_article(project: Path, name: str, source: str, versions: dict[str, tuple[str, str]]):  # type: ignore[no-untyped-def]
    folder = project / "articles" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.toml").write_text(
        'published = 2024-01-10T09:00:00+05:00\ncategory = "news"\n', encoding="utf-8"
    )
    title, body = versions[source]
    for lang, (own_title, own_body) in versions.items():
        stamp = None if lang == source else (source, title, body)
        (folder / f"{lang}.md").write_text(version_file(own_title, own_body, stamp), "utf-8")


def make_site(tmp_path: Path) -> Path:
    project = make_project(tmp_path, "checks")
    for name, (source, versions) in ARTICLES.items():
        write_article(project, name, source, versions)
    (project / "i18n/glossary.tbx").write_text(tbx(CONCEPTS), encoding="utf-8")
    return project


def shown(report: BuildReport) -> list[str]:
    return sorted(str(d) for d in report.diagnostics)


def clean(project: Path, scratch: Path, *, strict: bool = False) -> list[str]:
    """What a clean build of the same project, elsewhere, reports."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns("public"))
    return shown(build(scratch, now=NOW, clean=True, jobs=1, strict=strict))


@contextmanager
def opened() -> Iterator[list[str]]:
    """The files of ``articles/`` the process opens meanwhile (an audit hook: it sees
    every ``open``, whoever calls it)."""
    seen: list[str] = []
    OPENED.append(seen)
    try:
        yield seen
    finally:
        OPENED.remove(seen)


OPENED: list[list[str]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and OPENED and isinstance(args[0], str) and "/articles/" in args[0]:
        OPENED[-1].append(args[0].split("/articles/", 1)[1])


sys.addaudithook(_audit)


def test_an_edit_rechecks_the_edited_translation_alone(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    first = build(project, now=NOW, jobs=1)
    assert first.ok
    assert sorted(first.checked) == sorted([*PAIRS, *CATALOGUES])  # nothing remembered yet
    warnings = [m for m in shown(first) if ": warning: " in m]
    assert any("articles/park/en.md:8: warning: the source has the glossary term" in m
               for m in warnings)  # fmt: skip
    assert any("articles/meeting/ru.md:8: warning: the translation uses 'мэрия'" in m
               for m in warnings)  # fmt: skip
    assert shown(first) == clean(project, tmp_path / "clean")

    edit(project / "articles/session/ru.md", "Прошла сессия", "Вчера прошла сессия")
    report = build(project, now=NOW, jobs=1)
    assert report.checked == ("articles/session/ru.md",)
    assert shown(report) == clean(project, tmp_path / "clean")
    assert any("articles/session/ru.md:8: warning: the source has the glossary term 'мәслихат'"
               in m for m in shown(report))  # fmt: skip

    edit(project / "articles/session/ru.md", "городского собрания", "городского маслихата")
    report = build(project, now=NOW, jobs=1)
    assert report.checked == ("articles/session/ru.md",)
    assert not any("session/ru.md" in m for m in shown(report))
    assert shown(report) == clean(project, tmp_path / "clean")


def test_an_edit_opens_no_other_version(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    first = build(project, now=NOW, jobs=1)
    assert first.ok
    edit(project / "articles/session/ru.md", "Прошла сессия", "Вчера прошла сессия")
    with opened() as files:
        report = build(project, now=NOW, jobs=1)
    # the edited translation and its source (which it is checked against) are read; the
    # other versions' warnings are the ones remembered
    assert sorted({f for f in files if f.endswith(".md")}) == ["session/kk.md", "session/ru.md"]
    assert shown(report) == shown(first)


def test_a_source_edit_rechecks_its_translations(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    assert build(project, now=NOW, jobs=1).ok
    # spaces the digest ignores: the translations stay current, and are checked again
    edit(project / "articles/park/kk.md", "ашты.\n", "ашты.   \n")
    report = build(project, now=NOW, jobs=1)
    assert sorted(report.checked) == ["articles/park/en.md", "articles/park/ru.md"]
    assert shown(report) == clean(project, tmp_path / "clean")

    # a new text: the translations are outdated, and the glossary says nothing of them
    edit(project / "articles/meeting/kk.md", "өткізді.", "өткізді. Жиналыс ұзаққа созылды.")
    report = build(project, now=NOW, jobs=1)
    assert report.checked == ()
    assert not any("meeting/ru.md" in m and "glossary" in m for m in shown(report))
    assert any("meeting/ru.md:1: warning: outdated" in m for m in shown(report))
    assert shown(report) == clean(project, tmp_path / "clean")

    # stamped again (as `translate done` does): current again, and checked again
    text = dict(ARTICLES["meeting"][1])
    text["kk"] = ("Жиналыс", "Әкімдік жиналыс өткізді. Жиналыс ұзаққа созылды.")
    write_article(project, "meeting", "kk", text)
    report = build(project, now=NOW, jobs=1)
    assert sorted(report.checked) == ["articles/meeting/en.md", "articles/meeting/ru.md"]
    assert any("meeting/ru.md:8: warning: the translation uses 'мэрия'" in m
               for m in shown(report))  # fmt: skip
    assert shown(report) == clean(project, tmp_path / "clean")


def test_a_glossary_edit_alone_changes_the_verdict(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    assert build(project, now=NOW, jobs=1).ok
    concepts = {k: v for k, v in CONCEPTS.items() if k != "maslikhat"}
    concepts["budget"] = {"kk": "бюджет", "ru": "бюджет", "en": "budget"}
    (project / "i18n/glossary.tbx").write_text(tbx(concepts), encoding="utf-8")
    report = build(project, now=NOW, jobs=1)
    messages = shown(report)
    assert any("budget/en.md:8: warning: the source has the glossary term 'бюджет'" in m
               for m in messages)  # fmt: skip
    assert not any("маслихат" in m or "мәслихат" in m for m in messages)
    assert messages == clean(project, tmp_path / "clean")
    assert shown(build(project, now=NOW, jobs=1)) == messages  # and nothing changed since


def test_only_an_edited_catalogue_is_checked_again(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    assert build(project, now=NOW, jobs=1).ok
    edit(project / KK_CATALOGUE, 'msgstr "Көлік"', 'msgstr "Тасымал"')
    report = build(project, now=NOW, jobs=1)
    assert report.checked == (KK_CATALOGUE,)
    assert any(f"{KK_CATALOGUE}:" in m and "'transport'" in m for m in shown(report))
    assert shown(report) == clean(project, tmp_path / "clean")


def test_strict_makes_remembered_verdicts_errors(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    assert build(project, now=NOW, jobs=1).ok
    edit(project / "articles/road/en.md", "was built", "was laid")
    strict = build(project, now=NOW, jobs=1, strict=True)
    assert not strict.ok and strict.checked == ("articles/road/en.md",)
    errors = [str(d) for d in strict.diagnostics if d.is_error]
    assert any("park/en.md:8: the source has the glossary term" in m for m in errors)
    assert any("road/kk.md:4:13: 'жoл' mixes Latin" in m for m in errors)  # a look-alike
    assert shown(strict) == clean(project, tmp_path / "clean", strict=True)
    relaxed = build(project, now=NOW, jobs=1)
    assert relaxed.ok  # a build that failed remembered nothing: the edit is checked again
    assert relaxed.checked == ("articles/road/en.md",)
    assert shown(relaxed) == clean(project, tmp_path / "clean")


@pytest.mark.parametrize("kept", [False, True])
def test_removed_added_and_kept_in_memory(tmp_path: Path, kept: bool) -> None:
    project = make_site(tmp_path)
    memory = Memory() if kept else None
    assert build(project, now=NOW, jobs=1, memory=memory).ok
    steps = [
        lambda: (project / "articles/park/en.md").unlink(),
        lambda: write_article(project, "later", "kk", ARTICLES["meeting"][1]),
        lambda: edit(project / "articles/budget/kk.md", "бекітті", "бекітіп берді"),
    ]
    expected = [(), ("articles/later/en.md", "articles/later/ru.md"), ("articles/budget/kk.md",)]
    for step, checked in zip(steps, expected, strict=True):
        step()
        report = build(project, now=NOW, jobs=1, memory=memory)
        assert sorted(report.checked) == sorted(checked)
        assert shown(report) == clean(project, tmp_path / "clean")
