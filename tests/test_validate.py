"""The checks across a loaded site (project/validate.py): a future date, a required language
with no published version, an outdated translation, an article with no original. Each is
a Diagnostic at the file it is about; ``strict`` makes errors of what a build must refuse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import NOW, edit, make_project

from ushtil.project.model import Site
from ushtil.project.problems import Diagnostic, Severity
from ushtil.project.validate import validate_site
from ushtil.site.build import load_site


def loaded(project: Path) -> Site:
    result = load_site(project)
    assert result.site is not None and not result.diagnostics, result.diagnostics
    return result.site


def found(diagnostics: list[Diagnostic]) -> set[tuple[str, str, str]]:
    return {(d.code, str(d.location), d.severity) for d in diagnostics}


def test_required_languages_and_outdated_translations(tmp_path: Path) -> None:
    site = loaded(make_project(tmp_path, "status"))  # required = ["kk", "ru"]
    diagnostics = validate_site(site, NOW)
    assert found(diagnostics) == {
        # a draft is not a published version; a language with no file is none either
        ("missing-required", "articles/draft/article.toml", Severity.WARNING),
        ("missing-required", "articles/missing/article.toml", Severity.WARNING),
        # ru.md (the original) changed after kk.md and en.md were translated from it
        ("outdated", "articles/outdated/kk.md:1", Severity.WARNING),
        ("outdated", "articles/outdated/en.md:1", Severity.WARNING),
    }
    outdated = next(d for d in diagnostics if str(d.location) == "articles/outdated/kk.md:1")
    assert str(outdated) == (
        "articles/outdated/kk.md:1: warning: outdated: ru.md changed after this translation "
        "was made; update it, then run `ushtil translate done outdated kk`"
    )
    missing = next(d for d in diagnostics if d.location.path == "articles/missing/article.toml")
    assert missing.message == "no published 'ru' version (ru is required)"


def test_strict_makes_errors_only_of_required_languages(tmp_path: Path) -> None:
    site = loaded(make_project(tmp_path, "status"))
    assert found(validate_site(site, NOW, strict=True)) == {
        ("missing-required", "articles/draft/article.toml", Severity.ERROR),
        ("missing-required", "articles/missing/article.toml", Severity.ERROR),
        ("outdated", "articles/outdated/kk.md:1", Severity.ERROR),  # kk is required
        ("outdated", "articles/outdated/en.md:1", Severity.WARNING),  # en is not
    }


def test_a_future_date_is_a_warning_until_it_comes(tmp_path: Path) -> None:
    site = loaded(make_project(tmp_path, "basic"))  # d-future: published 2030-01-01
    for strict in (False, True):
        future = [d for d in validate_site(site, NOW, strict=strict) if d.code == "future"]
        assert [(str(d.location), d.severity) for d in future] == [
            ("articles/d-future/article.toml", Severity.WARNING)
        ]
        assert "published 2030-01-01T00:00:00+05:00 is in the future" in future[0].message
    later = dt.datetime(2030, 1, 2, tzinfo=dt.UTC)
    assert [d for d in validate_site(site, later) if d.code == "future"] == []
    assert validate_site(site, later) == []  # basic has every required version, up to date


def test_every_article_needs_an_original(tmp_path: Path) -> None:
    project = make_project(tmp_path, "status")
    kk = project / "articles/current/kk.md"  # the original: now says it was translated too
    provenance = '\n[translated_from]\nlang = "en"\ndigest = "120494e9c6a2f979"\n'
    edit(kk, "+++\nЕсіл", provenance + "+++\nЕсіл")
    problems = [d for d in validate_site(loaded(project), NOW) if d.code == "no-original"]
    assert [str(d) for d in problems] == [
        "articles/current/article.toml: every version says it was translated: "
        "one must be the original"
    ]
    assert problems[0].is_error  # without --strict too: the article has no source
