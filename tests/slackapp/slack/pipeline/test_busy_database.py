"""A database held up elsewhere never freezes the app: requests answer within Slack's 3 s
("busy, nothing saved") and /healthz answers at once (slackapp/dispatch.py)."""

from __future__ import annotations

import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import RunningApp
from tests.factories import outside_writer


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
    from slackapp.slack.pipeline import dispatch
    from tests.factories import command_body

    monkeypatch.setattr(dispatch, "QUEUE_SECONDS", -1.0)  # every request counts as queued
    body = command_body(app, "68 21 17 14 16")
    unsigned = app.slack.post(body, headers={"X-Slack-Request-Timestamp": "1700000000"})
    assert unsigned.status == 401
    signed = app.slack.command(user_id="U1", text="68 21 17 14 16")
    assert signed.status == 200 and "nothing was saved" in signed.text
    assert app.submission_count() == 0
