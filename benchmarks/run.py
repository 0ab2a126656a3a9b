#!/usr/bin/env python3
"""Build-speed benchmark: ushtil (and optionally Hugo) on one trilingual corpus.

    .venv/bin/python benchmarks/run.py --n 5000 20000 [--hugo] [--runs 3] [--work /tmp/ushtil-bench]
                                       [--search] [--images]

For each N: a corpus from benchmarks/corpus.py (the shared generator, N articles ×
kk/ru/en with missing and outdated versions), then, as whole processes, the median of
``--runs`` runs of

- clean: no output folder, no cache;
- no change: the same build again;
- one change: one sentence added to one article version, then a build;
- serve: ``ushtil serve`` on the same project, one sentence added to an article
  ``--runs`` times (at least 3), each timed from the save to the page served with it
  (benchmarks/serve_latency.py); the median.

With ``--images``, ushtil also builds the corpus with a lead photo per article
(``corpus.py --images``), the same three ways, printed as ``ushtil+img``: what the
photos cost a clean build, and that they cost a one-change rebuild nothing.

Printed per build: wall seconds, CPU seconds (user + system, all processes), peak
memory (the largest resident set of the processes), pages per second (HTML pages
written). With ``--hugo``, the same corpus as a Hugo site (``to_hugo.py``) built with
``hugo --quiet`` the same three ways, and the ratio of ushtil's time to Hugo's.
The machine is shared and noisy: compare ratios from one run, not absolute seconds.

The corpus is built with search turned off (``[search] enabled = false``), so the rows
stay comparable from run to run. ``--search`` adds, per N, the same three builds with
search on (rows ``+search``) and the indexing step alone (row ``index``: Pagefind making
every language's index from the records, in this process, after a clean build).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import serve_latency  # noqa: E402


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float


def timed(cmd: list[str], cwd: Path) -> Run:
    """One whole process (and its children): wall, CPU and peak resident memory."""
    with tempfile.TemporaryFile() as log:  # not a pipe: a full pipe would stall the build
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        log.seek(0)
        stderr = log.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} failed ({code}):\n{stderr[-2000:]}")
    # ru_maxrss covers the process itself; a pool's workers are forked children it waits for
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mib for r in runs),
    )


def touch_one(project: Path, kind: str, n: int) -> None:
    """Add a sentence to one version (ushtil: its .md; Hugo: the same article's file)."""
    if kind == "ushtil":
        path = sorted((project / "articles").glob("*/ru.md"))[n // 2]
    else:
        path = sorted((project / "content" / "ru").rglob("*.md"))[n // 2]
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nҚосымша сөйлем {time.time_ns()}.\n")


def bench(
    kind: str, project: Path, cmd: list[str], runs: int, n: int, clean_paths: list[str]
) -> dict[str, Run]:
    results: dict[str, list[Run]] = {"clean": [], "no change": [], "one change": []}
    for _ in range(runs):
        for name in clean_paths:
            shutil.rmtree(project / name, ignore_errors=True)
        results["clean"].append(timed(cmd, project))
        results["no change"].append(timed(cmd, project))
        touch_one(project, kind, n)
        results["one change"].append(timed(cmd, project))
    return {name: median(r) for name, r in results.items()}


def search(project: Path, on: bool) -> None:
    """Turn the corpus's search on or off in its site.toml."""
    config = project / "site.toml"
    text = config.read_text(encoding="utf-8").split("\n[search]\n")[0]
    config.write_text(text + f"\n[search]\nenabled = {'true' if on else 'false'}\n")


def index_time(project: Path) -> tuple[float, int]:
    """Wall seconds of Pagefind indexing every language of the project (the step alone),
    and how many versions it indexed."""
    from ushtil.site.build import load_site, now_utc
    from ushtil.site.graph import build_graph
    from ushtil.site.markdown import Bodies
    from ushtil.site.pages import Kit
    from ushtil.site.search import make_indexes, own_versions, records
    from ushtil.site.templating import Templates

    loaded = load_site(project)
    assert loaded.site is not None
    config = loaded.site.config
    graph = build_graph(loaded.site, now_utc())
    templates = Templates(config, graph.urls, loaded.catalogs, compiled=False)
    kit = Kit(config, graph, templates, Bodies(config, None), "")
    wanted = {(lang, "base"): records(kit, lang, own_versions(kit, lang)) for lang in config.codes}
    start = time.perf_counter()
    make_indexes(wanted, graph.urls.prefix)
    return time.perf_counter() - start, sum(len(found) for found in wanted.values())


def pages(public: Path) -> int:
    return sum(1 for _ in public.rglob("*.html"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hugo", action="store_true", help="build the same corpus with Hugo too")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ushtil-bench"))
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument(
        "--search", action="store_true", help="the builds with search on too, and the index time"
    )
    parser.add_argument("--images", action="store_true", help="also with a photo per article")
    args = parser.parse_args()
    ushtil = [str(Path(sys.executable).with_name("ushtil")), "build"]
    hugo = shutil.which("hugo")
    if args.hugo and hugo is None:
        sys.exit("--hugo: hugo is not installed (apt-get install hugo)")
    print(
        f"{'engine':10} {'N':>6} {'build':11} {'wall s':>7} {'CPU s':>7} "
        f"{'peak MiB':>9} {'pages/s':>8}"
    )
    # ushtil's user folder (its build memory, key, compiled templates) kept apart; a clean
    # build starts with no build memory
    os.environ["XDG_CACHE_HOME"] = str(args.work / "user-cache")
    memory = str(args.work / "user-cache" / "ushtil" / "builds")
    for n in args.n:
        for images in (False, True) if args.images else (False,):
            label = "ushtil+img" if images else "ushtil"
            project = args.work / f"{label}-{n}"
            corpus.make_project(
                n,
                project,
                args.shared,
                drop={"en": 0.1, "kk": 0.03},
                outdated=0.05,
                images=images,
            )
            search(project, False)
            found = bench("ushtil", project, ushtil, args.runs, n, ["public", memory])
            count = pages(project / "public")
            for name, r in found.items():
                print(
                    f"{label:10} {n:>6} {name:11} {r.wall:>7.2f} {r.cpu:>7.2f} "
                    f"{r.peak_mib:>9.0f} {count / r.wall:>8.0f}"
                )
            if not images:
                results = found
        project = args.work / f"ushtil-{n}"
        searching: dict[str, Run] = {}
        if args.search:
            search(project, True)
            searching = bench("ushtil", project, ushtil, args.runs, n, ["public", memory])
            count = pages(project / "public")
            for name, r in searching.items():
                print(
                    f"{'+search':10} {n:>6} {name:11} {r.wall:>7.2f} {r.cpu:>7.2f} "
                    f"{r.peak_mib:>9.0f} {count / r.wall:>8.0f}"
                )
            seconds, versions = index_time(project)
            print(f"{'index':10} {n:>6} {'clean':11} {seconds:>7.2f}  ({versions} versions)")
            search(project, False)
        edits = max(args.runs, 3)  # the first save may meet a build still warming up
        latency = statistics.median(serve_latency.measure(project, edits, log=False))
        print(f"{'ushtil':10} {n:>6} {'serve':11} {latency:>7.2f}  (save to page served)")
        if args.hugo:
            neutral = args.work / f"neutral-{n}"
            site = args.work / f"hugo-{n}"
            gen = corpus.shared_generator(args.shared)
            gen.generate(n, str(neutral), drop={"en": 0.1, "kk": 0.03})
            shutil.rmtree(site, ignore_errors=True)
            subprocess.run(
                [sys.executable, str(args.shared / "to_hugo.py"), str(neutral), str(site)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            hugo_results = bench(
                "hugo",
                site,
                [hugo, "--quiet", "-d", "public"],
                args.runs,
                n,
                ["public", "resources"],
            )
            hugo_count = pages(site / "public")
            for name, r in hugo_results.items():
                print(
                    f"{'hugo':10} {n:>6} {name:11} {r.wall:>7.2f} {r.cpu:>7.2f} "
                    f"{r.peak_mib:>9.0f} {hugo_count / r.wall:>8.0f}"
                )
            for name in results:
                print(
                    f"{'ratio':10} {n:>6} {name:11} "
                    f"{results[name].wall / hugo_results[name].wall:>7.2f}  (ushtil ÷ hugo, wall)"
                )
            for name in searching:
                print(
                    f"{'ratio':8} {n:>6} {name:11} "
                    f"{searching[name].wall / hugo_results[name].wall:>7.2f}"
                    "  (ushtil with search ÷ hugo, wall)"
                )


if __name__ == "__main__":
    main()
