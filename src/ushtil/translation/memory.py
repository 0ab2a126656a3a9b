"""Translation memory: what has been translated before, for reuse.

Built on demand from the project itself (nothing to keep in sync): every segment of every
article whose versions are up to date with each other (the original and its current
translations, in every direction: Kazakh↔Russian as much as English↔either), and every
translated interface string of the catalogues (English msgid → each language, and
between the languages through the shared msgid).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import polib

from ushtil.interface.posyntax import po_syntax_error
from ushtil.project import layout
from ushtil.project.freshness import CURRENT, SOURCE, version_state
from ushtil.project.model import Site
from ushtil.translation.segments import split

DEFAULT_THRESHOLD = 0.75


@dataclass(frozen=True)
class Match:
    source: str  # the remembered source text
    target: str
    origin: str  # "article 10888" or "interface"
    score: float  # 1.0 for an exact match
    article: str | None = None


class Memory:
    def __init__(self) -> None:
        # (source language, target language) → source text → (target text, origin, article)
        self.pairs: dict[tuple[str, str], dict[str, list[tuple[str, str, str | None]]]]
        self.pairs = defaultdict(dict)

    def add(
        self, src: str, tgt: str, source: str, target: str, origin: str, article: str | None = None
    ) -> None:
        if not source.strip() or not target.strip() or src == tgt:
            return
        found = self.pairs[(src, tgt)].setdefault(source, [])
        if all(t != target for t, _, _ in found):
            found.append((target, origin, article))

    def sizes(self) -> dict[tuple[str, str], int]:
        return {pair: len(entries) for pair, entries in sorted(self.pairs.items())}

    def lookup(
        self, text: str, src: str, tgt: str, *, threshold: float = DEFAULT_THRESHOLD, limit: int = 3
    ) -> list[Match]:
        """Exact matches first, then close ones at or above ``threshold``, best first."""
        entries = self.pairs.get((src, tgt), {})
        exact = [Match(text, t, o, 1.0, a) for t, o, a in entries.get(text, [])]
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
                close += [Match(candidate, t, o, score, a) for t, o, a in targets]
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
        for a, a_segments in split_versions.items():
            for b, b_segments in split_versions.items():
                if a == b or [s.kind for s in a_segments] != [s.kind for s in b_segments]:
                    continue  # only versions with the same block structure align segment by segment
                for sa, sb in zip(a_segments, b_segments, strict=True):
                    memory.add(a, b, sa.text, sb.text, f"article {article.id}", article.id)
    _add_catalogues(memory, site.config.root, site.config.codes)
    return memory


def _add_catalogues(memory: Memory, root: Path, codes: tuple[str, ...]) -> None:
    translated: dict[str, dict[tuple[str | None, str], str]] = {}
    for lang in codes:
        path = layout.catalogue(root, lang)
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if po_syntax_error(text) is not None:
            continue  # the build reports it; the memory just does without
        po = polib.pofile(text)
        translated[lang] = {
            (e.msgctxt, e.msgid): e.msgstr
            for e in po
            if e.msgstr and not e.fuzzy and not e.obsolete and not e.msgid_plural
        }
    for lang, entries in translated.items():
        for key, msgstr in entries.items():
            memory.add("en", lang, key[1], msgstr, "interface")
            for other, other_entries in translated.items():
                if other != lang and key in other_entries:
                    memory.add(other, lang, other_entries[key], msgstr, "interface")
