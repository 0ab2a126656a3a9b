"""What a build did, counted where the work is done: ``ushtil build --stats``.

One :class:`Counters` is made for each build and handed to whatever does the work (the
stat walk, the parse memory, the build memory's database, the ledger, the bodies, the
photos, the search index, the writer); nothing counts into a variable of its own
module. A forked worker process counts into its copy of the build's counters and sends
what one batch added back with the batch (:meth:`Counters.since`), which the build adds
(:meth:`Counters.merge`). The counters are a guard, not a timing:
``tests/test_work_counters.py`` builds one generated site at 200 articles and one at
2,000 and requires the same counts for the same edit, files stat'ed apart.

This module imports nothing of ushtil's to run (the project's types only to be checked):
it is the engine's, whatever the pages are.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ushtil.project.articles import LoadedArticle, ParseMemory, Remembered
    from ushtil.project.model import Facts, Version
    from ushtil.project.problems import Diagnostic


@dataclass
class Counters:
    """How many times each kind of work was done in one build (field order is the order
    ``--stats`` prints them in; the names are stable)."""

    files_statted: int = 0  # source files whose size and time were asked (the walk)
    articles_loaded: int = 0  # article folders made into articles (parsed or remembered)
    sources_parsed: int = 0  # article.toml and <lang>.md files read and parsed
    memory_rows_read: int = 0  # rows read from the build memory's database
    memory_rows_written: int = 0  # rows written to it (or deleted from it)
    glossary_keyed: int = 0  # translations and catalogues whose verdict was looked up
    glossary_checks: int = 0  # translations and catalogues checked against the glossary
    glossary_reads: int = 0  # versions read from disk again for those checks
    photos_checked: int = 0  # published photos stat'ed and looked up in the memory
    photos_probed: int = 0  # photos read and hashed (their header read)
    outputs_keyed: int = 0  # outputs whose key was computed and compared with the last build's
    outputs_reused: int = 0  # outputs taken over from the previous output
    outputs_rendered: int = 0  # outputs made (rendered, encoded, indexed)
    bodies_rendered: int = 0  # Markdown bodies made into HTML
    bodies_read: int = 0  # bodies read from disk again to be rendered
    search_rows_digested: int = 0  # versions whose search record's digest was computed
    search_records: int = 0  # records given to Pagefind to index
    files_written: int = 0  # output files whose bytes were written
    files_linked: int = 0  # output files linked to the previous output's copy (same bytes)

    def add(self, name: str, n: int = 1) -> None:
        """Count ``n`` more of ``name`` (one of the fields: a misspelt name is an error)."""
        if name not in self.__dataclass_fields__:
            raise KeyError(name)
        setattr(self, name, getattr(self, name) + n)

    def items(self) -> list[tuple[str, int]]:
        """(name, count) of every counter, in their fixed order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def since(self, before: dict[str, int]) -> dict[str, int]:
        """What was counted since ``before`` (an earlier :meth:`snapshot`), by name."""
        return {name: n - before.get(name, 0) for name, n in self.items()}

    def snapshot(self) -> dict[str, int]:
        return dict(self.items())

    def merge(self, counts: dict[str, int]) -> None:
        """Add what another process counted (see :meth:`since`)."""
        for name, n in counts.items():
            self.add(name, n)


class CountedMemory:
    """A parse memory (the build's cache, as ``project.articles`` reads through it) that
    counts what is loaded and parsed into it: each article folder made into an article
    (``articles_loaded``) and each file parsed (``sources_parsed``)."""

    def __init__(self, memory: ParseMemory, counters: Counters) -> None:
        self.memory = memory
        self.counters = counters

    def source(self, path: Path, shown: str) -> Remembered | None:
        return self.memory.source(path, shown)

    def remember_source(
        self, path: Path, shown: str, value: Version | Facts | None, problems: list[Diagnostic]
    ) -> None:
        self.counters.add("sources_parsed")  # told of each file parsed
        self.memory.remember_source(path, shown, value, problems)

    def article(self, name: str) -> LoadedArticle | None:
        return self.memory.article(name)

    def remember_article(self, name: str, loaded: LoadedArticle) -> None:
        self.counters.add("articles_loaded")  # told of each folder loaded
        self.memory.remember_article(name, loaded)
