"""Requests Slack would never send, and random text through the real endpoint: each gets a
correct answer (401, 413, or a clear message), nothing is stored, no stack trace leaks."""

from __future__ import annotations

import json
import logging
import socket

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from models.domain.ssi import InvalidReading
from models.store.migrate import downgrade, upgrade
from slackapp.app import create_app
from slackapp.clock import ManualClock
from slackapp.devtools.local_server import serving
from slackapp.devtools.slack_requests import signature_headers
from slackapp.devtools.slack_side import SlackSide
from slackapp.settings import Settings
from slackapp.slack.pipeline.bolt_request import SlackRequest
from slackapp.slack.pipeline.replay import ReplayGuard
from slackapp.slack.readers.command_text import Subcommand, Submit, parse
from slackapp.web import MAX_BODY_BYTES
from tests.conftest import SIGNING_SECRET, RunningApp
from tests.factories import command_body


def test_a_replayed_request_is_refused_and_stores_nothing_more(app: RunningApp) -> None:
    body = command_body(app, "68 21 17 14 16")
    headers = signature_headers(SIGNING_SECRET, body)
    assert app.slack.post(body, headers=headers).status == 200
    replay = app.slack.post(body, headers=headers)
    assert replay.status == 401 and "already received" in replay.body
    assert app.submission_count() == 1
    # The same words sent again by the person are a new request: signed anew, stored.
    assert app.slack.post(command_body(app, "68 21 17 14 16")).status == 200
    assert app.submission_count() == 2


def test_replay_memory_forgets_after_ten_minutes(engine: Engine) -> None:
    now = [1_800_000_000.0]
    guard = ReplayGuard(engine, clock=lambda: now[0])
    assert guard.first_time("v0=a", int(now[0])) and not guard.first_time("v0=a", int(now[0]))
    now[0] += 11 * 60  # Bolt refuses the timestamp by now anyway; the row goes
    assert guard.first_time("v0=b", int(now[0]))
    assert guard.first_time("v0=a", int(now[0]))


def test_a_replay_to_another_replica_or_after_a_restart_is_refused(
    app: RunningApp, settings: Settings, clock: ManualClock
) -> None:
    """One captured ``/ssi undo`` sent to two replicas (and to a restarted one) deletes one
    reading, not three."""
    for pillar in (15, 16, 17):
        app.slack.command(user_id="U1", text=f"{pillar * 4} {pillar} {pillar} {pillar} {pillar}")
        clock.advance(days=1)
    assert app.submission_count() == 3
    body = command_body(app, "undo")
    headers = signature_headers(SIGNING_SECRET, body)
    assert app.slack.post(body, headers=headers).status == 200
    with serving(create_app(settings, clock=clock)) as other:
        again = SlackSide(app_url=other, signing_secret=SIGNING_SECRET, fake=app.fake)
        replay = again.post(body, headers=headers)
    assert replay.status == 401 and "already received" in replay.body
    with serving(create_app(settings, clock=clock)) as restarted:
        again = SlackSide(app_url=restarted, signing_secret=SIGNING_SECRET, fake=app.fake)
        assert again.post(body, headers=headers).status == 401
    assert app.submission_count() == 2


def test_a_huge_body_is_refused_before_it_is_read(app: RunningApp) -> None:
    body = (command_body(app, "68 21 17 14 16") + "&padding=" + "x" * MAX_BODY_BYTES).encode()
    host, port = app.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        head = (
            f"POST /slack/events HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "X-Slack-Request-Timestamp: 1700000000\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        connection.sendall(head.encode() + body[:65536])  # the answer comes before the rest
        answer = connection.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 413") and "Slack never sends one" in answer
    assert app.submission_count() == 0


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ("payload=%7Bnot+json", 400, "malformed request"),
        ("payload=%5B1%2C2%5D", 400, "malformed request"),
        ("%%%&&&==", 404, "unhandled request"),
        ("", 404, "unhandled request"),
        ("\x00\xff binary", 404, "unhandled request"),
        # No team and no user: answered in words, nothing stored.
        ("payload=" + json.dumps({"type": "block_actions"}), 200, "nothing was saved"),
        ("command=%2Fssi&text=68+21+17+14+16", 200, "nothing was saved"),
        # A workspace but no sender (or an empty one): nothing stored under no one.
        ("command=%2Fssi&team_id=T0ACME&text=68+21+17+14+16", 200, "nothing was saved"),
        ("command=%2Fssi&team_id=T0ACME&user_id=&text=68+21+17+14+16", 200, "nothing was saved"),
    ],
)
def test_malformed_bodies_are_refused_cleanly(
    app: RunningApp, body: str, status: int, says: str
) -> None:
    answer = app.slack.post(body)  # correctly signed: the body itself is the problem
    assert (answer.status, says in answer.body) == (status, True), answer
    assert "Traceback" not in answer.body
    assert app.submission_count() == 0


