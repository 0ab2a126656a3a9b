"""Writing a version's provenance (translation/provenance.py): ``scaffold`` (``translate
new``) starts a draft from the source with the source's digest stamped; ``restamp``
(``translate done``) records that a version is current with its source again, and refuses
a version whose text nobody has touched."""

from __future__ import annotations

from pathlib import Path

from conftest import edit, make_project

from ushtil.project.freshness import CURRENT, DRAFT, OUTDATED, version_state
from ushtil.project.model import Article, Provenance
from ushtil.translation.provenance import Outcome, restamp, scaffold
from ushtil.translation.versionfile import read_article


def article(project: Path, article_id: str) -> Article:
    editing, problems = read_article(project, article_id)
    assert editing is not None, problems
    return editing.article


def state(project: Path, article_id: str, lang: str) -> str:
    found = article(project, article_id)
    return version_state(found, found.version(lang))


def test_new_starts_a_draft_from_the_source(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")
    source = article(project, "missing").version("kk")  # missing: en original, kk, no ru
    assert source is not None

    outcome, problems = scaffold(project, "missing", "ru", "kk")
    assert problems == [] and outcome is not None
    assert (outcome.path, outcome.changed) == ("articles/missing/ru.md", True)
    assert "started from kk.md as a draft" in outcome.message
    assert "then run `ushtil translate done missing ru`" in outcome.message

    draft = article(project, "missing").version("ru")
    assert draft is not None and draft.draft
    assert (draft.title, draft.body) == (source.title, source.body)  # the text to translate
    assert draft.translated_from == Provenance("kk", source.digest, source.digest)
    assert state(project, "missing", "ru") == DRAFT
    stamp = (project / "i18n/stamps/missing.ru.toml").read_text(encoding="utf-8")
    assert f'source = "kk"\ndigest = "{source.digest}"' in stamp  # what kk said then


def test_new_takes_the_original_unless_told(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")
    outcome, problems = scaffold(project, "missing", "ru")
    assert problems == [] and outcome is not None
    draft = article(project, "missing").version("ru")
    assert draft is not None and draft.translated_from is not None
    assert draft.translated_from.lang == "en"  # the article's original


def test_new_never_writes_over_a_version(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")
    ru = project / "articles/current/ru.md"
    before = ru.read_bytes()
    outcome, problems = scaffold(project, "current", "ru", "kk")
    assert outcome is None
    assert [str(d) for d in problems] == [
        "articles/current/ru.md: already exists; translate in it, "
        "then run `ushtil translate done current ru`"
    ]
    assert ru.read_bytes() == before
    assert not (project / "i18n/stamps/current.ru.toml").exists()


def test_done_refuses_an_untouched_draft_then_publishes_the_translation(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")
    scaffold(project, "missing", "ru", "kk")
    ru = project / "articles/missing/ru.md"
    copied = ru.read_bytes()

    outcome, problems = restamp(project, "missing", "ru")
    assert outcome is None
    assert [(str(d.location), d.code, d.is_error) for d in problems] == [
        ("articles/missing/ru.md", "unchanged", True)
    ]
    assert "still the text copied from kk.md; translate it first" in problems[0].message
    assert ru.read_bytes() == copied and state(project, "missing", "ru") == DRAFT

    edit(ru, 'title = "Мұражайлар түні"', 'title = "Ночь музеев"')
    edit(ru, "Сенбі күні мұражайлар түні бойы ашық.", "В субботу музеи открыты всю ночь.")
    outcome, problems = restamp(project, "missing", "ru")
    assert problems == [] and outcome is not None
    assert outcome.changed and "now current with kk.md (was a draft; now published)" in (
        outcome.message
    )
    done = article(project, "missing")
    version, source = done.version("ru"), done.version("kk")
    assert version is not None and source is not None
    assert not version.draft and version_state(done, version) == CURRENT
    assert version.title == "Ночь музеев" and version.body.strip() == (
        "В субботу музеи открыты всю ночь."
    )
    assert version.translated_from == Provenance("kk", source.digest, version.digest)

    again = restamp(project, "missing", "ru")
    assert again == (
        Outcome("articles/missing/ru.md", False, "already current with kk.md; nothing changed"),
        [],
    )


def test_done_refuses_an_outdated_version_nobody_updated(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")  # outdated: ru changed after kk, en
    kk = project / "articles/outdated/kk.md"
    before = kk.read_bytes()
    outcome, problems = restamp(project, "outdated", "kk")
    assert outcome is None and [d.code for d in problems] == ["unchanged"]
    assert problems[0].message.startswith(
        "ru.md changed, but this version's text has not changed since it was last stamped"
    )
    assert kk.read_bytes() == before and state(project, "outdated", "kk") == OUTDATED

    edit(kk, "жол жөндеу басталды", "жол мен тротуар жөндеу басталды")
    outcome, problems = restamp(project, "outdated", "kk")
    assert problems == [] and outcome is not None and outcome.changed
    assert "now current with ru.md (was outdated)" in outcome.message
    assert state(project, "outdated", "kk") == CURRENT
    assert state(project, "outdated", "en") == OUTDATED  # only the version named is stamped
    text = kk.read_text(encoding="utf-8")
    assert text.startswith('+++\ntitle = "Жол жөндеу"\n') and text.count("[translated_from]") == 1


def test_done_on_an_original_says_how_to_declare_a_translation(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")
    kk = project / "articles/current/kk.md"
    before = kk.read_bytes()
    outcome, problems = restamp(project, "current", "kk")
    assert outcome is None and [d.code for d in problems] == ["original"]
    assert "run `ushtil translate done current kk --from <language>`" in problems[0].message
    assert kk.read_bytes() == before
