"""Where batches run: in this process, in a pool of local worker processes, or on a Dask cluster.

Every engine takes the same batches and yields their results in order, so the tables do not depend on the
engine. Documents go to workers in batches (one pickle per batch, not per document) and each worker
loads the rules once, on its first batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext

from pipeline.page import FileResult, Item, Settings, process_batch


def _warm() -> None:
    """Load the rules and the sentence splitter once per worker, before its first batch."""
    from pipeline.layout import Layout
    from pipeline.page import analyse

    analyse(
        "warm-up",
        Layout(text="Đồng chí Kim Vui, Bí thư Chi bộ.", title=None, site=None, author=None, published_date=None),
    )


def map_batches(batches: list[list[Item]], settings: Settings) -> Iterator[list[list[FileResult]]]:
    """The results of each batch, in the order of BATCHES."""
    if settings.engine == "dask":
        yield from _dask(batches, settings)
    elif settings.workers <= 1 or len(batches) <= 1:
        if batches:
            _warm()  # so that the first document's time limit is not spent loading the rules
        for batch in batches:
            yield process_batch(batch, settings)
    else:
        yield from _pool(batches, settings)


def _died(item: Item) -> list[FileResult]:
    message = (
        "the worker process reading this input died (killed, or out of memory), also when it was read alone; "
        "it was not processed and is tried again on the next run"
    )
    return [FileResult.failed(Item(*item).source_path, "analyse", "WorkerDied", message)]


def _worker_start() -> None:
    """A worker ends with the run that started it (Linux), even when the run is killed; then warms up."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    _warm()


def _alone(batch: list[Item], settings: Settings, context: BaseContext) -> list[list[FileResult]]:
    """A batch suspected of killing its worker, run in a worker of its own; if it kills that one too, its
    halves are run the same way, so that only the inputs that kill a worker alone become WorkerDied rows."""
    with ProcessPoolExecutor(1, mp_context=context, initializer=_worker_start) as solo:
        try:
            return solo.submit(process_batch, batch, settings).result()
        except BrokenProcessPool:
            pass
    if len(batch) == 1:
        return [_died(batch[0])]
    half = len(batch) // 2
    return _alone(batch[:half], settings, context) + _alone(batch[half:], settings, context)


def _pool(batches: list[list[Item]], settings: Settings) -> Iterator[list[list[FileResult]]]:
    """Batches on worker processes, a few in flight, results in order. A worker that dies (killed by the
    system for memory, say) breaks the pool: the batches then in flight are suspects, each run again in a
    worker of its own when its turn comes (see _alone), and a new pool takes the others, so a dead worker
    never hangs the run and never costs an innocent input."""
    context = multiprocessing.get_context("fork")
    workers = min(settings.workers, len(batches))
    suspect = [False] * len(batches)
    done: dict[int, list[list[FileResult]]] = {}
    following = 0  # the next batch to yield
    while following < len(batches):
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
            in_flight: dict[int, Future[list[list[FileResult]]]] = {}
            upcoming = following
            try:
                while following < len(batches):
                    while upcoming < len(batches) and len(in_flight) < 2 * workers:
                        if upcoming not in done and not suspect[upcoming]:
                            in_flight[upcoming] = pool.submit(process_batch, batches[upcoming], settings)
                        upcoming += 1
                    if following in in_flight:
                        done[following] = in_flight[following].result()
                        del in_flight[following]
                    elif following not in done:  # a suspect: alone
                        done[following] = _alone(batches[following], settings, context)
                    yield done.pop(following)
                    following += 1
            except BrokenProcessPool:
                for index, future in in_flight.items():
                    if future.done() and not future.exception():
                        done[index] = future.result()
                    else:
                        suspect[index] = True


def _dask(batches: list[list[Item]], settings: Settings) -> Iterator[list[list[FileResult]]]:
    """Run on the Dask cluster at settings.scheduler, or on a LocalCluster of settings.workers processes.

    The workers read the input paths themselves: on a real cluster the input folder must be on a shared
    file system, and every worker needs vnextract installed (see the README).
    """
    # Dask's own logging (a score of lines per run) stays off the terminal, in this process and its workers.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
    from distributed import Client, LocalCluster

    if settings.scheduler:
        client = Client(settings.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(process_batch, batches, settings=settings, pure=False)
        for future in futures:
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
