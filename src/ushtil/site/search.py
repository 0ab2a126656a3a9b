"""Search: the page ``/{lang}/search/`` and one Pagefind index per language.

Only the language's own published versions are indexed (never a fallback, a draft, a
future article, a list page, the chooser, the 404 pages or the dashboard), each as a small
HTML record: title, date and category as metadata, the category as a filter, the summary
and body as the text. Pagefind (the ``pagefind[bin]`` package) turns a language's records
into its bundle under ``/{lang}/pagefind/``: the index in small chunks, ``pagefind.js`` and
its WebAssembly, which ``static/search.js`` loads on the search page; nothing is fetched
from elsewhere at reading time.

A language's index is one output of the build's ledger: its key is the digest of its
records, so it is taken over from the previous build while no indexable text of that
language changed, and made again (every changed language at once, in parallel) when one
did. Pagefind's output depends only on its input: two builds give the same files.
"""

from __future__ import annotations

import hashlib
import html
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date

from ushtil.project.model import Page, Version
from ushtil.site import pagefind
from ushtil.site.cache import digest
from ushtil.site.graph import ArticleLinks, SlotState
from ushtil.site.ledger import File, Ledger, Output
from ushtil.site.pages import Kit, PageInfo, SwitchItem

BUNDLE = "pagefind"  # a language's index: /{lang}/pagefind/
# the bundle's files a reader's browser needs (the stock UIs are left out: search.js is ours)
RUNTIME = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
RUNTIME_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")


def search_url(kit: Kit, lang: str) -> str:
    return f"{kit.urls.prefix}/{lang}/search/"


def bundle_folder(lang: str) -> str:
    """The language's index in the output folder (a path relative to it)."""
    return f"{lang}/{BUNDLE}/"


@dataclass(frozen=True)
class Record:
    """What the index knows of one article version."""

    url: str
    title: str
    published: str  # ISO, for sorting
    date: str  # as the page's language writes it
    category: str  # the category's name in the language
    summary: str
    body: str  # sanitised HTML

    def html(self, lang: str) -> str:
        e = html.escape
        return (
            f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">'
            f"<title>{e(self.title)}</title></head><body>"
            f'<h1 data-pagefind-meta="title">{e(self.title)}</h1>'
            f'<p data-pagefind-ignore data-pagefind-meta="date:{e(self.date)}"'
            f' data-pagefind-sort="published:{e(self.published)}"></p>'
            f'<p data-pagefind-ignore data-pagefind-filter="category"'
            f' data-pagefind-meta="category">{e(self.category)}</p>'
            f"<p>{e(self.summary)}</p>{self.body}</body></html>"
        )


def _own(kit: Kit, lang: str) -> list[tuple[ArticleLinks, Version]]:
    """The language's own published versions, by URL."""
    found = []
    for links in kit.graph.articles:
        slot = links.slot(lang)
        if slot.state == SlotState.OWN and slot.version is not None:
            found.append((slot.url, links, slot.version))
    return [(links, v) for _, links, v in sorted(found, key=lambda item: item[0])]


def _category(kit: Kit, lang: str, links: ArticleLinks) -> str:
    category = kit.config.category(links.article.category)
    return kit.templates.translators[lang].label("category", category.msgid) if category else ""


def records(kit: Kit, lang: str) -> list[Record]:
    """What the index of ``lang`` holds: its own published versions, by URL."""
    zone = ZoneInfo(kit.config.time_zone)
    locale = Locale.parse(kit.config.language(lang).locale)
    return [
        Record(
            url=links.slot(lang).url,
            title=v.title,
            published=links.article.published.isoformat(),
            date=format_date(links.article.published.astimezone(zone), "long", locale=locale),
            category=_category(kit, lang, links),
            summary=v.summary or "",
            body=str(kit.bodies.html(v)),
        )
        for links, v in _own(kit, lang)
    ]


def pagefind_version() -> str:
    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return ""


