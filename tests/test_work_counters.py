"""A guard that is not a timing: the same edit costs the same work at any archive size.

One generated site of 200 articles and one of 2,000 (``counted_site``: short bodies, a
small photo in every tenth article, a one-term glossary, search off) are built, then
edited the same way in turn: nothing, the original's body of one article (its
translations become outdated), a photo's caption, a translation that loses the
glossary's term, a new article (the newest, with a photo, in the small category). After
each build every counter of ``build --stats`` but ``files_statted`` (the walk that finds
what changed) must be the same at both sizes. A second pair (250 and 500 articles, both above
the search index's bound) does the same for a body edit with search on.

Today several counters grow with the archive: each such (edit, counter) case is marked
``xfail(strict=True)`` with the figures measured when it was marked, so the test fails
loudly (XPASS) the day the count becomes constant: then remove its mark.
"""

from __future__ import annotations

import dataclasses
import io
import re
from contextlib import redirect_stdout
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import NOW, edit
from counted_site import TERM, article_id, generate, write_article

from ushtil.cli.main import main
from ushtil.engine.counters import Counters
from ushtil.site.build import build
from ushtil.site.render import PARALLEL_FROM
from ushtil.site.searchplan import BOUND

SIZES = (200, 2000)
SEARCH_SIZES = (250, 500)  # both above BOUND: a language of at most BOUND versions has no delta
NAMES = [f.name for f in fields(Counters)]
COMPARED = [name for name in NAMES if name != "files_statted"]
Counts = dict[str, dict[str, int]]  # edit → counter → count


def _folder(project: Path, i: int) -> Path:
    return project / "articles" / article_id(i)


def _edits(project: Path, n: int) -> list[tuple[str, object]]:
    """The edits, in the order they are made: (name, what it does)."""
    middle = n // 2 + 10  # a multiple of ten (it has a photo), in the large category
    return [
        ("nothing", None),
        ("body", (_folder(project, middle) / "ru.md", "\n+++\n", "\n+++\nOne more sentence.\n\n")),
        ("caption", (_folder(project, middle) / "kk.md", 'caption = "', 'caption = "Edited: ')),
        ("glossary", (_folder(project, middle + 5) / "en.md", TERM["en"], "city hall")),
        ("new article", n),
    ]


def _measure(project: Path, n: int) -> Counts:
    report = build(project, now=NOW)
    assert report.ok, "\n".join(map(str, report.diagnostics))
    counts: Counts = {}
    for name, change in _edits(project, n):
        if isinstance(change, tuple):
            edit(*change)
        elif isinstance(change, int):
            write_article(project, change)
        report = build(project, now=NOW)
        assert report.ok, "\n".join(map(str, report.diagnostics))
        counts[name] = report.counters.snapshot()
    assert any("glossary" in str(d) for d in report.diagnostics)  # the edit made a warning
    return counts


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Counts]:
    folder = tmp_path_factory.mktemp("counted")
    return {n: _measure(generate(folder / str(n), n), n) for n in SIZES}


