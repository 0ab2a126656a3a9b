"""Site-wide machine-readable outputs: ``sitemap.xml`` (split past the protocol's limits),
``robots.txt`` and one Atom feed per language.

They take what the renderer already decided (each indexable page's URL and hreflang set,
the language graph's list of articles), so they cannot disagree with the pages.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ushtil.engine.store import Json, moment, moment_json
from ushtil.project.config import site_host
from ushtil.project.model import Page

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_URLS = 50_000  # per sitemap file, from the sitemap protocol
MAX_BYTES = 50 * 1024 * 1024  # uncompressed, per sitemap file


@dataclass(frozen=True)
class Indexed:
    """A page search engines may index: its absolute URL, hreflang set and last change."""

    loc: str
    alternates: tuple[tuple[str, str], ...]  # (hreflang, absolute URL)
    lastmod: dt.datetime | None

    def to_json(self) -> Json:
        """The entry as the ledger records it for the next build (plain JSON)."""
        return [self.loc, [list(a) for a in self.alternates], moment_json(self.lastmod)]

    @classmethod
    def from_json(cls, data: Json) -> Indexed:
        loc, alternates, lastmod = data
        return cls(loc, tuple((h, u) for h, u in alternates), moment(lastmod))


def indexed(entries: Iterable[Json]) -> list[Indexed]:
    """The pages search engines may index, from the entries the ledger recorded, by URL:
    what the sitemap lists."""
    return sorted((Indexed.from_json(e) for e in entries), key=lambda item: item.loc)


def w3c(value: dt.datetime) -> str:
    """W3C Datetime / RFC 3339 with the offset, to the second."""
    return value.replace(microsecond=0).isoformat()


def _url_entry(item: Indexed) -> str:
    parts = [f"<url><loc>{escape(item.loc)}</loc>"]
    if item.lastmod is not None:
        parts.append(f"<lastmod>{w3c(item.lastmod)}</lastmod>")
    for hreflang, href in item.alternates:
        parts.append(
            f'<xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} href={quoteattr(href)}/>'
        )
    parts.append("</url>\n")
    return "".join(parts)


URLSET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'
)
URLSET_CLOSE = "</urlset>\n"


def sitemap_pages(
    items: Iterable[Indexed],
    base_url: str,
    prefix: str,
    *,
    max_urls: int | None = None,
    max_bytes: int | None = None,
) -> list[Page]:
    """``sitemap.xml``, or past the limits ``sitemap-N.xml`` files and an index naming them."""
    max_urls = MAX_URLS if max_urls is None else max_urls
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    chunks: list[list[str]] = [[]]
    sizes = [0]
    frame = len(URLSET_OPEN.encode()) + len(URLSET_CLOSE.encode())
    for item in sorted(items, key=lambda i: i.loc):
        entry = _url_entry(item)
        size = len(entry.encode("utf-8"))
        if chunks[-1] and (len(chunks[-1]) >= max_urls or frame + sizes[-1] + size > max_bytes):
            chunks.append([])
            sizes.append(0)
        chunks[-1].append(entry)
        sizes[-1] += size
    files = ["".join([URLSET_OPEN, *chunk, URLSET_CLOSE]).encode("utf-8") for chunk in chunks]
    if len(files) == 1:
        return [Page("sitemap.xml", files[0])]
    origin = base_url[: len(base_url) - len(prefix)] if prefix else base_url
    pages = [Page(f"sitemap-{n}.xml", content) for n, content in enumerate(files, 1)]
    index = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n',
        *(
            f"<sitemap><loc>{escape(origin + prefix + '/' + p.path)}</loc></sitemap>\n"
            for p in pages
        ),
        "</sitemapindex>\n",
    ]
    return [Page("sitemap.xml", "".join(index).encode("utf-8")), *pages]


def robots_txt(base_url: str, prefix: str) -> Page:
    lines = [
        "User-agent: *",
        f"Disallow: {prefix}/_status/",
        f"Sitemap: {base_url}/sitemap.xml",
        "",
    ]
    return Page("robots.txt", "\n".join(lines).encode("utf-8"))


@dataclass(frozen=True)
class FeedImage:
    """An entry's lead image: an enclosure link, and the picture above its content."""

    url: str  # absolute
    mime: str
    alt: str


@dataclass(frozen=True)
class FeedEntry:
    url: str  # absolute
    lang: str
    article_id: str
    title: str
    summary: str
    content_html: str
    published: dt.datetime
    image: FeedImage | None = None


def tag_uri(base_url: str, when: dt.datetime, specific: str) -> str:
    """RFC 4151 tag URI: stable for the life of the site, unique per language."""
    host = site_host(base_url) or "localhost"
    return f"tag:{host},{when.date().isoformat()}:{specific}"


def atom_feed(
    *,
    lang: str,
    title: str,
    author: str,
    feed_url: str,
    home_url: str,
    base_url: str,
    entries: Sequence[FeedEntry],
) -> bytes:
    """An Atom 1.0 feed (RFC 4287) in ``lang``: xml:lang, RFC 3339 dates, tag-URI IDs."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {f"{{{XML_NS}}}lang": lang})
    sub(feed, "id", feed_url)
    sub(feed, "title", title)
    updated = max((e.published for e in entries), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    sub(feed, "updated", w3c(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    sub(feed, "link", rel="alternate", type="text/html", hreflang=lang, href=home_url)
    sub(sub(feed, "author"), "name", author)
    for entry in entries:
        item = sub(feed, "entry", **{f"{{{XML_NS}}}base": entry.url})
        sub(
            item, "id", tag_uri(base_url, entry.published, f"/{entry.lang}/news/{entry.article_id}")
        )
        sub(item, "title", entry.title)
        sub(item, "link", rel="alternate", type="text/html", hreflang=entry.lang, href=entry.url)
        sub(item, "published", w3c(entry.published))
        sub(item, "updated", w3c(entry.published))
        content = entry.content_html
        if entry.image is not None:
            sub(item, "link", rel="enclosure", type=entry.image.mime, href=entry.image.url)
            image = entry.image
            picture = f"<p><img src={quoteattr(image.url)} alt={quoteattr(image.alt)}></p>"
            content = picture + "\n" + content
        if entry.summary:
            sub(item, "summary", entry.summary)
        sub(item, "content", content, type="html")
    ET.indent(feed, space="  ")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"
