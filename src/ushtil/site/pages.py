"""The site's pages, kind by kind, as outputs for the :class:`~ushtil.engine.ledger.Ledger`.

Each planner says which pages of its kind exist, the parts of each page's key (the
digest of everything the page is made from, with the fingerprint of templates,
catalogues, ``site.toml`` and ushtil) and how to render one: articles, list pages
(home and categories), the language chooser, the feeds, the 404 pages, and the site-wide
sitemap and robots.txt. None of them decides whether a page is rendered; the ledger does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from functools import cached_property, partial

from ushtil.engine.cache import digest
from ushtil.engine.ledger import File, Output
from ushtil.project.freshness import Freshness, version_state
from ushtil.project.model import Language, SiteConfig
from ushtil.site.graph import ArticleLinks, Graph, Slot, SlotState, Urls
from ushtil.site.markdown import Bodies
from ushtil.site.media import Media
from ushtil.site.outputs import Indexed, robots_txt, sitemap_pages
from ushtil.site.related import Related
from ushtil.site.templating import Templates


@dataclass(frozen=True)
class SwitchItem:
    language: Language
    url: str | None  # None: no page in that language
    current: bool
    state: SlotState  # OWN for every page but an article's


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str


@dataclass(frozen=True)
class Outdated:
    """An outdated translation's source: its language and page (None if unpublished)."""

    lang: str
    url: str | None


@dataclass(frozen=True)
class PageInfo:
    """What base.html needs about the page being rendered."""

    lang: Language
    url: str
    canonical: str
    alternates: tuple[Alternate, ...]
    switcher: tuple[SwitchItem, ...]
    noindex: bool = False
    section: str = ""  # "home", a category slug, "status", or "" for articles
    lastmod: dt.datetime | None = None  # for the sitemap


