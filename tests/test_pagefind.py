"""site/pagefind.py: Pagefind's real indexer over its service protocol gives the same
files for the same pages in the same order, whatever order its hash maps keep a filter's
values in (``settle`` sorts them and names the files after their content); a file that
is not Pagefind's is refused with a message, not a crash."""

from __future__ import annotations

import gzip
import hashlib
import json

import cbor2
import pytest

from ushtil.project.problems import UshtilError
from ushtil.site.pagefind import SIGNATURE, make_index, settle

CATEGORIES = ["Мәдениет", "Көлік", "Қала жаңалықтары", "Іс-шаралар", "Қалалық қызметтер"]


def page(n: int) -> tuple[str, str]:
    category = CATEGORIES[n % len(CATEGORIES)]
    return (
        f"/kk/news/a{n}/",
        '<!DOCTYPE html><html lang="kk"><head><meta charset="utf-8"></head><body>'
        f'<h1 data-pagefind-meta="title">Жаңалық {n}</h1>'
        f'<p data-pagefind-ignore data-pagefind-filter="category">{category}</p>'
        f"<p>Астана қаласында {n} жаңа көпір салынды, әкімдік хабарлады.</p></body></html>",
    )


def dump(value: object) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)


def load(data: bytes) -> object:
    plain = gzip.decompress(data)
    assert plain.startswith(SIGNATURE)
    return cbor2.loads(plain[len(SIGNATURE) :])


def test_the_same_pages_give_the_same_files() -> None:
    pages = [page(n) for n in range(12)]
    first = make_index("kk", pages)
    for _ in range(2):  # Pagefind's own order of filter values varies from run to run
        assert make_index("kk", pages) == first
    entry = json.loads(first["pagefind-entry.json"])
    meta = f"pagefind.{entry['languages']['kk']['hash']}.pf_meta"
    assert meta in first  # the entry names the metadata file it was renamed to
    filters = [p for p in first if p.startswith("filter/")]
    assert len(filters) == 1
    name, rows = load(first[filters[0]])  # type: ignore[misc]
    assert name == "category"
    assert [row[0] for row in rows] == sorted(CATEGORIES)
    assert all(row[1] == sorted(row[1]) for row in rows)
    assert sum(len(row[1]) for row in rows) == 12


def test_settle_sorts_values_and_names_files_after_their_content() -> None:
    filter_file = dump(["category", [["b", [3, 1]], ["a", [2]]]])
    meta = dump(["1.4.0", "x", [], [["category", "raw-filter"]]])
    bundle = {
        "filter/raw-filter.pf_filter": filter_file,
        "pagefind.kk_raw.pf_meta": meta,
        "pagefind-entry.json": json.dumps(
            {"version": "1.4.0", "languages": {"kk": {"hash": "kk_raw", "page_count": 3}}}
        ).encode(),
        "fragment/kk_1.pf_fragment": b"kept as it is",
    }
    settled = settle(bundle, "kk")
    assert settled["fragment/kk_1.pf_fragment"] == b"kept as it is"
    sorted_filter = dump(["category", [["a", [2]], ["b", [1, 3]]]])
    filter_name = "kk_" + hashlib.sha256(sorted_filter).hexdigest()[:7]
    assert settled[f"filter/{filter_name}.pf_filter"] == sorted_filter
    new_meta = dump(["1.4.0", "x", [], [["category", filter_name]]])
    meta_name = "kk_" + hashlib.sha256(new_meta).hexdigest()[:10]
    assert settled[f"pagefind.{meta_name}.pf_meta"] == new_meta
    entry = json.loads(settled["pagefind-entry.json"])
    assert entry["languages"]["kk"] == {"hash": meta_name, "page_count": 3}
    assert sorted(settled) == sorted(
        [
            f"filter/{filter_name}.pf_filter",
            f"pagefind.{meta_name}.pf_meta",
            "pagefind-entry.json",
            "fragment/kk_1.pf_fragment",
        ]
    )
    # a language with nothing indexed has no metadata to name
    empty = {"pagefind-entry.json": b'{"version":"1.4.0","languages":{}}'}
    assert settle(empty, "kk") == empty


@pytest.mark.parametrize(
    "content", [b"not gzip", gzip.compress(b"no signature"), gzip.compress(SIGNATURE + b"\xff")]
)
def test_a_file_that_is_not_pagefind_s_is_refused(content: bytes) -> None:
    bundle = {
        "filter/x.pf_filter": content,
        "pagefind-entry.json": b'{"languages":{}}',
    }
    with pytest.raises(UshtilError) as raised:
        settle(bundle, "kk")
    assert str(raised.value).startswith(
        "pagefind: search index: unexpected file filter/x.pf_filter"
    )
