"""The tests stand on their own fixtures: every site a test builds comes from tests/sites/
(or is written by the test), never from the repository's sample `site.toml` and
`articles/`, so an editor's unsaved work in the sample does not run in the tests, and a
city that replaces the sample keeps a working suite. Only test_sample_site.py looks at
the sample, and it names none of its articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, SITES, make_project

TESTS = Path(__file__).resolve().parent
SAMPLE_MODULE = "test_sample_site.py"
# a path or a project made of the repository's root: its articles, or the root itself
# handed to a command or reader as the project
READS_THE_SAMPLE = re.compile(
    r"""(ROOT|parents\[1\])\s*/\s*["']articles"""
    r"""|["']-C["'],\s*str\((ROOT|Path\(__file__\)\.resolve\(\)\.parents\[1\])\)"""
    r"""|(read_config|load_site|build|load_articles)\((ROOT|Path\(__file__\)\.resolve\(\)\.parents\[1\])\b"""
)


def modules() -> list[Path]:
    return sorted(p for p in TESTS.glob("*.py") if p.name != Path(__file__).name)


def sample_ids() -> list[str]:
    folder = ROOT / "articles"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def test_no_test_names_an_article_of_the_sample_site() -> None:
    ids = sample_ids()
    found = []
    for module in modules():
        text = module.read_text(encoding="utf-8")
        for article_id in ids:
            for match in re.finditer(rf"(?<![\w-]){re.escape(article_id)}(?![\w-])", text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"tests/{module.name}:{line}: {article_id}")
    assert found == [], "tests name the sample's articles; use tests/sites/ instead"


def test_only_the_sample_site_module_reads_the_sample() -> None:
    found = []
    for module in modules():
        if module.name == SAMPLE_MODULE:
            continue
        text = module.read_text(encoding="utf-8")
        for match in READS_THE_SAMPLE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"tests/{module.name}:{line}: {match.group()}")
    assert found == []


def test_the_guard_sees_what_it_looks_for() -> None:
    for text in (
        'ROOT / "articles" / "x"',
        'Path(__file__).resolve().parents[1] / "articles"',
        'main(["-C", str(ROOT), "build"])',
        "read_config(ROOT)",
    ):
        assert READS_THE_SAMPLE.search(text), text
    for text in ('SITES / "portal" / "articles"', 'shutil.copytree(ROOT / "templates", p)'):
        assert not READS_THE_SAMPLE.search(text), text


def test_a_test_project_holds_its_scenario_and_nothing_of_the_sample(tmp_path: Path) -> None:
    assert "articles" not in SHARED and "site.toml" not in SHARED
    scenarios = sorted(p.name for p in SITES.iterdir() if (p / "site.toml").is_file())
    assert "portal" in scenarios
    for scenario in scenarios:
        project = make_project(tmp_path, scenario)
        made = sorted(
            p.relative_to(project / "articles").as_posix()
            for p in (project / "articles").rglob("*")
        )
        given = sorted(
            p.relative_to(SITES / scenario / "articles").as_posix()
            for p in (SITES / scenario / "articles").rglob("*")
        )
        assert made == given
        site = (project / "site.toml").read_bytes()
        assert site == (SITES / scenario / "site.toml").read_bytes()
    with pytest.raises((TypeError, ValueError)):
        make_project(tmp_path, None)  # type: ignore[arg-type]
