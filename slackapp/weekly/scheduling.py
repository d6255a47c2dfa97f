"""APScheduler 3 drives one short periodic tick; the database decides what is due.

Stopping: the runner begins no new post and the scheduler no new tick; a post in flight may
finish for ``STOP_GRACE_SECONDS``. Container runtimes give 10 s between SIGTERM and SIGKILL,
and a compose restart must not find the process still posting.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from slackapp.weekly.runner import WeeklyRunner

log = logging.getLogger(__name__)
TICK_SECONDS = 60
STOP_GRACE_SECONDS = 3.0


def _safe_tick(runner: WeeklyRunner) -> None:
    try:
        runner.tick()
    except Exception:  # a bad tick must not stop the next one
        log.exception("scheduler tick failed")


def _add_tick(scheduler: BaseScheduler, runner: WeeklyRunner, seconds: int) -> None:
    scheduler.add_job(
        _safe_tick,
        "interval",
        args=[runner],
        seconds=seconds,
        id="weekly-tick",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )


def _stop(scheduler: BaseScheduler, runner: WeeklyRunner, grace: float) -> bool:
    """Stop ticking; True when no tick was left running after ``grace`` seconds."""
    if scheduler.running:
        scheduler.shutdown(wait=False)
    finished = runner.stop(grace)
    if not finished:
        log.warning(
            "stopping with a tick still posting; the next tick looks for what it sent first"
        )
    return finished


def start_background(
    runner: WeeklyRunner, seconds: int = TICK_SECONDS, grace: float = STOP_GRACE_SECONDS
) -> Callable[[], None]:
    """For ``serve``: tick in a thread of the web process. Returns how to stop it."""
    scheduler = BackgroundScheduler(timezone=UTC)
    _add_tick(scheduler, runner, seconds)
    scheduler.start()

    def stop() -> None:
        _stop(scheduler, runner, grace)

    return stop


def run_forever(
    runner: WeeklyRunner, seconds: int = TICK_SECONDS, grace: float = STOP_GRACE_SECONDS
) -> None:
    """For ``ssi-leaderboard scheduler``: tick in this process until SIGTERM or SIGINT.

    As a container's first process it gets no default signal handling from the kernel, so
    SIGTERM is handled here explicitly."""
    scheduler = BlockingScheduler(timezone=UTC)
    _add_tick(scheduler, runner, seconds)

    def stop_on(signum: int, _frame: FrameType | None) -> None:
        log.info("%s: stopping the scheduler", signal.Signals(signum).name)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop_on)
    signal.signal(signal.SIGINT, stop_on)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()  # returns when a signal's SystemExit comes through
    if not _stop(scheduler, runner, grace):
        # The tick's worker threads would hold the interpreter open until they end.
        logging.shutdown()
        sys.stdout.flush()
        os._exit(0)
