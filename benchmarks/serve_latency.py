#!/usr/bin/env python3
"""How long after a saved change ``ushtil serve`` serves the new page.

    .venv/bin/python benchmarks/serve_latency.py --n 1000 [--edits 5] [--deadline 60]
                                                 [--work /tmp/ushtil-bench]

Makes the benchmark corpus (benchmarks/corpus.py), starts ``ushtil serve`` on it as a
process, then ``--edits`` times saves one article's Russian version with a new line added
to its original text (the same article each time, a different line) and polls that page
over HTTP until the line is served; prints each latency and the median. An edit not served
within ``--deadline`` seconds ends the measurement (the server is still busy with it).
The article's file is put back as it was at the end.
"""

from __future__ import annotations

import argparse
import math
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from measure import Edit, latency_median, ushtil_command  # noqa: E402

START_DEADLINE = 1800.0  # the first build of a large site, when serve starts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def edited_article(project: Path) -> str:
    """The article every row edits: the middle one by ID (each has a Russian version)."""
    ids = sorted(p.parent.name for p in (project / "articles").glob("*/ru.md"))
    return ids[len(ids) // 2]


def measure(project: Path, edits: int, *, deadline: float = 60.0, log: bool = True) -> list[float]:
    """Start ``ushtil serve`` on ``project``; ``edits`` times, save one article with a new
    line and time until the page served has it. Seconds, edit by edit; ``inf`` for an
    edit not served within ``deadline`` seconds (the last one then)."""
    port = free_port()
    article_id = edited_article(project)
    edit = Edit(project / "articles" / article_id / "ru.md")
    server = subprocess.Popen(
        ushtil_command() + ["-C", str(project), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times: list[float] = []
    try:
        base = f"http://127.0.0.1:{port}"
        page = f"{base}/ru/news/{article_id}/"
        started = time.monotonic()
        while not fetch(page):
            if time.monotonic() - started > START_DEADLINE or server.poll() is not None:
                sys.exit(f"ushtil serve on {project} served nothing in {START_DEADLINE:.0f} s")
            time.sleep(0.2)
        for n in range(edits):
            marker = f"Latency-check-{n}-{time.time_ns()}"
            time.sleep(1.0)  # quiet before each edit
            saved = time.perf_counter()
            edit.apply(f"\n{marker}\n")
            while marker not in fetch(page):
                if time.perf_counter() - saved > deadline:
                    break
                time.sleep(0.01)
            else:
                times.append(time.perf_counter() - saved)
                if log:
                    print(f"edit {n + 1}: served after {times[-1]:.2f} s")
                continue
            times.append(math.inf)
            if log:
                print(f"edit {n + 1}: not served within {deadline:.0f} s")
            break
        return times
    finally:
        server.terminate()
        server.wait(30)
        edit.restore()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ushtil-bench"))
    parser.add_argument("--shared", type=Path, default=corpus.default_shared())
    args = parser.parse_args()
    project = args.work / f"serve-{args.n}"
    corpus.make_project(args.n, project, args.shared, drop={"en": 0.1, "kk": 0.03}, outdated=0.05)
    times = measure(project, args.edits, deadline=args.deadline)
    median = latency_median(times)
    shown = f"more than {args.deadline:.0f} s" if math.isinf(median) else f"{median:.2f} s"
    print(f"N = {args.n}: median {shown} from save to served page")


if __name__ == "__main__":
    main()