@dataclass(frozen=True)
class Kit:
    """What every planner needs: the model, the language graph, the templates, the
    article bodies, and the fingerprint every key includes."""

    config: SiteConfig
    graph: Graph
    templates: Templates
    bodies: Bodies
    fingerprint: str
    media: Media = field(default_factory=Media)

    @property
    def urls(self) -> Urls:
        return self.graph.urls

    @cached_property
    def related(self) -> Related:
        return Related(self.graph, self.config)

    @cached_property
    def menus(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The categories each language's navigation shows: every page shows them."""
        return tuple(
            (lang, tuple(c.slug for c in self.related.categories(lang)))
            for lang in self.config.codes
        )

    def key(self, *parts: object) -> str:
        return digest(self.fingerprint, self.menus, *parts)

    def lead(self, links: ArticleLinks, slot: Slot) -> tuple[object, ...] | None:
        """What a page shows of an article's lead image in the slot's version (its key)."""
        picture = self.media.lead(links.article)
        if picture is None or slot.version is None:
            return None
        text = slot.version.image_text(picture.name)
        return picture.key, text.alt if text is not None else None

    def absolute(self, url: str) -> str:
        return self.urls.absolute(url)

    def page(
        self, lang: str, template: str, info: PageInfo, **context: object
    ) -> list[File] | None:
        """The page ``info`` describes, ``template`` rendered in ``lang``; indexable pages
        carry their sitemap entry (canonical URL, hreflang set, last change)."""
        content = self.templates.render(lang, template, page=info, **context)
        if content is None:
            return None
        entry = None
        if not info.noindex:
            alternates = tuple((a.hreflang, a.href) for a in info.alternates)
            entry = Indexed(info.canonical, alternates, info.lastmod).to_json()
        return [File(self.urls.file_for(info.url), content, entry)]


# --- articles -------------------------------------------------------------------------


def article_outputs(kit: Kit) -> list[Output]:
    """A page for every article in every language that shows a version of it (its own,
    or another language's as a fallback)."""
    return [
        Output(
            (kit.urls.file_for(slot.url),),
            article_key(kit, links, slot),
            partial(_article, kit, links, slot),
        )
        for lang in kit.config.codes
        for links in kit.graph.articles
        for slot in (links.slot(lang),)
        if slot.exists
    ]


def article_key(kit: Kit, links: ArticleLinks, slot: Slot) -> str:
    """The article's facts, every slot's state and version, and the version's freshness."""
    a = links.article
    assert slot.version is not None
    return kit.key(
        "article",
        slot.lang,
        a.id,
        a.published.isoformat(),
        a.category,
        a.tags,
        a.image,
        a.missing,
        [
            (
                s.lang,
                s.state,
                s.version.digest,
                s.version.body_hash,
                s.version.lang,
                s.version.draft,
                s.version.translated_from.lang if s.version.translated_from else None,
            )
            if s.version
            else (s.lang, s.state)
            for s in links.slots
        ],
        [(v.lang, v.digest, v.draft) for v in a.versions],
        version_state(a, slot.version),
        [p.key for p in kit.media.all(a)],
        [(t.name, t.alt, t.caption, t.credit) for t in slot.version.images],
        [
            (o.article.id, s.url, s.version.title if s.version else None, o.article.published)
            for o, s in kit.related.of(links, slot.lang)
        ],
    )


def _article(kit: Kit, links: ArticleLinks, slot: Slot) -> list[File] | None:
    assert slot.version is not None
    config, version = kit.config, slot.version
    fallback = slot.state == SlotState.FALLBACK
    original = links.slot(version.lang) if fallback else slot
    alternates = tuple(Alternate(s.lang, kit.absolute(s.url)) for s in links.alternates)
    if alternates and links.x_default is not None:
        alternates += (Alternate("x-default", kit.absolute(links.x_default.url)),)
    switcher = tuple(
        SwitchItem(
            config.language(s.lang), s.url if s.exists else None, s.lang == slot.lang, s.state
        )
        for s in links.slots
    )
    info = PageInfo(
        lang=config.language(slot.lang),
        url=slot.url,
        canonical=kit.absolute(original.url),
        alternates=alternates if not fallback else (),
        switcher=switcher,
        noindex=fallback,
        lastmod=links.article.published,
    )
    outdated = None
    state = version_state(links.article, version)
    if state == Freshness.OUTDATED and version.translated_from is not None:
        source = links.slot(version.translated_from.lang)
        outdated = Outdated(source.lang, source.url if source.state == SlotState.OWN else None)
    tags = [config.tag(t) for t in links.article.tags]
    return kit.page(
        slot.lang,
        "article.html",
        info,
        article=links.article,
        version=version,
        fallback=fallback,
        outdated=outdated,
        body=kit.bodies.html(version),
        category=config.category(links.article.category),
        tags=[t for t in tags if t is not None],
        lead=kit.media.lead(links.article),
        gallery=kit.media.gallery(links.article),
        related=kit.related.of(links, slot.lang),
        media=kit.media,
    )


# --- lists: the home page and the categories, page by page ----------------------------


def list_outputs(kit: Kit, lang: str, category: str | None) -> list[Output]:
    """The pages of the list of articles in ``lang`` (of one ``category``, or all); a
    category without an article in ``lang`` has no page in it."""
    items = kit.graph.listed(lang, category)
    if category is not None and not items:
        return []
    per = kit.config.per_page
    pages = _page_count(kit, lang, category)
    counts = sorted((c, _page_count(kit, c, category)) for c in kit.config.codes)
    outputs = []
    for number in range(1, pages + 1):
        chunk = items[(number - 1) * per : number * per]
        key = kit.key(
            "list",
            lang,
            category,
            number,
            pages,
            counts,
            len(items),
            [
                (
                    links.article.id,
                    s.url,
                    s.state,
                    s.version.digest if s.version else None,
                    s.version.lang if s.version else None,
                    links.article.published.isoformat(),
                    links.article.category,
                    kit.lead(links, s),
                )
                for links, s in chunk
            ],
        )
        path = kit.urls.file_for(_list_url(kit, lang, category, number))
        outputs.append(Output((path,), key, partial(_list, kit, lang, category, number)))
    return outputs


def _listed(kit: Kit, lang: str, category: str | None) -> bool:
    """Whether the list has a page in ``lang`` (the home page always has)."""
    return category is None or bool(kit.graph.listed(lang, category))


def _page_count(kit: Kit, lang: str, category: str | None) -> int:
    return max(1, math.ceil(len(kit.graph.listed(lang, category)) / kit.config.per_page))


def _list_url(kit: Kit, lang: str, category: str | None, number: int) -> str:
    if category is None:
        return kit.urls.home(lang, number)
    return kit.urls.category(lang, category, number)


def _list(kit: Kit, lang: str, category: str | None, number: int) -> list[File] | None:
    config = kit.config
    items = kit.graph.listed(lang, category)
    per = config.per_page
    pages = _page_count(kit, lang, category)
    counts = {c: _page_count(kit, c, category) for c in config.codes}
    url = _list_url(kit, lang, category, number)
    switcher = tuple(
        SwitchItem(
            other,
            _list_url(kit, other.code, category, min(number, counts[other.code]))
            if _listed(kit, other.code, category)
            else None,
            other.code == lang,
            SlotState.OWN,
        )
        for other in config.languages
    )
    alternates = tuple(
        Alternate(other.code, kit.absolute(_list_url(kit, other.code, category, number)))
        for other in config.languages
        if number <= counts[other.code] and _listed(kit, other.code, category)
    )
    if category is None and number == 1:
        alternates += (Alternate("x-default", kit.absolute(kit.urls.root())),)
    chunk = items[(number - 1) * per : number * per]
    info = PageInfo(
        lang=config.language(lang),
        url=url,
        canonical=kit.absolute(url),
        alternates=alternates,
        switcher=switcher,
        section=category or "home",
        lastmod=max((links.article.published for links, _ in chunk), default=None),
    )
    return kit.page(
        lang,
        "list.html",
        info,
        items=chunk,
        total=len(items),
        number=number,
        pages=pages,
        category=config.category(category) if category else None,
        prev_url=_list_url(kit, lang, category, number - 1) if number > 1 else None,
        next_url=_list_url(kit, lang, category, number + 1) if number < pages else None,
        media=kit.media,
    )


# --- the chooser, the 404 pages (the feeds are in site/feeds.py) -------------------------


def chooser_output(kit: Kit) -> Output:
    """``/``: the language chooser."""
    newest = max((links.article.published for links in kit.graph.articles), default=None)
    key = kit.key("chooser", newest.isoformat() if newest else None)
    return Output((kit.urls.file_for(kit.urls.root()),), key, partial(_chooser, kit, newest))


def _chooser(kit: Kit, newest: dt.datetime | None) -> list[File] | None:
    config, urls = kit.config, kit.urls
    default = config.default_language
    choices = [(lang, urls.home(lang.code)) for lang in config.languages]
    info = PageInfo(
        lang=config.language(default),
        url=urls.root(),
        canonical=kit.absolute(urls.root()),
        alternates=tuple(
            Alternate(lang.code, kit.absolute(urls.home(lang.code))) for lang in config.languages
        )
        + (Alternate("x-default", kit.absolute(urls.root())),),
        switcher=(),
        lastmod=newest,
    )
    return kit.page(
        default, "chooser.html", info, choices=choices, in_language=kit.templates.in_language
    )


def not_found_outputs(kit: Kit) -> list[Output]:
    """``/{lang}/404.html`` in each language, and ``/404.html`` in the default one."""
    targets = [(lang.code, kit.urls.not_found(lang.code)) for lang in kit.config.languages]
    targets.append((kit.config.default_language, f"{kit.urls.prefix}/404.html"))
    return [
        Output((kit.urls.file_for(url),), kit.key("404", code), partial(_not_found, kit, code, url))
        for code, url in targets
    ]


def _not_found(kit: Kit, code: str, url: str) -> list[File] | None:
    info = PageInfo(
        lang=kit.config.language(code),
        url=url,
        canonical="",
        alternates=(),
        switcher=tuple(
            SwitchItem(other, kit.urls.home(other.code), False, SlotState.OWN)
            for other in kit.config.languages
        ),
        noindex=True,
    )
    return kit.page(code, "404.html", info)


# --- site-wide files --------------------------------------------------------------------


def is_sitemap(path: str) -> bool:
    return path == "sitemap.xml" or path.startswith("sitemap-")


def sitemap_output(kit: Kit, indexed: list[Indexed], previous: tuple[str, ...]) -> Output:
    """``sitemap.xml`` (with ``sitemap-N.xml`` past the protocol's limits) listing the
    ``indexed`` pages; ``previous``: the sitemap files of the last build."""
    h = hashlib.blake2b(kit.fingerprint.encode(), digest_size=16)
    for item in indexed:  # hashed entry by entry: there may be very many
        h.update(f"{item.loc}\0{item.lastmod}\0{item.alternates}\n".encode())
    return Output(previous, h.hexdigest(), partial(_sitemap, kit, indexed))


def _sitemap(kit: Kit, indexed: list[Indexed]) -> list[File]:
    made = sitemap_pages(indexed, kit.config.base_url, kit.urls.prefix)
    return [File(page.path, page.content) for page in made]


def robots_output(kit: Kit) -> Output:
    page = robots_txt(kit.config.base_url, kit.urls.prefix)
    key = kit.key("robots", kit.config.base_url, kit.urls.prefix)
    return Output((page.path,), key, lambda: [File(page.path, page.content)])
