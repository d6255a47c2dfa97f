"""Drawing a tick's charts: in worker processes when there are many, in the tick when few.

Drawing is CPU work that holds the GIL (text rendering, mostly), so the tick's sender
threads can't draw in parallel; worker processes can, while the threads upload and post.
Starting the workers costs a second or two (each imports matplotlib), which a handful of
charts don't repay: below ``POOL_FROM`` charts they are drawn where they are needed.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from slackapp.render.charts import Chart, draw_chart

POOL_FROM = 20
MAX_WORKERS = 4


class Drawer:
    """Draws charts for one tick; ``close()`` stops its workers."""

    def __init__(self, charts: int) -> None:
        self._pool: ProcessPoolExecutor | None = None
        if charts >= POOL_FROM:
            workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
            # spawn: a fork of this threaded process could inherit a lock held mid-use.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)

    def submit(self, chart: Chart) -> Future[bytes] | None:
        """The chart being drawn in a worker, or None: draw it where it is shown."""
        if self._pool is None:
            return None
        return self._pool.submit(draw_chart, chart.spec)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
