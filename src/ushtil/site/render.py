"""Building the site: the model and the language graph → the site's files, as :class:`Page` values.

Every page kind is planned in :mod:`ushtil.site.pages` (the dashboard in
:mod:`ushtil.site.dashboard`) and made through one :class:`~ushtil.engine.ledger.Ledger`:
taken over from the previous output while its key is unchanged, else rendered, and
recorded for the next build. Article pages of a large site are made on worker processes
(:mod:`ushtil.engine.pool`). In a build that renders everything, pages go straight into
the staging folder (a :class:`~ushtil.engine.write.Spool`) rather than staying in memory;
nothing reaches the published folder from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ushtil.engine.cache import BuildCache, Recorded
from ushtil.engine.counters import Counters
from ushtil.engine.ledger import Ledger, Output
from ushtil.engine.pool import Shared, make_in_processes
from ushtil.engine.write import Spool
from ushtil.interface.translator import Catalog
from ushtil.project import layout
from ushtil.project.freshness import Status
from ushtil.project.model import Page, Site
from ushtil.project.problems import Diagnostic
from ushtil.site.dashboard import status_outputs
from ushtil.site.feeds import feed_output
from ushtil.site.graph import Graph
from ushtil.site.markdown import Bodies, body_keys
from ushtil.site.media import plan_media
from ushtil.site.outputs import indexed
from ushtil.site.pages import (
    Kit,
    article_outputs,
    chooser_output,
    is_sitemap,
    list_outputs,
    not_found_outputs,
    robots_output,
    sitemap_output,
)
from ushtil.site.search import search_pages
from ushtil.site.templating import Templates

__all__ = ["PARALLEL_FROM", "RenderedSite", "render_site", "static_pages"]

PARALLEL_FROM = 600  # article pages; below this a pool costs more than it saves
PROGRESS_FROM = 300  # article pages to render before progress is worth showing


@dataclass(frozen=True)
class RenderedSite:
    """The site's files, and each rendered file's key and sitemap entry (for the cache)."""

    pages: list[Page]
    recorded: dict[str, Recorded]
    search_pending: tuple[str, ...] = ()  # languages whose search index was left for later


def render_site(
    site: Site,
    graph: Graph,
    catalogs: dict[str, Catalog],
    status: Status | None = None,
    *,
    jobs: int = 1,
    cache: BuildCache | None = None,
    previous_out: Path | None = None,
    fingerprint: str = "",
    progress: Callable[[int, int], None] | None = None,
    spool: Spool | None = None,
    search_later: bool = False,
    counters: Counters | None = None,
) -> tuple[RenderedSite, list[Diagnostic]]:
    """Every file of the site. With a ``cache`` whose outputs are in ``previous_out``,
    files whose key is unchanged are taken from there; ``spool``: where rendered files
    go at once; ``jobs``: processes for article pages; ``search_later``: a search index
    that changed is left as it was (named in ``search_pending``); ``counters``: the
    build's, where the work done is counted."""
    config = site.config
    counters = counters if counters is not None else Counters()
    templates = Templates(config, graph.urls, catalogs, compiled=cache is not None)
    media, images = plan_media(graph, config.root, templates.problems.adopt, cache, counters)
    kit = Kit(config, graph, templates, Bodies(config, cache, counters), fingerprint, media)
    for code in config.codes:  # the navigation shows only categories with a page
        templates.envs[code].globals["menu"] = kit.related.categories(code)
    previous = cache.state.outputs if cache is not None else {}
    ledger = Ledger(previous, previous_out, spool, counters)
    others = list(_site_outputs(kit))
    if status is not None:
        others += status_outputs(kit, status, cache)
    outputs = [*images, *article_outputs(kit)]
    pages = _made_apart(kit, ledger, outputs, jobs, progress, others)
    pending: list[str] = []
    if config.search:  # after the articles: their bodies are made
        searched, pending = search_pages(kit, ledger, later=search_later)
        pages += searched
    if cache is not None:
        cache.used_bodies = body_keys(site)
    entries = indexed(ledger.entries())
    sitemap = sitemap_output(kit, entries, ledger.previous_paths(is_sitemap))
    pages += ledger.produce(sitemap)
    pages += ledger.produce(robots_output(kit))
    pages += static_pages(config.root, graph)
    pages.sort(key=lambda page: page.path)
    return (
        RenderedSite(pages, ledger.recorded, tuple(pending)),
        media.problems + templates.diagnostics,
    )


def _site_outputs(kit: Kit) -> Iterator[Output]:
    """Every page but the articles': the chooser, the 404 pages, then in each language its
    feed and its lists (the home page's, each category's)."""
    yield chooser_output(kit)
    yield from not_found_outputs(kit)
    for lang in kit.config.codes:
        yield feed_output(kit, lang)
        yield from list_outputs(kit, lang, None)
        for category in kit.config.categories:
            yield from list_outputs(kit, lang, category.slug)


def _made_apart(
    kit: Kit,
    ledger: Ledger,
    outputs: list[Output],
    jobs: int,
    progress: Callable[[int, int], None] | None,
    others: list[Output],
) -> list[Page]:
    """Photos and article pages, and the ``others`` (made here, in their order): photos
    and article pages not reused are made here too, or on ``jobs`` processes when there
    are enough of them to pay off, while this process makes the others."""
    chores = [partial(ledger.produce, output) for output in others]
    pages: list[Page] = []
    todo: list[Output] = []
    for output in outputs:
        reused = ledger.reuse(output)
        if reused is None:
            todo.append(output)
        else:
            pages += reused
    report = progress if progress is not None and len(todo) >= PROGRESS_FROM else None
    if jobs > 1 and len(todo) >= PARALLEL_FROM:
        shared = [  # what the workers render with besides the ledger, and add to
            Shared(kit.bodies.in_worker, kit.bodies.take_made, kit.bodies.adopt),
            Shared(lambda: None, lambda: kit.templates.diagnostics, kit.templates.problems.adopt),
        ]
        made = make_in_processes(
            todo,
            ledger,
            shared,
            jobs,
            report,
            where=str(kit.config.root),
            meanwhile=chores,
        )
        return pages + made
    for chore in chores:
        pages += chore()
    for n, output in enumerate(todo, 1):
        pages += ledger.make(output)
        if report is not None and (n % 100 == 0 or n == len(todo)):
            report(n, len(todo))
    return pages


def static_pages(root: Path, graph: Graph) -> Iterator[Page]:
    """Files of ``static/``, as pages to write (copies, not rendered); articles' images
    are made by :mod:`ushtil.site.media`."""
    static = root / layout.STATIC
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield Page("static/" + path.relative_to(static).as_posix(), path.read_bytes())
