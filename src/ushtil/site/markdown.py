"""Article bodies as HTML: Markdown through the body renderer of
:mod:`ushtil.project.markdown` (markdown-it-py's HTML, made natively), trusted raw HTML
through nh3.

Each body is rendered once per build, or taken from the build cache, which keeps it by
its text (:class:`Bodies`).
"""

from __future__ import annotations

import nh3
from markupsafe import Markup

from ushtil.engine.cache import BuildCache, digest
from ushtil.engine.counters import Counters
from ushtil.project.articles import read_body
from ushtil.project.markdown import BodyRenderer
from ushtil.project.model import Site, SiteConfig, Version

# What trusted raw HTML in a body may keep: document structure and media, never scripts,
# styles, forms, frames, event handlers or javascript: URLs.
SAFE_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "audio",
    "video",
    "source",
    "track",
    "picture",
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


def body_html(renderer: BodyRenderer, text: str) -> str:
    """A body's HTML as a page shows it: the dialect's (:mod:`ushtil.project.markdown`,
    the one definition of its settings), sanitised when raw HTML is allowed."""
    html = renderer.render(text)
    return sanitise(html) if renderer.raw_html else html


def body_key(version: Version, raw_html: bool) -> str:
    """The build cache's key for a body's HTML: its exact text, and how it is rendered."""
    return digest("body", version.body_hash, raw_html)


def body_keys(site: Site) -> set[str]:
    """The keys of every current version's body: what the build cache keeps."""
    raw_html = site.config.raw_html
    return {body_key(v, raw_html) for a in site.articles for v in a.versions}


class Bodies:
    """The HTML of article bodies, rendered once per build or taken from the build cache.
    Bodies rendered here are remembered in the cache and listed in :attr:`made` (what a
    worker process sends back to the build that started it). A worker process (see
    :meth:`in_worker`) keeps nothing past a batch: its build remembers what it sends."""

    def __init__(
        self, config: SiteConfig, cache: BuildCache | None, counters: Counters | None = None
    ) -> None:
        self.config = config
        self.cache = cache
        self.counters = counters if counters is not None else Counters()
        self.md = BodyRenderer(config.raw_html)
        self.made: dict[str, str] = {}  # cache key → HTML, rendered by this process
        self._html: dict[tuple[str, str], Markup] = {}
        self._remember = True  # in the cache (a worker's copy of it is thrown away)

    def in_worker(self) -> None:
        """This copy is a worker process's: what it renders goes back in :meth:`take_made`
        only, so that a worker's memory does not grow with the site."""
        self._remember = False

    def html(self, version: Version) -> Markup:
        known = (version.article_id, version.lang)
        if known not in self._html:
            key = body_key(version, self.config.raw_html)
            html = self.cache.body(key) if self.cache is not None else None
            if html is None:
                html = body_html(self.md, self._text(version))
                self.counters.add("bodies_rendered")
                self.made[key] = html
                if self.cache is not None and self._remember:
                    self.cache.remember_body(key, html)
            self._html[known] = Markup(html)
        return self._html[known]

    def adopt(self, made: dict[str, str]) -> None:
        """Bodies another process rendered: remembered in the cache like this one's."""
        for key, html in made.items():
            if self.cache is not None:
                self.cache.remember_body(key, html)

    def take_made(self) -> dict[str, str]:
        """The bodies rendered since the last call (a worker's share of one batch); a
        worker forgets them (a later batch that needs one again renders it again)."""
        made, self.made = self.made, {}
        if not self._remember:
            self._html = {}
        return made

    def _text(self, version: Version) -> str:
        """The Markdown of a version; one remembered without it is read again."""
        if not version.body_elided:
            return version.body
        self.counters.add("bodies_read")
        again = read_body(self.config.root / version.location.path, version.body_hash)
        if again is None:
            raise RuntimeError(f"{version.location.path} changed while the site was being built")
        return again
