"""Search: the page ``/{lang}/search/`` and each language's Pagefind index.

Only the language's own published versions are indexed (never a fallback, a draft, a
future article, a list page, the chooser, the 404 pages or the dashboard), each as a small
HTML record: title, date and category as metadata, the category as a filter, the summary
and body as the text. Pagefind (the ``pagefind[bin]`` package) turns records into
bundles: the index in small chunks, ``pagefind.js`` and its WebAssembly, which
``static/search.js`` loads on the search page; nothing is fetched from elsewhere at
reading time.

A language's index is a large base, under ``/{lang}/pagefind/base/``, and a small delta
of the versions changed since the base was made, under ``/{lang}/pagefind/delta/``,
which the search page merges into the base, leaving out the base's copies the delta
names as superseded (see :mod:`ushtil.site.searchplan`). Each is one output of the
build's ledger: the base is taken over from the previous build until it is compacted,
the delta is made again when a version it holds changes. Pagefind's output depends only
on its input: two builds from the same base give the same files.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date

from ushtil.engine.cache import digest
from ushtil.engine.counters import Counters
from ushtil.engine.ledger import File, Ledger, Output
from ushtil.project.languages import date_format
from ushtil.project.model import Page, Version
from ushtil.site import pagefind, searchplan
from ushtil.site.graph import ArticleLinks, SlotState
from ushtil.site.pages import Kit, PageInfo, SwitchItem
from ushtil.site.searchplan import Base, Plan, fragments

BUNDLE = "pagefind"  # a language's index: /{lang}/pagefind/base/ and /{lang}/pagefind/delta/
# the bundle's files a reader's browser needs: the base carries the runtime (script, worker,
# WebAssembly) too, which the delta shares when it is merged into it (the stock UIs are
# left out: search.js is ours)
INDEX = ("pagefind-entry.json", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
RUNTIME = ("pagefind.js", "pagefind-worker.js", ".pagefind")


def search_url(kit: Kit, lang: str) -> str:
    return f"{kit.urls.prefix}/{lang}/search/"


def bundle_folder(lang: str, part: str) -> str:
    """A part (``base`` or ``delta``) of the language's index in the output folder (a
    path relative to it)."""
    return f"{lang}/{BUNDLE}/{part}/"


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


def own_versions(kit: Kit, lang: str) -> list[tuple[ArticleLinks, Version]]:
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


def setting(kit: Kit, lang: str) -> str:
    """What every record of the language's index depends on besides its version: the
    language's locale, the time zone and the Markdown setting; Pagefind's version and
    the code that turns records into the index. The templates are not part of it, but
    the build cache forgets every output when templates, catalogues or ``site.toml``
    change."""
    config = kit.config
    code = [
        hashlib.sha256(Path(module).read_bytes()).hexdigest()
        for module in (__file__, pagefind.__file__, searchplan.__file__)
    ]
    local = (config.language(lang).locale, config.time_zone, config.raw_html)
    return digest("search-setting", lang, local, pagefind_version(), code)


def row_digests(kit: Kit, lang: str, own: list[tuple[ArticleLinks, Version]]) -> dict[str, str]:
    """Each version's URL → the digest of what its record is made from, without making the
    record (no body is rendered, no date formatted): its title, summary, body digest,
    date and category name."""
    return {
        links.slot(lang).url: digest(
            v.title,
            v.summary,
            v.body_hash,
            links.article.published.isoformat(),
            _category(kit, lang, links),
        )
        for links, v in own
    }


def base_key(lang: str, setting: str, rows: dict[str, str]) -> str:
    """The key of a base holding ``rows``: nothing of any delta."""
    return digest("search-base", lang, setting, sorted(rows.items()))


def delta_key(base: Base, rows: dict[str, str], plan: Plan) -> str:
    return digest("search-delta", base.key, [(url, rows[url]) for url in plan.delta], plan.hidden)


@dataclass
class _Language:
    """One language's index in this build: what it holds now, what the last build left."""

    lang: str
    own: list[tuple[ArticleLinks, Version]]
    rows: dict[str, str]
    setting: str
    base: Base | None  # the last build's base, if it is usable
    previous_base: tuple[tuple[str, ...], str] | None  # its files and their recorded key
    previous_delta: tuple[tuple[str, ...], str] | None
    plan: Plan = Plan(compact=True)
    parts: tuple[str, ...] = ()  # the parts this build's output has: base, delta
    kept: list[Page] = field(default_factory=list)  # the last build's base, taken over