@pytest.fixture(scope="module")
def measured_search(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Counts]:
    assert SEARCH_SIZES[0] > BOUND
    folder = tmp_path_factory.mktemp("counted-search")
    found = {}
    for n in SEARCH_SIZES:
        project = generate(folder / str(n), n, search=True)
        assert build(project, now=NOW).ok
        edit(_folder(project, n // 2 + 10) / "ru.md", "\n+++\n", "\n+++\nOne more sentence.\n\n")
        report = build(project, now=NOW)
        assert report.ok
        found[n] = {"body, search on": report.counters.snapshot()}
    return found


# (edit, counter) → what it was at each size when it was marked. Every build loads every
# article folder (from its remembered parses), reads the whole build memory, looks up
# the glossary's verdict on every translation, stats every photo and computes every
# output's key; a new article changes every list page (pagination from the newest) and
# every page of its category (related news are the category's newest).
GROWS: dict[tuple[str, str], str] = {
    ("body", "articles_loaded"): "200 at 200, 2,000 at 2,000",
    ("body", "memory_rows_read"): "3,370 at 200, 33,244 at 2,000",
    ("body", "glossary_keyed"): "401 at 200, 4,001 at 2,000",
    ("body", "photos_checked"): "20 at 200, 200 at 2,000",
    ("body", "outputs_keyed"): "756 at 200, 7,413 at 2,000",
    ("body", "outputs_reused"): "748 at 200, 7,405 at 2,000",
    ("caption", "articles_loaded"): "200 at 200, 2,000 at 2,000",
    ("caption", "memory_rows_read"): "2,767 at 200, 27,241 at 2,000",
    ("caption", "glossary_keyed"): "401 at 200, 4,001 at 2,000",
    ("caption", "photos_checked"): "20 at 200, 200 at 2,000",
    ("caption", "outputs_keyed"): "756 at 200, 7,413 at 2,000",
    ("caption", "outputs_reused"): "755 at 200, 7,412 at 2,000",
    ("glossary", "articles_loaded"): "200 at 200, 2,000 at 2,000",
    ("glossary", "memory_rows_read"): "2,768 at 200, 27,242 at 2,000",
    ("glossary", "glossary_keyed"): "401 at 200, 4,001 at 2,000",
    ("glossary", "photos_checked"): "20 at 200, 200 at 2,000",
    ("glossary", "outputs_keyed"): "756 at 200, 7,413 at 2,000",
    ("glossary", "outputs_reused"): "751 at 200, 7,408 at 2,000",
    ("new article", "articles_loaded"): "201 at 200, 2,001 at 2,000",
    ("new article", "memory_rows_read"): "3,408 at 200, 33,417 at 2,000",
    ("new article", "memory_rows_written"): "119 at 200, 812 at 2,000",
    ("new article", "glossary_keyed"): "403 at 200, 4,003 at 2,000",
    ("new article", "photos_checked"): "21 at 200, 201 at 2,000",
    ("new article", "outputs_keyed"): "763 at 200, 7,423 at 2,000",
    ("new article", "outputs_reused"): "670 at 200, 6,640 at 2,000",
    ("new article", "outputs_rendered"): "93 at 200, 783 at 2,000",
    ("new article", "files_written"): "94 at 200, 784 at 2,000",
}
SEARCH_GROWS: dict[tuple[str, str], str] = {  # and every record's digest is computed again
    ("body, search on", "articles_loaded"): "250 at 250, 500 at 500",
    ("body, search on", "memory_rows_read"): "5,758 at 250, 11,414 at 500",
    ("body, search on", "glossary_keyed"): "501 at 250, 1,001 at 500",
    ("body, search on", "photos_checked"): "25 at 250, 50 at 500",
    ("body, search on", "outputs_keyed"): "947 at 250, 1,872 at 500",
    ("body, search on", "outputs_reused"): "938 at 250, 1,863 at 500",
    ("body, search on", "search_rows_digested"): "750 at 250, 1,500 at 500",
}


def _cases(edits: list[str], grows: dict[tuple[str, str], str]) -> list[object]:
    return [
        pytest.param(
            edit_name,
            counter,
            id=f"{edit_name}-{counter}",
            marks=[pytest.mark.xfail(strict=True, reason=f"grows with the archive: {why}")]
            if (why := grows.get((edit_name, counter)))
            else [],
        )
        for edit_name in edits
        for counter in COMPARED
    ]


EDITS = ["nothing", "body", "caption", "glossary", "new article"]


@pytest.mark.parametrize(("edit_name", "counter"), _cases(EDITS, GROWS))
def test_an_edit_costs_the_same_work_at_200_and_2000_articles(
    measured: dict[int, Counts], edit_name: str, counter: str
) -> None:
    small, large = (measured[n][edit_name][counter] for n in SIZES)
    assert small == large, f"{counter} after '{edit_name}': {small} at 200, {large} at 2,000"


@pytest.mark.parametrize(("edit_name", "counter"), _cases(["body, search on"], SEARCH_GROWS))
def test_a_search_index_update_costs_the_same_work_at_any_size(
    measured_search: dict[int, Counts], edit_name: str, counter: str
) -> None:
    small, large = (measured_search[n][edit_name][counter] for n in SEARCH_SIZES)
    assert small == large, f"{counter} after '{edit_name}': {small} and {large}"


def test_the_counters_see_the_work_of_each_edit(measured: dict[int, Counts]) -> None:
    """What each edit must have cost, whatever the size: the guard counts real work."""
    for n in SIZES:
        counts = measured[n]
        nothing = counts["nothing"]
        assert nothing["files_statted"] >= 4 * n  # article.toml and three versions each
        assert nothing == {**dict.fromkeys(NAMES, 0), "files_statted": nothing["files_statted"]}
        body = counts["body"]
        assert (body["sources_parsed"], body["bodies_rendered"], body["bodies_read"]) == (1, 1, 1)
        assert body["outputs_rendered"] >= 3  # the article's pages: the translations outdated
        assert counts["caption"]["outputs_rendered"] >= 1
        assert counts["caption"]["photos_probed"] == 0  # the photo itself did not change
        assert counts["glossary"]["glossary_checks"] == 1  # the translation edited
        new = counts["new article"]
        assert (new["sources_parsed"], new["photos_probed"]) == (4, 1)  # toml, 3 versions
        assert new["files_written"] >= 3 + 2  # its pages and its photo's variants


def test_worker_processes_send_their_counts_back(tmp_path: Path) -> None:
    """A build on two processes counts what one process counts (pages rendered in forked
    workers, the bodies they render, the files they write), and the work done twice: the
    bodies of the feeds' entries, which the build's own process renders for the feeds
    while the workers render them for the articles' pages."""
    project = generate(tmp_path / "site", 200)
    one = build(project, tmp_path / "one", now=NOW, jobs=1).counters
    two = build(project, tmp_path / "two", now=NOW, jobs=2).counters
    assert one.outputs_rendered >= PARALLEL_FROM  # enough for the workers
    feeds = 10 * 3  # feed_size entries in each language: made twice only if workers ran
    twice = {"bodies_rendered": one.bodies_rendered + feeds, "bodies_read": one.bodies_read + feeds}
    assert two == dataclasses.replace(one, **twice)


def test_build_stats_prints_every_counter(tmp_path: Path) -> None:
    project = generate(tmp_path / "site", 12)

    def stats() -> dict[str, int]:
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["-C", str(project), "build", "--stats"]) == 0
        lines = out.getvalue().splitlines()[1:]  # after "built …" / "… is up to date"
        assert all(re.fullmatch(r"[a-z_]+ \d+", line) for line in lines), lines
        assert [line.split()[0] for line in lines] == NAMES
        return {name: int(count) for name, count in map(str.split, lines)}

    first = stats()
    assert first["sources_parsed"] == 4 * 12 and first["outputs_rendered"] > 0
    again = stats()
    assert again == {**dict.fromkeys(NAMES, 0), "files_statted": first["files_statted"]}
