"""``/metrics``: served on a port of its own, counting what an operator watches (requests
by kind and outcome, busy answers, Slack's calls and 429s, the weekly posts and ticks),
never with a person's or a workspace's id, a name or a score in a label."""

from __future__ import annotations

import logging
import re
import socket
import urllib.request
from collections.abc import Iterator
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import Engine

from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.slack_requests import signature_headers
from slackapp.metrics.exporter import serve_metrics
from slackapp.render.notices import busy_reply
from slackapp.slack.calls.client import create_web_client
from slackapp.slack.calls.rate_limits import SlackPace
from slackapp.slack.pipeline.dispatch import failure_answer
from tests.conftest import RunningApp
from tests.factories import SLOT, command_body, make_team, runner, submit


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def metrics_url() -> Iterator[str]:
    port = _free_port()
    stop = serve_metrics("127.0.0.1", port)
    yield f"http://127.0.0.1:{port}/metrics"
    stop()


def test_metrics_are_served_on_their_own_port_and_stop(metrics_url: str) -> None:
    with urllib.request.urlopen(metrics_url, timeout=5) as answer:
        text = answer.read().decode()
        assert answer.headers["Content-Type"].startswith("text/plain")
    for name in ("ssi_slack_requests_seconds", "ssi_weekly_posts_total", "ssi_tick_seconds"):
        assert f"# TYPE {name.removesuffix('_total')}" in text


def test_a_port_already_taken_is_logged_and_the_app_goes_on(
    metrics_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    port = int(metrics_url.split(":")[2].split("/")[0])
    with caplog.at_level(logging.WARNING):
        stop = serve_metrics("127.0.0.1", port)
    stop()  # nothing to stop: a no-op
    assert "metrics not served" in caplog.text
    assert serve_metrics("127.0.0.1", 0)() is None  # 0: off


def test_requests_are_counted_by_kind_and_outcome(app: RunningApp) -> None:
    ok = _value("ssi_slack_requests_seconds_count", kind="command", outcome="ok")
    refused = _value("ssi_slack_requests_seconds_count", kind="command", outcome="refused")
    assert app.slack.command(user_id="U1", text="68 21 17 14 16").status == 200
    body = command_body(app, "68 21 17 14 16")
    forged = signature_headers("not-the-secret-at-all-123456", body)
    assert app.slack.post(body, headers=forged).status == 401
    assert _value("ssi_slack_requests_seconds_count", kind="command", outcome="ok") == ok + 1
    refused_now = _value("ssi_slack_requests_seconds_count", kind="command", outcome="refused")
    assert refused_now == refused + 1
    assert _value("ssi_dispatch_wait_seconds_count") >= 2


def test_busy_answers_are_counted_by_kind() -> None:
    before = _value("ssi_slack_requests_busy_total", kind="form")
    failure_answer({"type": "view_submission", "view": {}}, busy_reply(), busy=True)
    assert _value("ssi_slack_requests_busy_total", kind="form") == before + 1


def test_slack_calls_and_429s_are_counted_with_the_time_waited(fake_slack: FakeSlack) -> None:
    client = create_web_client(token="xoxb-1", base_url=fake_slack.api_url, pace=SlackPace())
    fake_slack.script("chat.postMessage", Fault(status=429, retry_after=1))
    calls = _value("ssi_slack_api_calls_seconds_count", method="chat.postMessage", outcome="ok")
    limited = _value("ssi_slack_rate_limited_total", method="chat.postMessage")
    waited = _value("ssi_slack_rate_limit_wait_seconds_total", method="chat.postMessage")
    client.chat_postMessage(channel="C1", text="hello")
    assert (
        _value("ssi_slack_api_calls_seconds_count", method="chat.postMessage", outcome="ok")
        == calls + 1
    )
    assert _value("ssi_slack_rate_limited_total", method="chat.postMessage") == limited + 1
    assert _value("ssi_slack_rate_limit_wait_seconds_total", method="chat.postMessage") >= (
        waited + 1
    )


def test_a_ticks_posts_and_its_time_are_counted(engine: Engine, fake_slack: FakeSlack) -> None:
    make_team(engine)
    submit(engine, "U1", 60, SLOT - timedelta(hours=3))
    sent = _value("ssi_weekly_posts_total", kind="board", outcome="sent")
    ticks = _value("ssi_tick_seconds_count")
    clock = ManualClock(SLOT + timedelta(minutes=1))
    runner(engine, fake_slack, clock).tick()
    assert _value("ssi_weekly_posts_total", kind="board", outcome="sent") == sent + 1
    assert _value("ssi_tick_seconds_count") == ticks + 1
    assert _value("ssi_tick_last_finished_timestamp_seconds") > 0


# What no label may ever hold: Slack's ids (U0..., T0..., C0..., D..., E...), a score.
_ID = re.compile(r"^[UTCDEWBGF][0-9A-Z]{6,}$|^\d+(\.\d+)?$")


def test_no_label_names_a_person_a_workspace_or_a_score(app: RunningApp) -> None:
    app.slack.command(user_id="U0SECRET1", text="68 21 17 14 16")
    app.slack.command(user_id="U0SECRET1", text="me")
    app.slack.direct_message(user_id="U0SECRET1", text="68 21 17 14 16")
    app.fake.wait_for("chat.postMessage")
    labels = {
        value
        for family in REGISTRY.collect()
        if family.name.startswith("ssi_")
        for sample in family.samples
        for name, value in sample.labels.items()
        if name != "le"  # a histogram's bucket bound
    }
    assert labels and not {value for value in labels if _ID.match(value)}
