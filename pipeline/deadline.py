"""The per-document time limit (--seconds-per-document), in two layers.

In a process's main thread a timer signal interrupts the document wherever it is. Dask workers run tasks
in threads, where no signal reaches, so the long loops of the analysis also call `checkpoint()`, which
raises once the document's time is up: the limit holds on every engine.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


class DocumentTimeout(BaseException):
    """A document took longer than --seconds-per-document. A BaseException, like KeyboardInterrupt: the
    libraries a page passes through (trafilatura, warcio) catch Exception, and would take the time limit
    for a fault of the page and go on with part of it. Only process_page, process_file and a container's
    reader catch it, each making a Timeout row."""


def _over(seconds: float, doing: str) -> DocumentTimeout:
    return DocumentTimeout(f"{doing} took over {seconds:g} s (--seconds-per-document)")


def checkpoint() -> None:
    """Raise DocumentTimeout when the current document's time is up (cheap: one clock read)."""
    expires = getattr(_local, "expires", None)
    if expires is not None and time.monotonic() > expires:
        raise _over(_local.seconds, _local.doing)


@contextmanager
def deadline(seconds: float, doing: str = "analysis") -> Iterator[None]:
    """Raise DocumentTimeout after SECONDS of the block (DOING, for the message): by a timer where one can
    run, else at a checkpoint."""
    if seconds <= 0:
        yield
        return
    _local.expires, _local.seconds, _local.doing = time.monotonic() + seconds, seconds, doing
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = None
    try:  # the timer is set inside the try: it may fire before the block starts, and must be undone then too
        if in_main_thread:

            def expire(signum: int, frame: object) -> None:
                raise _over(seconds, doing)

            previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        _local.expires = None
        if in_main_thread:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if previous is not None:
                signal.signal(signal.SIGALRM, previous)
