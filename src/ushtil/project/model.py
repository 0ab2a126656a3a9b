"""The data model every stage shares: frozen values, no behaviour beyond lookups.

``project.config`` and ``project.articles`` produce these; the language graph, the
checks across files, ``project.freshness`` and the site's renderer read them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ushtil.project.problems import Location


class MissingPolicy(enum.StrEnum):
    """``missing`` in ``site.toml`` or ``article.toml``: what a language without its own
    version of an article gets (printed as its value)."""

    HIDE = "hide"  # no page; the switcher greys the language out
    FALLBACK = "fallback"  # a page showing another language's version, with a notice


MISSING_POLICIES = tuple(MissingPolicy)


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1: kk, ru, en
    name: str  # native name shown in the switcher: Қазақша, Русский, English
    locale: str  # Babel / Open Graph locale: kk_KZ, ru_RU, en_US


@dataclass(frozen=True)
class Label:
    """A slug with the English msgid that gettext translates (a category or a tag)."""

    slug: str
    msgid: str


@dataclass(frozen=True)
class Contacts:
    """The footer's contact block: ``[contacts]`` in ``site.toml``. The address is an
    English msgid (context ``contact``) translated like the labels; phone and e-mail are
    shown as written."""

    address: str | None = None
    phone: str | None = None
    email: str | None = None


DEFAULT_ACCENT = "#00629b"


@dataclass(frozen=True)
class Identity:
    """How the site presents itself: ``emblem`` (a file in ``static/``), ``accent``
    (``#rrggbb``, already dark enough for text on the page's light surfaces) and the
    footer's contacts."""

    emblem: str | None = None
    accent: str = DEFAULT_ACCENT
    contacts: Contacts = Contacts()


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    base_url: str  # no trailing slash
    name: str  # the site's name: an English msgid, translated like the labels
    time_zone: str
    languages: tuple[Language, ...]
    default_language: str
    missing: MissingPolicy
    per_page: int
    feed_size: int
    required: tuple[str, ...]
    fallback: tuple[tuple[str, tuple[str, ...]], ...]  # language -> chain of other languages
    categories: tuple[Label, ...]
    tags: tuple[Label, ...]
    raw_html: bool = False
    identity: Identity = Identity()
    search: bool = True  # [search] enabled: a search page and index in every language

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)

    def fallback_chain(self, code: str) -> tuple[str, ...]:
        """Other languages to try, in order, when ``code`` lacks something."""
        for lang, chain in self.fallback:
            if lang == code:
                return chain
        return tuple(c for c in self.codes if c != code)

    def category(self, slug: str) -> Label | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def tag(self, slug: str) -> Label | None:
        return next((t for t in self.tags if t.slug == slug), None)


@dataclass(frozen=True)
class Provenance:
    """What a translated version was made from: the source language and the digest of
    the source's text when the translation was last brought up to date; ``own_digest``
    is the translation's own text at that moment, so that restamping a version whose
    text has not changed since can be refused."""

    lang: str
    digest: str
    own_digest: str | None = None


@dataclass(frozen=True)
class ImageText:
    """What a version says about one of the article's images, in its language:
    ``[images."lead.jpg"]`` in the front matter (``line``: where that table starts)."""

    name: str  # the file, as article.toml names it
    alt: str  # the text alternative; "" when not given
    caption: str = ""
    credit: str = ""
    line: int = 1


@dataclass(frozen=True)
class Version:
    article_id: str
    lang: str
    title: str
    summary: str
    body: str  # Markdown
    location: Location  # the file; line 1
    body_line: int  # line of the file where the body starts
    digest: str  # digest of this version's own text
    translated_from: Provenance | None = None
    draft: bool = False
    body_elided: bool = False  # remembered without its body (the build cache): read the file for it
    body_hash: str = ""  # of the exact body text (the digest ignores what Markdown may not)
    images: tuple[ImageText, ...] = ()  # the front matter's [images."<file>"] tables

    def image_text(self, name: str) -> ImageText | None:
        return next((t for t in self.images if t.name == name), None)


class Facts(NamedTuple):
    """What ``article.toml`` says: the facts every language version shares."""

    published: dt.datetime
    category: str
    tags: tuple[str, ...]
    image: str | None
    missing: MissingPolicy | None
    gallery: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    id: str
    published: dt.datetime  # aware
    category: str
    location: Location  # article.toml
    versions: tuple[Version, ...]  # in site language order
    tags: tuple[str, ...] = ()
    image: str | None = None
    missing: MissingPolicy | None = None  # per-article override of the site policy
    gallery: tuple[str, ...] = ()  # more images, shown after the body, in this order

    @property
    def pictures(self) -> tuple[str, ...]:
        """Every image of the article: the lead image first, then the gallery."""
        return ((self.image,) if self.image else ()) + self.gallery

    def version(self, lang: str) -> Version | None:
        return next((v for v in self.versions if v.lang == lang), None)

    @property
    def source(self) -> Version | None:
        """The original: the version that was not translated from another."""
        return next((v for v in self.versions if v.translated_from is None), None)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    articles: tuple[Article, ...]  # newest first, then by id

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)


@dataclass(frozen=True)
class Page:
    """One output file: its path inside the output folder (POSIX) and its bytes, or the
    file that already holds them (``source``: the previous output's copy, or a file of
    the project such as an article's image)."""

    path: str
    content: bytes = field(repr=False, default=b"")
    source: str | None = None
