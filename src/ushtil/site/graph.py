"""The language graph: which version of every article each language shows, and where.

The one place that decides it. The switcher, hreflang links, canonical URLs, lists and
every other output read a :class:`Graph`; none decides on its own.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from ushtil.project.model import Article, MissingPolicy, Site, SiteConfig, Version


class SlotState(enum.StrEnum):
    """What an article's page in one language shows (printed as its value). Not to be
    confused with :class:`~ushtil.project.model.MissingPolicy`, the setting that decides
    whether a language without its own version gets a ``FALLBACK`` page at all."""

    OWN = "own"  # the language's own version
    FALLBACK = "fallback"  # another language's version, with a notice
    ABSENT = "absent"  # not published in this language


class Urls:
    """Every URL of the site; internal ones carry the base URL's path prefix."""

    def __init__(self, config: SiteConfig) -> None:
        self.base_url = config.base_url
        self.prefix = urlsplit(config.base_url).path.rstrip("/")

    def home(self, lang: str, page: int = 1) -> str:
        return self.prefix + (f"/{lang}/" if page == 1 else f"/{lang}/page/{page}/")

    def category(self, lang: str, slug: str, page: int = 1) -> str:
        base = f"/{lang}/category/{slug}/"
        return self.prefix + (base if page == 1 else f"{base}page/{page}/")

    def article(self, lang: str, article_id: str) -> str:
        return f"{self.prefix}/{lang}/news/{article_id}/"

    def feed(self, lang: str) -> str:
        return f"{self.prefix}/{lang}/feed.xml"

    def not_found(self, lang: str) -> str:
        return f"{self.prefix}/{lang}/404.html"

    def root(self) -> str:
        return self.prefix + "/"

    def static(self, name: str) -> str:
        return f"{self.prefix}/static/{name}"

    def absolute(self, url: str) -> str:
        """An internal URL (which already has the prefix) made absolute."""
        return self.base_url[: len(self.base_url) - len(self.prefix)] + url

    def file_for(self, url: str) -> str:
        """The output file that serves ``url``."""
        path = url[len(self.prefix) :].lstrip("/")
        return path + "index.html" if path.endswith("/") or not path else path


@dataclass(frozen=True)
class Slot:
    """Article × language: what the page at ``url`` shows."""

    lang: str
    url: str
    state: SlotState
    version: Version | None  # the version shown, None when ABSENT

    @property
    def exists(self) -> bool:
        return self.version is not None


@dataclass(frozen=True)
class ArticleLinks:
    article: Article
    slots: tuple[Slot, ...]  # site language order
    default_lang: str

    def slot(self, lang: str) -> Slot:
        return self._by_lang[lang]

    @cached_property
    def _by_lang(self) -> dict[str, Slot]:
        return {s.lang: s for s in self.slots}

    @property
    def alternates(self) -> tuple[Slot, ...]:
        """Versions that exist in their own language: the hreflang set."""
        return tuple(s for s in self.slots if s.state == SlotState.OWN)

    @property
    def x_default(self) -> Slot | None:
        own = self.alternates
        if not own:
            return None
        return (
            next((s for s in own if s.lang == self.default_lang), None) or self.original or own[0]
        )

    @property
    def original(self) -> Slot | None:
        source = self.article.source
        if source is not None and not source.draft:
            slot = self.slot(source.lang)
            if slot.state == SlotState.OWN:
                return slot
        return None


@dataclass(frozen=True)
class Graph:
    urls: Urls
    articles: tuple[ArticleLinks, ...]  # newest first
    languages: tuple[str, ...]
    site_articles: tuple[Article, ...] = ()  # every article, published or not

    def links(self, article_id: str) -> ArticleLinks | None:
        return next((a for a in self.articles if a.article.id == article_id), None)

    def listed(
        self, lang: str, category: str | None = None
    ) -> tuple[tuple[ArticleLinks, Slot], ...]:
        """The articles a list page in ``lang`` shows, newest first."""
        memo = self._listed
        if (lang, category) not in memo:
            memo[(lang, category)] = tuple(
                (links, slot)
                for links in self.articles
                for slot in (links.slot(lang),)
                if slot.exists and (category is None or links.article.category == category)
            )
        return memo[(lang, category)]

    @cached_property
    def _listed(self) -> dict[tuple[str, str | None], tuple[tuple[ArticleLinks, Slot], ...]]:
        return {}  # (language, category) → what its list shows, filled as they are asked for


def is_published(article: Article, version: Version | None, now: dt.datetime) -> bool:
    return version is not None and not version.draft and article.published <= now


def build_graph(site: Site, now: dt.datetime) -> Graph:
    config = site.config
    urls = Urls(config)
    result: list[ArticleLinks] = []
    for article in site.articles:
        own = {v.lang: v for v in article.versions if is_published(article, v, now)}
        policy = article.missing or config.missing
        slots: list[Slot] = []
        for lang in config.codes:
            url = urls.article(lang, article.id)
            if lang in own:
                slots.append(Slot(lang, url, SlotState.OWN, own[lang]))
                continue
            shown = None
            if policy == MissingPolicy.FALLBACK:
                shown = next((own[c] for c in config.fallback_chain(lang) if c in own), None)
            state = SlotState.FALLBACK if shown else SlotState.ABSENT
            slots.append(Slot(lang, url, state, shown))
        result.append(ArticleLinks(article, tuple(slots), config.default_language))
    return Graph(urls, tuple(result), config.codes, site.articles)
