"""Where batches run: in this process, in a pool of local worker processes, or on a Dask cluster.

Every engine takes the same batches and yields their results in order, so the tables do not depend on the
engine. Documents go to workers in batches (one pickle per batch, not per document) and each worker
loads the rules once, on its first batch.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from functools import partial

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
        context = multiprocessing.get_context("fork")
        with context.Pool(min(settings.workers, len(batches)), initializer=_warm) as pool:
            yield from pool.imap(partial(process_batch, settings=settings), batches)


def _dask(batches: list[list[Item]], settings: Settings) -> Iterator[list[list[FileResult]]]:
    """Run on the Dask cluster at settings.scheduler, or on a LocalCluster of settings.workers processes.

    The workers read the input paths themselves: on a real cluster the input folder must be on a shared
    file system, and every worker needs vnextract installed (see the README).
    """
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
