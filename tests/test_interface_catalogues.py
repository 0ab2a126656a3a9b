"""Interface catalogues: standard files, and translations that cannot break or deface a page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import ROOT, build_ok, build_report, find, messages, read

LANGS = ("kk", "ru", "en")
PLURALS = {
    "kk": "nplurals=2; plural=(n != 1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "en": "nplurals=2; plural=(n != 1);",
}


def msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail("GNU gettext's msgfmt is not installed (python3 dev.py test installs it)")
    return path


def po_path(project: Path, lang: str) -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / "messages.po"


def set_translation(
    project: Path, lang: str, msgid: str, msgstr: str | dict[int, str], *, fuzzy: bool = False
) -> int:
    path = po_path(project, lang)
    po = polib.pofile(str(path), wrapwidth=79)
    entry = next(e for e in po if e.msgid == msgid)
    if isinstance(msgstr, dict):
        entry.msgstr_plural = msgstr
    else:
        entry.msgstr = msgstr
    if fuzzy:
        entry.flags.append("fuzzy")
    po.save(str(path))
    wanted = f"msgid {polib.escape(msgid)!r}".replace("'", '"')
    return next(
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line == wanted
    )


@pytest.mark.parametrize("lang", LANGS)
def test_msgfmt_accepts_every_catalogue(lang: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            msgfmt(),
            "-c",
            "--check-format",
            "--statistics",
            "-o",
            str(tmp_path / "x.mo"),
            str(po_path(ROOT, lang)),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_headers_are_complete(lang: str) -> None:
    po = polib.pofile(str(po_path(ROOT, lang)))
    assert po.metadata["Language"] == lang
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == PLURALS[lang]
    text = po_path(ROOT, lang).read_text(encoding="utf-8")
    for placeholder in ("FULL NAME", "CHARSET", "YEAR-MO-DA", "LANGUAGE <LL@li.org>"):
        assert placeholder not in text
    assert not list(ROOT.glob("locales/**/*.mo"))


def test_markup_in_a_translation_is_not_used_and_reported(basic: Path) -> None:
    line = set_translation(basic, "kk", "Main menu", '<script>alert("kk")</script>Мәзір')
    attr_line = set_translation(basic, "kk", "Language", 'Тіл" onmouseover="alert(1)')
    report = build_report(basic)
    assert report.ok
    assert (
        f"locales/kk/LC_MESSAGES/messages.po:{line}: warning: markup: "
        "msgstr has markup its source does not: <script> (translation not used)"
    ) in messages(report)
    html = read(basic / "public", "/kk/")
    assert "<script>alert" not in html
    assert find(html, "nav", class_="menu")[0].get("aria-label") == "Главное меню"  # kk → ru
    switcher = find(html, "nav", class_="switcher")[0]
    assert (
        switcher.get("aria-label") == 'Тіл" onmouseover="alert(1)'
        and switcher.get("onmouseover") is None
    )
    assert attr_line


def test_broken_placeholders_fall_back_along_the_chain(basic: Path) -> None:
    line = set_translation(basic, "kk", "Page %(page)s of %(pages)s", "%(pagez)s-бет")
    plural_line = set_translation(
        basic, "kk", "%(num)s article", {0: "%(num)s материал", 1: "материалдар"}
    )
    report = build_report(basic)
    assert report.ok
    found = messages(report)
    assert (
        f"locales/kk/LC_MESSAGES/messages.po:{line}: warning: placeholder: "
        "msgstr has placeholders the source does not: %(pagez) (translation not used)"
    ) in found
    assert (
        f"locales/kk/LC_MESSAGES/messages.po:{plural_line}: warning: placeholder: "
        "msgstr[1] lacks placeholders of the source: %(num) (translation not used)"
    ) in found
    html = read(basic / "public", "/kk/")
    assert "Страница 1 из 2" in html  # kk → ru, as site.toml's chain says
    assert "3 материала" in html


def test_fuzzy_and_untranslated_entries_are_not_used(basic: Path) -> None:
    set_translation(basic, "ru", "Main menu", "Меню (черновик)", fuzzy=True)
    set_translation(basic, "ru", "News", "")
    public = build_ok(basic)
    html = read(public, "/ru/")
    assert "черновик" not in html
    assert find(html, "nav", class_="menu")[0].get("aria-label") == "Басты мәзір"  # ru → kk
    assert ">Жаңалықтар<" in html


def test_a_catalogue_with_a_syntax_error_is_reported_with_its_line(basic: Path) -> None:
    path = po_path(basic, "ru")
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, text in enumerate(lines) if text.startswith('msgid "Main menu"'))
    lines[index] = 'msgid "Main menu'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_report(basic)
    assert not report.ok
    assert any(
        m.startswith("locales/ru/LC_MESSAGES/messages.po:") and "syntax error" in m
        for m in messages(report)
    ), messages(report)
    assert "Traceback" not in "\n".join(messages(report))


def test_a_bare_percent_in_a_source_string_does_not_crash_the_build(basic: Path) -> None:
    template = basic / "templates/list.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "{% block content %}",
            "{% block content %}<p>{{ _('Turnout was 65% in Astana') }}</p>",
            1,
        ),
        encoding="utf-8",
    )
    report = build_report(basic)
    assert report.ok
    assert "Turnout was 65% in Astana" in read(basic / "public", "/en/")
    assert any("'Turnout was 65% in Astana' cannot be formatted" in m for m in messages(report))
