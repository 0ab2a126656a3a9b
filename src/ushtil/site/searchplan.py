"""What each part of a language's search index holds: a large base and a small delta.

Pagefind cannot update an index, so a language's index comes in two parts that the
search page merges. The *base* holds the language's own published versions as they were
when it was made; it is made again only when it is *compacted*. The *delta* holds the
versions added or changed since (indexed again whenever one of them changes), and
names the base's copies that no longer stand (of a version changed since, withdrawn or
deleted), which the search page leaves out of the results.

The base carries a *manifest*: for each of its pages, the digest of what its record is
made from and Pagefind's identifier of the record (the name of its fragment, which is
what a search result is called by). The next build reads it back from the previous
output (only under the name the build cache recorded, which is its content's digest) to
know what the delta must hold.

The delta is bounded: past :data:`BOUND` versions changed or removed, the next build
compacts, making a base of every version and no delta, exactly what a clean build makes.
So an edit indexes at most :data:`BOUND` versions, whatever the size of the archive, and
a reader's search loads two indexes at most.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from typing import cast

# Past this many versions changed or removed since the base was made, the delta is folded
# into a new base. An edit indexes the delta again (Pagefind takes about 4 ms a version,
# so 200 versions take under a second), and a compaction indexes the whole language once
# every BOUND changes: with N versions in a language the work per change is about
# BOUND / 2 + N / BOUND versions, least at BOUND = sqrt(2 N), 200 for 20,000 versions.
# A language of at most BOUND versions has no delta: its whole index is that small.
BOUND = 200
MANIFEST = "ushtil-base."  # the base's manifest: ushtil-base.<digest>.json
MANIFEST_LIMIT = 64 << 20  # a manifest larger than this is not believed (nor read whole)
HIDDEN = "hidden.json"  # the delta's list of the base's records the search page leaves out


@dataclass(frozen=True)
class Base:
    """What a base index holds: the setting it was made in (locale, time zone, Pagefind,
    ushtil's code), its key, and for each URL the digest of its record's inputs and the
    record's identifier in the index."""

    setting: str
    key: str
    pages: dict[str, tuple[str, str]]

    def dump(self) -> bytes:
        rows = [[url, row, ident] for url, (row, ident) in sorted(self.pages.items())]
        value = {"setting": self.setting, "key": self.key, "pages": rows}
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def manifest_name(content: bytes) -> str:
    return f"{MANIFEST}{hashlib.sha256(content).hexdigest()[:20]}.json"


def load_manifest(root: str, path: str) -> Base | None:
    """The manifest at ``path`` in the output folder ``root``, if it is a plain file whose
    content is what its name says (the name comes from the build cache) and of the
    expected form; else None (the base is then made again)."""
    name = path.rsplit("/", 1)[-1]
    try:
        fd = os.open(os.path.join(root, path), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MANIFEST_LIMIT:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            content = f.read(MANIFEST_LIMIT + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if manifest_name(content) != name:
        return None
    return _parse(content)


def _parse(content: bytes) -> Base | None:
    try:
        value = json.loads(content)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    setting, key, rows = value.get("setting"), value.get("key"), value.get("pages")
    if not isinstance(setting, str) or not isinstance(key, str) or not isinstance(rows, list):
        return None
    pages: dict[str, tuple[str, str]] = {}
    for row in cast(list[object], rows):
        if not (isinstance(row, list) and len(row) == 3 and all(isinstance(x, str) for x in row)):
            return None
        url, digest, ident = cast(list[str], row)
        pages[url] = (digest, ident)
    return Base(setting, key, pages)


@dataclass(frozen=True)
class Plan:
    """What a build does with a language's index: ``compact`` (a new base of every
    version, no delta), or keep the base and index ``delta`` (URLs; none: no delta),
    leaving out the base's records ``hidden`` (identifiers)."""

    compact: bool
    delta: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()


def plan(base: Base | None, setting: str, rows: dict[str, str]) -> Plan:
    """What to do, given the base the last build left (None: none usable), the setting
    now, and each own published version's URL and row digest now."""
    if base is None or base.setting != setting:
        return Plan(compact=True)
    changed = [url for url, row in rows.items() if base.pages.get(url, ("",))[0] != row]
    removed = [url for url in base.pages if url not in rows]
    if not changed and not removed:
        return Plan(compact=False)
    if len(rows) <= BOUND or len(changed) + len(removed) > BOUND:
        return Plan(compact=True)
    hidden = sorted(base.pages[url][1] for url in (*changed, *removed) if url in base.pages)
    return Plan(compact=False, delta=tuple(sorted(changed)), hidden=tuple(hidden))


def fragments(files: dict[str, bytes]) -> dict[str, str]:
    """URL → the record's identifier, from a Pagefind bundle's fragment files."""
    found = {}
    for path, data in files.items():
        if path.startswith("fragment/") and path.endswith(".pf_fragment"):
            plain = gzip.decompress(data)
            start = plain.index(b"{")  # after Pagefind's signature
            url = json.loads(plain[start:])["url"]
            found[url] = path.removeprefix("fragment/").removesuffix(".pf_fragment")
    return found


def settle_hidden(
    base: Base, hidden: tuple[str, ...], made: dict[str, str]
) -> tuple[str, ...] | None:
    """The base's records to leave out once the delta is ``made`` (URL → identifier), or
    None when an identifier of the delta is also one of a different record of the base
    (the search page could not tell them apart: the base is compacted instead). A delta
    record that is the very record the base holds for its URL (an edit that changed
    nothing a reader sees) is not left out: the search page shows it once."""
    owners = {ident: url for url, (_, ident) in base.pages.items()}
    same = set()
    for url, ident in made.items():
        owner = owners.get(ident)
        if owner is None:
            continue
        if owner != url:
            return None
        same.add(ident)
    return tuple(ident for ident in hidden if ident not in same)
