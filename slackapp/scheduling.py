"""APScheduler 3 drives one short periodic tick; the database decides what is due."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from slackapp.weekly_run import WeeklyRunner

log = logging.getLogger(__name__)
TICK_SECONDS = 60


def _safe_tick(runner: WeeklyRunner) -> None:
    try:
        runner.tick()
    except Exception:  # a bad tick must not stop the next one
        log.exception("scheduler tick failed")


def _add_tick(
    scheduler: BackgroundScheduler | BlockingScheduler, runner: WeeklyRunner, seconds: int
) -> None:
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


def start_background(runner: WeeklyRunner, seconds: int = TICK_SECONDS) -> BackgroundScheduler:
    """For ``serve``: tick in a thread of the web process."""
    scheduler = BackgroundScheduler(timezone=UTC)
    _add_tick(scheduler, runner, seconds)
    scheduler.start()
    return scheduler


def run_forever(runner: WeeklyRunner, seconds: int = TICK_SECONDS) -> None:
    """For ``ssi-leaderboard scheduler``: tick in this process until stopped."""
    scheduler = BlockingScheduler(timezone=UTC)
    _add_tick(scheduler, runner, seconds)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
