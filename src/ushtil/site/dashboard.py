"""The editors' dashboard: ``_status/{lang}/`` in each language, and ``_status/`` (the same
page as the default language's), as outputs for the :class:`~ushtil.engine.ledger.Ledger`.

The matrix has a row per article, rendered by the ``status_row`` macro of
``_status_row.html``; a row is remembered in the build cache and reused while its data
is unchanged, so a large site's dashboard is not rendered row by row on every build.
"""

from __future__ import annotations

from functools import partial

import jinja2
from markupsafe import Markup

from ushtil.engine.cache import BuildCache
from ushtil.engine.ledger import File, Output
from ushtil.project.freshness import Coverage, Freshness, Row, Status
from ushtil.site.graph import ArticleLinks, SlotState
from ushtil.site.pages import Kit, PageInfo, SwitchItem
from ushtil.site.templating import RENDER_ERRORS

Links = dict[str, ArticleLinks]  # article ID → its slots


def status_outputs(kit: Kit, status: Status, cache: BuildCache | None) -> list[Output]:
    """A dashboard page per language; its key is made once from every row's data."""
    links = {links.article.id: links for links in kit.graph.articles}
    parts = [row_parts(row, links[row.article.id]) for row in status.rows]
    key = kit.key("status", status.languages, parts)
    coverage = status.coverage()
    outputs = []
    for lang in kit.config.codes:
        paths: tuple[str, ...] = (kit.urls.file_for(_url(kit, lang)),)
        if lang == kit.config.default_language:
            paths += (kit.urls.file_for(f"{kit.urls.prefix}/_status/"),)
        make = partial(_page, kit, lang, paths, status, coverage, links, parts, cache)
        outputs.append(Output(paths, f"{key}/{lang}", make))
    return outputs


def row_parts(row: Row, links: ArticleLinks) -> tuple[object, ...]:
    """Everything a row of the matrix shows: the article, each version's state and where
    its page is."""
    article, source = row.article, row.article.source
    return (
        article.id,
        article.published.isoformat(),
        (source.lang, source.title) if source else None,
        [
            (
                c.lang,
                c.state,
                c.translated_from,
                c.source_changed.isoformat() if c.source_changed else None,
            )
            for c in row.cells
        ],
        [(s.lang, s.state, s.url) for s in links.slots],
    )


def _url(kit: Kit, lang: str) -> str:
    return f"{kit.urls.prefix}/_status/{lang}/"


def _page(
    kit: Kit,
    lang: str,
    paths: tuple[str, ...],
    status: Status,
    coverage: tuple[Coverage, ...],
    links: Links,
    parts: list[tuple[object, ...]],
    cache: BuildCache | None,
) -> list[File] | None:
    rows = _rows(kit, lang, status, links, parts, cache)
    if rows is None:
        return None
    url = _url(kit, lang)
    info = PageInfo(
        lang=kit.config.language(lang),
        url=url,
        canonical=kit.absolute(url),
        alternates=(),
        switcher=tuple(
            SwitchItem(other, _url(kit, other.code), other.code == lang, SlotState.OWN)
            for other in kit.config.languages
        ),
        noindex=True,
        section="status",
    )
    content = kit.templates.render(
        lang,
        "status.html",
        page=info,
        status=status,
        coverage=coverage,
        states=tuple(Freshness),
        links=links,
        rows=rows,
    )
    if content is None:
        return None
    return [File(path, content) for path in paths]  # noindex: no sitemap entry


def _rows(
    kit: Kit,
    lang: str,
    status: Status,
    links: Links,
    parts: list[tuple[object, ...]],
    cache: BuildCache | None,
) -> list[Markup] | None:
    """The matrix's rows in ``lang``: each rendered by the ``status_row`` macro, or
    remembered from the last build while its data is unchanged; None when a template
    failed (reported)."""
    module = kit.templates.module(
        lang, "_status_row.html", "status.html", urls=kit.urls, config=kit.config, links=links
    )
    if module is None:
        return None
    macro = getattr(module, "status_row", None)
    remembered = cache.rows if cache is not None else {}
    result = []
    for row, data in zip(status.rows, parts, strict=True):
        key = kit.key("status-row", lang, data)
        html = remembered.get(key)
        if html is None and macro is not None:
            try:
                html = str(macro(row, links[row.article.id]))
            except (jinja2.TemplateError, RecursionError, *RENDER_ERRORS) as exc:
                kit.templates.problems.add(exc, "status.html")
                return None
        if html is not None and cache is not None:
            cache.remember_row(key, html)
        result.append(Markup(html or ""))
    return result
