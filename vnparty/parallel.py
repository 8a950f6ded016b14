"""Run a function over chunks of documents: here, in local processes, or on a Dask cluster.

Results come back in input order. A document whose processing raises, or whose worker process
dies, becomes a :class:`Failed` in place of its result, so a run keeps every other document and
can name the ones it lost.
"""

from __future__ import annotations

import gc
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

__all__ = ["Failed", "map_chunks", "safely"]


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


def map_chunks(function: Callable[[list], list], chunks: Iterable[list], *, n_jobs: int = 1,
               client=None, prepare: Callable[[], None] | None = None) -> Iterator[list]:
    """Yield ``function(chunk)`` for each chunk, in order. ``function`` must return one result
    per item and should catch its own exceptions (see :func:`safely`). With ``n_jobs > 1``,
    ``prepare()`` runs here once before the worker processes start (which is only when a chunk
    is not empty), so that forked workers inherit what it loads."""
    if client is not None:
        yield from _dask(function, chunks, client)
    elif n_jobs > 1:
        yield from _processes(function, chunks, n_jobs, prepare)
    else:
        for chunk in chunks:
            yield function(chunk)


def _processes(function, chunks, n_jobs, prepare) -> Iterator[list]:
    pool = None  # started for the first chunk that is not empty
    pending: deque = deque()
    try:
        for chunk in chunks:
            if not chunk:
                pending.append((chunk, _done([])))
                continue
            if pool is None:
                if prepare is not None:
                    prepare()
                pool = _pool(n_jobs)
            pending.append((chunk, pool.submit(function, chunk)))
            while len(pending) > 2 * n_jobs:  # bounded: memory does not grow with the corpus
                chunk_done, future = pending.popleft()
                result, pool = _result(function, chunk_done, future, pool, n_jobs)
                yield result
        while pending:
            chunk_done, future = pending.popleft()
            result, pool = _result(function, chunk_done, future, pool, n_jobs)
            yield result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _pool(n_jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=n_jobs, initializer=_start_worker)


def _start_worker() -> None:
    # What a worker inherits goes into the collector's permanent generation: the collector then
    # never walks those objects, which saves time and keeps the memory pages shared with the
    # parent instead of copying them. The collector is on (the parent may have paused its own
    # when it forked this process).
    gc.freeze()
    gc.enable()


def _done(result) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def _result(function, chunk, future, pool, n_jobs):
    try:
        return future.result(), pool
    except BrokenProcessPool:
        # a worker died: redo this chunk one document at a time to find the culprit(s)
        pool.shutdown(cancel_futures=True)
        results = []
        for item in chunk:
            single = _pool(1)
            try:
                results.extend(single.submit(function, [item]).result())
            except BrokenProcessPool:
                results.append(Failed("the worker process died on this document"))
            finally:
                single.shutdown(cancel_futures=True)
        return results, _pool(n_jobs)


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
