"""Related news: the articles an article's page suggests at its end, and which categories
have pages in each language.

Related articles share the article's category or one of its tags and have their own
version in the page's language (never a fallback); the newest come first, ties by ID (the
language graph's order), at most :data:`RELATED` of them.
"""

from __future__ import annotations

from functools import cached_property

from ushtil.project.model import Label, SiteConfig
from ushtil.site.graph import ArticleLinks, Graph, Slot, SlotState

RELATED = 4


class Related:
    """Indexes over the language graph, made once per build and asked per page."""

    def __init__(self, graph: Graph, config: SiteConfig) -> None:
        self.graph = graph
        self.config = config

    @cached_property
    def _order(self) -> dict[str, int]:
        return {links.article.id: n for n, links in enumerate(self.graph.articles)}

    @cached_property
    def _own(self) -> dict[tuple[str, str, str], list[ArticleLinks]]:
        """(language, "category" or "tag", slug) → its articles with their own version
        in that language, newest first."""
        index: dict[tuple[str, str, str], list[ArticleLinks]] = {}
        for links in self.graph.articles:
            article = links.article
            for slot in links.slots:
                if slot.state != SlotState.OWN:
                    continue
                index.setdefault((slot.lang, "category", article.category), []).append(links)
                for tag in article.tags:
                    index.setdefault((slot.lang, "tag", tag), []).append(links)
        return index

    def of(self, links: ArticleLinks, lang: str) -> list[tuple[ArticleLinks, Slot]]:
        """Up to :data:`RELATED` articles related to ``links`` in ``lang``."""
        article = links.article
        groups = [("category", article.category)] + [("tag", t) for t in article.tags]
        found: dict[str, ArticleLinks] = {}
        for kind, slug in groups:
            chosen = 0
            for other in self._own.get((lang, kind, slug), ()):
                if other.article.id == article.id:
                    continue
                found.setdefault(other.article.id, other)
                chosen += 1
                if chosen == RELATED:  # the newest few of each group are enough
                    break
        ordered = sorted(found.values(), key=lambda o: self._order[o.article.id])[:RELATED]
        return [(other, other.slot(lang)) for other in ordered]

    def categories(self, lang: str) -> tuple[Label, ...]:
        """The categories that have a page in ``lang``: those with an article shown in it."""
        return tuple(c for c in self.config.categories if self.graph.listed(lang, c.slug))
