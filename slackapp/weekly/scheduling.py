"""APScheduler 3 drives one short periodic tick; the database decides what is due.

Stopping: the runner begins no new post and the scheduler no new tick; a post in flight may
finish for ``STOP_GRACE_SECONDS``. Container runtimes give 10 s between SIGTERM and SIGKILL,
and a compose restart must not find the process still posting. ``tick`` stops the same way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import NoReturn

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler

from slackapp.weekly.posting.outcomes import TickReport
from slackapp.weekly.runner import WeeklyRunner

log = logging.getLogger(__name__)
TICK_SECONDS = 60
STOP_GRACE_SECONDS = 3.0
STEP_SECONDS = 0.1  # how often the main thread looks for a stop signal


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


def _stop_signals() -> list[int]:
    """SIGTERM and SIGINT, as they come. As a container's first process this one gets no
    default signal handling from the kernel, so they are handled explicitly; and the kernel
    may hand one to any thread, when Python runs its handler only once the main thread next
    runs Python code: so the main thread waits in short steps, never in one long wait."""
    signals: list[int] = []
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda signum, _frame: signals.append(signum))
    return signals


def _leave(code: int) -> NoReturn:
    """Exit now, past the grace: the tick's threads would hold the interpreter open until
    they end (its chart-drawing workers are gone already: ``WeeklyRunner.stop``)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_forever(
    runner: WeeklyRunner, seconds: int = TICK_SECONDS, grace: float = STOP_GRACE_SECONDS
) -> None:
    """For ``ssi-leaderboard scheduler``: tick in this process until SIGTERM or SIGINT."""
    signals = _stop_signals()
    scheduler = BackgroundScheduler(timezone=UTC)
    _add_tick(scheduler, runner, seconds)
    scheduler.start()
    while not signals:
        time.sleep(STEP_SECONDS)
    log.info("%s: stopping the scheduler", signal.Signals(signals[0]).name)
    if not _stop(scheduler, runner, grace):
        _leave(0)


def run_once(
    runner: WeeklyRunner, now: datetime | None = None, grace: float = STOP_GRACE_SECONDS
) -> int:
    """For ``ssi-leaderboard tick``: one tick, stopped on SIGTERM or SIGINT as the
    scheduler's is. Says what it did; returns the exit code: 0, or 128 + the signal's number
    when stopped (what it did not send, the next tick sends)."""
    signals = _stop_signals()
    outcome: Future[TickReport] = Future()

    def tick() -> None:
        try:
            outcome.set_result(runner.tick(now))
        except BaseException as error:
            outcome.set_exception(error)

    threading.Thread(target=tick, name="tick", daemon=True).start()
    while not outcome.done() and not signals:
        with contextlib.suppress(TimeoutError):
            outcome.exception(timeout=STEP_SECONDS)
    if not signals:
        print(f"Tick done: {outcome.result()}.")
        return 0
    name = signal.Signals(signals[0]).name
    if not runner.stop(grace):
        print(
            f"Tick stopped by {name} with posts in flight; the next tick looks for them "
            "before sending them again.",
            file=sys.stderr,
        )
        _leave(128 + signals[0])
    print(
        f"Tick stopped by {name}: {outcome.result()}; the next tick sends the rest.",
        file=sys.stderr,
    )
    return 128 + signals[0]
