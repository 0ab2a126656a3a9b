"""Translator tooling: extract, init and update write standard, stable catalogues."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import build_ok, read

from ushtil.interface import tooling
from ushtil.project import layout

FOOTER = "Any use of materials is allowed with the reference to the official website of Astana city"


def msgfmt_ok(path: Path) -> None:
    exe = shutil.which("msgfmt")
    if exe is None:
        pytest.fail("GNU gettext's msgfmt is not installed (python3 dev.py test installs it)")
    result = subprocess.run(
        [exe, "-c", "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def po(project: Path, lang: str) -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / "messages.po"


def test_extract_is_stable_and_complete(portal: Path) -> None:
    pot = portal / layout.POT
    before = pot.read_bytes()
    changed, diagnostics = tooling.extract(portal)
    assert not changed and diagnostics == []
    assert pot.read_bytes() == before
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(pot))}
    footer = entries[(None, FOOTER)]
    assert footer.comment == "Translators: the attribution footer on every page"
    assert ("category", "News of the city") in entries
    assert entries[(None, "%(num)s article")].msgid_plural == "%(num)s articles"


def test_repository_template_is_up_to_date(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "copy"
    for name in ("templates", "i18n", "src", "site.toml"):
        (shutil.copytree if (root / name).is_dir() else shutil.copy)(
            root / name, project / name if (root / name).is_dir() else project
        )  # type: ignore[operator]
    changed, _ = tooling.extract(project)
    assert not changed, (
        "i18n/messages.pot is stale: run 'ushtil i18n extract' and 'ushtil i18n update'"
    )


def test_update_round_trip_with_fuzzy_previous_msgid(portal: Path) -> None:
    base = portal / "templates/base.html"
    # A new string appears, and the long footer string changes.
    text = base.read_text(encoding="utf-8")
    text = text.replace(FOOTER, FOOTER.replace("Any use", "Any reuse"))
    text = text.replace(
        '<main id="content" tabindex="-1">',
        '<main id="content" tabindex="-1">\n<p class="hello">{{ _(\'Welcome\') }}</p>',
    )
    base.write_text(text, encoding="utf-8")
    assert tooling.extract(portal)[0]
    changed, diagnostics = tooling.update(portal)
    assert len(changed) == 3 and diagnostics == []
    for lang in ("kk", "ru", "en"):
        msgfmt_ok(po(portal, lang))
    ru = polib.pofile(str(po(portal, "ru")))
    entry = next(e for e in ru if e.msgid.startswith("Any reuse"))
    assert "fuzzy" in entry.flags and entry.previous_msgid == FOOTER
    assert entry.msgstr.startswith("Любое использование")
    assert '#| msgid ""\n#| "Any use of materials' in po(portal, "ru").read_text(encoding="utf-8")
    # Idempotent: a second update changes nothing.
    assert tooling.update(portal) == ([], [])
    # The build does not use the fuzzy translation: it falls back to the source.
    public = build_ok(portal)
    assert "Any reuse of materials" in read(public, "/ru/news/party/")
    # The translator translates the new string and clears the fuzzy flag.
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    next(e for e in ru if e.msgid == "Welcome").msgstr = "Добро пожаловать"
    ru.save(str(po(portal, "ru")))
    public = build_ok(portal)
    html = read(public, "/ru/news/party/")
    assert "Любое использование материалов" in html and "Добро пожаловать" in html
    assert "Welcome" in read(public, "/en/news/party/")


def test_removed_strings_become_obsolete_or_are_dropped(portal: Path) -> None:
    base = portal / "templates/list.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("{{ _('There are no articles here yet.') }}", ""),
        encoding="utf-8",
    )
    tooling.extract(portal)
    tooling.update(portal)
    text = po(portal, "kk").read_text(encoding="utf-8")
    assert '#~ msgid "There are no articles here yet."' in text
    msgfmt_ok(po(portal, "kk"))
    tooling.update(portal, drop_obsolete=True)
    assert "There are no articles here yet." not in po(portal, "kk").read_text(encoding="utf-8")


def test_init_writes_a_complete_header(portal: Path) -> None:
    shutil.rmtree(portal / "locales/kk")
    path, problems = tooling.init(portal, "kk", translator="Айгүл Серікқызы <aigul@example.kz>")
    assert path is not None and problems == []
    catalogue = polib.pofile(str(path))
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert catalogue.metadata["Language"] == "kk"
    assert catalogue.metadata["Language-Team"] == "Kazakh"
    text = path.read_text(encoding="utf-8")
    assert "FULL NAME" not in text and "CHARSET" not in text
    msgfmt_ok(path)
    again, problems = tooling.init(portal, "kk")
    assert again is None and [d.code for d in problems] == ["exists"]


def test_update_repairs_a_missing_plural_forms_header(portal: Path) -> None:
    path = po(portal, "ru")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"Plural-Forms: nplurals=3;', '"X-Plural-Forms: nplurals=3;'
        ),
        encoding="utf-8",
    )
    changed, diagnostics = tooling.update(portal)
    assert path in changed
    assert "Plural-Forms was missing or invalid" in str(diagnostics[0])
    assert polib.pofile(str(path)).metadata["Plural-Forms"].startswith("nplurals=3;")


def msgcat_keeps(path: Path) -> None:
    """GNU msgcat rewrites ``path`` byte for byte as it is."""
    same = path.with_name("same.po")
    subprocess.run(["msgcat", "-o", str(same), str(path)], check=True, capture_output=True)
    assert same.read_bytes() == path.read_bytes(), f"msgcat rewraps {path}"
    same.unlink()


def test_every_file_ushtil_writes_is_laid_out_as_msgcat_writes_it(portal: Path) -> None:
    from ushtil.cli.main import main

    base = portal / "templates/base.html"
    text = base.read_text(encoding="utf-8").replace(FOOTER, FOOTER.replace("Any use", "Any reuse"))
    text = text.replace("{{ _('There are no articles here yet.') }}", "")
    base.write_text(text, encoding="utf-8")
    list_page = portal / "templates/list.html"
    list_page.write_text(
        list_page.read_text(encoding="utf-8").replace(
            "{{ _('There are no articles here yet.') }}", ""
        ),
        encoding="utf-8",
    )
    assert main(["-C", str(portal), "i18n", "extract"]) == 0
    msgcat_keeps(portal / layout.POT)
    assert main(["-C", str(portal), "i18n", "update"]) == 0
    for lang in ("kk", "ru", "en"):
        written = po(portal, lang).read_text(encoding="utf-8")
        assert "#| msgid" in written and "#~ msgid" in written  # previous and obsolete
        assert "msgstr[2]" in written or lang != "ru"  # plural forms
        msgcat_keeps(po(portal, lang))
        msgfmt_ok(po(portal, lang))
    shutil.rmtree(portal / "locales/kk")
    assert main(["-C", str(portal), "i18n", "init", "kk"]) == 0
    msgcat_keeps(po(portal, "kk"))
    export = ["translate", "export", "party", "--to", "kk", "--from", "ru"]
    assert main(["-C", str(portal), *export]) == 0
    msgcat_keeps(portal / "i18n/articles/party.kk.po")


def test_the_committed_catalogues_are_laid_out_as_msgcat_writes_them(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "copy"
    project.mkdir()
    for name in ("templates", "i18n", "src", "locales"):
        shutil.copytree(root / name, project / name)
    shutil.copy(root / "site.toml", project)
    assert tooling.update(project) == ([], [])  # the committed files are what update writes
    for path in [project / layout.POT, *sorted(project.glob("locales/*/LC_MESSAGES/messages.po"))]:
        msgcat_keeps(path)
        msgfmt_ok(path)
