"""The spine: load → model → validate → render → write, returning a report.

Nothing is written unless every stage succeeded; the library never prints or exits.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ushtil.engine import inventory
from ushtil.engine.cache import BuildCache, LastBuild, fingerprint, last_build
from ushtil.engine.cache import load as load_cache
from ushtil.engine.changes import as_walked, restat, signature
from ushtil.engine.counters import CountedMemory, Counters
from ushtil.engine.outfolder import MARKER, output_lock, read_marker, refuse_output
from ushtil.engine.write import Spool, remove_leftovers, write_changes, write_site
from ushtil.project import layout
from ushtil.project.model import Page, Site
from ushtil.project.problems import Diagnostic, UshtilError, has_errors, sort_key

if TYPE_CHECKING:
    from ushtil.interface.translator import Catalog
    from ushtil.project.articles import LoadedArticle
    from ushtil.site.graph import Graph

# Reading and rendering (Babel, Jinja2, Markdown, nh3) are imported by the functions that
# need them: a build that finds nothing changed never loads them.


@dataclass
class Loaded:
    site: Site | None
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: tuple[str, ...] = ()  # the files the glossary checked (not taken from memory)


@dataclass
class BuildReport:
    diagnostics: list[Diagnostic]
    pages: int = 0
    written: int = 0
    out: Path | None = None
    search_pending: tuple[str, ...] = ()  # languages whose search index is out of date
    changed: tuple[str, ...] = ()  # the output's files (re)written by this build, by path
    removed: tuple[str, ...] = ()  # and removed from it
    foreign: tuple[str, ...] = ()  # in the output, not written by ushtil ("name/": a folder)
    foreign_removed: tuple[str, ...] = ()  # such files this build removed with the old folder
    checked: tuple[str, ...] = ()  # the files the glossary checked, its verdict not remembered
    counters: Counters = field(default_factory=Counters)  # the work it did (--stats)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def load_site(
    root: Path,
    cache: BuildCache | None = None,
    *,
    strict: bool = False,
    counters: Counters | None = None,
) -> Loaded:
    """Read the whole project (config, articles, catalogues); collect every problem (with
    ``strict``, a catalogue problem ``i18n check`` calls an error is one). The glossary's
    checks are counted in ``counters``."""
    from ushtil.interface.glossary import read_glossary
    from ushtil.interface.translator import load_catalogs
    from ushtil.project.articles import load_articles
    from ushtil.project.config import read_config
    from ushtil.project.files import links_out
    from ushtil.project.lookalikes import strictly
    from ushtil.project.problems import error
    from ushtil.site.verdicts import glossary_check

    outside = links_out(root)
    if outside:
        return Loaded(None, diagnostics=outside)
    config, problems = read_config(root)
    if config is None:
        return Loaded(None, diagnostics=problems)
    if cache is None or counters is None:
        articles, diagnostics = load_articles(config, cache)
    else:  # the folders loaded and the files parsed are counted
        articles, diagnostics = load_articles(config, CountedMemory(cache, counters))
    if strict:  # look-alike letters and invisible characters in articles are errors
        diagnostics = strictly(diagnostics)
    catalogs, catalog_diagnostics = load_catalogs(config, strict=strict)
    diagnostics = problems + diagnostics + catalog_diagnostics  # site.toml's warnings too
    site = Site(config, tuple(articles))
    glossary, glossary_problems = read_glossary(root)
    diagnostics += glossary_problems
    checked: tuple[str, ...] = ()
    if glossary is not None:  # a missing approved term is a warning (an error with strict)
        verdict = glossary_check(site, glossary, cache, counters)  # remembered per content
        found, checked = verdict.diagnostics, tuple(verdict.checked)
        diagnostics += [error(d.location, d.code, d.message) for d in found] if strict else found
    return Loaded(site, catalogs, diagnostics, checked)


@dataclass(frozen=True)
class Rendering:
    """Every file of the site, and the language graph it was made from."""

    pages: list[Page]
    graph: Graph
    search_pending: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()  # by the glossary (Loaded.checked)


def render(
    root: Path,
    *,
    now: dt.datetime | None = None,
    strict: bool = False,
    jobs: int | None = None,
    cache: BuildCache | None = None,
    out: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    spool: Spool | None = None,
    fp: str | None = None,
    search_later: bool = False,
    counters: Counters | None = None,
) -> tuple[Rendering | None, list[Diagnostic]]:
    """Everything but the write: the site's files (None when the project could not be
    read) and every problem, sorted. With a ``cache`` whose outputs are in ``out``,
    unchanged files are taken from there instead of rendered. The work is counted in
    ``counters``."""
    from ushtil.engine.pool import default_jobs
    from ushtil.project.freshness import ChangeTimes, compute_status
    from ushtil.project.validate import validate_site
    from ushtil.site.graph import build_graph
    from ushtil.site.render import render_site

    now = now or now_utc()
    fp = (fp or fingerprint(root)) if cache is not None else ""
    if cache is not None:
        from ushtil.site.media import outlives_fingerprint  # Pillow: something is made

        cache.start(fp, outlives_fingerprint)
    loaded = load_site(root, cache, strict=strict, counters=counters)
    diagnostics = list(loaded.diagnostics)
    if loaded.site is None:
        return None, sorted(diagnostics, key=sort_key)
    diagnostics += validate_site(loaded.site, now, strict=strict)
    graph = build_graph(loaded.site, now)
    status = compute_status(loaded.site, changed=ChangeTimes(root))
    reusable = cache is not None and out is not None and cache.state.out == str(out)
    previous_out = out if reusable and cache is not None and cache.state.outputs else None
    rendered, render_diagnostics = render_site(
        loaded.site,
        graph,
        loaded.catalogs,
        status,
        jobs=default_jobs() if jobs is None else jobs,
        cache=cache,
        previous_out=previous_out,
        fingerprint=fp,
        progress=progress,
        spool=spool if previous_out is None else None,  # everything renders: straight to disk
        search_later=search_later,
        counters=counters,
    )
    if cache is not None:
        reused = cache.state.diagnostics if previous_out else []  # of the files taken over
        render_diagnostics = list(dict.fromkeys([*render_diagnostics, *reused]))
        cache.record(fp, rendered.recorded, render_diagnostics)
    diagnostics += render_diagnostics
    rendering = Rendering(rendered.pages, graph, rendered.search_pending, loaded.checked)
    return rendering, sorted(set(diagnostics), key=sort_key)


@dataclass
class Memory:
    """What ``serve`` keeps from one build for the next: the cache as the last build left
    it (so it is not read again) and the size and time of every source it saw."""

    cache: BuildCache | None = None
    stats: dict[str, tuple[int, int]] | None = None


def _unchanged(
    articles: dict[str, LoadedArticle] | None, root: Path, walked: list[str] | None, kept: bool
) -> dict[str, LoadedArticle]:
    """The articles kept from the last build but those whose folder has a ``walked`` path
    in it; none unless the cache was ``kept`` and every change is known."""
    if articles is None or walked is None or not kept:
        return {}
    folder = os.path.join(root, layout.ARTICLES) + os.sep
    for path in walked:
        if not path.startswith(folder):
            continue
        name = path[len(folder) :].split(os.sep, 1)[0]
        articles.pop(name, None)
    if any(path + os.sep == folder or folder.startswith(path + os.sep) for path in walked):
        articles.clear()  # articles/ itself, or a folder holding it
    return articles


def _take_stock(
    report: BuildReport,
    out: Path,
    named: str | None,
    files: frozenset[str],
    foreign: tuple[str, ...],
    found: inventory.Survey | None,
    replaced: bool,
) -> None:
    """Record what the output holds now that the build wrote it: the files ushtil did not
    write went with the old folder when it was ``replaced``, else they are still there
    (but for any a file of the site replaced)."""
    kept: tuple[str, ...] = ()
    seen: inventory.Folders | None = None
    touched = (*report.changed, *report.removed)
    if replaced:
        report.foreign_removed = foreign
    else:  # listed again only when a file of the site may have taken the place of one
        kept = inventory.walk(out, files).foreign if foreign and touched else foreign
        seen = found.folders if found is not None else None
    now_named = read_marker(out).id
    inventory.save(now_named, inventory.settle(out, files, kept, seen, touched))
    if now_named != named:
        inventory.forget(named)
    report.foreign = kept


@contextmanager
def _discarding(spool: Spool) -> Iterator[None]:
    """Whatever happens, pages rendered for a site that was not swapped in are removed."""
    try:
        yield
    finally:
        spool.discard()


def build(
    root: Path,
    out: Path | None = None,
    *,
    now: dt.datetime | None = None,
    strict: bool = False,
    write: bool = True,
    jobs: int | None = None,
    clean: bool = False,
    progress: Callable[[int, int], None] | None = None,
    search_later: bool = False,
    memory: Memory | None = None,
    changed: Iterable[str] | None = None,
) -> BuildReport:
    """Build the site at ``root`` into ``out`` (default ``root/public``); ``jobs``
    processes render article pages (default: one per available core). Pages whose inputs
    did not change since the last build are taken over from it, unless ``clean``.
    ``search_later``: a search index that changed is kept as it was, and the report's
    ``search_pending`` names its language (the next build makes it).

    ``memory`` (``serve``'s) keeps what a build read for the next one; with it, ``changed``
    (the paths a watcher saw change since the last build) spares walking the sources."""
    out = (out if out is not None else root / layout.OUTPUT).absolute()
    counters = Counters()  # this build's work, whatever it finds to do
    if not write:  # a check: no lock, no cache, nothing on disk
        rendering, diagnostics = render(
            root, now=now, strict=strict, jobs=jobs, search_later=True, counters=counters
        )  # no search index either: nothing would keep it
        made, checked = (len(rendering.pages), rendering.checked) if rendering else (0, ())
        return BuildReport(diagnostics, made, out=out, checked=checked, counters=counters)
    report = BuildReport(refuse_output(root, out), out=out, counters=counters)
    if not report.ok:
        return report
    spool = Spool(out, counters)
    try:
        with output_lock(out), _discarding(spool):
            recovered = remove_leftovers(out)  # completes an update a killed build began
            named = read_marker(out).id
            record = inventory.read(named)  # what the last build left in the output
            found = inventory.survey(out, record) if record is not None else None
            moment = now or now_utc()
            fp = fingerprint(root)
            kept, memory_cache = (memory.stats, memory.cache) if memory else (None, None)
            if memory is not None:
                memory.cache = None  # given back only by a build that ends well
            walked = None
            if kept is not None and changed is not None and memory_cache is not None:
                walked = as_walked(root, changed)
                seen, stats = "", restat(kept, walked, counters)  # "" is no signature: never equal
            else:
                seen, stats = signature(root, out, fp, counters)
            last = None if clean or memory is not None else last_build(root, out)  # serve: warm up
            if (
                last is not None
                and (last.signature, last.strict, last.out) == (seen, strict, str(out))
                and out.is_dir()
                and moment.timestamp() < last.due
                and recovered == []
                and record is not None
                and found is not None
                and found.intact
            ):  # nothing changed (but files may have been added to the output)
                if (found.folders, found.foreign) != (record.folders, record.foreign):
                    kept_record = inventory.Record(record.files, found.folders, found.foreign)
                    inventory.save(named, kept_record)
                diagnostics = [*last.diagnostics, *inventory.problems(out, found.foreign, ())]
                return BuildReport(
                    diagnostics, last.pages, 0, out, foreign=found.foreign, counters=counters
                )
            foreign = found.foreign if found is not None else ()
            trusted = not clean and recovered is not None  # None: the output is not to be trusted
            if memory_cache is not None and trusted and memory_cache.state.out == str(out):
                cache = memory_cache
                cache.dirty = False
            else:
                cache = load_cache(root, out, clean=not trusted)
                counters.merge(cache.db.counters.snapshot())  # the rows reading it took
            cache.db.counters = counters  # what the cache does from here on is this build's
            if memory is not None:  # whole articles kept while nothing in their folder changes
                cache.articles = _unchanged(cache.articles, root, walked, cache is memory_cache)
            cache.stats = stats
            for path in recovered or []:  # on disk, but not what the cache says was written
                cache.state.outputs.pop(path, None)
            rendering, diagnostics = render(
                root,
                now=moment,
                strict=strict,
                jobs=jobs,
                cache=cache,
                out=out,
                progress=progress,
                spool=spool,
                fp=fp,
                search_later=search_later,
                counters=counters,
            )
            made = len(rendering.pages) if rendering else 0
            report = BuildReport(diagnostics, made, out=out, counters=counters)
            report.checked = rendering.checked if rendering else ()
            if rendering is None or not report.ok:
                report.foreign = foreign  # named even when nothing is written
                report.diagnostics += inventory.problems(out, foreign, ())
                return report
            pages, graph = rendering.pages, rendering.graph
            previous = set(cache.state.written) if cache.state.out == str(out) else set()
            previous |= set(recovered or [])  # written by the killed update: ushtil's too
            files = frozenset({MARKER, *(p.path for p in pages)})
            if spool.path is not None:
                report.written = write_site(pages, out, staging=spool.path, counters=counters)
                spool.path = None  # swapped in
                paths = {p.path for p in pages}
                report.changed = tuple(sorted(paths))
                report.removed = tuple(sorted(previous - paths))
                replaced = True
            else:
                before = record.files if record is not None else frozenset(previous)
                if not files <= before:  # recorded before they are written, in case of a kill
                    inventory.save(named, inventory.Record(before | files, None, foreign))
                changes = write_changes(pages, out, previous, counters)
                report.written = len(changes.written)
                report.changed, report.removed = changes.written, changes.removed
                replaced = changes.replaced
            _take_stock(report, out, named, files, foreign, found, replaced)
            cache.dirty = cache.dirty or report.written > 0
            future = [a.published.timestamp() for a in graph.site_articles if a.published > moment]
            report.search_pending = rendering.search_pending
            if report.search_pending:  # the next build is due at once
                future.append(moment.timestamp())
            done = LastBuild(
                seen,
                strict,
                str(out),
                min(future, default=float("inf")),
                tuple(report.diagnostics),
                report.pages,
            )
            report.diagnostics += inventory.problems(out, report.foreign, report.foreign_removed)
            if cache.finish(done, [p.path for p in pages]) and not cache.save():
                return report  # the site is written; the next build is merely a clean one
            for remembered in cache.kept.values():  # rows that prove themselves: saved on their own
                remembered.save()
            if memory is not None:
                memory.cache, memory.stats = cache, stats
    except UshtilError as exc:
        report.diagnostics.extend(exc.diagnostics)
    return report
