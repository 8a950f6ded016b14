"""Run a function over chunks of documents: here, in local processes, or on a Dask cluster.

Results come back in input order. A document whose processing raises, or whose worker process
dies, becomes a :class:`Failed` in place of its result, so a run keeps every other document and
can name the ones it lost. When a worker process dies, the work it and the others had in hand is
given to new workers: a part of a chunk that was being processed is split in two, and a single
document is blamed only after its worker died on it with no other work in hand. Workers end
when the process that started them ends.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import os
import signal
import sys
import threading
import time
import warnings
from collections import deque
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import Pipe
from typing import Callable, Iterable, Iterator

__all__ = ["Failed", "cap_workers", "map_chunks", "safely"]

_PARENT_CHECK = 1.0  # seconds between a worker's checks that its parent still runs
_FRUITLESS = 3  # worker deaths in a row with no work started or done: the workers cannot run


@dataclass(frozen=True)
class Failed:
    """Stands for the result of a document that could not be processed."""

    error: str


def safely(function: Callable, items: list) -> list:
    """``function`` on each item; an exception becomes a :class:`Failed`."""
    out = []
    for item in items:
        try:
            out.append(function(item))
        except Exception as error:  # noqa: BLE001 - reported back per document
            out.append(Failed(f"{type(error).__name__}: {error}"))
    return out


def usable_cpus() -> int:
    """The number of CPUs this process may run on."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        count = os.process_cpu_count()
    elif hasattr(os, "sched_getaffinity"):
        count = len(os.sched_getaffinity(0))
    else:
        count = os.cpu_count()
    return max(1, count or 1)


def cap_workers(n: int, name: str = "n_jobs", stacklevel: int = 2) -> int:
    """``n`` worker processes or threads, but at most :func:`usable_cpus` (with a warning that
    names the setting ``name``; ``stacklevel`` as for :func:`warnings.warn`, from the caller)."""
    cpus = usable_cpus()
    if n > cpus:
        warnings.warn(f"{name}={n} is more than the {cpus} CPUs this process may use: {cpus} "
                      "are used", stacklevel=stacklevel + 1)
        return cpus
    return n


def map_chunks(function: Callable[[list], list], chunks: Iterable[list], *, n_jobs: int = 1,
               client=None, prepare: Callable[[], None] | None = None) -> Iterator[list]:
    """Yield ``function(chunk)`` for each chunk, in order. ``function`` must return one result
    per item and should catch its own exceptions (see :func:`safely`). With ``n_jobs > 1``
    (at most the number of CPUs, see :func:`cap_workers`), ``prepare()`` runs here once before
    the worker processes start (which is only when a chunk is not empty), so that forked workers
    inherit what it loads."""
    if client is not None:
        yield from _dask(function, chunks, client)
    elif n_jobs > 1:
        yield from _processes(function, chunks, cap_workers(n_jobs, stacklevel=3), prepare)
    else:
        for chunk in chunks:
            yield function(chunk)


def _processes(function, chunks, n_jobs, prepare) -> Iterator[list]:
    runner = _Runner(function, n_jobs, prepare)
    jobs: deque = deque()
    try:
        for chunk in chunks:
            jobs.append(runner.start(chunk))
            while len(jobs) > 2 * n_jobs:  # bounded: memory does not grow with the corpus
                yield runner.finish(jobs.popleft())
        while jobs:
            yield runner.finish(jobs.popleft())
    finally:
        runner.close()


class _Job:
    """One chunk: its results, filled in part by part."""

    def __init__(self, chunk: list):
        self.results, self.left, self.parts = [None] * len(chunk), len(chunk), []


class _Part:
    """Consecutive items of a job, sent to a worker as one task."""

    def __init__(self, job: _Job, start: int, items: list):
        self.job, self.start, self.items = job, start, items
        self.number, self.future = None, None
        job.parts.append(self)


