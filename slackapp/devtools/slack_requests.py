"""Requests into the app, built and signed exactly as Slack builds and signs them.

Used by the tests, the demo and the benchmark: a slash command is a form post, an interaction
is a form post with a ``payload`` JSON field, and both carry ``X-Slack-Signature`` (HMAC-SHA256
of ``v0:{timestamp}:{body}`` with the signing secret) and ``X-Slack-Request-Timestamp``.
``slack_side.SlackSide`` sends them to the app.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Answer:
    """The app's HTTP answer to Slack."""

    status: int
    body: str

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}

    @property
    def text(self) -> str:
        return str(self.json.get("text", ""))


def signature_headers(
    signing_secret: str, body: str, timestamp: int | None = None
) -> dict[str, str]:
    """The two headers Slack adds to every request."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None  # None only without a secret
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def slash_command_body(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    text: str,
    response_url: str,
    enterprise_id: str | None = None,
    command: str = "/ssi",
    org_wide: bool = False,
) -> str:
    """The form body of a slash command, field for field as Slack sends it."""
    fields = {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": "demo",
        "channel_id": channel_id,
        "channel_name": "sales",
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": "A0SSI",
        "is_enterprise_install": "true" if org_wide else "false",
        "response_url": response_url,
        "trigger_id": f"{secrets.randbelow(10**10)}.{secrets.token_hex(16)}",
    }
    if enterprise_id:
        fields["enterprise_id"] = enterprise_id
        fields["enterprise_name"] = "Demo Grid"
    return urlencode(fields)


def _element_state(element: dict[str, Any], typed: Any) -> dict[str, Any]:
    """One input's state as Slack reports it: what was typed or chosen, else its initial."""
    kind = element["type"]
    if kind == "static_select":
        value = typed if typed is not None else (element.get("initial_option") or {}).get("value")
        option = next((o for o in element["options"] if o["value"] == value), None)
        return {"type": kind, "selected_option": option}
    if kind == "datepicker":
        return {"type": kind, "selected_date": typed or element.get("initial_date")}
    if kind == "timepicker":
        return {"type": kind, "selected_time": typed or element.get("initial_time")}
    if kind == "multi_users_select":
        chosen = typed if typed is not None else element.get("initial_users", [])
        return {"type": kind, "selected_users": list(chosen)}
    if kind == "checkboxes":
        values = (
            typed if typed is not None else [o["value"] for o in element.get("initial_options", [])]
        )
        return {
            "type": kind,
            "selected_options": [o for o in element["options"] if o["value"] in values],
        }
    value = typed if typed is not None else element.get("initial_value")
    return {"type": kind, "value": value or None}


def filled_view(view: dict[str, Any], typed: dict[str, Any]) -> dict[str, Any]:
    """A view as Slack returns it on submit: each input's typed text or choice (or its
    initial value) in ``state.values``."""
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        values[block["block_id"]] = {
            element["action_id"]: _element_state(element, typed.get(block["block_id"]))
        }
    return {**view, "id": view.get("id", "V0VIEW"), "state": {"values": values}}
