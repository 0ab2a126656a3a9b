"""Weblate-ready files: every .po ushtil writes survives translate-toolkit (the library
Weblate reads and writes PO with) unchanged in meaning, and translate-toolkit's pofilter
finds nothing in the catalogues that ``ushtil i18n check`` misses.

pofilter tests used: those about what a catalogue must keep for the page to work, which
are ushtil's own rules: ``printf`` and ``pythonbraceformat`` (placeholders, a stray %),
``variables``, ``xmltags`` (markup), ``startwhitespace`` / ``endwhitespace``,
``nplurals``, ``untranslated``. Left out: style and language tests that misfire on
Kazakh and Russian or are a reviewer's call (``startcaps``, ``simplecaps``,
``startpunc``, ``endpunc``, ``doublequoting``, ``singlequoting`` — «ёлочки» are right
—, ``doublewords``, ``doublespacing``, ``puncspacing``, ``sentencecount``, ``brackets``,
``numbers``, ``acronyms``, ``long``, ``short``, ``unchanged`` — English translated into
English is unchanged by design); tests for formats ushtil does not have
(``accelerators``, ``kdecomments``, ``gconf``, ``dialogsizes``, ``options``,
``credits``, ``filepaths``, ``functions``, ``emails``, ``urls``, ``escapes``,
``newlines``, ``tabs``, ``validchars``, ``purepunc``, ``blank``); and those that need
resources a catalogue does not carry (``spellcheck``, ``compendiumconflicts``,
``musttranslatechars``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import edit
from translate.storage import po as tt_po

from ushtil.cli.main import main
from ushtil.interface.posyntax import msgid_lines

POFILTER_TESTS = (
    "printf",
    "pythonbraceformat",
    "variables",
    "xmltags",
    "startwhitespace",
    "endwhitespace",
    "nplurals",
    "untranslated",
)


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["-C", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def meaning(path: Path) -> tuple[dict[str, str], list[tuple[object, ...]]]:
    """What a .po file says, as gettext reads it: header fields and every entry (an
    obsolete entry without its extracted comment, which translate-toolkit does not keep:
    it is shown nowhere and nothing puts it back, so the two never fight over it)."""
    po = polib.pofile(str(path))
    entries = [
        (
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            e.msgstr,
            tuple(sorted(e.msgstr_plural.items())),
            e.obsolete,
            tuple(sorted(e.flags)),
            e.previous_msgctxt,
            e.previous_msgid,
            e.previous_msgid_plural,
            None if e.obsolete else e.comment,
            e.tcomment,
            tuple(e.occurrences),
        )
        for e in po
    ]
    return dict(po.metadata), entries


def without_obsolete_notes(path: Path) -> str:
    """The file without the extracted comments (``#.``) of its obsolete entries."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    kept = []
    for block in blocks:
        lines = block.split("\n")
        if any(line.startswith("#~ msgid") for line in lines):
            lines = [line for line in lines if not line.startswith("#. ")]
        kept.append("\n".join(lines))
    return "\n\n".join(kept)


def written_by_ushtil(project: Path, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    """Every kind of .po file ushtil writes: the template, the catalogues (merged, with an
    obsolete entry and a fuzzy one; a new one), article exports (new, merged with a fuzzy entry and
    its previous text, with memory suggestions and glossary hints)."""
    page = project / "templates/404.html"  # one string gone (obsolete), one new
    page.write_text(page.read_text(encoding="utf-8").replace(
        "{{ _('There is no page at this address. It may have been moved or removed.') }}",
        "{{ _('Sorry.') }}"), encoding="utf-8")  # fmt: skip
    for args in (("i18n", "extract"), ("i18n", "update"), ("i18n", "init", "de")):
        code, out, err = run(project, *args, capsys=capsys)
        assert code == 0, err
    for article, source, target in (("party", "ru", "kk"), ("languages", "kk", "en")):
        code, out, err = run(project, "translate", "export", article, "--from", source, "--to",
                             target, capsys=capsys)  # fmt: skip
        assert code == 0, err
    edit(project / "articles/party/ru.md", "Сегодня на внеочередной", "Сегодня на очередной")
    code, out, err = run(project, "translate", "export", "party", "--from", "ru", "--to", "kk",
                         capsys=capsys)  # fmt: skip
    files = [project / "i18n/messages.pot", *sorted(project.glob("locales/*/LC_MESSAGES/*.po"))]
    files += sorted((project / "i18n/articles").glob("*.po"))
    text = "".join(p.read_text(encoding="utf-8") for p in files)
    for feature in ("#~ msgid", "#| msgid", "#, fuzzy", "msgid_plural", "msgctxt", "#. glossary"):
        assert feature in text, feature
    return files


def test_every_po_ushtil_writes_survives_a_translate_toolkit_load_and_save(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = written_by_ushtil(portal, capsys)
    for path in files:
        store = tt_po.pofile.parsefile(str(path))
        saved = tmp_path / path.name
        saved.write_bytes(bytes(store))
        assert meaning(saved) == meaning(path), path
        # byte for byte, even: Weblate's commits change only what a translator changed
        assert saved.read_text(encoding="utf-8") == without_obsolete_notes(path), path
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(saved)],
                               capture_output=True, text=True)  # fmt: skip
        assert check.returncode == 0, check.stderr


def pofilter_findings(path: Path, tmp_path: Path, lang: str) -> set[str]:
    """The msgids pofilter flags in ``path`` with the tests that apply."""
    out = tmp_path / f"pofilter-{lang}-{path.stem}.po"
    tests = [arg for name in POFILTER_TESTS for arg in ("-t", name)]
    done = subprocess.run(
        [sys.executable, "-m", "translate.filters.pofilter", "--progress=none",
         f"--language={lang}", *tests, "-i", str(path), "-o", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    if not out.exists():
        return set()
    return {e.msgid for e in polib.pofile(str(out)) if e.msgid}


def ushtil_findings(
    project: Path, path: Path, capsys: pytest.CaptureFixture[str]
) -> set[str]:
    """The msgids ``ushtil i18n check`` reports a problem for (at the line of the entry's
    msgid or msgstr: the entry with the last msgid at or before that line)."""
    code, out, err = run(project, "i18n", "check", "--format", "json", str(path), capsys=capsys)
    lines = [d["line"] for d in json.loads(out) if d["line"]]
    po = polib.pofile(str(path))
    starts = msgid_lines(po)
    by_line = sorted((starts[e.linenum], e.msgid) for e in po if not e.obsolete)
    flagged = set()
    for line in lines:
        before = [msgid for start, msgid in by_line if start <= line]
        if before and before[-1]:
            flagged.add(before[-1])
    return flagged


def plant(path: Path) -> None:
    """Mistakes a translator makes, one per entry."""
    po = polib.pofile(str(path))
    by_id = {e.msgid: e for e in po}
    by_id["Page %(page)s of %(pages)s"].msgstr = "%(pages)s беттің %(pag)s-беті"  # placeholder
    page = by_id["Page not found"]
    page.msgstr = page.msgstr + " "  # trailing space
    plural = next(e for e in po if e.msgid_plural)
    plural.msgstr_plural = {0: plural.msgstr_plural[0]}  # a form missing
    po.save(str(path))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pofilter_finds_nothing_that_i18n_check_misses(
    portal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    catalogue = portal / f"locales/{lang}/LC_MESSAGES/messages.po"
    assert pofilter_findings(catalogue, tmp_path, lang) <= ushtil_findings(
        portal, catalogue, capsys
    )
    plant(catalogue)
    found = pofilter_findings(catalogue, tmp_path, lang)
    assert {"Page %(page)s of %(pages)s", "Page not found"} <= found
    assert found <= ushtil_findings(portal, catalogue, capsys)
