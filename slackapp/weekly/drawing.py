"""A tick's chart work: drawing, in worker processes when there are many charts, and
uploading, on threads of its own.

Drawing is CPU work that holds the GIL (text layout, mostly), so the tick's sender threads
can't draw in parallel; worker processes can, while the threads upload and post. Starting
the workers costs a second or two (each imports matplotlib), which a handful of charts
don't repay: below ``POOL_FROM`` charts they are drawn where they are needed.

Uploads wait on their drawing and then on Slack, three calls each; on the senders' threads
they held up the posts queued behind them (manager DMs, posts whose chart was uploaded
before), so they have threads of their own and a post waits only for its own chart.

The workers (about 100 MB each) never outlive the tick: a tick told to stop lets them finish
the drawing under way and exit (``end``; killing one while it hands its picture over could
leave the pool's thread waiting for the rest forever, holding the process open), they are
killed if still there when the stop's grace is over (``kill``), and each exits by itself
the moment the process that started it is gone, however it went (``os._exit``, SIGKILL).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess

from slackapp.metrics.instruments import CHART_DRAW, CHART_UPLOAD
from slackapp.render.charts.painting import draw_chart, warm_up
from slackapp.render.charts.pictures import Chart

POOL_FROM = 20
MAX_WORKERS = 4


class ChartWorkers:
    """Draws and uploads charts for one tick; ``close()`` stops its workers."""

    def __init__(self, charts: int, *, uploaders: int) -> None:
        self._drawing: ProcessPoolExecutor | None = None
        self._workers: list[BaseProcess] = []  # once ended
        self._ended = False
        self._lock = threading.Lock()  # no drawing is asked for while ``end`` runs
        if charts >= POOL_FROM:
            workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
            # spawn: a fork of this threaded process could inherit a lock held mid-use.
            context = multiprocessing.get_context("spawn")
            self._drawing = ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=_worker_start
            )
            for _ in range(workers):  # each starts and imports matplotlib while boards compute
                self._drawing.submit(warm_up)
        # Threads start only when the first upload is queued.
        self._uploads = ThreadPoolExecutor(max_workers=uploaders, thread_name_prefix="upload")

    def draw(self, chart: Chart) -> Future[bytes] | None:
        """The chart being drawn in a worker, or None: draw it where it is shown."""
        with self._lock:
            if self._drawing is None or self._ended:
                return None
            drawing = self._drawing.submit(draw_chart, chart.spec)
        asked = time.monotonic()  # in the worker process, a metric would stay there
        drawing.add_done_callback(lambda _: CHART_DRAW.observe(time.monotonic() - asked))
        return drawing

    def upload(self, upload: Callable[[], str | None]) -> Future[str | None]:
        """``upload`` under way on an upload thread; its file id to come."""
        return self._uploads.submit(self._upload, upload)

    def _upload(self, upload: Callable[[], str | None]) -> str | None:
        # Once ended no post waits for its chart: none is drawn or uploaded any more.
        if self._ended:
            return None
        started, outcome = time.monotonic(), "error"
        try:
            file_id = upload()
            outcome = "uploaded" if file_id is not None else "not_uploaded"
            return file_id
        finally:
            CHART_UPLOAD.labels(outcome).observe(time.monotonic() - started)

    def end(self) -> None:
        """The tick is stopping and no post will wait for a chart: no drawing or upload
        begins after this, drawings not begun are dropped, and each worker exits once its
        drawing under way is done (uploads waiting for a dropped one go without)."""
        with self._lock:
            if self._ended:
                return
            self._ended = True
            if self._drawing is None:
                return
            # Python 3.14 has kill_workers(); before it the pool's processes are only here.
            self._workers = list(self._drawing._processes.values())
            self._drawing.shutdown(wait=False, cancel_futures=True)

    def kill(self, within: float = 1.0) -> None:
        """Past the stop's grace (``tick`` and ``scheduler`` then leave with ``os._exit``):
        the workers killed (a drawing has nothing to save), and gone when this returns."""
        self.end()
        for worker in self._workers:
            worker.kill()
        _wait_ended(self._workers, within)

    def close(self) -> None:
        self._uploads.shutdown(wait=True, cancel_futures=True)
        if self._drawing is not None:
            self._drawing.shutdown(wait=True, cancel_futures=True)
        _wait_ended(self._workers)  # after ``end``, whose shutdown didn't wait for them


def _wait_ended(processes: Sequence[BaseProcess], within: float | None = None) -> None:
    """Until each of ``processes`` has exited, or ``within`` seconds have passed."""
    deadline = None if within is None else time.monotonic() + within
    waiting = [p.sentinel for p in processes]
    while waiting:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return
        ended = wait(waiting, left)
        waiting = [s for s in waiting if s not in ended]


def _worker_start() -> None:
    """(In a worker, first.) Ends with its parent: a Ctrl-C in a terminal reaches the whole
    process group, and the parent ends its workers itself; and the moment the parent is gone,
    however it went, this worker goes too (orphaned, it would wait for work forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_after, args=(parent,), name="parent", daemon=True).start()


def _exit_after(parent: BaseProcess) -> None:
    parent.join()  # returns once the parent's end of a pipe to this worker is closed
    os._exit(1)
