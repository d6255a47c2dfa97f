"""Socket Mode: the same app over Slack's websocket, for teams with no public address.

The fake Slack answers ``apps.connections.open`` with a ``ws://127.0.0.1`` URL of its own
websocket server, sends envelopes over it and records the app's acknowledgements. The
``app`` fixture here serves over that socket, so the HTTP scenarios imported below run
again, unchanged, over Socket Mode; then the socket's own cases: reconnecting when Slack
refreshes or the network drops it, asking Slack for one URL per connection and waiting out
its refusals, closing promptly, and the health checks.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from slackapp.app import create_app
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Call, Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.fake_slack.socket_mode import SocketSide
from slackapp.devtools.local_server import serving
from slackapp.settings import Settings, load_settings
from slackapp.slack.calls.home_publisher import HomePublisher
from slackapp.slack.pipeline.socket_mode import SocketLine
from tests.conftest import SIGNING_SECRET, RunningApp, http_get
from tests.slackapp.language.test_languages import (  # noqa: F401
    test_a_person_can_choose_a_language_and_go_back_to_slacks,
    test_a_person_is_answered_in_the_language_slack_reports,
)
from tests.slackapp.slack.listeners.test_charts_and_home import (  # noqa: F401
    test_the_app_home_is_published_on_open_and_skipped_when_unchanged,
)
from tests.slackapp.slack.listeners.test_modal import (  # noqa: F401
    test_bare_command_opens_a_valid_empty_form_for_a_newcomer,
    test_form_errors_are_shown_on_their_fields_and_nothing_is_stored,
    test_saving_the_form_stores_and_confirms_in_the_channel,
)
from tests.slackapp.slack.listeners.test_privacy import (
    test_forget_me_asks_first_then_deletes_only_that_person,  # noqa: F401
)
from tests.slackapp.slack.listeners.test_slash_command import (  # noqa: F401
    test_help_lists_every_form,
    test_reply_shows_change_since_previous_with_one_decimal,
    test_separators_without_numbers_are_explained,
    test_submission_is_stored_and_answered_privately,
)
from tests.slackapp.slack.pipeline.test_events import test_a_redelivered_event_is_not_handled_again  # noqa: F401
from tests.slackapp.test_logs import (  # noqa: F401
    lines,
    test_lines_logged_after_the_middleware_name_the_workspace,
)


def socket_settings(settings: Settings) -> Settings:
    """The tests' settings with an app-level token: Socket Mode."""
    token = SecretStr("xapp-1-A0SSI-1-" + secrets.token_hex(16))
    return settings.model_copy(update={"slack_app_token": token})


@pytest.fixture
def app(
    settings: Settings, fake_slack: FakeSlack, engine: Engine, clock: ManualClock
) -> Iterator[RunningApp]:
    """The real app serving Slack over Socket Mode (its web server answers only health)."""
    with serving(create_app(socket_settings(settings), clock=clock)) as url:
        fake_slack.socket.wait_connected()
        slack = SocketSide(app_url=url, signing_secret=SIGNING_SECRET, fake=fake_slack)
        yield RunningApp(url=url, slack=slack, fake=fake_slack, engine=engine, clock=clock)
        HomePublisher.all_idle()


def opened(fake: FakeSlack) -> list[Call]:
    """The app's calls of apps.connections.open (Tier 1: about one a minute per app)."""
    return fake.calls("apps.connections.open")


def socket_line(settings: Settings, fake: FakeSlack, **kwargs: Any) -> SocketLine:
    """The socket alone, without a web server around it."""
    from slackapp.app import SsiApp

    kwargs.setdefault("app_token", "xapp-1-A0SSI")
    return SocketLine(SsiApp(settings).bolt, api_url=fake.api_url, **kwargs)


def test_the_app_token_opens_the_socket(app: RunningApp) -> None:
    (call,) = opened(app.fake)  # one connection needed, one asked for
    assert call.token and call.token.startswith("xapp-")
    assert http_get(app.url + "/readyz") == (200, '{"status":"ready"}')
    # No signed HTTP request was needed: every answer went back on the socket.
    assert app.fake.socket.acks == []


def test_a_refreshed_socket_reconnects_and_loses_nothing(app: RunningApp) -> None:
    link = app.fake.socket
    app.slack.command(user_id="U1", text="60 15 15 15 15")
    link.refresh()  # Slack's routine "disconnect: refresh_requested"
    link.wait_connected(2)
    answer = app.slack.command(user_id="U1", text="61 15 15 15 16")
    assert "*61* / 100" in answer.body
    link.drop()  # the network cuts it without a word
    link.wait_connected(3)
    answer = app.slack.command(user_id="U2", text="50 12 12 13 13")
    assert "*50* / 100" in answer.body
    # Each command handled once: three envelopes, three acknowledgements, three readings.
    assert len(link.envelopes) == len(link.acks) == 3
    assert app.submission_count() == 3


