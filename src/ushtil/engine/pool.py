"""Outputs made on worker processes, for sites large enough to pay for them.

The workers are forked, and what they render with (:class:`Workshop`: the ledger, what
else of the build's the outputs use, as :class:`Shared` values, and the outputs to make)
is the argument of each worker's process target. With the fork start method a child gets
its target and arguments as the parent's very objects, never pickled, so no module-level
variable has to carry the build's state, and nothing but numbers goes out to a worker. A
worker takes batch numbers from a shared counter until none are left, makes each batch
through the same :meth:`~ushtil.engine.ledger.Ledger.make` the build itself uses (into
the spool when the build has one), and sends back, on a pipe of its own, the pages, what
it recorded and what each shared value took in. The build adopts the batches in order,
so the result does not depend on which worker was faster. The pool knows no page kind:
the site says what its outputs share (its templates, its bodies).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from ushtil.engine.cache import Recorded
from ushtil.engine.ledger import Ledger, Output
from ushtil.project.model import Page
from ushtil.project.problems import Diagnostic, Location, UshtilError, error

STOPPED = (
    "a process rendering pages ended before it was done (was it killed, or out of memory?); "
    "nothing was written: build again, or with --jobs 1"
)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Shared:
    """Something of the build's own that its outputs use and add to, besides the ledger:
    ``start`` readies a worker's copy, ``take`` gives what that copy took in (sent back
    with each batch, so it must pickle), ``adopt`` adds that to the build's own."""

    start: Callable[[], None]
    take: Callable[[], object]
    adopt: Callable[[Any], None]


@dataclass(frozen=True)
class Workshop:
    """What a worker renders with: the build's own objects, inherited through the fork."""

    ledger: Ledger
    shared: Sequence[Shared]
    outputs: Sequence[Output]
    batches: Sequence[range]  # of indices into outputs


@dataclass(frozen=True)
class Batch:
    """What a worker made of one batch."""

    pages: list[Page]
    recorded: dict[str, Recorded]
    taken: list[object]  # what each shared value took in, in the workshop's order
    counts: dict[str, int]  # the work it did, by counter (see ushtil.engine.counters)


# What a worker sends for a batch: its number, and the batch or why it failed (the
# diagnostics of an UshtilError, or another exception).
Message = tuple[int, Batch | None, list[Diagnostic] | BaseException | None]


def make_in_processes(
    outputs: Sequence[Output],
    ledger: Ledger,
    shared: Sequence[Shared],
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
    where: str = ".",
    meanwhile: Sequence[Callable[[], list[Page]]] = (),
) -> list[Page]:
    """Make ``outputs`` on ``jobs`` forked processes; what they record, render and find
    is adopted by ``ledger`` and the ``shared`` values as if made here. A worker
    that dies (killed, out of memory) stops the build with an error about ``where``
    (the project), instead of leaving it waiting for pages that never come.

    ``meanwhile``: work for this process while the workers render (the pages it makes
    come first in the result); between two pieces of it, what the workers sent is read,
    so that none waits on a full pipe."""
    size = max(16, len(outputs) // (jobs * 8))
    batches = [range(k, min(k + size, len(outputs))) for k in range(0, len(outputs), size)]
    shop = Workshop(ledger, shared, outputs, batches)
    if ledger.spool is not None:
        ledger.spool.open()  # one staging folder, made before the fork, for every worker
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    workers: list[multiprocessing.context.ForkProcess] = []
    readers: list[Connection] = []
    done: dict[int, Batch] = {}
    made = 0
    own: list[Page] = []
    chores = list(meanwhile)
    try:
        for _ in range(min(jobs, len(batches))):
            reader, writer = context.Pipe(duplex=False)
            worker = context.Process(target=_work, args=(shop, counter, writer), daemon=True)
            worker.start()
            writer.close()  # the worker's alone: its end of file is the worker's end
            workers.append(worker)
            readers.append(reader)
        while len(done) < len(batches) or chores:
            if chores:
                own += chores.pop(0)()
            elif not readers:
                raise UshtilError([error(Location(where), "worker", STOPPED)])
            if not readers:
                continue  # every worker has ended (waiting on no pipe would never return)
            for ready in wait(readers, timeout=0 if chores else None):
                assert isinstance(ready, Connection)
                try:
                    number, batch, failure = _receive(ready)
                except EOFError:
                    readers.remove(ready)
                    continue
                if isinstance(failure, list):
                    raise UshtilError(failure)
                if failure is not None:
                    raise failure
                assert batch is not None
                done[number] = batch
                made += len(batches[number])
                if progress is not None:
                    progress(made, len(outputs))
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()  # after a failure or Ctrl-C; finished workers have ended
            worker.join()
        for reader in readers:
            reader.close()
    pages = own
    for number in range(len(batches)):
        batch = done[number]
        pages.extend(batch.pages)
        ledger.adopt(batch.recorded)
        for value, taken in zip(shared, batch.taken, strict=True):
            value.adopt(taken)
        ledger.counters.merge(batch.counts)
    return pages


def _receive(reader: Connection) -> Message:
    message: Message = pickle.loads(reader.recv_bytes())
    return message


def _work(shop: Workshop, counter: Synchronized[int], writer: Connection) -> None:
    """A worker: batches until none are left. Ctrl-C is left to the build that started
    it, which ends its workers itself; SIGTERM ends a worker quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for value in shop.shared:
        value.start()
    while True:
        with counter.get_lock():
            number = counter.value
            counter.value += 1
        if number >= len(shop.batches):
            break
        writer.send_bytes(_message(shop, number))
    writer.close()


def _message(shop: Workshop, number: int) -> bytes:
    try:
        ledger = shop.ledger.fresh()
        before = ledger.counters.snapshot()  # the worker's copy of the build's counters
        pages = [page for i in shop.batches[number] for page in ledger.make(shop.outputs[i])]
        taken = [value.take() for value in shop.shared]
        batch = Batch(pages, ledger.recorded, taken, ledger.counters.since(before))
        return pickle.dumps((number, batch, None))
    except UshtilError as exc:  # its diagnostics travel; the exception would not pickle whole
        return pickle.dumps((number, None, list(exc.diagnostics)))
    except Exception as exc:  # noqa: BLE001  (whatever it is, the build raises it)
        try:
            return pickle.dumps((number, None, exc))
        except (pickle.PicklingError, TypeError, AttributeError):  # its text always pickles
            return pickle.dumps((number, None, RuntimeError(f"{type(exc).__name__}: {exc}")))
