"""The spine: load → model → validate → render → write, returning a report.

Nothing is written unless every stage succeeded; the library never prints or exits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .catalogs import Catalog, load_catalogs
from .config import load_config
from .content import load_articles
from .errors import Diagnostic, UshtilError, has_errors, sort_key
from .graph import Graph, build_graph
from .model import Page, Site
from .render import default_jobs, render_site
from .status import ChangeTimes, compute_status
from .validate import validate_site
from .write import output_lock, write_site


@dataclass
class Loaded:
    site: Site | None
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class BuildReport:
    diagnostics: list[Diagnostic]
    pages: int = 0
    written: int = 0
    out: Path | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def load_site(root: Path) -> Loaded:
    """Read the whole project (config, articles, catalogues); collect every problem."""
    try:
        config = load_config(root)
    except UshtilError as exc:
        return Loaded(None, diagnostics=list(exc.diagnostics))
    articles, diagnostics = load_articles(config)
    catalogs, catalog_diagnostics = load_catalogs(config)
    diagnostics += catalog_diagnostics
    return Loaded(Site(config, tuple(articles)), catalogs, diagnostics)


def render(
    root: Path, *, now: dt.datetime | None = None, strict: bool = False, jobs: int | None = None
) -> tuple[list[Page], BuildReport, Graph | None]:
    """Everything but the write: the pages and the report."""
    now = now or now_utc()
    loaded = load_site(root)
    diagnostics = loaded.diagnostics
    if loaded.site is None:
        return [], BuildReport(sorted(diagnostics, key=sort_key)), None
    diagnostics += validate_site(loaded.site, now, strict=strict)
    graph = build_graph(loaded.site, now)
    status = compute_status(loaded.site, changed=ChangeTimes(root))
    pages, render_diagnostics = render_site(
        loaded.site, graph, loaded.catalogs, status, jobs=default_jobs() if jobs is None else jobs
    )
    diagnostics += render_diagnostics
    return pages, BuildReport(sorted(set(diagnostics), key=sort_key), pages=len(pages)), graph


def build(
    root: Path,
    out: Path | None = None,
    *,
    now: dt.datetime | None = None,
    strict: bool = False,
    write: bool = True,
    jobs: int | None = None,
) -> BuildReport:
    """Build the site at ``root`` into ``out`` (default ``root/public``); ``jobs``
    processes render article pages (default: one per available core)."""
    out = out if out is not None else root / "public"
    pages, report, _ = render(root, now=now, strict=strict, jobs=jobs)
    report.out = out
    if not report.ok or not write:
        return report
    try:
        with output_lock(out):
            report.written = write_site(pages, out)
    except UshtilError as exc:
        report.diagnostics.extend(exc.diagnostics)
    return report
