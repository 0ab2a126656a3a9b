"""Stage four: the model and the language graph → :class:`Page` values.

One Jinja2 environment per language (i18n extension with new-style gettext, autoescape,
StrictUndefined); Babel formats dates in the page's language and the site's time zone.
Template mistakes become diagnostics naming the template file and line. Pages whose
inputs did not change are taken over from the previous output; in a build that renders
everything, pages go straight into the staging folder (a :class:`~ushtil.site.write.Spool`)
rather than staying in memory; nothing reaches the published folder from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import multiprocessing
import os
import signal
import stat
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

import jinja2
import nh3
from babel import Locale
from babel.dates import format_date, format_time
from jinja2 import pass_context
from jinja2.runtime import Context
from markdown_it import MarkdownIt
from markupsafe import Markup

from ushtil.project import private
from ushtil.interface.catalogs import Catalog, Translator, translator
from ushtil.project.articles import read_version
from ushtil.project.problems import Diagnostic, Location, error, warning
from ushtil.site.graph import ArticleLinks, Graph, Slot, SlotState
from ushtil.project.model import Language, Page, Site, SiteConfig, Version
from ushtil.site.outputs import FeedEntry, Indexed, atom_feed, robots_txt, sitemap_pages
from ushtil.site.cache import BuildCache, digest
from ushtil.project.freshness import OUTDATED, STATES, Status, version_state
from ushtil.site.write import Spool
from ushtil.project import layout



def markdown_renderer(raw_html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable("table")
    return md


# What trusted raw HTML in a body may keep: document structure and media, never scripts,
# styles, forms, frames, event handlers or javascript: URLs.
SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "u", "ul", "var", "audio", "video", "source", "track", "picture",
}
SAFE_ATTRIBUTES = {
    "*": {"lang", "dir", "title", "id", "class"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "track": {"src", "kind", "srclang", "label"},
    "audio": {"src", "controls"},
    "video": {"src", "controls", "poster", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
SAFE_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise(html: str) -> str:
    """Trusted raw HTML, with whatever could run or restyle the page removed (nh3/ammonia)."""
    return nh3.clean(
        html,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes=SAFE_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@dataclass(frozen=True)
class SwitchItem:
    language: Language
    url: str | None  # None: no page in that language
    current: bool
    state: SlotState  # OWN for list pages


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
    section: str = ""  # "home", a category slug, or "" for articles
    lastmod: dt.datetime | None = None  # for the sitemap


class TemplateProblems:
    """Collects template errors once per template line, not once per page."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen: dict[tuple[str, int | None, str], Diagnostic] = {}

    def add(self, exc: Exception, template: str) -> None:
        path, line = _template_location(exc, self.root, template)
        if isinstance(exc, RecursionError):
            path, line = _recursion_location(exc, self.root) or (path, line)
            message = "template recursion: it includes, extends or calls itself without end"
        elif isinstance(exc, jinja2.TemplateSyntaxError):
            message = f"template syntax error: {exc.message}"
        elif isinstance(exc, jinja2.UndefinedError):
            message = f"template refers to something undefined: {exc.message}"
        elif isinstance(exc, jinja2.TemplateNotFound):
            message = f"template not found: {exc.name}"
        else:
            message = f"template failed: {type(exc).__name__}: {exc}"
        key = (path, line, message)
        self.seen.setdefault(key, error(Location(path, line), "template", message))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self.seen.values())


def _template_location(exc: Exception, root: Path, template: str) -> tuple[str, int | None]:
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return _shown(exc.filename, root), exc.lineno
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"{layout.TEMPLATES}/{template}", None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".html") or f"/{layout.TEMPLATES}/" in frame.filename:
            return _shown(frame.filename, root), frame.lineno
    return f"{layout.TEMPLATES}/{template}", None


def _recursion_location(exc: RecursionError, root: Path) -> tuple[str, int | None] | None:
    """Where a template starts to repeat itself: the template line just before the
    outermost template frame that the traceback enters a second time."""
    frames = [
        (frame.filename, frame.lineno, frame.name)  # name: top level, a block or a macro
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.endswith(".html") or f"/{layout.TEMPLATES}/" in frame.filename
    ]
    seen: set[tuple[str, int | None, str]] = set()
    for index, frame in enumerate(frames):
        if frame in seen:
            filename, line, _ = frames[index - 1]
            return _shown(filename, root), line
        seen.add(frame)
    return None