def index_key(kit: Kit, lang: str) -> str:
    """What a language's index is made from, without making its records (no body is
    rendered, no date formatted): each version's URL, title, summary, body digest, date
    and category name; the language's locale, the time zone and the Markdown setting;
    Pagefind's version and the code that turns records into the index. The templates are
    not part of it, but the build cache forgets every key when templates, catalogues or
    ``site.toml`` change."""
    config = kit.config
    code = [
        hashlib.sha256(Path(module).read_bytes()).hexdigest()
        for module in (__file__, pagefind.__file__)
    ]
    rows = [
        (
            links.slot(lang).url,
            v.title,
            v.summary,
            v.body_hash,
            links.article.published.isoformat(),
            _category(kit, lang, links),
        )
        for links, v in _own(kit, lang)
    ]
    setting = (config.language(lang).locale, config.time_zone, config.raw_html)
    return digest("search-index", lang, setting, pagefind_version(), code, rows)


def search_pages(kit: Kit, ledger: Ledger, *, later: bool = False) -> tuple[list[Page], list[str]]:
    """The search page and the index of every language: an index whose records did not
    change is taken over, the others are made together. ``later``: an index whose records
    changed is not made but kept as the last build left it (none if there was none); the
    languages left so are returned, for a build to make them right after."""
    pages = [page for lang in kit.config.codes for page in ledger.produce(page_output(kit, lang))]
    todo: list[tuple[str, Output]] = []
    pending: list[str] = []
    for lang in kit.config.codes:
        previous = ledger.previous_paths(partial(_in_bundle, lang))
        output = Output(previous, index_key(kit, lang), lambda: None)
        reused = ledger.reuse(output)
        if reused is not None:
            pages += reused
        elif later:
            pending.append(lang)
            old = {ledger.previous[path][0] for path in previous}
            if len(old) == 1:  # the last index as it was, under its own key: stale next time
                pages += ledger.reuse(Output(previous, old.pop(), lambda: None)) or []
        else:
            todo.append((lang, output))
    made = make_indexes({lang: records(kit, lang) for lang, _ in todo}, kit.urls.prefix)
    for lang, output in todo:
        pages += ledger.make(Output(output.paths, output.key, partial(_made, made[lang])))
    return pages, pending


def _made(files: list[File]) -> list[File]:
    return files


def _in_bundle(lang: str, path: str) -> bool:
    return path.startswith(bundle_folder(lang))


def make_indexes(by_lang: dict[str, list[Record]], prefix: str) -> dict[str, list[File]]:
    """Each language's bundle, made by Pagefind from its records (languages in parallel)."""

    def index(lang: str) -> list[File]:
        pages = ((r.url[len(prefix) :], r.html(lang)) for r in by_lang[lang])
        files = pagefind.make_index(lang, pages)
        return [
            File(bundle_folder(lang) + path, files[path])
            for path in sorted(files)
            if path.rsplit("/", 1)[-1] in RUNTIME or path.endswith(RUNTIME_SUFFIXES)
        ]

    if not by_lang:
        return {}
    with ThreadPoolExecutor(max_workers=min(len(by_lang), os.cpu_count() or 1)) as pool:
        made = {lang: pool.submit(index, lang) for lang in by_lang}
        return {lang: done.result() for lang, done in made.items()}


# --- the search page ---------------------------------------------------------------------


def page_output(kit: Kit, lang: str) -> Output:
    url = search_url(kit, lang)
    key = kit.key("search-page", lang, [c.slug for c in kit.config.categories])
    return Output((kit.urls.file_for(url),), key, partial(_search_page, kit, lang))


def _search_page(kit: Kit, lang: str) -> list[File] | None:
    config = kit.config
    url = search_url(kit, lang)
    info = PageInfo(
        lang=config.language(lang),
        url=url,
        canonical=kit.absolute(url),
        alternates=(),
        switcher=tuple(
            SwitchItem(other, search_url(kit, other.code), other.code == lang, SlotState.OWN)
            for other in config.languages
        ),
        noindex=True,
        section="search",
    )
    bundle = f"{kit.urls.prefix}/{bundle_folder(lang)}"
    return kit.page(lang, "search.html", info, bundle=bundle, base=kit.urls.prefix + "/")
