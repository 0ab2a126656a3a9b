#!/usr/bin/env python3
"""What a reader's first search fetches: ushtil's index (a base and a delta) against one
Pagefind index of the same records, made by Pagefind's own command line.

    .venv/bin/python benchmarks/search_cost.py --n 2000 [--edits 100] [--work /tmp/x]

Generates a project (``tests/generated.py``, ``--n`` articles), builds it, and measures
in headless Chromium (Debian's, driven by Playwright, flags as in ``tests/servers.py``):
the search page of a language opened with a query (``?q=…``) until its results are
shown, in a fresh browser each time, counting every request and the bytes of every
response; once with the base alone (a clean build), once after ``--edits`` versions of
the language were changed (a base and a delta). The reference is the same search page
pointed at one index that Pagefind's command line makes of the very records ushtil
indexes (each written as a page at its URL). Prints, per query, requests and bytes of
the whole page and of the index alone, and their ratios to the reference.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from generated import generate  # noqa: E402
from servers import ARGS, CHROMIUM, static_server  # noqa: E402

from ushtil.site.build import build, load_site, now_utc  # noqa: E402

QUERIES = {"kk": ("әкім", "мәдениет жоба"), "ru": ("город", "культура"), "en": ("mayor", "art")}


@dataclass(frozen=True)
class Cost:
    requests: int
    bytes: int
    index_requests: int
    index_bytes: int
    results: str


def reference_index(project: Path, public: Path, lang: str) -> str:
    """One Pagefind index of the records ushtil indexes in ``lang``, by Pagefind's command
    line, at ``/{lang}/pagefind-cli/``, and a copy of the search page that loads it; the
    copy's path."""
    from pagefind.service import get_executable

    from ushtil.site.graph import build_graph
    from ushtil.site.markdown import Bodies
    from ushtil.site.pages import Kit
    from ushtil.site.search import own_versions, records
    from ushtil.site.templating import Templates

    loaded = load_site(project)
    assert loaded.site is not None
    config = loaded.site.config
    graph = build_graph(loaded.site, now_utc())
    templates = Templates(config, graph.urls, loaded.catalogs, compiled=False)
    kit = Kit(config, graph, templates, Bodies(config, None), "")
    with tempfile.TemporaryDirectory() as scratch:
        for record in records(kit, lang, own_versions(kit, lang)):
            page = Path(scratch) / record.url.strip("/") / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(record.html(lang), encoding="utf-8")
        bundle = public / lang / "pagefind-cli"
        shutil.rmtree(bundle, ignore_errors=True)
        executable = get_executable()
        assert executable is not None
        subprocess.run(
            [str(executable), "--site", scratch, "--output-path", str(bundle),
             "--force-language", lang, "--silent"],
            check=True,
        )  # fmt: skip
    html = (public / lang / "search/index.html").read_text(encoding="utf-8")
    start = html.index('data-bundles="')
    end = html.index('data-base="')
    html = html[:start] + f'data-bundles="/{lang}/pagefind-cli/" data-hidden="" ' + html[end:]
    copy = public / lang / "search-cli/index.html"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(html, encoding="utf-8")
    return f"/{lang}/search-cli/"


def measure(browser: object, url: str, verbose: bool = False) -> Cost:
    """A reader's first search: the page opened with its query in a fresh browser."""
    context = browser.new_context()  # type: ignore[attr-defined]
    finished: list[object] = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(
        "(document.querySelector('.search-status')?.textContent ?? '').trim() !== ''"
        " && (document.querySelector('.search-results').childElementCount > 0"
        "     || document.querySelector('.search-results li') === null)",
        timeout=60_000,
    )
    page.wait_for_load_state("networkidle")
    status = page.locator(".search-status").inner_text()
    sizes = [(r.url, r.sizes()["responseBodySize"]) for r in finished]  # type: ignore[attr-defined]
    context.close()
    if verbose:
        for address, size in sizes:
            print(f"    {size:>8} {address}")
    index = [size for address, size in sizes if "/pagefind" in address]
    return Cost(len(sizes), sum(s for _, s in sizes), len(index), sum(index), status)


def edit_versions(project: Path, lang: str, count: int) -> int:
    """Append a sentence to ``count`` of the language's published versions."""
    done = 0
    for path in sorted((project / "articles").glob(f"*/{lang}.md")):
        text = path.read_text(encoding="utf-8")
        if "draft = true" in text or done >= count:
            continue
        path.write_text(text + "\nЖаңа сөйлем.\n", encoding="utf-8")
        done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--edits", type=int, default=100, help="versions changed for a delta")
    parser.add_argument("--lang", default="kk", choices=sorted(QUERIES))
    parser.add_argument("--work", type=Path, help="a folder to keep the project in")
    parser.add_argument("--verbose", action="store_true", help="every request and its size")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = args.work or Path(tempfile.mkdtemp(prefix="ushtil-search-cost-"))
    project = work / "site"
    if project.exists():
        shutil.rmtree(project)
    generate(project, n=args.n)
    lang = args.lang
    print(f"{'state':18} {'query':14} {'req':>4} {'KiB':>7} {'index req':>9} {'index KiB':>9}"
          "  ratio req / bytes (index)  results")  # fmt: skip
    states = [("base alone", 0), (f"+ delta of {args.edits}", args.edits)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for state, edits in states:
            if edits:
                edit_versions(project, lang, edits)
            report = build(project, now=now_utc())
            assert report.ok, [str(d) for d in report.diagnostics if d.is_error]
            public = project / "public"
            reference = reference_index(project, public, lang)
            with static_server(public) as base:
                for query in QUERIES[lang]:
                    ours = measure(browser, f"{base}/{lang}/search/?q={query}", args.verbose)
                    theirs = measure(browser, f"{base}{reference}?q={query}", args.verbose)
                    for name, cost in ((state, ours), ("Pagefind CLI", theirs)):
                        print(
                            f"{name:18} {query:14} {cost.requests:>4} {cost.bytes / 1024:>7.1f}"
                            f" {cost.index_requests:>9} {cost.index_bytes / 1024:>9.1f}"
                            + (
                                f"  {ours.index_requests / theirs.index_requests:>5.2f}"
                                f" / {ours.index_bytes / theirs.index_bytes:>4.2f}"
                                if cost is ours
                                else " " * 14
                            )
                            + f"             {cost.results}"
                        )
        browser.close()
    if args.work is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
