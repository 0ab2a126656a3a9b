#!/usr/bin/env python3
"""Build-speed benchmark: ushtil and Hugo doing the same work on one trilingual corpus.

    .venv/bin/python benchmarks/run.py --n 5000 20000 [--hugo] [--images] [--search]
                                       [--runs 3] [--stats] [--serve-deadline 60]
                                       [--work /tmp/ushtil-bench]

For each N, the corpus of benchmarks/corpus.py (the shared generator's N articles ×
kk/ru/en, some versions missing, some outdated) as the sample portal: its ``site.toml``
and templates, the categories folded into the sample's six and every article with its
rubric, 10 articles a page, the sample glossary on (less the terms random text uses
untranslated: it warns about nothing, and the run says how many glossary warnings the
clean build gave). With ``--hugo``, the same corpus as a Hugo site with the same page
anatomy (../shared/bench/to_hugo.py).

Rows, each timed as whole processes, the median of ``--runs`` runs:

- clean: no output folder, no build memory or other cache (Hugo: no public/, resources/);
- nothing changed: the same build again (ushtil only: Hugo has no incremental build);
- one change: one sentence added to one article's Russian version (the same article and
  sentence each run, the file put back before the next clean build), then a build (Hugo's
  is a full build);
- serve: ``ushtil serve`` on the built project, the same article saved ``max(--runs, 3)``
  times with a new line each time, each timed from the save to the page served with it,
  polled over HTTP (benchmarks/serve_latency.py); a save not served within
  ``--serve-deadline`` seconds is shown as more than that.

Variants, as separate rows: ``ushtil`` (search off), ``+photos`` (``--images``: the same
corpus with a lead photo per article, search off), ``+search`` (``--search``: search on,
the index made in the build). With ``--hugo --search`` every Hugo build is followed by
Pagefind's own command line over Hugo's output (benchmarks/anchor.py), the anchor of the
``+search`` rows (``hugo+pf``).

Printed per build: wall seconds, CPU seconds (user + system of the processes and their
children), peak resident memory, pages per second (HTML files written); then the ratios of
ushtil's wall seconds to the anchor's, and the rows as a Markdown table for the README.
``--stats`` passes ``--stats`` to the one-change build and prints what it reports, when
``ushtil build`` has that option (nothing otherwise). The machine is shared and noisy:
compare ratios within one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import anchor  # noqa: E402
import corpus  # noqa: E402
import serve_latency  # noqa: E402
from measure import (  # noqa: E402
    Edit,
    Output,
    Run,
    checkout,
    latency_median,
    median,
    timed,
    ushtil_command,
)

DROP = {"en": 0.1, "kk": 0.03}
BUILDS = ("clean", "nothing changed", "one change")
ANCHORED = ("clean", "one change")  # the rows Hugo has an equivalent for
NAMES = {
    "ushtil": "ushtil",
    "+photos": "ushtil, a photo per article",
    "+search": "ushtil, search on",
    "hugo": "Hugo",
    "hugo+pf": "Hugo + Pagefind CLI",
}


@dataclass
class Row:
    engine: str
    n: int
    build: str
    run: Run | None = None  # a build
    latency: float | None = None  # serve: save to page served
    pages: int = 0


@dataclass
class Measured:
    builds: dict[str, list[Run]]  # per build, the median of each step
    first_clean: Output
    last_change: Output


def bench(
    project: Path,
    steps: list[list[str]],
    runs: int,
    edit: Edit,
    clean: Callable[[], None],
    builds: tuple[str, ...],
    change_flags: tuple[str, ...] = (),
) -> Measured:
    """``runs`` times: clean, then each of ``builds`` (its ``steps`` one after the other)."""
    found: dict[str, list[list[Run]]] = {b: [[] for _ in steps] for b in builds}
    first: Output | None = None
    last: Output | None = None
    for _ in range(runs):
        edit.restore()
        clean()
        for build in builds:
            if build == "one change":
                edit.apply()
            for index, cmd in enumerate(steps):
                flags = change_flags if build == "one change" and index == 0 else ()
                out = timed(cmd + list(flags), project)
                found[build][index].append(out.run)
                if build == "clean" and index == 0 and first is None:
                    first = out
                if build == "one change" and index == 0:
                    last = out
    edit.restore()
    assert first is not None and last is not None
    return Measured({b: [median(r) for r in found[b]] for b in builds}, first, last)


def remover(*paths: Path) -> Callable[[], None]:
    def clean() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return clean


def set_search(project: Path, on: bool) -> None:
    """Turn the project's search on or off in its site.toml."""
    config = project / "site.toml"
    text = re.sub(r"(?ms)^\[search\]\n.*?(?=^\[|\Z)", "", config.read_text(encoding="utf-8"))
    config.write_text(text.rstrip("\n") + f"\n\n[search]\nenabled = {'true' if on else 'false'}\n")