def test_a_malformed_body_without_a_valid_signature_is_401(app: RunningApp) -> None:
    body = "payload=%7Bnot+json"
    forged = signature_headers("not-the-secret-at-all-123456", body)
    assert app.slack.post(body, headers=forged).status == 401


def test_another_command_gets_a_clear_answer(app: RunningApp) -> None:
    answer = app.slack.post(command_body(app, "68 21 17 14 16", command="/other"))
    assert answer.status == 200
    assert "I only answer `/ssi`, not `/other`" in answer.text
    assert answer.json["response_type"] == "ephemeral"
    assert app.submission_count() == 0


def test_an_unknown_button_or_form_is_just_acknowledged(app: RunningApp) -> None:
    message = {
        "blocks": [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "old_button",
                        "text": {"type": "plain_text", "text": "Old"},
                    }
                ],
            }
        ]
    }
    answer, _ = app.slack.click(user_id="U1", message=message, action_id="old_button")
    assert (answer.status, answer.body) == (200, "")
    view = {"type": "modal", "callback_id": "a_form_from_long_ago", "blocks": []}
    assert app.slack.submit_view(user_id="U1", view=view, typed={}).status == 200
    assert app.submission_count() == 0


def test_readiness_needs_the_database_and_its_migrations(app: RunningApp) -> None:
    import urllib.request

    def readyz() -> tuple[int, str]:
        try:
            with urllib.request.urlopen(app.url + "/readyz", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    assert readyz() == (200, '{"status":"ready"}')
    downgrade(app.engine, "0003")
    status, body = readyz()
    assert status == 503 and "migrations pending" in body
    upgrade(app.engine)
    assert readyz()[0] == 200
    with urllib.request.urlopen(app.url + "/healthz", timeout=5) as response:
        assert response.status == 200


texts = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            [
                "68",
                "21",
                "17,5",
                "14.25",
                "16",
                "-3",
                "101",
                "top",
                "5%",
                "industry",
                "network",
                "me",
                "board",
                "privacy",
                "hidden",
                "forget-me",
                "remind",
                "off",
                "undo",
                "help",
                ",",
                ";",
                "&",
                "<!channel>",
                "\u2212",
                "  ",
            ]
        ),
        max_size=10,
    ).map(" ".join),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts)
@example(text="68 21 17 14 16")
@example(text="payload")  # Bolt alone read a form mentioning it as empty (a 404)
@example(text="68 21 17 14 16 industry 22 top 5% network 37 top 14%")
def test_any_text_through_the_endpoint(app: RunningApp, text: str) -> None:
    """Never a 500; the stored data changes only as the text asks: a valid reading adds a
    row, ``undo`` removes the latest, anything else (errors included) changes nothing."""
    before = app.submission_count()
    try:
        request = parse(text)
    except InvalidReading:
        request = None
    expected = before
    if isinstance(request, Submit):
        expected = before + 1
    elif request == Subcommand("undo"):
        expected = max(before - 1, 0)
    answer = app.slack.post(command_body(app, text))
    assert answer.status == 200, (text, answer)
    assert "Traceback" not in answer.body
    assert app.submission_count() == expected, text


@pytest.mark.parametrize("timestamp", ["abc", "1e3", "", "12.5", "0x10", "-5"])
def test_a_timestamp_that_is_not_a_number_is_refused_quietly(
    app: RunningApp, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    body = command_body(app, "68 21 17 14 16")
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + "0" * 64}
    answer = app.slack.post(body, headers=headers)
    assert answer.status == 401 and "invalid signature" in answer.body
    assert app.submission_count() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert any("isn't a number" in r.getMessage() for r in caplog.records)


def test_a_form_mentioning_payload_is_read_as_the_form_it_is() -> None:
    body = "command=%2Fssi&text=payload&team_id=T1&user_id=U1&channel_id=C1"
    request = SlackRequest(body=body, headers={})
    assert request.body["text"] == "payload" and request.context.team_id == "T1"
    assert request.to_copyable().body == request.body  # what lazy listeners get
    real = SlackRequest(body="payload=" + json.dumps({"type": "block_actions"}), headers={})
    assert real.body == {"type": "block_actions"}
