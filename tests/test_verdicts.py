"""The glossary's verdicts remembered per content (site/verdicts.py): a translation or a
catalogue whose text, source and glossary did not change is not checked again, and its
warnings (``path:line``) are reported as when it was; what changed is checked again; a
memory that is not to be reused is read not at all and replaced whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, make_project

from ushtil.engine import store
from ushtil.engine.cache import BuildCache
from ushtil.engine.counters import Counters
from ushtil.interface.glossary import Glossary, read_glossary
from ushtil.project import layout
from ushtil.project.model import Site
from ushtil.site.build import load_site
from ushtil.site.verdicts import KEPT, Checked, Verdicts, glossary_check

RU, EN = "articles/park/ru.md", "articles/park/en.md"
CATALOGUES = [f"locales/{lang}/LC_MESSAGES/messages.po" for lang in ("kk", "ru", "en")]
EVERYTHING = [RU, EN, *CATALOGUES]
WARNING = (
    "articles/park/ru.md:10: warning: the source has the glossary term 'саябақ'; its "
    "approved ru translation 'парк' is not in the translation (i18n/glossary.tbx:5)"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The verdict site (park: kk original, ru and en current; the glossary's term "park"),
    its Russian body's paragraph without the approved term."""
    project = make_project(tmp_path, "verdict")
    edit(project / RU, "открылся **новый парк**", "открылся **новый сквер**")
    return project


def inputs(project: Path) -> tuple[Site, Glossary]:
    site = load_site(project).site
    glossary, problems = read_glossary(project)
    assert site is not None and glossary is not None and not problems
    return site, glossary


def check(project: Path, db: store.Database, *, reuse: bool) -> Checked:
    """One build's glossary check with the memory in ``db``, then saved as a build does."""
    cache = BuildCache(db)
    kept = cache.kept[KEPT] = Verdicts(db, reuse=reuse)
    result = glossary_check(*inputs(project), cache, Counters())
    kept.save()
    return result


def shown(result: Checked) -> list[str]:
    return [str(d) for d in result.diagnostics]


def test_a_remembered_verdict_is_reported_without_checking(project: Path, tmp_path: Path) -> None:
    unremembered = glossary_check(*inputs(project))
    assert shown(unremembered) == [WARNING] and unremembered.checked == EVERYTHING

    db = store.Database(tmp_path / "memory.sqlite")
    first = check(project, db, reuse=True)
    assert first.checked == EVERYTHING and shown(first) == [WARNING]
    counters = Counters()
    cache = BuildCache(db)
    cache.kept[KEPT] = Verdicts(db, reuse=True)
    again = glossary_check(*inputs(project), cache, counters)
    assert again.checked == [] and shown(again) == [WARNING]  # the same warning, same line
    assert counters.glossary_checks == 0 and counters.glossary_reads == 0


def test_what_changed_is_checked_again(project: Path, tmp_path: Path) -> None:
    db = store.Database(tmp_path / "memory.sqlite")
    check(project, db, reuse=True)

    edit(project / RU, "**новый сквер**", "**новый парк**")  # the translation fixed
    fixed = check(project, db, reuse=True)
    assert fixed.checked == [RU] and shown(fixed) == []

    # spaces at a line's end: the translations stay current, but the source's body changed
    edit(project / "articles/park/kk.md", "ашылды.\n\nСаябақта", "ашылды.   \n\nСаябақта")
    source = check(project, db, reuse=True)  # kk is the source of both translations
    assert source.checked == [RU, EN]

    catalogue = layout.catalogue(project, "ru")
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert check(project, db, reuse=True).checked == [CATALOGUES[1]]

    glossary = project / layout.GLOSSARY
    edit(glossary, 'id="park"', 'id="city-park"')
    assert check(project, db, reuse=True).checked == EVERYTHING  # another glossary
    assert check(project, db, reuse=True).checked == []


def test_a_memory_not_to_be_reused_is_replaced(project: Path, tmp_path: Path) -> None:
    db = store.Database(tmp_path / "memory.sqlite")

    def rows() -> list[str]:
        return sorted(str(p) for (p,) in db.select("SELECT path FROM checks"))

    check(project, db, reuse=True)
    en = (project / EN).read_bytes()
    (project / EN).unlink()
    fresh = check(project, db, reuse=False)  # --clean, or no last build: nothing is read
    assert fresh.checked == [RU, *CATALOGUES] and shown(fresh) == [WARNING]
    assert rows() == sorted([RU, *CATALOGUES])  # en.md's row went with the rest
    assert check(project, db, reuse=True).checked == []  # what it saved is used again

    (project / EN).write_bytes(en)
    assert check(project, db, reuse=True).checked == [EN]  # the one not remembered
    (project / EN).unlink()
    assert check(project, db, reuse=True).checked == []
    assert rows() == sorted([RU, *CATALOGUES])  # the row of a file gone is dropped


def test_a_verdict_made_from_another_text_is_not_taken(project: Path, tmp_path: Path) -> None:
    db = store.Database(tmp_path / "memory.sqlite")
    check(project, db, reuse=True)
    with db.writing() as conn:  # a row whose key is not what the file's text makes
        assert conn is not None
        conn.execute("UPDATE checks SET key = 'stale' WHERE path = ?", (RU,))
    result = check(project, db, reuse=True)
    assert result.checked == [RU] and shown(result) == [WARNING]
