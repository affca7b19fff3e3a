"""Independent pieces of work on a large upload, run a few at a time in threads.

Reading one column of a registry does not depend on reading another, and most of the
work happens in Arrow's, numpy's and pandas' compiled code, which lets go of Python's
lock: on a machine with two cores or more, two columns are read at once.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# At most this many threads, however many cores the machine has: the app serves
# several sessions at once.
WORKERS = min(4, os.cpu_count() or 1)


def map_in_threads(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[function(item) for item in items]``, in that order, computed in threads; the
    first exception raised is raised here (an interruption too), once the items under
    way have finished: the items not yet started are not started."""
    items = list(items)
    if WORKERS == 1 or len(items) < 2:
        return [function(item) for item in items]
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    try:
        return list(pool.map(function, items))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
