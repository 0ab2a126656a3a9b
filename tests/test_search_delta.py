"""A language's search index as a base and a delta: an edit indexes only the delta, the
same number of records whatever the archive's size; the records a reader can find are a
clean build's, byte for byte, after any edit; past its bound the delta is compacted into
a base, and the output is then a clean build's, byte for byte; the base's manifest is
believed only under the name the build cache recorded."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NOW
from generated import generate
from test_incremental import EDITS, append, clean_build, tree

import ushtil.site.pagefind
from ushtil.site import searchplan
from ushtil.site.build import build
from ushtil.site.searchplan import Base, Plan, plan

LANGS = ("kk", "ru", "en")


def _base(pages: dict[str, str]) -> Base:
    return Base("s", "k", {url: (row, f"id{url}") for url, row in pages.items()})


def test_the_plan_follows_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(searchplan, "BOUND", 3)
    rows = {f"/{n}/": "r" for n in range(10)}
    base = _base(rows)
    assert plan(None, "s", rows) == Plan(compact=True)  # no base yet
    assert plan(base, "other setting", rows) == Plan(compact=True)
    assert plan(base, "s", rows) == Plan(compact=False)  # nothing changed: the base alone
    edited = rows | {"/1/": "new", "/new/": "r"}
    del edited["/2/"]
    assert plan(base, "s", edited) == Plan(False, ("/1/", "/new/"), ("id/1/", "id/2/"))
    more = edited | {"/3/": "new"}  # four versions changed or removed: past the bound
    assert plan(base, "s", more) == Plan(compact=True)
    small = {"/1/": "r", "/2/": "r"}  # a language this small has no delta
    assert plan(_base(small), "s", {"/1/": "new", "/2/": "r"}) == Plan(compact=True)


def test_a_delta_record_that_is_the_base_record_is_not_left_out() -> None:
    base = _base({"/a/": "r", "/b/": "r"})
    assert searchplan.settle_hidden(base, ("id/a/",), {"/a/": "new-id"}) == ("id/a/",)
    assert searchplan.settle_hidden(base, ("id/a/",), {"/a/": "id/a/"}) == ()
    # an identifier the delta shares with a different record of the base: compacted instead
    assert searchplan.settle_hidden(base, ("id/a/",), {"/a/": "id/b/"}) is None


def fragments(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("fragment/*.pf_fragment"))}


def standing(public: Path, lang: str) -> dict[str, bytes]:
    """The records a reader's search can give in ``lang``: the base's but those the delta
    leaves out, and the delta's."""
    index = public / lang / "pagefind"
    found = fragments(index / "base")
    if (index / "delta").exists():
        hidden = json.loads((index / "delta/hidden.json").read_bytes())
        found = {n: b for n, b in found.items() if n.removesuffix(".pf_fragment") not in hidden}
        found |= fragments(index / "delta")
    return found


def urls(public: Path, lang: str = "kk") -> list[str]:
    """The URLs of the records a reader can find."""
    found = standing(public, lang).values()
    return sorted(json.loads(gzip.decompress(data)[12:])["url"] for data in found)


def outside_search(files: dict[str, str]) -> dict[str, str]:
    return {p: h for p, h in files.items() if "/pagefind/" not in p and "/search/" not in p}


@pytest.fixture
def bounded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """A bound of 6 changed versions; every index Pagefind makes, by language and size."""
    monkeypatch.setattr(searchplan, "BOUND", 6)
    made: list[tuple[str, int]] = []
    real = ushtil.site.pagefind.make_index

    def counting(lang: str, pages: object) -> dict[str, bytes]:
        given = list(pages)  # type: ignore[call-overload]  # what search.py gives it
        made.append((lang, len(given)))
        return real(lang, given)

    monkeypatch.setattr(ushtil.site.pagefind, "make_index", counting)
    yield made


def test_every_edit_leaves_what_a_clean_build_can_find(
    tmp_path: Path, bounded: list[tuple[str, int]]
) -> None:
    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    public = project / "public"
    deltas = 0
    for name, change in EDITS:
        change(project)
        report = build(project, now=NOW, jobs=1)
        assert report.ok, (name, [str(d) for d in report.diagnostics])
        mine = tree(public)
        clean = clean_build(project, tmp_path / "clean")
        assert outside_search(mine) == outside_search(clean), name
        for lang in LANGS:
            assert standing(public, lang) == standing(tmp_path / "clean/public", lang), (
                name,
                lang,
            )
            assert not (tmp_path / f"clean/public/{lang}/pagefind/delta").exists()
            delta = public / lang / "pagefind/delta"
            if delta.exists():
                deltas += 1
                hidden = json.loads((delta / "hidden.json").read_bytes())
                assert len(fragments(delta)) <= searchplan.BOUND, (name, lang)
                assert len(hidden) <= searchplan.BOUND, (name, lang)
        if not any((public / lang / "pagefind/delta").exists() for lang in LANGS):
            assert mine == clean, f"no delta, so a clean build's output, after: {name}"
    assert deltas > 5  # the edits did make deltas (and compactions: see the bound above)


def test_an_edit_indexes_the_same_records_at_any_size(
    tmp_path: Path, bounded: list[tuple[str, int]]
) -> None:
    counts = []
    for n in (40, 160):
        project = tmp_path / f"site{n}"
        generate(project, n=n)
        assert build(project, now=NOW, jobs=1).ok
        bounded.clear()
        append(project / "articles/g0003/kk.md", "Жаңа сөйлем.")
        assert build(project, now=NOW, jobs=1).ok
        counts.append(list(bounded))
        append(project / "articles/g0003/kk.md", "Тағы бір сөйлем.")
        bounded.clear()
        assert build(project, now=NOW, jobs=1).ok
        counts.append(list(bounded))
    assert counts[0] == counts[2] == [("kk", 1)]  # the delta: the edited version alone
    assert counts[1] == counts[3] == [("kk", 1)]


