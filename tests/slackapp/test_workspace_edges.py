"""What a real workspace trips over: a private channel the app is not in, events and
shortcuts the app doesn't handle, and a Slack that can't be reached when the server starts."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlencode

import pytest

from slackapp.app import create_app
from slackapp.devtools.local_server import serving
from slackapp.settings import Settings, load_settings
from tests.conftest import SIGNING_SECRET, RunningApp, http_get, recorded


def test_setup_in_a_private_channel_the_app_is_not_in_asks_for_an_invite(
    app: RunningApp,
) -> None:
    app.fake.add_user("UBOSS", name="boss", tz="Europe/Berlin")
    app.fake.set_private_channel("G1", app_invited=False)
    app.slack.command(user_id="UBOSS", text="setup", channel_id="G1")
    (reply,) = app.fake.wait_for("response_url")
    assert "/invite @SSI Leaderboard" in reply.params["text"]
    assert app.fake.calls("views.open") == []  # no form that would end in a failed post
    # Once invited, set-up goes ahead.
    app.fake.set_private_channel("G1", app_invited=True)
    app.fake.set_channel_members("G1", ["UBOSS"])
    answer, opened = app.slack.open_view(user_id="UBOSS", text="setup", channel_id="G1")
    assert answer.status == 200 and opened.view["callback_id"] == "ssi_setup"


def test_events_and_shortcuts_nothing_handles_get_a_200(app: RunningApp) -> None:
    home = recorded("events/AppHomeOpenedPayload.json")
    home |= {"type": "event_callback", "team_id": "T0ACME", "event_id": "EvHOME"}
    home["authorizations"][0]["team_id"] = "T0ACME"
    home["event"] |= {"user": "U1", "channel": "D1", "tab": "home"}
    body = json.dumps(home)
    from slackapp.devtools.slack_requests import signature_headers

    answer = app.slack.post(
        body,
        headers=signature_headers(SIGNING_SECRET, body),
        content_type="application/json",
    )
    assert answer.status == 200
    shortcut = recorded("requests/MessageShortcutPayload.json")
    shortcut |= {"team": {"id": "T0ACME", "domain": "demo"}, "callback_id": "someone_elses"}
    shortcut["user"] = {"id": "U1", "team_id": "T0ACME"}
    assert app.slack.post(urlencode({"payload": json.dumps(shortcut)})).status == 200
    global_shortcut = {
        "type": "shortcut",
        "callback_id": "share_ssi",
        "trigger_id": "1.2",
        "team": {"id": "T0ACME", "domain": "demo"},
        "user": {"id": "U1", "team_id": "T0ACME"},
        "action_ts": "1795000000.000100",
    }
    assert app.slack.post(urlencode({"payload": json.dumps(global_shortcut)})).status == 200


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/api/"


def test_serve_starts_when_slack_is_unreachable_and_readiness_says_so(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(
        Settings,
        database_url=database_url,
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token="xoxb-unreachable",
        slack_api_url=_closed_port(),
    )
    from models.store.db import create_db_engine
    from models.store.migrate import upgrade

    engine = create_db_engine(database_url)
    upgrade(engine)
    engine.dispose()
    with serving(create_app(settings)) as url:
        assert http_get(url + "/healthz")[0] == 200
        status, body = http_get(url + "/readyz")
        assert status == 503 and "Slack can't be reached" in body
    assert any("serving anyway" in r.getMessage() for r in caplog.records)
