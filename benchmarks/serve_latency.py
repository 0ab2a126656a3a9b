#!/usr/bin/env python3
"""How long after a saved change ``ushtil serve`` serves the new page.

    .venv/bin/python benchmarks/serve_latency.py --n 1000 [--edits 5] [--work /tmp/ushtil-bench]

Makes the benchmark corpus (benchmarks/corpus.py), starts ``ushtil serve`` on it as a
process, then ``--edits`` times appends a sentence to one article's original and polls
that page until the sentence is served; prints each latency and the median.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def measure(project: Path, edits: int, log: bool = True) -> list[float]:
    """Start ``ushtil serve`` on ``project``; ``edits`` times, append a sentence to one
    article's original and time until the page served has it. Seconds, edit by edit."""
    port = free_port()
    ushtil = str(Path(sys.executable).with_name("ushtil"))
    server = subprocess.Popen(
        [ushtil, "-C", str(project), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 1800
        while not fetch(base + "/") and time.monotonic() < deadline:
            time.sleep(0.2)
        sources = sorted((project / "articles").glob("*/ru.md"))
        times = []
        for n in range(edits):
            source = sources[(100 + n * 37) % len(sources)]
            article_id = source.parent.name
            marker = f"Latency-check-{n}-{time.time_ns()}"
            time.sleep(1.0)  # quiet before each edit
            started = time.perf_counter()
            with source.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            while marker not in fetch(f"{base}/ru/news/{article_id}/"):
                time.sleep(0.01)
            times.append(time.perf_counter() - started)
            if log:
                print(f"edit {n + 1}: served after {times[-1]:.2f} s")
        return times
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ushtil-bench"))
    parser.add_argument("--shared", type=Path, default=corpus.ROOT.parent / "shared" / "bench")
    args = parser.parse_args()
    project = args.work / f"serve-{args.n}"
    corpus.make_project(args.n, project, args.shared, drop={"en": 0.1, "kk": 0.03}, outdated=0.05)
    times = measure(project, args.edits)
    print(f"N = {args.n}: median {statistics.median(times):.2f} s from save to served page")


if __name__ == "__main__":
    main()
