"""The app's Web API client against the fake Slack: rate limits and errors as Slack sends them."""

from __future__ import annotations

import time

import pytest
from slack_sdk.errors import SlackApiError

from slackapp.devtools.fake_slack.calls import Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.slack.calls.client import create_web_client


def test_http_429_is_waited_out_and_sent_once(fake_slack: FakeSlack) -> None:
    client = create_web_client(token="xoxb-1", base_url=fake_slack.api_url)
    fake_slack.script("chat.postMessage", Fault(status=429, retry_after=1))
    started = time.monotonic()
    response = client.chat_postMessage(channel="C1", text="hello")
    assert response["ok"]
    assert time.monotonic() - started >= 1.0  # it honoured Retry-After
    calls = fake_slack.calls("chat.postMessage")
    assert len(calls) == 2 and calls[-1].params["text"] == "hello"
    assert calls[-1].token == "xoxb-1"


def test_server_errors_are_retried_where_a_retry_cannot_do_it_twice(fake_slack: FakeSlack) -> None:
    client = create_web_client(token="xoxb-1", base_url=fake_slack.api_url)
    fake_slack.script("users.info", Fault(status=503))
    fake_slack.add_user("U1", name="ana")
    assert client.users_info(user="U1")["ok"]
    assert len(fake_slack.calls("users.info")) == 2


def test_a_post_is_never_retried_blindly(fake_slack: FakeSlack) -> None:
    """Slack may have posted before failing: the weekly run looks before posting again."""
    client = create_web_client(token="xoxb-1", base_url=fake_slack.api_url)
    fake_slack.script("chat.postMessage", Fault(status=503))
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="hi")
    assert len(fake_slack.calls("chat.postMessage")) == 1


def test_slack_errors_surface_as_slack_api_errors(fake_slack: FakeSlack) -> None:
    client = create_web_client(token="xoxb-1", base_url=fake_slack.api_url)
    fake_slack.script("chat.postMessage", Fault(error="channel_not_found"))
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C404", text="hi")
    assert raised.value.response["error"] == "channel_not_found"


def test_fake_delays_answers(fake_slack: FakeSlack) -> None:
    client = create_web_client(token="xoxb-1", base_url=fake_slack.api_url)
    fake_slack.set_latency(0.05)
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started >= 0.05