def pages(public: Path) -> int:
    return sum(1 for _ in public.rglob("*.html"))


def glossary_warnings(stderr: str) -> int:
    return sum(1 for line in stderr.splitlines() if "glossary.tbx" in line)


def counters(out: Output) -> str:
    """What ``--stats`` printed: standard output, and standard error less diagnostics."""
    lines = out.stdout.splitlines()
    lines += [
        line
        for line in out.stderr.splitlines()
        if ": warning: " not in line and ": error: " not in line and "warning(s)" not in line
    ]
    return "\n".join("    " + line for line in lines if line.strip())


def show(row: Row, deadline: float) -> str:
    label = f"{row.engine:9} {row.n:>6} {row.build:15}"
    if row.latency is not None:
        if math.isinf(row.latency):
            return f"{label} >{deadline:>6.0f}  (save to page served: not within the deadline)"
        return f"{label} {row.latency:>7.2f}  (save to page served)"
    assert row.run is not None
    r = row.run
    return f"{label} {r.wall:>7.2f} {r.cpu:>7.2f} {r.peak_mib:>9.0f} {row.pages / r.wall:>8.0f}"


def markdown(rows: list[Row], ratios: list[tuple[int, str, str, Run, Run]], deadline: float) -> str:
    lines = [
        "| engine | N | build | wall s | CPU s | peak MiB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        head = f"| {NAMES[row.engine]} | {row.n:,} | "
        if row.latency is not None:
            wall = f"> {deadline:.0f}" if math.isinf(row.latency) else f"{row.latency:.2f}"
            lines.append(head + f"`serve`: save to page served | {wall} | | |")
        elif row.run is not None:
            r = row.run
            lines.append(head + f"{row.build} | {r.wall:.2f} | {r.cpu:.2f} | {r.peak_mib:,.0f} |")
    if ratios:
        lines += ["", "| N | build | ratio | wall | CPU |", "| --- | --- | --- | --- | --- |"]
        for n, build, what, mine, theirs in ratios:
            lines.append(
                f"| {n:,} | {build} | {what} | {mine.wall / theirs.wall:.2f} "
                f"| {mine.cpu / theirs.cpu:.2f} |"
            )
    return "\n".join(lines)


def has_stats(ushtil: list[str]) -> bool:
    """Whether ``ushtil build`` takes ``--stats``."""
    done = subprocess.run(ushtil + ["--help"], capture_output=True, text=True, check=False)
    return "--stats" in done.stdout


@dataclass
class Session:
    """One run of the benchmark: its options, commands and the rows found so far."""

    args: argparse.Namespace
    ushtil: list[str]
    stats: tuple[str, ...]
    cache: Path
    rows: list[Row]
    ratios: list[tuple[int, str, str, Run, Run]]

    def report(self, row: Row) -> None:
        self.rows.append(row)
        print(show(row, self.args.serve_deadline), flush=True)

    def ushtil_rows(self, n: int, variant: str) -> dict[str, Run]:
        """Clean, nothing changed, one change and serve for one variant; the builds."""
        args = self.args
        project = args.work / f"{'photos' if variant == '+photos' else 'ushtil'}-{n}"
        if variant != "+search":  # search runs on the plain corpus, made just before
            images = variant == "+photos"
            corpus.make_project(n, project, args.shared, drop=DROP, outdated=0.05, images=images)
        set_search(project, variant == "+search")
        edit = Edit(project / "articles" / serve_latency.edited_article(project) / "ru.md")
        clean = remover(project / "public", self.cache)
        measured = bench(project, [self.ushtil], args.runs, edit, clean, BUILDS, self.stats)
        count = pages(project / "public")
        warned = glossary_warnings(measured.first_clean.stderr)
        print(f"{variant:9} {n:>6} glossary warnings in the clean build: {warned}", flush=True)
        found = {build: steps[0] for build, steps in measured.builds.items()}
        for build, run in found.items():
            self.report(Row(variant, n, build, run=run, pages=count))
        if self.stats:
            print(f"{variant:9} {n:>6} one change --stats:\n{counters(measured.last_change)}")
        edits = max(args.runs, 3)
        times = serve_latency.measure(project, edits, deadline=args.serve_deadline, log=False)
        self.report(Row(variant, n, "serve", latency=latency_median(times)))
        return found

    def hugo_rows(self, n: int, mine: dict[str, dict[str, Run]]) -> None:
        """Hugo's clean and one-change builds (each followed by Pagefind's command line
        with ``--search``), and their ratios to ushtil's."""
        args = self.args
        site = anchor.hugo_site(n, args.work, args.shared, DROP)
        article = serve_latency.edited_article(args.work / f"ushtil-{n}")
        edit = Edit(anchor.hugo_article(site, article))
        steps = [anchor.hugo_command()] + [anchor.pagefind_command()] * args.search
        clean = remover(site / "public", site / "resources")
        measured = bench(site, steps, args.runs, edit, clean, ANCHORED)
        count = pages(site / "public")
        for build, runs in measured.builds.items():
            self.report(Row("hugo", n, build, run=runs[0], pages=count))
            self.ratios.append((n, build, "ushtil ÷ Hugo", mine["ushtil"][build], runs[0]))
        if args.search:
            for build, runs in measured.builds.items():
                both = runs[0] + runs[1]
                self.report(Row("hugo+pf", n, build, run=both, pages=count))
                what = "ushtil, search on ÷ Hugo + Pagefind"
                self.ratios.append((n, build, what, mine["+search"][build], both))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", action="store_true", help="build the same corpus with Hugo too")
    parser.add_argument("--images", action="store_true", help="rows with a photo per article")
    parser.add_argument("--search", action="store_true", help="rows with search on")
    parser.add_argument("--stats", action="store_true", help="print the one-change build's stats")
    parser.add_argument("--serve-deadline", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ushtil-bench"))
    parser.add_argument("--shared", type=Path, default=corpus.default_shared())
    args = parser.parse_args()
    print(f"ushtil: {checkout()}")
    if args.hugo:  # refuse a missing Hugo or Pagefind before the first build
        print(anchor.version(anchor.hugo_command()[:1] + ["version"]))
        if args.search:
            print(anchor.version(anchor.pagefind_command()[:1] + ["--version"]))
    ushtil = ushtil_command() + ["build"]
    stats = ("--stats",) if args.stats and has_stats(ushtil) else ()
    # ushtil's user folder (build memory, compiled templates) kept apart, emptied for a clean build
    os.environ["XDG_CACHE_HOME"] = str(args.work / "user-cache")
    session = Session(args, ushtil, stats, args.work / "user-cache" / "ushtil", [], [])
    print(
        f"{'engine':9} {'N':>6} {'build':15} {'wall s':>7} {'CPU s':>7} "
        f"{'peak MiB':>9} {'pages/s':>8}",
        flush=True,
    )
    for n in args.n:
        variants = ["ushtil"] + ["+photos"] * args.images + ["+search"] * args.search
        mine = {variant: session.ushtil_rows(n, variant) for variant in variants}
        if args.hugo:
            session.hugo_rows(n, mine)
    for n, build, what, ours, theirs in session.ratios:
        print(
            f"{'ratio':9} {n:>6} {build:15} {ours.wall / theirs.wall:>7.2f} "
            f"{ours.cpu / theirs.cpu:>7.2f}  ({what}: wall, CPU)"
        )
    print("\n" + markdown(session.rows, session.ratios, args.serve_deadline))


if __name__ == "__main__":
    main()
