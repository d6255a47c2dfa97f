"""Fetching a shared file from (the fake) Slack: with the bot's token only, bounded, and
never Slack's sign-in page taken for the file."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.slack.calls.shared_files import NotFetched, fetch


def _file(fake: FakeSlack, content: bytes = b'{"memberScore": {}}') -> dict:
    return fake.share_file(user="U1", name="ssi.json", content=content, mimetype="application/json")


def test_the_bot_fetches_the_file(fake_slack: FakeSlack) -> None:
    file = _file(fake_slack)
    client = WebClient(token="xoxb-test", base_url=fake_slack.base_url + "/api/")
    url = file["url_private_download"]
    assert fetch(client, url, size=file["size"], limit=1000) == b'{"memberScore": {}}'


def test_without_a_bot_token_slacks_sign_in_page_is_not_the_file(fake_slack: FakeSlack) -> None:
    file = _file(fake_slack)
    client = WebClient(token="xoxp-a-person", base_url=fake_slack.base_url + "/api/")
    with pytest.raises(NotFetched, match="page"):
        fetch(client, file["url_private_download"], size=file["size"], limit=1000)


def test_a_file_larger_than_it_said_is_cut_off(fake_slack: FakeSlack) -> None:
    file = _file(fake_slack, b"x" * 5000)
    client = WebClient(token="xoxb-test", base_url=fake_slack.base_url + "/api/")
    with pytest.raises(NotFetched, match="more than"):
        fetch(client, file["url_private_download"], size=10, limit=1000)


def test_only_slacks_file_servers_are_asked_with_slacks_own_api() -> None:
    client = WebClient(token="xoxb-test")  # https://slack.com/api/
    for url in (
        "http://files.slack.com/x",
        "https://files.slack.com.evil.example/x",
        "https://127.0.0.1:8080/x",
    ):
        with pytest.raises(NotFetched, match="not a Slack file"):
            fetch(client, url, size=1, limit=1000)