def _previous(ledger: Ledger, folder: str) -> tuple[tuple[str, ...], str] | None:
    """The last build's files in ``folder`` and their key, if they were made together (one
    key, whose end is their count: a part missing a file is not taken over)."""
    paths = ledger.previous_paths(partial(_in_bundle, folder))
    keys = {ledger.previous[path][0] for path in paths}
    if len(keys) != 1:
        return None
    key = keys.pop()
    return (paths, key) if key.endswith(f":{len(paths)}") else None


def _language(kit: Kit, ledger: Ledger, lang: str) -> _Language:
    own = own_versions(kit, lang)
    rows = row_digests(kit, lang, own)
    ledger.counters.add("search_rows_digested", len(rows))
    previous_base = _previous(ledger, bundle_folder(lang, "base"))
    base = None
    if previous_base is not None:
        paths, key = previous_base
        manifests = [p for p in paths if p.rsplit("/", 1)[-1].startswith(searchplan.MANIFEST)]
        if len(manifests) == 1:
            base = searchplan.load_manifest(ledger.previous_root, manifests[0])
        if base is not None and f"{base.key}:{len(paths)}" != key:
            base = None
    found = _Language(
        lang, own, rows, setting(kit, lang), base, previous_base,
        _previous(ledger, bundle_folder(lang, "delta")),
    )  # fmt: skip
    found.plan = searchplan.plan(base, found.setting, rows)
    return found


def _keep(ledger: Ledger, previous: tuple[tuple[str, ...], str] | None) -> list[Page]:
    """A part as the last build left it, under its own key."""
    if previous is None:
        return []
    return ledger.reuse(Output(previous[0], previous[1], lambda: None)) or []


def search_pages(kit: Kit, ledger: Ledger, *, later: bool = False) -> tuple[list[Page], list[str]]:
    """The search page and the index of every language: the base taken over and the
    delta made (or taken over), or, when the delta would outgrow its bound, a new base
    and no delta. ``later``: an index that changed is not made but kept as the last build
    left it (none if there was none); the languages left so are returned, for a build to
    make them right after."""
    languages = [_language(kit, ledger, lang) for lang in kit.config.codes]
    pages: list[Page] = []
    pending: list[str] = []
    todo: list[_Language] = []
    for found in languages:
        if not found.plan.compact:
            found.kept = _keep(ledger, found.previous_base)
            found.plan = found.plan if found.kept else Plan(compact=True)  # a file is gone
        if not found.plan.compact:
            found.parts = ("base",)
            if not (found.plan.delta or found.plan.hidden):
                continue  # the base alone
        reused = None if found.plan.compact else _reuse_delta(ledger, found)
        if reused is not None:
            pages += reused
            found.parts += ("delta",)
        elif not later:
            todo.append(found)
        elif found.plan.compact and not (found.own or found.previous_base):
            continue  # nothing to index, nothing indexed
        else:  # as the last build left it
            if found.plan.compact:
                found.kept = _keep(ledger, found.previous_base)
            found.parts = ("base",) if found.kept else ()
            kept = _keep(ledger, found.previous_delta)
            pages += kept
            found.parts += ("delta",) if kept else ()
            pending.append(found.lang)
    pages += _make(kit, ledger, todo)
    for found in languages:
        pages += found.kept
        pages += ledger.produce(page_output(kit, found, ledger))
    return pages, pending


def _reuse_delta(ledger: Ledger, found: _Language) -> list[Page] | None:
    if found.base is None or found.previous_delta is None:
        return None
    paths = found.previous_delta[0]
    key = f"{delta_key(found.base, found.rows, found.plan)}:{len(paths)}"
    return ledger.reuse(Output(paths, key, lambda: None))


def _make(kit: Kit, ledger: Ledger, todo: list[_Language]) -> list[Page]:
    """Every delta and base to make, on every core; a delta whose records the search page
    could not tell from the base's makes a new base instead."""
    pages: list[Page] = []
    made = make_indexes(_wanted(kit, todo), kit.urls.prefix, ledger.counters)
    again = []
    for found in todo:
        if found.plan.compact or found.base is None:
            continue
        files = made.get((found.lang, "delta"), {})
        hidden = searchplan.settle_hidden(found.base, found.plan.hidden, fragments(files))
        if hidden is None:  # a clash of identifiers: compact
            for page in found.kept:  # the base taken over gives way to a new one
                del ledger.recorded[page.path]
            found.plan, found.parts, found.kept = Plan(compact=True), (), []
            again.append(found)
            continue
        key = delta_key(found.base, found.rows, found.plan)
        pages += _record(ledger, bundle_folder(found.lang, "delta"), key, _delta(files, hidden))
        found.parts += ("delta",)
    made.update(make_indexes(_wanted(kit, again), kit.urls.prefix, ledger.counters))
    for found in todo:
        if not found.plan.compact or (found.lang, "base") not in made:
            continue
        files = made[(found.lang, "base")]
        key = base_key(found.lang, found.setting, found.rows)
        ids = fragments(files)
        base = Base(found.setting, key, {url: (row, ids[url]) for url, row in found.rows.items()})
        pages += _record(ledger, bundle_folder(found.lang, "base"), key, _base(files, base))
        found.parts = ("base",)
    return pages