def test_past_its_bound_the_delta_is_compacted(
    tmp_path: Path, bounded: list[tuple[str, int]]
) -> None:
    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    public = project / "public"
    edited = [project / f"articles{url.removeprefix('/kk/news')}kk.md" for url in urls(public)]
    for count, path in enumerate(edited[: searchplan.BOUND + 1], start=1):
        append(path, f"Өзгеріс {count}.")
        bounded.clear()
        assert build(project, now=NOW, jobs=1).ok
        indexed = dict(bounded)
        page = (public / "kk/search/index.html").read_text(encoding="utf-8")
        if (public / "kk/pagefind/delta").exists():
            assert 'data-hidden="/kk/pagefind/delta/hidden.json"' in page
            assert "/kk/pagefind/base/ /kk/pagefind/delta/" in page
            assert 0 < indexed["kk"] <= searchplan.BOUND
        else:  # compacted: a new base of every version, as a clean build makes it
            assert indexed["kk"] > searchplan.BOUND
            assert 'data-hidden=""' in page
            break
    else:
        raise AssertionError("never compacted")
    assert tree(public) == clean_build(project, tmp_path / "clean")


def test_a_manifest_that_is_not_the_recorded_one_is_not_believed(
    tmp_path: Path, bounded: list[tuple[str, int]]
) -> None:
    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    public = project / "public"
    (manifest,) = (public / "kk/pagefind/base").glob("ushtil-base.*.json")
    value = json.loads(manifest.read_bytes())
    value["pages"] = value["pages"][:1]  # as if the base held one version
    manifest.write_text(json.dumps(value), encoding="utf-8")
    append(project / "articles/g0003/kk.md", "Жаңа сөйлем.")
    bounded.clear()
    assert build(project, now=NOW, jobs=1).ok
    assert ("kk", 1) not in bounded and dict(bounded)["kk"] > searchplan.BOUND  # a new base
    assert tree(public) == clean_build(project, tmp_path / "clean")
    # a link in place of the manifest is not followed either
    (manifest,) = (public / "kk/pagefind/base").glob("ushtil-base.*.json")
    outside = tmp_path / "outside.json"
    shutil.copy(manifest, outside)
    manifest.unlink()
    manifest.symlink_to(outside)
    assert searchplan.load_manifest(str(public), manifest.relative_to(public).as_posix()) is None


def test_the_delta_hides_what_was_withdrawn(tmp_path: Path, bounded: list[tuple[str, int]]) -> None:
    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    public = project / "public"
    before = set(urls(public))
    gone = min(before).split("/")[-2]
    shutil.rmtree(project / "articles" / gone)
    bounded.clear()
    assert build(project, now=NOW, jobs=1).ok
    assert bounded == []  # nothing to index: the delta is a list of what to leave out
    assert not (public / "kk/pagefind/delta/pagefind-entry.json").exists()
    assert set(urls(public)) == before - {f"/kk/news/{gone}/"}
    page = (public / "kk/search/index.html").read_text(encoding="utf-8")
    assert 'data-bundles="/kk/pagefind/base/"' in page
    assert 'data-hidden="/kk/pagefind/delta/hidden.json"' in page


def test_a_clash_of_identifiers_compacts(
    tmp_path: Path, bounded: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A delta record named like a different record of the base (Pagefind's names are
    short digests) cannot be told apart by the search page: the base is made again."""
    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    monkeypatch.setattr(searchplan, "settle_hidden", lambda *_: None)
    append(project / "articles/g0003/kk.md", "Жаңа сөйлем.")
    bounded.clear()
    report = build(project, now=NOW, jobs=1)
    assert report.ok
    assert bounded[0] == ("kk", 1) and bounded[1][0] == "kk" and bounded[1][1] > 1
    public = project / "public"
    assert not (public / "kk/pagefind/delta").exists()
    assert tree(public) == clean_build(project, tmp_path / "clean")
    again = build(project, now=NOW, jobs=1)  # what was recorded is what is there
    assert again.ok and again.changed == () and again.removed == ()


def test_later_keeps_the_index_as_it_was_until_the_next_build(
    tmp_path: Path, bounded: list[tuple[str, int]]
) -> None:
    """``serve``'s first build after a save leaves the index as it was; the next makes it."""
    project = tmp_path / "site"
    generate(project, n=60)
    assert build(project, now=NOW, jobs=1).ok
    public = project / "public"
    append(project / "articles/g0003/kk.md", "Жаңа сөйлем.")
    assert build(project, now=NOW, jobs=1).ok
    with_delta = tree(public)
    found = standing(public, "kk")
    append(project / "articles/g0006/kk.md", "Тағы бір сөйлем.")
    bounded.clear()
    first = build(project, now=NOW, jobs=1, search_later=True)
    assert first.ok and first.search_pending == ("kk",) and bounded == []
    assert standing(public, "kk") == found  # the last delta, with its base
    assert {p: h for p, h in tree(public).items() if "/pagefind/" in p} == {
        p: h for p, h in with_delta.items() if "/pagefind/" in p
    }
    second = build(project, now=NOW, jobs=1)
    assert second.ok and second.search_pending == () and bounded == [("kk", 2)]
    clean = clean_build(project, tmp_path / "clean")
    assert outside_search(tree(public)) == outside_search(clean)
    assert standing(public, "kk") == standing(tmp_path / "clean/public", "kk")
