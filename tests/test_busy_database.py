"""A database held up elsewhere never freezes the app: requests answer within Slack's 3 s
("busy, nothing saved") and /healthz answers at once (slackapp/dispatch.py)."""

from __future__ import annotations

import sqlite3
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import make_url

from tests.conftest import RunningApp

HELD = 5.0  # seconds an outside writer keeps the database locked


@contextmanager
def outside_writer(database_url: str) -> Iterator[None]:
    """Another process's transaction holding the lock a submission needs, for ``HELD`` s."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(
            url.database or "", isolation_level=None, check_same_thread=False
        )
        connection.execute("BEGIN IMMEDIATE")  # SQLite's write lock
        release = connection.rollback
    else:
        connection = psycopg.connect(url.set(drivername="postgresql").render_as_string(False))
        connection.execute("LOCK TABLE submission, team IN ACCESS EXCLUSIVE MODE")
        release = connection.rollback
    timer = threading.Timer(HELD, release)
    timer.start()
    try:
        yield
    finally:
        timer.join()
        connection.close()


def _healthz_seconds(app: RunningApp) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(app.url + "/healthz", timeout=5) as answer:
        assert answer.status == 200
    return time.monotonic() - started


def test_a_locked_database_gets_a_busy_answer_in_time_and_healthz_stays_quick(
    app: RunningApp, database_url: str
) -> None:
    with outside_writer(database_url), ThreadPoolExecutor(8) as pool:
        started = time.monotonic()
        sent = [
            pool.submit(app.slack.command, user_id=f"U{n}", text="68 21 17 14 16") for n in range(6)
        ]
        time.sleep(0.3)  # the submissions are waiting on the lock now
        health = [_healthz_seconds(app) for _ in range(3)]
        answers = [(f.result(), time.monotonic() - started) for f in sent]
    assert max(health) < 0.5, health
    for answer, seconds in answers:
        assert answer.status == 200 and seconds < 3.0, (answer, seconds)
        assert "busy right now, so nothing was saved" in answer.text
    assert app.submission_count() == 0
    # Once the lock is gone, the same submission goes through.
    assert "Saved" in app.slack.command(user_id="U1", text="68 21 17 14 16").text
    assert app.submission_count() == 1


def test_a_busy_answer_is_logged_as_a_warning_not_an_error(
    app: RunningApp, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with outside_writer(database_url):
        answer = app.slack.command(user_id="U1", text="68 21 17 14 16")
    assert "nothing was saved" in answer.text
    assert any("database busy" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.exc_info]


def test_a_queued_request_is_refused_unsigned_and_answered_busy_signed(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slackapp.slack import dispatch
    from tests.test_hardening import command_body

    monkeypatch.setattr(dispatch, "QUEUE_SECONDS", -1.0)  # every request counts as queued
    body = command_body(app, "68 21 17 14 16")
    unsigned = app.slack.post(body, headers={"X-Slack-Request-Timestamp": "1700000000"})
    assert unsigned.status == 401
    signed = app.slack.command(user_id="U1", text="68 21 17 14 16")
    assert signed.status == 200 and "nothing was saved" in signed.text
    assert app.submission_count() == 0