class _Runner:
    """A pool of worker processes that runs parts of chunks. When a worker dies the pool breaks:
    every part not done is sent again to a new pool, and each part that had started (one of them
    killed its worker) is split in two; a single document that had started is run alone in a
    process of its own, and becomes a :class:`Failed` if that process dies too."""

    def __init__(self, function, n_jobs: int, prepare):
        self.function, self.n_jobs, self.prepare = function, n_jobs, prepare
        self.pool = self.signals = None  # (started for the first part; signals: its pipe)
        self.running: list[_Part] = []  # sent and not done, in order
        self.started: set[int] = set()  # numbers of the parts a worker has begun
        self.numbers = itertools.count()
        self.fruitless = 0

    def start(self, chunk: list) -> _Job:
        job = _Job(chunk)
        if chunk:
            self._send(_Part(job, 0, chunk))
        return job

    def finish(self, job: _Job) -> list:
        while job.left:
            part = next(p for p in job.parts if p in self.running)
            try:
                out = part.future.result()
            except (BrokenProcessPool, CancelledError):
                self._recover()
                continue
            self._read_signals()  # (its own was sent before its result: none is left over)
            self.running.remove(part)
            self._done(part, out)
            self.fruitless = 0
        return job.results

    def close(self) -> None:
        if self.pool is not None:  # (a second shutdown of a pool does nothing)
            self.pool.shutdown(cancel_futures=True)
            for end in self.signals:
                end.close()
            self.pool = self.signals = None

    def _send(self, part: _Part) -> None:
        self.running.append(part)
        try:
            self._submit(part)
        except BrokenProcessPool:  # a worker died since the last look
            self._recover()  # (sends this part again too)

    def _submit(self, part: _Part) -> None:
        if self.pool is None:
            if self.prepare is not None:
                self.prepare()
                self.prepare = None
            self.signals = Pipe(duplex=False)
            self.pool = _pool(self.n_jobs, self.signals[1])
        part.number, part.future = next(self.numbers), None
        part.future = self.pool.submit(_run_part, self.function, part.number, part.items)

    def _read_signals(self) -> None:
        reader = self.signals[0]
        while reader.poll():
            self.started.add(int.from_bytes(reader.recv_bytes(), "little"))

    def _done(self, part: _Part, out: list) -> None:
        part.job.results[part.start:part.start + len(part.items)] = out
        part.job.left -= len(part.items)
        part.job.parts.remove(part)
        self.started.discard(part.number)

    def _recover(self) -> None:
        """After a worker died: a new pool, and every part not done sent again (see above)."""
        alone = []
        while True:
            alone += self._settle()
            try:
                for part in self.running:
                    self._submit(part)
                break
            except BrokenProcessPool:
                continue
        for part in alone:
            self._done(part, _alone(self.function, part.items))

    def _settle(self) -> list[_Part]:
        """Close the broken pool; keep what finished before, split the parts that had begun
        (in place in :attr:`running`), and return the single documents to run alone."""
        self.pool.shutdown(wait=True, cancel_futures=True)  # every future is settled now
        self._read_signals()
        self.close()
        running, alone, progress = [], [], False
        for part in self.running:
            future = part.future
            if future is not None and future.done() and not future.cancelled() \
                    and not isinstance(future.exception(), BrokenProcessPool):
                self._done(part, future.result())  # finished before (or raises its error)
                progress = True
            elif part.number not in self.started:
                running.append(part)  # not begun: not to blame
            else:
                progress = True
                self.started.discard(part.number)
                part.job.parts.remove(part)
                if len(part.items) == 1:
                    alone.append(_Part(part.job, part.start, part.items))
                else:
                    half = len(part.items) // 2
                    running += [_Part(part.job, part.start, part.items[:half]),
                                _Part(part.job, part.start + half, part.items[half:])]
        self.running = running
        self.fruitless = 0 if progress else self.fruitless + 1
        if self.fruitless >= _FRUITLESS:
            raise ChildProcessError(f"the worker processes died {_FRUITLESS} times before they "
                                    "could start any work: run with n_jobs=1 to see why")
        return alone


def _alone(function, items: list) -> list:
    """``function(items)`` in a process of its own: a :class:`Failed` if that process dies."""
    pool = _pool(1, None)
    try:
        return pool.submit(function, items).result()
    except BrokenProcessPool:
        return [Failed("the worker process died on this document")] * len(items)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(n_jobs: int, signals) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=n_jobs, initializer=_start_worker,
                               initargs=(signals, os.getpid()))


_signals = None  # in a worker: where it says which part it begins


def _run_part(function, number: int, items: list) -> list:
    _signals.send_bytes(number.to_bytes(8, "little"))  # (one write: never mixed with another's)
    return function(items)


def _start_worker(signals, parent: int) -> None:
    global _signals
    _signals = signals
    _follow_parent(parent)
    # What a worker inherits goes into the collector's permanent generation: the collector then
    # never walks those objects, which saves time and keeps the memory pages shared with the
    # parent instead of copying them. The collector is on (the parent may have paused its own
    # when it forked this process).
    gc.freeze()
    gc.enable()


def _follow_parent(parent: int) -> None:
    """End this worker when ``parent`` ends: on Linux the kernel sends SIGKILL
    (PR_SET_PDEATHSIG); everywhere, a thread checks that the worker was not handed to another
    parent (which is what happens to the workers of a process that ends)."""
    if sys.platform.startswith("linux"):
        _set_death_signal()
    first = os.getppid()
    if first != parent and not _runs(parent):  # it ended before this worker got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(first,), name="vnparty-parent", daemon=True
                     ).start()


def _set_death_signal() -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _watch_parent(first: int) -> None:
    while True:
        time.sleep(_PARENT_CHECK)
        if os.getppid() != first:
            os._exit(1)


def _dask(function, chunks, client) -> Iterator[list]:
    from distributed import Client

    own = isinstance(client, str)  # a scheduler address: connect, and close when done
    if own:
        client = Client(client)
    try:
        batch: list = []
        for chunk in chunks:
            batch.append(chunk)
            if len(batch) == 64:
                yield from _dask_batch(function, batch, client)
                batch = []
        if batch:
            yield from _dask_batch(function, batch, client)
    finally:
        if own:
            client.close()


def _dask_batch(function, batch, client) -> Iterator[list]:
    futures = client.map(function, batch, pure=False)
    for chunk, future in zip(batch, futures):
        try:
            yield future.result()
        except Exception as error:  # noqa: BLE001 - e.g. KilledWorker: the chunk is lost
            yield [Failed(f"{type(error).__name__} on the cluster: {error}")] * len(chunk)