def test_each_reconnection_asks_slack_once_and_comes_quickly(app: RunningApp) -> None:
    link = app.fake.socket
    link.refresh()
    link.wait_connected(2, timeout=3)
    link.drop()
    link.wait_connected(3, timeout=3)
    assert len(opened(app.fake)) == link.connections == 3


def test_a_reconnection_over_slacks_limit_waits_as_slack_says(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    # Slack's one-a-minute limit of apps.connections.open, on a three-second minute.
    fake_slack.limits.minute = 3.0
    fake_slack.limits.per_minute["apps.connections.open"] = 1
    line = socket_line(settings, fake_slack)
    close = line.start()
    try:
        link = fake_slack.socket
        link.wait_connected()
        link.refresh()  # at once: over the limit, refused with a Retry-After
        link.wait_connected(2, timeout=10)
        link.drop()  # the same, on the thread that received on the dropped socket
        link.wait_connected(3, timeout=10)
        calls = opened(fake_slack)
        assert len(calls) == 5 and fake_slack.limits.limited == {"apps.connections.open": 2}
        for refused, granted in (calls[1:3], calls[3:5]):
            assert granted.at - refused.at >= 1.5  # Retry-After: 2 or 3 s, not a fixed 1 s
    finally:
        close()


def test_closing_the_socket_is_prompt(settings: Settings, fake_slack: FakeSlack) -> None:
    for connections in (1, 2, 3):  # the stall was a race, lost about three times in four
        close = socket_line(settings, fake_slack).start()
        fake_slack.socket.wait_connected(connections)
        time.sleep(0.2)  # the thread receiving on it waits in its select again
        began = time.monotonic()
        close()  # that thread lets go at once, not at its next 10 s wake-up
        assert time.monotonic() - began < 2


def test_closing_ends_a_wait_for_slack(settings: Settings, fake_slack: FakeSlack) -> None:
    fake_slack.script("apps.connections.open", Fault(status=429, retry_after=30))
    close = socket_line(settings, fake_slack).start()
    deadline = time.monotonic() + 5
    while not opened(fake_slack) and time.monotonic() < deadline:
        time.sleep(0.01)
    began = time.monotonic()
    close()  # no 30 s wait for a socket nobody needs any more
    assert time.monotonic() - began < 2
    assert len(opened(fake_slack)) == 1


def test_health_reflects_the_socket(
    settings: Settings, fake_slack: FakeSlack, clock: ManualClock
) -> None:
    # Slack refuses the first connections: the server still starts, says it is not ready,
    # and connects once Slack answers.
    fake_slack.script("apps.connections.open", *[Fault(error="internal_error")] * 2)
    with serving(create_app(socket_settings(settings), clock=clock)) as url:
        status, body = http_get(url + "/readyz")
        assert status == 503 and "Socket Mode" in body
        assert http_get(url + "/healthz")[0] == 200  # not for long enough to restart
        fake_slack.socket.wait_connected(timeout=15)
        assert http_get(url + "/readyz")[0] == 200
        # Refused twice, then connected: three calls, a growing pause between them.
        first, second, third = opened(fake_slack)
        assert 1 <= second.at - first.at < third.at - second.at


def test_a_socket_down_for_minutes_fails_the_liveness_check(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    now = [0.0]
    fake_slack.script("apps.connections.open", *[Fault(error="invalid_auth")] * 50)
    line = socket_line(settings, fake_slack, app_token="xapp-1-refused", clock=lambda: now[0])
    assert line.problem() is not None and not line.stale()
    now[0] += 121
    assert line.stale()


def test_a_drop_long_after_start_is_not_stale_at_once(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    now = [0.0]
    line = socket_line(settings, fake_slack, clock=lambda: now[0])
    line._connect()  # connected; no health check asked in the hour that follows
    fake_slack.socket.wait_connected()
    now[0] += 3600
    line.handler.close()  # the socket goes down for good
    assert line.problem() is not None and not line.stale()
    now[0] += 121
    assert line.stale()


def test_a_bot_token_is_not_an_app_token(database_url: str, fake_slack: FakeSlack) -> None:
    from slackapp.settings import SettingsError

    with pytest.raises(SettingsError, match=r"SLACK_APP_TOKEN.*xapp-"):
        load_settings(
            database_url=database_url,
            slack_signing_secret=SIGNING_SECRET,
            slack_bot_token="xoxb-1",
            slack_app_token="xoxb-not-an-app-token",
        )
