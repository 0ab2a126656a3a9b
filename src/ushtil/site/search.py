"""Search: the page ``/{lang}/search/`` and one Pagefind index per language.

Only the language's own published versions are indexed (never a fallback, a draft, a
future article, a list page, the chooser, the 404 pages or the dashboard), each as a small
HTML record: title, date and category as metadata, the category as a filter, the summary
and body as the text. Pagefind (the ``pagefind[bin]`` package) turns a language's records
into bundles under ``/{lang}/pagefind/N/`` (one shard of the language's index each, see
:data:`SHARD_SIZE`): the index in small chunks, ``pagefind.js`` and its WebAssembly, which
``static/search.js`` loads on the search page, merging the shards; nothing is fetched
from elsewhere at reading time.

Each shard is one output of the build's ledger: its key is the digest of what its
records are made from, so it is taken over from the previous build while none of its
versions changed, and made again (every changed shard at once, on every core) when one
did. Pagefind's output depends only on its input: two builds give the same files.
"""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date

from ushtil.project.languages import date_format
from ushtil.project.model import Page, Version
from ushtil.site import pagefind
from ushtil.site.cache import digest
from ushtil.site.graph import ArticleLinks, SlotState
from ushtil.site.ledger import File, Ledger, Output
from ushtil.site.pages import Kit, PageInfo, SwitchItem

