"""The one way every output of a build is made: reused, or rendered, then recorded.

An :class:`Output` is one or more files made together from one key (the digest of
everything they are made from). The :class:`Ledger` takes the previous output's files
when the last build recorded the same key for each of them and they are still there;
otherwise it renders them. Either way it records each file's key and entry (the site's
own JSON value, its sitemap entry: opaque here) for the next build, and a rendered file
goes into the spool when there is one (a build that renders everything writes each file
to disk as soon as it is made). Every output goes through :meth:`Ledger.produce`; a
worker process calls :meth:`Ledger.make`, the same path without reuse (its build decided
that already). The ledger knows no page kind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ushtil.engine.cache import Recorded
from ushtil.engine.counters import Counters
from ushtil.engine.store import Json
from ushtil.engine.write import Spool
from ushtil.project.model import Page


@dataclass(frozen=True)
class File:
    """One rendered file: its path in the output folder, its bytes, and its entry: what the
    site records of it for later (its sitemap entry), any JSON value, kept by the engine
    as it is (None: nothing)."""

    path: str
    content: bytes
    entry: Json = None


@dataclass(frozen=True)
class Output:
    """Files made together from one ``key``: ``paths`` are the files it had in the last
    build (what may be reused); ``make`` renders them, or gives None when a template
    failed (the failure is reported by the templates)."""

    paths: tuple[str, ...]
    key: str
    make: Callable[[], list[File] | None]


class Ledger:
    """What this build made of each output, and what the last one left to reuse."""

    def __init__(
        self,
        previous: dict[str, Recorded],
        previous_out: Path | None,
        spool: Spool | None,
        counters: Counters | None = None,
    ) -> None:
        """``previous``: the key and entry of every file the last build wrote into
        ``previous_out`` (nothing is reused without it); ``spool``: where rendered files
        go at once, instead of staying in memory; ``counters``: the build's, where outputs
        keyed, reused and rendered are counted."""
        self.previous = previous if previous_out is not None else {}
        self.previous_root = os.fspath(previous_out) if previous_out is not None else ""
        self.spool = spool
        self.counters = counters if counters is not None else Counters()
        self.recorded: dict[str, Recorded] = {}  # path → (key, entry), for the next build

    def produce(self, output: Output) -> list[Page]:
        """The output's files: the previous build's when its key is unchanged, else new."""
        reused = self.reuse(output)
        return reused if reused is not None else self.make(output)

    def reuse(self, output: Output) -> list[Page] | None:
        """The previous output's files, if the last build recorded ``output.key`` for every
        one of them and each is still there; else None (nothing is recorded)."""
        self.counters.add("outputs_keyed")
        if not output.paths:
            return None
        found: list[tuple[str, Recorded]] = []
        for path in output.paths:
            recorded = self.previous.get(path)
            if recorded is None or recorded[0] != output.key:
                return None
            found.append((path, recorded))
        pages = []
        for path, _ in found:
            old = os.path.join(self.previous_root, path)
            if not os.path.isfile(old):
                return None
            pages.append(Page(path, source=old))
        self.recorded.update(found)
        self.counters.add("outputs_reused")
        return pages

    def make(self, output: Output) -> list[Page]:
        """Render the output's files, record them and put them where they go."""
        self.counters.add("outputs_rendered")
        files = output.make()
        if files is None:
            return []
        pages = []
        for file in files:
            self.recorded[file.path] = (output.key, file.entry)
            if self.spool is not None:
                pages.append(Page(file.path, source=self.spool.write(file.path, file.content)))
            else:
                pages.append(Page(file.path, file.content))
        return pages

    def adopt(self, recorded: dict[str, Recorded]) -> None:
        """What a worker process recorded for the outputs it made."""
        self.recorded.update(recorded)

    def fresh(self) -> Ledger:
        """A ledger that writes where this one does, with nothing recorded and nothing to
        reuse: a worker process's, for one batch of outputs to make (counted in the same
        counters: the worker's copy of the build's)."""
        return Ledger({}, None, self.spool, self.counters)

    def entries(self) -> list[Json]:
        """The entry of every file recorded with one, in the order recorded."""
        return [entry for _, entry in self.recorded.values() if entry is not None]

    def previous_paths(self, accept: Callable[[str], bool]) -> tuple[str, ...]:
        """The files of the previous build whose path ``accept`` takes."""
        return tuple(path for path in self.previous if accept(path))
