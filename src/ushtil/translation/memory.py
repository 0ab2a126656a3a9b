"""Translation memory: what has been translated before, for reuse.

Built on demand from the project itself (nothing to keep in sync): every segment of every
article whose versions are up to date with each other (the original and its current
translations, in every direction: Kazakh↔Russian as much as English↔either), and every
translated interface string of the catalogues (English msgid → each language, and
between the languages through the shared msgid).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ushtil.interface.posyntax import parse_po
from ushtil.project import layout
from ushtil.project.freshness import CURRENT, SOURCE, version_state
from ushtil.project.model import Site
from ushtil.translation.segments import split

DEFAULT_THRESHOLD = 0.75


@dataclass(frozen=True)
class Match:
    source: str  # the remembered source text
    target: str
    origin: str  # "article 10888", "interface" or "TMX <file> (<tool>)"
    score: float  # 1.0 for an exact match
    article: str | None = None


@dataclass(frozen=True)
class Remembered:
    """One remembered translation of a source text."""

    target: str
    origin: str
    article: str | None = None
    created: dt.datetime | None = None  # when the translation was made, where known
    imported: bool = False  # from a TMX file kept in the project (read-only)


class Memory:
    def __init__(self) -> None:
        # (source language, target language) → source text → what it was translated as
        self.pairs: dict[tuple[str, str], dict[str, list[Remembered]]] = defaultdict(dict)

    def add(
        self,
        src: str,
        tgt: str,
        source: str,
        target: str,
        origin: str,
        article: str | None = None,
        *,
        created: dt.datetime | None = None,
        imported: bool = False,
    ) -> None:
        if not source.strip() or not target.strip() or src == tgt:
            return
        found = self.pairs[(src, tgt)].setdefault(source, [])
        if all(r.target != target for r in found):
            found.append(Remembered(target, origin, article, created, imported))

    def sizes(self) -> dict[tuple[str, str], int]:
        return {pair: len(entries) for pair, entries in sorted(self.pairs.items())}

    def lookup(
        self, text: str, src: str, tgt: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 3
    ) -> list[Match]:
        """Exact matches first, then close ones at or above ``threshold``, best first."""
        entries = self.pairs.get((src, tgt), {})
        exact = [Match(text, r.target, r.origin, 1.0, r.article) for r in entries.get(text, [])]
        if exact:
            return exact[:limit]
        close: list[Match] = []
        size = len(text)
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(text)
        for candidate, targets in entries.items():
            if not size or min(size, len(candidate)) / max(size, len(candidate)) < threshold:
                continue
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            score = matcher.ratio()
            if score >= threshold:
                close += [Match(candidate, r.target, r.origin, score, r.article) for r in targets]
        close.sort(key=lambda m: (-m.score, m.origin, m.target))
        return close[:limit]


def build_memory(site: Site) -> Memory:
    memory = Memory()
    for article in site.articles:
        usable = [
            v
            for v in article.versions
            if not v.draft and version_state(article, v) in (SOURCE, CURRENT)
        ]
        split_versions = {v.lang: split(v) for v in usable}
        root = site.config.root
        made = {v.lang: file_time(root / v.location.path) for v in usable}
        for a, a_segments in split_versions.items():
            for b, b_segments in split_versions.items():
                if a == b or [s.kind for s in a_segments] != [s.kind for s in b_segments]:
                    continue  # only versions with the same block structure align segment by segment
                for sa, sb in zip(a_segments, b_segments, strict=True):
                    memory.add(
                        a, b, sa.text, sb.text, f"article {article.id}", article.id, created=made[b]
                    )
    _add_catalogues(memory, site.config.root, site.config.codes)
    return memory


def file_time(path: Path) -> dt.datetime | None:
    """When a translation was made, as far as a file tells: its modification time."""
    try:
        return dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.UTC).replace(microsecond=0)
    except OSError:
        return None


def _add_catalogues(memory: Memory, root: Path, codes: tuple[str, ...]) -> None:
    translated: dict[str, dict[tuple[str | None, str], str]] = {}
    for lang in codes:
        path = layout.catalogue(root, lang)
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        po, _ = parse_po(text)
        if po is None:
            continue  # the build reports it; the memory just does without
        translated[lang] = {
            (e.msgctxt, e.msgid): e.msgstr
            for e in po
            if e.msgstr and not e.fuzzy and not e.obsolete and not e.msgid_plural
        }
    for lang, entries in translated.items():
        made = file_time(layout.catalogue(root, lang))
        for key, msgstr in entries.items():
            memory.add("en", lang, key[1], msgstr, "interface", created=made)
            for other, other_entries in translated.items():
                if other != lang and key in other_entries:
                    memory.add(other, lang, other_entries[key], msgstr, "interface", created=made)
