"""i18n stats, check and compile: honest counts, every problem named, no .mo from a bad file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SITES, make_project

from ushtil.interface import report, tooling
from ushtil.interface.compile import compile_catalog

HERE = Path(__file__).resolve().parent / "catalogs"
ROOT = Path(__file__).resolve().parents[1]


def line_of(path: Path, text: str) -> int:
    return next(
        n
        for n, content in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text in content
    )


def codes(path: Path, **kw: bool) -> set[tuple[int | None, str]]:
    return {(d.location.line, d.code) for d in report.check(path, path.name, **kw)}


def test_check_finds_every_problem_in_a_hostile_catalogue() -> None:
    path = HERE / "hostile-ru.po"
    found = codes(path)
    assert (
        line_of(path, '"Plural-Forms:'),
        "header-plural-forms",
    ) in found  # Russian has three forms, not two
    assert (line_of(path, 'msgid "Page %(page)s'), "placeholder") in found
    assert (line_of(path, 'msgid "%(num)s article"'), "plural-count") in found
    assert (line_of(path, 'msgid "Main menu"'), "markup") in found
    assert (line_of(path, 'msgid "News"'), "whitespace") in found
    assert (line_of(path, 'msgid "Turnout'), "bare-percent") in found
    assert (line_of(path, 'msgid "Language"'), "lookalike") in found
    assert (line_of(path, 'msgid "Pages"'), "fuzzy") in found
    assert (line_of(path, 'msgid "Older articles"'), "untranslated") in found
    assert (line_of(path, 'msgid "{count} new"'), "placeholder") in found


def test_check_messages_read_as_path_line_code_message() -> None:
    path = HERE / "hostile-ru.po"
    text = [report.check_line(d) for d in report.check(path, "tests/catalogs/hostile-ru.po")]
    line = line_of(path, 'msgid "Language"')
    assert (
        f"tests/catalogs/hostile-ru.po:{line}: lookalike: msgstr: "
        "'сaйтa' mixes Latin 'a' (meant 'а'?) into a Cyrillic word"
    ) in text
    page = line_of(path, 'msgid "Page %(page)s')
    assert (
        f"tests/catalogs/hostile-ru.po:{page}: placeholder: "
        "msgstr has placeholders the source does not: %(total)"
    ) in text


def test_fuzzy_and_untranslated_are_warnings_unless_strict() -> None:
    path = HERE / "partial-en.po"
    assert all(not d.is_error for d in report.check(path, path.name))
    strict = report.check(path, path.name, strict=True)
    assert {d.code for d in strict if d.is_error} == {"fuzzy", "untranslated"}


def test_identical_kazakh_plural_forms_are_correct() -> None:
    assert report.check(HERE / "kk-identical-plurals.po", "kk.po") == []


def test_stats_count_fuzzy_and_partial_plurals_as_not_translated() -> None:
    result, problems = report.stats(HERE / "partial-en.po", "partial-en.po")
    assert problems == [] and result is not None
    assert (result.translated, result.fuzzy, result.untranslated, result.obsolete) == (1, 1, 2, 1)
    assert result.percent == 25.0
    assert result.translated_words == 1 and result.fuzzy_words == 2


def test_stats_and_check_on_the_command_line(tmp_path: Path) -> None:
    project = make_project(tmp_path, "portal")
    ushtil = [sys.executable, "-m", "ushtil.cli.main", "-C", str(project)]
    out = subprocess.run(
        [*ushtil, "i18n", "stats", "--format", "json"], capture_output=True, text=True, check=True
    )
    rows = json.loads(out.stdout)
    assert [(r["language"], r["percent"]) for r in rows] == [
        ("en", 100.0),
        ("kk", 100.0),
        ("ru", 100.0),
    ]
    ok = subprocess.run([*ushtil, "i18n", "check"], capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout == ""
    bad = subprocess.run(
        [*ushtil, "i18n", "check", "--format", "json", str(HERE / "hostile-ru.po")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert {"placeholder", "markup", "lookalike"} <= {d["code"] for d in json.loads(bad.stdout)}


def test_compile_refuses_a_catalogue_with_errors(tmp_path: Path) -> None:
    assert compile_catalog(HERE / "hostile-ru.po", "hostile-ru.po", tmp_path / "bad.mo")
    assert not (tmp_path / "bad.mo").exists()
    out = tmp_path / "kk.mo"
    assert compile_catalog(ROOT / "locales/kk/LC_MESSAGES/messages.po", "kk.po", out) == []
    import gettext

    with open(out, "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("News") == "Жаңалықтар"
    assert catalog.ngettext("%(num)s article", "%(num)s articles", 5) == "%(num)s материал"


def test_a_bare_percent_is_not_flagged_as_python_format(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "i18n", project / "i18n")
    shutil.copy(SITES / "portal" / "site.toml", project)
    page = project / "templates/list.html"
    page.write_text(
        page.read_text(encoding="utf-8") + "{{ _('Turnout was 65% in Astana') }}\n",
        encoding="utf-8",
    )
    changed, diagnostics = tooling.extract(project)
    assert changed
    assert any(
        d.code == "bare-percent" and d.location.path == "templates/list.html" for d in diagnostics
    )
    import polib

    entry = next(
        e for e in polib.pofile(str(project / "i18n/messages.pot")) if e.msgid.startswith("Turnout")
    )
    assert "python-format" not in entry.flags
    exe = shutil.which("msgfmt")
    if exe is None:
        pytest.fail("msgfmt is not installed")
    result = subprocess.run(
        [exe, "-c", "--check-format", "-o", "/dev/null", str(project / "i18n/messages.pot")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_a_fuzzy_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "kk.po"
    text = (HERE / "kk-identical-plurals.po").read_text(encoding="utf-8")
    path.write_text("#, fuzzy\n" + text, encoding="utf-8")
    assert (1, "header-fuzzy") in codes(path)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_catalogues_read_back_with_msgcat_unchanged(lang: str, tmp_path: Path) -> None:
    import polib

    source = ROOT / f"locales/{lang}/LC_MESSAGES/messages.po"
    copy = tmp_path / "copy.po"
    polib.pofile(str(source))  # polib reads it
    subprocess.run(["msgcat", "-o", str(copy), str(source)], check=True)  # GNU's layout
    assert copy.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")
