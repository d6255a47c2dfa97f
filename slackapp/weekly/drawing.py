"""A tick's chart work: drawing, in worker processes when there are many charts, and
uploading, on threads of its own.

Drawing is CPU work that holds the GIL (text layout, mostly), so the tick's sender threads
can't draw in parallel; worker processes can, while the threads upload and post. Starting
the workers costs a second or two (each imports matplotlib), which a handful of charts
don't repay: below ``POOL_FROM`` charts they are drawn where they are needed.

Uploads wait on their drawing and then on Slack, three calls each; on the senders' threads
they held up the posts queued behind them (manager DMs, posts whose chart was uploaded
before), so they have threads of their own and a post waits only for its own chart.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

from slackapp.render.charts import Chart
from slackapp.render.painting import draw_chart, warm_up

POOL_FROM = 20
MAX_WORKERS = 4


class ChartWorkers:
    """Draws and uploads charts for one tick; ``close()`` stops its workers."""

    def __init__(self, charts: int, *, uploaders: int) -> None:
        self._drawing: ProcessPoolExecutor | None = None
        if charts >= POOL_FROM:
            workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
            # spawn: a fork of this threaded process could inherit a lock held mid-use.
            context = multiprocessing.get_context("spawn")
            self._drawing = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            for _ in range(workers):  # each starts and imports matplotlib while boards compute
                self._drawing.submit(warm_up)
        # Threads start only when the first upload is queued.
        self._uploads = ThreadPoolExecutor(max_workers=uploaders, thread_name_prefix="upload")

    def draw(self, chart: Chart) -> Future[bytes] | None:
        """The chart being drawn in a worker, or None: draw it where it is shown."""
        if self._drawing is None:
            return None
        return self._drawing.submit(draw_chart, chart.spec)

    def upload(self, upload: Callable[[], str | None]) -> Future[str | None]:
        """``upload`` under way on an upload thread; its file id to come."""
        return self._uploads.submit(upload)

    def close(self) -> None:
        self._uploads.shutdown(wait=True, cancel_futures=True)
        if self._drawing is not None:
            self._drawing.shutdown(wait=True, cancel_futures=True)