def _wanted(kit: Kit, todo: list[_Language]) -> dict[tuple[str, str], list[Record]]:
    """The records of each base to make (of every version) and each delta (of those
    changed since its base)."""
    wanted: dict[tuple[str, str], list[Record]] = {}
    for found in todo:
        if found.plan.compact:
            if found.own:
                wanted[(found.lang, "base")] = records(kit, found.lang, found.own)
        elif found.plan.delta:
            chosen = set(found.plan.delta)
            own = [(links, v) for links, v in found.own if links.slot(found.lang).url in chosen]
            wanted[(found.lang, "delta")] = records(kit, found.lang, own)
    return wanted


def _base(files: dict[str, bytes], base: Base) -> dict[str, bytes]:
    kept = {path: data for path, data in files.items() if path.endswith(INDEX + RUNTIME)}
    manifest = base.dump()
    kept[searchplan.manifest_name(manifest)] = manifest
    return kept


def _delta(files: dict[str, bytes], hidden: tuple[str, ...]) -> dict[str, bytes]:
    kept = {path: data for path, data in files.items() if path.endswith(INDEX)}
    kept[searchplan.HIDDEN] = json.dumps(list(hidden), separators=(",", ":")).encode()
    return kept


def _record(ledger: Ledger, folder: str, key: str, files: dict[str, bytes]) -> list[Page]:
    made = [File(folder + path, files[path]) for path in sorted(files)]
    paths = tuple(file.path for file in made)
    return ledger.make(Output(paths, f"{key}:{len(made)}", partial(_made, made)))


def _made(files: list[File]) -> list[File]:
    return files


def _in_bundle(folder: str, path: str) -> bool:
    return path.startswith(folder)


def make_indexes(
    wanted: dict[tuple[str, str], list[Record]], prefix: str, counters: Counters | None = None
) -> dict[tuple[str, str], dict[str, bytes]]:
    """Each (language, part)'s bundle, made by Pagefind from its records, on every core:
    its files by path inside it (the records counted in ``counters``)."""
    if counters is not None:
        counters.add("search_records", sum(len(records) for records in wanted.values()))

    def index(lang: str, part: str) -> dict[str, bytes]:
        pages = ((r.url[len(prefix) :], r.html(lang)) for r in wanted[(lang, part)])
        return pagefind.make_index(lang, pages)

    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=min(len(wanted), os.cpu_count() or 1)) as pool:
        made = {key: pool.submit(index, *key) for key in sorted(wanted, key=_largest(wanted))}
        return {key: done.result() for key, done in made.items()}


def _largest(wanted: dict[tuple[str, str], list[Record]]) -> Callable[[tuple[str, str]], int]:
    return lambda key: -len(wanted[key])  # the largest first: the cores finish together


# --- the search page ---------------------------------------------------------------------


def page_output(kit: Kit, found: _Language, ledger: Ledger) -> Output:
    """``/{lang}/search/``, naming the parts of the language's index this build has: the
    Pagefind bundles to load (the base, then the delta if it holds records) and the
    delta's list of the base's records to leave out."""
    lang = found.lang
    delta = bundle_folder(lang, "delta")
    bundles = [bundle_folder(lang, "base")] if "base" in found.parts else []
    hidden = ""
    if "delta" in found.parts:
        hidden = delta + searchplan.HIDDEN
        if delta + "pagefind-entry.json" in ledger.recorded:
            bundles.append(delta)
    prefix = kit.urls.prefix + "/"
    shown = (tuple(prefix + b for b in bundles), prefix + hidden if hidden else "")
    url = search_url(kit, lang)
    key = kit.key("search-page", lang, shown)
    return Output((kit.urls.file_for(url),), key, partial(_search_page, kit, lang, *shown))


def _search_page(kit: Kit, lang: str, bundles: tuple[str, ...], hidden: str) -> list[File] | None:
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
    return kit.page(
        lang, "search.html", info, bundles=bundles, hidden=hidden, base=kit.urls.prefix + "/"
    )
