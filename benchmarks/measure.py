"""Timing whole processes, and the one edit every benchmark row makes.

A build is timed as the processes it runs (``ushtil build``; ``hugo`` then ``pagefind``):
wall seconds from start to exit, CPU seconds (user + system of the processes and every
child they waited for, from ``wait4``'s resource usage) and the peak resident memory of
the largest of them.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# appended to one version's body by the "one change" rows, the same each time
SENTENCE = "\nДополнительное предложение для замера.\n"


def ushtil_command() -> list[str]:
    """``ushtil`` from the checkout the benchmark is in: its ``src/`` first on the path of
    every process started from now on, whatever checkout an editable install points at (a
    build memory made by other code is not used, so mixing them would time full builds)."""
    src = str(ROOT / "src")
    paths = os.environ.get("PYTHONPATH", "")
    if paths.split(os.pathsep)[0] != src:
        os.environ["PYTHONPATH"] = os.pathsep.join([src, paths] if paths else [src])
    return [sys.executable, "-m", "ushtil"]


def checkout() -> str:
    """The benchmarked code: the checkout's commit, and whether its files differ from it."""
    found = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return f"{found.stdout.strip() or 'no git'} ({ROOT})"


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float

    def __add__(self, other: Run) -> Run:
        """Two processes one after the other."""
        return Run(self.wall + other.wall, self.cpu + other.cpu, max(self.peak_mib, other.peak_mib))


@dataclass(frozen=True)
class Output:
    run: Run
    stdout: str
    stderr: str


def timed(cmd: list[str], cwd: Path) -> Output:
    """One whole process (and its children): wall, CPU and peak resident memory, and
    what it printed. A failure ends the benchmark with the end of its error output."""
    # files, not pipes: a full pipe would stall the build
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(cmd)} failed ({code}) in {cwd}:\n{stderr[-2000:]}{stdout[-1000:]}")
    # ru_maxrss of a waited process is the largest of it and its waited-for descendants
    cpu = usage.ru_utime + usage.ru_stime
    return Output(Run(wall, cpu, usage.ru_maxrss / 1024), stdout, stderr)


def median(runs: list[Run]) -> Run:
    """The median wall and CPU seconds of several runs, and the largest peak."""
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mib for r in runs),
    )


def latency_median(times: list[float]) -> float:
    """The median of save-to-served latencies; ``inf`` when one was not served in time."""
    return math.inf if not times or math.isinf(times[-1]) else statistics.median(times)


class Edit:
    """One file's text, changed and put back: ``apply`` writes the original with an
    addition (the same one unless told), ``restore`` the original."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_text(encoding="utf-8")
        self.changed = False

    def apply(self, addition: str = SENTENCE) -> None:
        self.path.write_text(self.original + addition, encoding="utf-8")
        self.changed = True

    def restore(self) -> None:
        if self.changed:
            self.path.write_text(self.original, encoding="utf-8")
            self.changed = False
