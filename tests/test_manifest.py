"""manifest.yml is valid for Slack and declares exactly what the app handles."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import RunningApp

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "reference" / "slack-app-manifest.schema.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slacks_schema(manifest: dict) -> None:
    if not SCHEMA.exists():
        # CI always has shared/ beside the clone; a newcomer's checkout may not.
        assert not os.environ.get("CI"), f"missing {SCHEMA}"
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(manifest, schema, cls=jsonschema.Draft7Validator)


def test_manifest_declares_the_command_interactivity_scopes_and_events(manifest: dict) -> None:
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/ssi"
    settings = manifest["settings"]
    urls = [
        command["url"],
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    ]
    assert all(url.startswith("https://") and url.endswith("/slack/events") for url in urls)
    assert settings["interactivity"]["is_enabled"] is True
    assert {"commands", "chat:write", "channels:read", "groups:read", "users:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    # Looking for a post before sending it again reads the conversations posts go to.
    assert {"channels:history", "groups:history", "im:history"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )


def test_every_subscribed_event_is_handled(manifest: dict, app: RunningApp) -> None:
    for event_type in manifest["settings"]["event_subscriptions"]["bot_events"]:
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T0ACME",
                "api_app_id": "A0SSI",
                "event": {"type": event_type, "event_ts": "1700000000.000100"},
                "event_id": "Ev0001",
                "event_time": 1700000000,
            }
        )
        answer = app.slack.post(body)
        assert answer.status == 200, event_type  # Bolt answers 404 for unhandled events


def test_the_oauth_flow_asks_for_the_manifests_scopes(manifest: dict) -> None:
    from slackapp.slack.bolt_app import BOT_SCOPES, REDIRECT_PATH

    assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])
    redirects = manifest["oauth_config"].get("redirect_urls", [])
    assert redirects and all(url.endswith(REDIRECT_PATH) for url in redirects)
