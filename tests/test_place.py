"""cli/place.py: a command finds its project as git finds a repository (here or above,
or from -C DIR), takes paths as given from where the user stands (``:/`` from the
project), and shows paths from there."""

from __future__ import annotations

from pathlib import Path

import pytest

from ushtil.cli.place import Place, locate


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "articles/a").mkdir(parents=True)
    (root / "site.toml").write_text('base_url = "https://a.kz"\n', encoding="utf-8")
    return root.resolve()


def test_the_project_is_found_from_any_folder_inside_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "articles/a")
    place, problem = locate(None)
    assert problem is None and place == Place(project / "articles/a", project)
    place, problem = locate(str(project / "articles"))
    assert problem is None and place == Place(project / "articles", project)


def test_outside_a_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = project.parent / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    place, problem = locate(None)
    assert place is None and problem is not None and "not in an ushtil project" in problem
    place, problem = locate(None, optional=True)  # i18n check FILE.po runs anywhere
    assert problem is None and place == Place(outside, None)
    with pytest.raises(RuntimeError):
        place.project  # noqa: B018  # a command that needs a project never gets here
    assert locate(str(outside), optional=True)[0] is None  # -C names a project
    assert locate(str(outside / "none"))[1] == f"ushtil: -C {outside / 'none'}: no such folder"
    (outside / "file").write_text("", encoding="utf-8")
    assert locate(str(outside / "file"))[1] == f"ushtil: -C {outside / 'file'}: not a folder"


def test_paths_given_and_shown_from_where_the_user_stands(project: Path) -> None:
    place = Place(project / "articles/a", project)
    assert place.given("kk.md") == project / "articles/a/kk.md"
    assert place.given("../../site.toml") == project / "site.toml"
    assert place.given(":/i18n/x.po") == project / "i18n/x.po"
    assert place.given("/tmp/x.po") == Path("/tmp/x.po")
    assert place.name(project / "articles/a/kk.md") == "articles/a/kk.md"
    assert place.name(Path("/tmp/x.po")) == "/tmp/x.po"
    assert place.show("articles/a/kk.md") == "kk.md"
    assert place.show("site.toml") == "../../site.toml"
    assert place.show(project / "i18n/x.po") == "../../i18n/x.po"
    assert place.show("/tmp/x.po") == "/tmp/x.po"
    assert place.show("../outside.po") == "../outside.po"  # not in the project: as named
    nowhere = Place(project, None)
    assert nowhere.show("kk.po") == "kk.po" and nowhere.name(Path("a/b")) == "a/b"
