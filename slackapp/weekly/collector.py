"""The garbage collector's setting while a tick runs.

A tick builds hundreds of thousands of small tuples per workspace that live until its posts
are sent; at Python's default (a young collection every 700 allocations) the collector
rescanned each of them several times and took a third of the run. The setting is the
process's, so it is changed only for the tick's duration (``WeeklyRunner.tick``), never for
a request's, and restored after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Objects a workspace's boards allocate between two young-generation collections (measured
# with bench/weekly.py: 100 teams of 20 members allocate about 20,000 that live until the
# boards are used).
GC_YOUNG_THRESHOLD = 50_000

_holders = 0
_holders_lock = threading.Lock()
_saved_thresholds = gc.get_threshold()


@contextmanager
def relaxed_gc() -> Iterator[None]:
    """Collect the young generation less often inside. Cycles are still collected, only in
    larger batches. Nested and concurrent holders (the web app's background tick beside
    a ``tick`` run by hand) are counted; the last one restores the thresholds."""
    global _holders, _saved_thresholds
    with _holders_lock:
        if _holders == 0:
            _saved_thresholds = gc.get_threshold()
            gc.set_threshold(max(GC_YOUNG_THRESHOLD, _saved_thresholds[0]), *_saved_thresholds[1:])
        _holders += 1
    try:
        yield
    finally:
        with _holders_lock:
            _holders -= 1
            if _holders == 0:
                gc.set_threshold(*_saved_thresholds)