BUNDLE = "pagefind"  # a language's index: /{lang}/pagefind/0/, /{lang}/pagefind/1/, …
# Pagefind cannot update an index: a change makes its whole shard again. A language with
# more versions than this is split by article ID into 2, 4, 8 … shards, which the search
# page merges; an edit re-indexes one shard, a clean build indexes shards on every core.
SHARD_SIZE = 400
# the bundle's files a reader's browser needs (the stock UIs are left out: search.js is ours)
# A shard's index; the first shard also carries the runtime (script, worker, WebAssembly),
# which the others share when they are merged into it (the stock UIs are left out).
INDEX = ("pagefind-entry.json", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
RUNTIME = ("pagefind.js", "pagefind-worker.js", ".pagefind")


def search_url(kit: Kit, lang: str) -> str:
    return f"{kit.urls.prefix}/{lang}/search/"


def bundle_folder(lang: str, shard: int) -> str:
    """A shard of the language's index in the output folder (a path relative to it)."""
    return f"{lang}/{BUNDLE}/{shard}/"


def shard_count(versions: int) -> int:
    """How many shards ``versions`` are split into: a power of two, so that a growing
    site re-deals its versions only when it doubles."""
    count = 1
    while versions > count * SHARD_SIZE:
        count *= 2
    return count


def shard_of(article_id: str, count: int) -> int:
    h = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(h, "big") % count


def shards(kit: Kit, lang: str) -> dict[int, list[tuple[ArticleLinks, Version]]]:
    """The language's own published versions, shard by shard (only shards with any)."""
    own = _own(kit, lang)
    count = shard_count(len(own))
    dealt: dict[int, list[tuple[ArticleLinks, Version]]] = {}
    for links, v in own:
        dealt.setdefault(shard_of(links.article.id, count), []).append((links, v))
    return dict(sorted(dealt.items()))


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


def records(kit: Kit, lang: str, own: list[tuple[ArticleLinks, Version]]) -> list[Record]:
    """What the index of ``lang`` holds of ``own`` versions."""
    zone = ZoneInfo(kit.config.time_zone)
    locale = Locale.parse(kit.config.language(lang).locale)
    return [
        Record(
            url=links.slot(lang).url,
            title=v.title,
            published=links.article.published.isoformat(),
            date=format_date(
                links.article.published.astimezone(zone), date_format(lang), locale=locale
            ),
            category=_category(kit, lang, links),
            summary=v.summary or "",
            body=str(kit.bodies.html(v)),
        )
        for links, v in own
    ]


def pagefind_version() -> str:
    try:
        return version("pagefind_bin")
    except PackageNotFoundError:
        return ""


def index_key(
    kit: Kit, lang: str, own: list[tuple[ArticleLinks, Version]], *, runtime: bool
) -> str:
    """What a shard of a language's index is made from, without making its records (no body is
    rendered, no date formatted): each version's URL, title, summary, body digest, date
    and category name; whether it carries the runtime; the language's locale, the time
    zone and the Markdown setting;
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
        for links, v in own
    ]
    setting = (config.language(lang).locale, config.time_zone, config.raw_html)
    return digest("search-index", lang, runtime, setting, pagefind_version(), code, rows)


def search_pages(kit: Kit, ledger: Ledger, *, later: bool = False) -> tuple[list[Page], list[str]]:
    """The search page and the index of every language, shard by shard: a shard whose
    versions did not change is taken over, the others are made together. ``later``: a
    shard that changed is not made but kept as the last build left it (none if there was
    none); the languages left so are returned, for a build to make them right after."""
    dealt = {lang: shards(kit, lang) for lang in kit.config.codes}
    pages = [
        page
        for lang in kit.config.codes
        for page in ledger.produce(page_output(kit, lang, tuple(dealt[lang])))
    ]
    todo: list[tuple[str, int, Output]] = []
    pending: list[str] = []
    for lang in kit.config.codes:
        for shard, own in dealt[lang].items():
            previous = ledger.previous_paths(partial(_in_bundle, bundle_folder(lang, shard)))
            key = index_key(kit, lang, own, runtime=shard == min(dealt[lang]))
            # the file count is part of the recorded key: a shard missing a file is made again
            reused = ledger.reuse(Output(previous, f"{key}:{len(previous)}", lambda: None))
            if reused is not None:
                pages += reused
            elif later:
                pending += [lang] if lang not in pending else []
                old = {ledger.previous[path][0] for path in previous}
                whole = len(old) == 1 and next(iter(old)).endswith(f":{len(previous)}")
                if whole:  # the last shard as it was, under its own key: stale next time
                    pages += ledger.reuse(Output(previous, old.pop(), lambda: None)) or []
            else:
                todo.append((lang, shard, Output(previous, key, lambda: None)))
    wanted = {(lang, shard): records(kit, lang, dealt[lang][shard]) for lang, shard, _ in todo}
    primary = {(lang, min(dealt[lang])) for lang in kit.config.codes if dealt[lang]}
    made = make_indexes(wanted, kit.urls.prefix, primary)
    for lang, shard, output in todo:
        files = made[(lang, shard)]
        key = f"{output.key}:{len(files)}"
        pages += ledger.make(Output(output.paths, key, partial(_made, files)))
    return pages, pending


def _made(files: list[File]) -> list[File]:
    return files


def _in_bundle(folder: str, path: str) -> bool:
    return path.startswith(folder)


def make_indexes(
    wanted: dict[tuple[str, int], list[Record]],
    prefix: str,
    primary: set[tuple[str, int]] | None = None,
) -> dict[tuple[str, int], list[File]]:
    """Each (language, shard)'s bundle, made by Pagefind from its records, on every core;
    the ``primary`` shards (default: all) with Pagefind's runtime."""

    def index(lang: str, shard: int) -> list[File]:
        pages = ((r.url[len(prefix) :], r.html(lang)) for r in wanted[(lang, shard)])
        files = pagefind.make_index(lang, pages)
        kept = INDEX + RUNTIME if primary is None or (lang, shard) in primary else INDEX
        return [
            File(bundle_folder(lang, shard) + path, files[path])
            for path in sorted(files)
            if path.endswith(kept)
        ]

    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=min(len(wanted), os.cpu_count() or 1)) as pool:
        made = {key: pool.submit(index, *key) for key in sorted(wanted, key=_largest(wanted))}
        return {key: done.result() for key, done in made.items()}


def _largest(wanted: dict[tuple[str, int], list[Record]]) -> Callable[[tuple[str, int]], int]:
    return lambda key: -len(wanted[key])  # the largest first: the cores finish together


# --- the search page ---------------------------------------------------------------------


def page_output(kit: Kit, lang: str, shards: tuple[int, ...]) -> Output:
    """``/{lang}/search/``; ``shards``: the numbers of the language's index shards."""
    url = search_url(kit, lang)
    key = kit.key("search-page", lang, shards)
    return Output((kit.urls.file_for(url),), key, partial(_search_page, kit, lang, shards))


def _search_page(kit: Kit, lang: str, shards: tuple[int, ...]) -> list[File] | None:
    config = kit.config
    url = search_url(kit, lang)
    info = PageInfo(
        lang=config.language(lang),
        url=url,
        canonical="",  # noindex: search engines are kept out, so no canonical either
        alternates=(),
        switcher=tuple(
            SwitchItem(other, search_url(kit, other.code), other.code == lang, SlotState.OWN)
            for other in config.languages
        ),
        noindex=True,
        section="search",
    )
    bundles = [f"{kit.urls.prefix}/{bundle_folder(lang, shard)}" for shard in shards]
    return kit.page(lang, "search.html", info, bundles=bundles, base=kit.urls.prefix + "/")