def _shown(filename: str, root: Path) -> str:
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return filename


class Formatting:
    """Percent-formatting of translated strings that never crashes a build.

    ``text`` is HTML (what :class:`~ushtil.interface.catalogs.Translator` returns: a translation
    whose markup is its msgid's, or plain text escaped), so it is formatted as
    :class:`Markup`, which escapes every value put into it.
    """

    def __init__(self) -> None:
        self.problems: dict[str, Diagnostic] = {}

    def apply(self, ctx: Context, text: Markup, source: str, variables: dict[str, Any]) -> str:
        value: Any = text if ctx.eval_ctx.autoescape else str(text)
        try:
            return value % variables  # type: ignore[no-any-return]
        except (KeyError, ValueError, TypeError) as exc:
            self.problems.setdefault(
                source,
                warning(
                    Location(ctx.name or layout.TEMPLATES),
                    "format",
                    f"interface string {source!r} cannot be formatted ({exc}); shown as written",
                ),
            )
            return value  # type: ignore[no-any-return]


def gettext_callables(t: Translator, fmt: Formatting) -> dict[str, Callable[..., str]]:
    @pass_context
    def gettext(ctx: Context, msgid: str, **variables: Any) -> str:
        return fmt.apply(ctx, t.gettext(msgid), msgid, variables)

    @pass_context
    def ngettext(ctx: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return fmt.apply(ctx, t.ngettext(singular, plural, num), singular, variables)

    @pass_context
    def pgettext(ctx: Context, context: str, msgid: str, **variables: Any) -> str:
        variables.setdefault("context", context)
        return fmt.apply(ctx, t.pgettext(context, msgid), msgid, variables)

    @pass_context
    def npgettext(ctx: Context, context: str, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        return fmt.apply(ctx, t.npgettext(context, singular, plural, num), singular, variables)

    return {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}


def _bytecode_cache(root: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates are code: they are kept only in the user's own folder
    (:mod:`ushtil.project.private`), never in the project, one subfolder per project."""
    home = private.folder(root)
    if home is None:
        return None  # templates are compiled every time instead
    folder = home / "jinja" / hashlib.blake2b(os.fsencode(os.path.realpath(root)), digest_size=8).hexdigest()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(
    config: SiteConfig, lang: Language, t: Translator, fmt: Formatting, bytecode: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=bytecode,
        loader=jinja2.FileSystemLoader(str(config.root / layout.TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext_callables(t, fmt))
    env.globals["N_"] = lambda msgid: msgid  # marks a string for extraction only
    # site.toml labels are plain text: autoescape escapes them like any other data
    env.globals["label"] = lambda kind, value: t.label(kind, value.msgid)
    env.globals["site_name"] = t.label(None, config.name)
    zone = ZoneInfo(config.time_zone)
    locale = Locale.parse(lang.locale)

    def local(value: dt.datetime) -> dt.datetime:
        return value.astimezone(zone)

    env.filters["date"] = lambda value, form="long": format_date(local(value), form, locale=locale)
    env.filters["time"] = lambda value, form="short": format_time(local(value), form, locale=locale)
    env.filters["isoformat"] = lambda value: local(value).isoformat()
    env.filters["language_name"] = lambda code: locale.languages.get(code, code)
    return env


class Renderer:
    def __init__(
        self,
        site: Site,
        graph: Graph,
        catalogs: dict[str, Catalog],
        cache: BuildCache | None = None,
        previous_out: Path | None = None,
        fingerprint: str = "",
        progress: Callable[[int, int], None] | None = None,
        spool: Spool | None = None,
    ) -> None:
        self.site = site
        self.config = site.config
        self.graph = graph
        self.urls = graph.urls
        self.problems = TemplateProblems(self.config.root)
        self.endless: set[str] = set()  # templates that recursed without end
        self.fmt = Formatting()
        self.translators = {c: translator(self.config, catalogs, c) for c in self.config.codes}
        bytecode = _bytecode_cache(self.config.root) if cache is not None else None
        self.envs = {
            lang.code: make_environment(self.config, lang, self.translators[lang.code], self.fmt, bytecode)
            for lang in self.config.languages
        }
        self.md = markdown_renderer(self.config.raw_html)
        self._html: dict[tuple[str, str], Markup] = {}
        self.indexed: list[Indexed] = []  # every page search engines may index, for the sitemap
        self.cache = cache
        self.fingerprint = fingerprint
        self.previous_out = previous_out  # the output of the last build, when its cache is valid
        self.previous_root = os.fspath(previous_out) if previous_out is not None else ""
        self.previous = cache.state.outputs if cache is not None and previous_out is not None else {}
        self.outputs: dict[str, tuple[str, Indexed | None]] = {}  # path → (key, sitemap entry)
        self.new_bodies: dict[str, str] = {}
        self.progress = progress
        self.spool = spool  # rendered pages go there at once instead of staying in memory

    # --- pieces -----------------------------------------------------------------

    def body_html(self, version: Version) -> Markup:
        key = (version.article_id, version.lang)
        if key not in self._html:
            cache_key = digest("body", version.body_hash, self.config.raw_html)
            html = self.cache.body(cache_key) if self.cache is not None else None
            if html is None:
                html = self.md.render(self.body_text(version))
                html = sanitise(html) if self.config.raw_html else html
                self.new_bodies[cache_key] = html
                if self.cache is not None:
                    self.cache.remember_body(cache_key, html)
            self._html[key] = Markup(html)
        return self._html[key]

    def body_text(self, version: Version) -> str:
        """The Markdown of a version; one remembered without it is read again."""
        if not version.body_elided:
            return version.body
        problems: list[Diagnostic] = []
        again = read_version(
            self.config.root / version.location.path, version.location.path, version.article_id, version.lang,
            self.config, problems,
        )
        if again is None or again.body_hash != version.body_hash:
            raise RuntimeError(f"{version.location.path} changed while the site was being built")
        return again.body

    def body_keys(self) -> set[str]:
        """The cache keys of every current version's body, to keep in the cache."""
        return {digest("body", v.body_hash, self.config.raw_html) for a in self.site.articles for v in a.versions}

    def reuse(self, url_or_path: str, key: str, *, is_path: bool = False) -> Page | None:
        """The previous build's file for this output, if everything it was made from is
        unchanged (same key) and the file is still there."""
        path = url_or_path if is_path else self.urls.file_for(url_or_path)
        found = self.previous.get(path)
        if found is None or found[0] != key or self.previous_out is None:
            return None
        old = os.path.join(self.previous_root, path)
        if not os.path.isfile(old):
            return None
        self.outputs[path] = found
        if found[1] is not None:
            self.indexed.append(found[1])
        return Page(path, source=old)

    def key(self, *parts: object) -> str:
        return digest(self.fingerprint, *parts)

    def _render(self, lang: str, template: str, **context: Any) -> bytes | None:
        if template in self.endless:
            return None  # reported once: finding it again for every page takes seconds each
        try:
            tpl = self.envs[lang].get_template(template)
            return tpl.render(urls=self.urls, config=self.config, **context).encode("utf-8")
        except jinja2.TemplateError as exc:
            self.problems.add(exc, template)
        except RecursionError as exc:
            self.endless.add(template)
            self.problems.add(exc, template)
        except (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError) as exc:
            self.problems.add(exc, template)
        return None

    def _page(self, url: str, content: bytes | None, info: PageInfo | None = None, key: str = "") -> Page | None:
        if content is None:
            return None
        entry = None
        if info is not None and not info.noindex:
            entry = Indexed(info.canonical, tuple((a.hreflang, a.href) for a in info.alternates), info.lastmod)
            self.indexed.append(entry)
        path = self.urls.file_for(url)
        self.outputs[path] = (key, entry)
        if self.spool is not None:
            return Page(path, source=self.spool.write(path, content))
        return Page(path, content)

    def text(self, lang: str, msgid: str) -> str:
        """An interface string as plain text (gettext gives HTML), for the feed."""
        return self.translators[lang].gettext(msgid).unescape()

    def _abs(self, url: str) -> str:
        return self.urls.absolute(url)

    # --- pages ------------------------------------------------------------------

    def article_key(self, links: ArticleLinks, slot: Slot) -> str:
        a = links.article
        assert slot.version is not None
        return self.key(
            "article", slot.lang, a.id, a.published.isoformat(), a.category, a.tags, a.image, a.missing,
            [
                (s.lang, s.state, s.version.digest, s.version.body_hash, s.version.lang, s.version.draft,
                 s.version.translated_from.lang if s.version.translated_from else None)
                if s.version else (s.lang, s.state)
                for s in links.slots
            ],
            [(v.lang, v.digest, v.draft) for v in a.versions],
            version_state(a, slot.version),
        )

    def article_page(self, links: ArticleLinks, slot: Slot) -> Page | None:
        key = self.article_key(links, slot)
        return self.reuse(slot.url, key) or self._render_article(links, slot, key)

    def _render_article(self, links: ArticleLinks, slot: Slot, key: str) -> Page | None:
        assert slot.version is not None
        lang = self.config.language(slot.lang)
        version = slot.version
        fallback = slot.state == SlotState.FALLBACK
        original = links.slot(version.lang) if fallback else slot
        alternates = tuple(Alternate(s.lang, self._abs(s.url)) for s in links.alternates)
        if alternates and links.x_default is not None:
            alternates += (Alternate("x-default", self._abs(links.x_default.url)),)
        switcher = tuple(
            SwitchItem(self.config.language(s.lang), s.url if s.exists else None, s.lang == slot.lang, s.state)
            for s in links.slots
        )
        info = PageInfo(
            lang=lang,
            url=slot.url,
            canonical=self._abs(original.url),
            alternates=alternates if not fallback else (),
            switcher=switcher,
            noindex=fallback,
            lastmod=links.article.published,
        )
        category = self.config.category(links.article.category)
        tags = [self.config.tag(t) for t in links.article.tags]
        outdated = None
        if version_state(links.article, version) == OUTDATED and version.translated_from is not None:
            source = links.slot(version.translated_from.lang)
            outdated = Outdated(source.lang, source.url if source.state == SlotState.OWN else None)
        content = self._render(
            slot.lang,
            "article.html",
            page=info,
            article=links.article,
            version=version,
            fallback=fallback,
            outdated=outdated,
            body=self.body_html(version),
            category=category,
            tags=[t for t in tags if t is not None],
        )
        return self._page(slot.url, content, info, key)

    def list_pages(self, lang_code: str, category: str | None) -> list[Page]:
        lang = self.config.language(lang_code)
        items = self.graph.listed(lang_code, category)
        per = self.config.per_page
        pages = max(1, math.ceil(len(items) / per))
        counts = {c: max(1, math.ceil(len(self.graph.listed(c, category)) / per)) for c in self.config.codes}
        result: list[Page] = []
        for number in range(1, pages + 1):
            url = self._list_url(lang_code, category, number)
            switcher = tuple(
                SwitchItem(
                    other,
                    self._list_url(other.code, category, min(number, counts[other.code])),
                    other.code == lang_code,
                    SlotState.OWN,
                )
                for other in self.config.languages
            )
            alternates = tuple(
                Alternate(other.code, self._abs(self._list_url(other.code, category, number)))
                for other in self.config.languages
                if number <= counts[other.code]
            )
            if category is None and number == 1:
                alternates += (Alternate("x-default", self._abs(self.urls.root())),)
            chunk = items[(number - 1) * per : number * per]
            key = self.key(
                "list", lang_code, category, number, pages, sorted(counts.items()), len(items),
                [(links.article.id, s.url, s.state, s.version.digest if s.version else None,
                  s.version.lang if s.version else None, links.article.published.isoformat()) for links, s in chunk],
            )
            reused = self.reuse(url, key)
            if reused is not None:
                result.append(reused)
                continue
            info = PageInfo(
                lang=lang,
                url=url,
                canonical=self._abs(url),
                alternates=alternates,
                switcher=switcher,
                section=category or "home",
                lastmod=max((links.article.published for links, _ in chunk), default=None),
            )
            content = self._render(
                lang_code,
                "list.html",
                page=info,
                items=chunk,
                total=len(items),
                number=number,
                pages=pages,
                category=self.config.category(category) if category else None,
                prev_url=self._list_url(lang_code, category, number - 1) if number > 1 else None,
                next_url=self._list_url(lang_code, category, number + 1) if number < pages else None,
            )
            page = self._page(url, content, info, key)
            if page is not None:
                result.append(page)
        return result

    def _list_url(self, lang: str, category: str | None, number: int) -> str:
        if category is None:
            return self.urls.home(lang, number)
        return self.urls.category(lang, category, number)

    def chooser_page(self) -> Page | None:
        newest = max((links.article.published for links in self.graph.articles), default=None)
        key = self.key("chooser", newest.isoformat() if newest else None)
        reused = self.reuse(self.urls.root(), key)
        if reused is not None:
            return reused
        default = self.config.default_language
        choices = [(lang, self.urls.home(lang.code)) for lang in self.config.languages]
        info = PageInfo(
            lang=self.config.language(default),
            url=self.urls.root(),
            canonical=self._abs(self.urls.root()),
            alternates=tuple(Alternate(l.code, self._abs(self.urls.home(l.code))) for l in self.config.languages)
            + (Alternate("x-default", self._abs(self.urls.root())),),
            switcher=(),
            lastmod=max((links.article.published for links in self.graph.articles), default=None),
        )
        return self._page(
            self.urls.root(),
            self._render(default, "chooser.html", page=info, choices=choices, in_language=self.in_language),
            info,
            key,
        )

    def feed_page(self, lang: str) -> Page:
        """``/{lang}/feed.xml``: the latest articles that exist in ``lang`` itself."""
        own = [(links, slot) for links, slot in self.graph.listed(lang) if slot.state == SlotState.OWN]
        latest = own[: self.config.feed_size]
        path = self.urls.file_for(self.urls.feed(lang))
        key = self.key("feed", lang, [(links.article.id, slot.version.body_hash if slot.version else None,
                                       slot.version.digest if slot.version else None,
                                       links.article.published.isoformat()) for links, slot in latest])
        reused = self.reuse(path, key, is_path=True)
        if reused is not None:
            return reused
        entries = [
            FeedEntry(
                url=self._abs(slot.url),
                lang=lang,
                article_id=links.article.id,
                title=slot.version.title,
                summary=slot.version.summary,
                content_html=str(self.body_html(slot.version)),
                published=links.article.published.astimezone(ZoneInfo(self.config.time_zone)),
            )
            for links, slot in latest
            if slot.version is not None
        ]
        site_name = self.translators[lang].label(None, self.config.name)
        content = atom_feed(
            lang=lang,
            title=f"{site_name}: {self.text(lang, 'News')}",
            author=site_name,
            feed_url=self._abs(self.urls.feed(lang)),
            home_url=self._abs(self.urls.home(lang)),
            base_url=self.config.base_url,
            entries=entries,
        )
        self.outputs[path] = (key, None)
        return Page(path, content)

    def not_found_pages(self) -> list[Page]:
        """``/{lang}/404.html`` in each language, and ``/404.html`` in the default one."""
        result = []
        targets = [(lang.code, self.urls.not_found(lang.code)) for lang in self.config.languages]
        targets.append((self.config.default_language, f"{self.urls.prefix}/404.html"))
        for code, url in targets:
            key = self.key("404", code)
            reused = self.reuse(url, key)
            if reused is not None:
                result.append(reused)
                continue
            info = PageInfo(
                lang=self.config.language(code),
                url=url,
                canonical="",
                alternates=(),
                switcher=tuple(
                    SwitchItem(other, self.urls.home(other.code), False, SlotState.OWN)
                    for other in self.config.languages
                ),
                noindex=True,
            )
            page = self._page(url, self._render(code, "404.html", page=info), key=key)
            if page is not None:
                result.append(page)
        return result

    def in_language(self, code: str, msgid: str) -> Markup:
        """``msgid`` translated into ``code``, whatever the page's language (the chooser)."""
        return self.translators[code].gettext(msgid)

    def status_pages(self, status: Status) -> list[Page]:
        """The editors' dashboard: ``_status/{lang}/`` in each language, and ``_status/``
        (the same page as the default language's)."""
        result: list[Page] = []
        urls = {lang.code: f"{self.urls.prefix}/_status/{lang.code}/" for lang in self.config.languages}
        coverage = status.coverage()
        links = {links.article.id: links for links in self.graph.articles}
        key = self.key(
            "status",
            [(row.article.id, row.article.published.isoformat(), row.article.source.title if row.article.source else None,
              [(c.lang, c.state, c.translated_from, c.source_changed.isoformat() if c.source_changed else None) for c in row.cells],
              [(s.lang, s.state) for s in links[row.article.id].slots]) for row in status.rows],
        )
        for code, url in urls.items():
            reused = [self.reuse(url, f"{key}/{code}")]
            if code == self.config.default_language:
                reused.append(self.reuse(f"{self.urls.prefix}/_status/", f"{key}/{code}"))
            if all(reused):
                result.extend(p for p in reused if p is not None)
                continue
            info = PageInfo(
                lang=self.config.language(code),
                url=url,
                canonical=self._abs(url),
                alternates=(),
                switcher=tuple(
                    SwitchItem(other, urls[other.code], other.code == code, SlotState.OWN) for other in self.config.languages
                ),
                noindex=True,
                section="status",
            )
            rows = self.status_rows(code, status, links)
            if rows is None:
                continue
            content = self._render(
                code, "status.html", page=info, status=status, coverage=coverage, states=STATES, links=links, rows=rows
            )
            page = self._page(url, content, key=f"{key}/{code}")
            if page is not None:
                result.append(page)
                if code == self.config.default_language:
                    index = self.urls.file_for(f"{self.urls.prefix}/_status/")
                    self.outputs[index] = (f"{key}/{code}", None)
                    assert content is not None
                    result.append(
                        Page(index, source=self.spool.write(index, content)) if self.spool else Page(index, content)
                    )
        return result

    def status_rows(self, code: str, status: Status, links: dict[str, ArticleLinks]) -> list[Markup] | None:
        """The dashboard's rows in ``code``: each rendered by the ``status_row`` macro of
        _status_row.html, or remembered from the last build while its data is unchanged."""
        try:
            module = self.envs[code].get_template("_status_row.html").make_module(
                {"urls": self.urls, "config": self.config, "links": links}
            )
            macro = module.status_row  # type: ignore[attr-defined]
        except (jinja2.TemplateError, RecursionError) as exc:
            self.problems.add(exc, "status.html")
            return None
        except AttributeError:
            macro = None
        remembered = self.cache.rows if self.cache is not None else {}
        result = []
        for row in status.rows:
            article_links = links[row.article.id]
            key = self.key(
                "status-row", code, row.article.id, row.article.published.isoformat(),
                (row.article.source.lang, row.article.source.title) if row.article.source else None,
                [(c.lang, c.state, c.translated_from, c.source_changed.isoformat() if c.source_changed else None) for c in row.cells],
                [(s.lang, s.state, s.url) for s in article_links.slots],
            )
            html = remembered.get(key)
            if html is None and macro is not None:
                try:
                    html = str(macro(row, article_links))
                except (
                    jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError,
                    RecursionError,
                ) as exc:
                    self.problems.add(exc, "status.html")
                    return None
                if self.cache is not None:
                    self.cache.remember_row(key, html)
            elif html is not None and self.cache is not None:
                self.cache.remember_row(key, html)
            result.append(Markup(html or ""))
        return result

    def all_pages(self, jobs: int = 1) -> list[Page]:
        pages: list[Page | None] = [self.chooser_page(), *self.not_found_pages()]
        for lang in self.config.codes:
            pages.append(self.feed_page(lang))
            pages.extend(self.list_pages(lang, None))
            for category in self.config.categories:
                pages.extend(self.list_pages(lang, category.slug))
        work = [
            (index, lang)
            for lang in self.config.codes
            for index, links in enumerate(self.graph.articles)
            if links.slot(lang).exists
        ]
        pages.extend(self.article_pages(work, jobs))
        return [p for p in pages if p is not None]

    def article_pages(self, work: list[tuple[int, str]], jobs: int) -> list[Page | None]:
        """Article pages, on ``jobs`` processes when there are enough of them to pay off."""
        done: list[Page | None] = []
        todo: list[tuple[int, str, str]] = []  # (article index, language, key) to render
        for i, lang in work:
            links = self.graph.articles[i]
            slot = links.slot(lang)
            key = self.article_key(links, slot)
            reused = self.reuse(slot.url, key)
            if reused is not None:
                done.append(reused)
            else:
                todo.append((i, lang, key))
        report = self.progress if self.progress is not None and len(todo) >= PROGRESS_FROM else None
        if jobs <= 1 or len(todo) < PARALLEL_FROM:
            for n, (i, lang, key) in enumerate(todo, 1):
                links = self.graph.articles[i]
                done.append(self._render_article(links, links.slot(lang), key))
                if report is not None and (n % 100 == 0 or n == len(todo)):
                    report(n, len(todo))
            return done
        global _WORKER
        _WORKER = self
        size = max(16, len(todo) // (jobs * 8))
        chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
        result: list[Page | None] = done
        try:
            pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)
            try:
                for pages, indexed, problems, outputs, bodies in pool.imap(_render_articles, chunks):
                    result.extend(pages)
                    if report is not None:
                        report(len(result) - len(done), len(todo))
                    self.indexed.extend(indexed)
                    self.outputs.update(outputs)
                    for body_key, html in bodies.items():
                        self.new_bodies[body_key] = html
                        if self.cache is not None:
                            self.cache.remember_body(body_key, html)
                    for problem in problems:
                        self.problems.seen.setdefault((problem.location.path, problem.location.line, problem.message), problem)
                pool.close()
            except BaseException:
                pool.terminate()
                raise
            finally:
                pool.join()
        finally:
            _WORKER = None
        return result

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.problems.diagnostics + list(self.fmt.problems.values())


def _sitemap_key(fingerprint: str, indexed: list[Indexed]) -> str:
    """Everything the sitemap files are made of, hashed entry by entry."""
    h = hashlib.blake2b(fingerprint.encode(), digest_size=16)
    for item in indexed:
        h.update(f"{item.loc}\0{item.lastmod}\0{item.alternates}\n".encode())
    return h.hexdigest()


PARALLEL_FROM = 600  # article pages; below this a pool costs more than it saves
PROGRESS_FROM = 300  # article pages to render before progress is worth showing
_WORKER: Renderer | None = None  # the renderer a forked worker inherits


def _render_articles(
    work: list[tuple[int, str, str]],
) -> tuple[list[Page | None], list[Indexed], list[Diagnostic], dict[str, tuple[str, Indexed | None]], dict[str, str]]:
    renderer = _WORKER
    assert renderer is not None
    renderer.indexed, renderer.outputs, renderer.new_bodies = [], {}, {}
    pages = [
        renderer._render_article(renderer.graph.articles[i], renderer.graph.articles[i].slot(lang), key)
        for i, lang, key in work
    ]
    return pages, renderer.indexed, renderer.diagnostics, renderer.outputs, renderer.new_bodies


def _worker_signals() -> None:
    """Workers leave Ctrl-C to the build that started them, and end quietly when told."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def render_site(
    site: Site,
    graph: Graph,
    catalogs: dict[str, Catalog],
    status: Status | None = None,
    jobs: int = 1,
    cache: BuildCache | None = None,
    previous_out: Path | None = None,
    fingerprint: str = "",
    progress: Callable[[int, int], None] | None = None,
    spool: Spool | None = None,
) -> tuple[list[Page], list[Diagnostic], dict[str, tuple[str, Indexed | None]]]:
    renderer = Renderer(site, graph, catalogs, cache, previous_out, fingerprint, progress, spool)
    pages = renderer.all_pages(jobs)
    if cache is not None:
        cache.used_bodies = renderer.body_keys()
    if status is not None:
        pages.extend(renderer.status_pages(status))
    indexed = sorted(renderer.indexed, key=lambda i: i.loc)
    sitemap_key = _sitemap_key(renderer.fingerprint, indexed)
    previous_files = [p for p in renderer.previous if p == "sitemap.xml" or p.startswith("sitemap-")]
    reused = [renderer.reuse(p, sitemap_key, is_path=True) for p in previous_files]
    if previous_files and all(reused):
        pages.extend(p for p in reused if p is not None)
    else:
        for page in sitemap_pages(indexed, site.config.base_url, graph.urls.prefix):
            renderer.outputs[page.path] = (sitemap_key, None)
            pages.append(page)
    pages.append(robots_txt(site.config.base_url, graph.urls.prefix))
    pages.extend(static_pages(site.config.root, graph))
    return sorted(pages, key=lambda p: p.path), renderer.diagnostics, renderer.outputs


def static_pages(root: Path, graph: Graph) -> Iterable[Page]:
    """Files of ``static/`` and article images, as pages to write."""
    static = root / layout.STATIC
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield Page("static/" + path.relative_to(static).as_posix(), path.read_bytes())
    for links in graph.articles:
        image = links.article.image
        if image and any(s.exists for s in links.slots):
            source = layout.article_folder(root, links.article.id) / image
            yield Page(f"media/{links.article.id}/{image}", source=str(source))
