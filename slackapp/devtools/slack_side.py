"""Slack's side of the conversation with the app, for one workspace: what people do in Slack
(a command, a modal's Save, a button, an event) sent to the app as Slack sends it, signed,
with response_urls the fake Slack serves."""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

from slackapp.devtools.fake_slack.calls import Call
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.slack_requests import (
    FORM,
    Answer,
    filled_view,
    signature_headers,
    slash_command_body,
)


class SlackSide:
    """Plays Slack towards the app for one workspace: sends signed requests to ``app_url``
    and hands out response_urls served by ``fake``."""

    def __init__(
        self,
        *,
        app_url: str,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str | None = None,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        self.org_wide = org_wide  # the app is installed org-wide on Enterprise Grid
        self.app_url = app_url.rstrip("/")
        self.signing_secret = signing_secret
        self.fake = fake
        self.team_id = team_id or fake.team_id
        self.enterprise_id = enterprise_id

    def post(
        self,
        body: str,
        *,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
        content_type: str = FORM,
    ) -> Answer:
        """POST ``body`` as a form; signed unless ``headers`` are given (``{}``: unsigned)."""
        signed = signature_headers(self.signing_secret, body) if headers is None else headers
        request = urllib.request.Request(
            self.app_url + path,
            data=body.encode("utf-8"),
            headers={"Content-Type": content_type, **signed},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Answer(response.status, response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode("utf-8"))

    def command(
        self, *, user_id: str, text: str, channel_id: str = "C0SALES", user_name: str = ""
    ) -> Answer:
        """Type ``/ssi {text}`` in a channel."""
        body = slash_command_body(
            team_id=self.team_id,
            enterprise_id=self.enterprise_id,
            user_id=user_id,
            user_name=user_name or user_id.lower(),
            channel_id=channel_id,
            text=text,
            response_url=self.fake.new_response_url(),
            org_wide=self.org_wide,
        )
        return self.post(body)

    def open_view(
        self, *, user_id: str, text: str = "", channel_id: str = "C0SALES"
    ) -> tuple[Answer, Call]:
        """Type a ``/ssi`` command that opens a modal (bare, or ``setup``): the app's answer,
        and the views.open call it made afterwards from a lazy listener."""
        before = len(self.fake.calls("views.open"))
        answer = self.command(user_id=user_id, text=text, channel_id=channel_id)
        return answer, self.fake.wait_for("views.open", before + 1)[-1]

    def submit_view(
        self, *, user_id: str, view: dict[str, Any], typed: dict[str, Any], user_name: str = ""
    ) -> Answer:
        """Press Save on a modal after filling ``typed`` into its fields (by block id)."""
        filled = {**filled_view(view, typed), "team_id": self.team_id}
        if self.org_wide:  # Slack names the org as the installed team
            filled["app_installed_team_id"] = self.enterprise_id
        payload = {
            "type": "view_submission",
            **self._where(),
            "user": {
                "id": user_id,
                "username": user_name or user_id.lower(),
                "name": user_name or user_id.lower(),
                "team_id": self.team_id,
            },
            "api_app_id": "A0SSI",
            "token": "deprecated-verification-token",
            "trigger_id": f"{secrets.randbelow(10**10)}.{secrets.token_hex(8)}",
            "view": filled,
            "response_urls": [],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}))

    def click(
        self, *, user_id: str, message: dict[str, Any], action_id: str, channel_id: str = "C0SALES"
    ) -> tuple[Answer, str]:
        """Press the button ``action_id`` in ``message`` (as the app sent it): Slack's
        block_actions payload, with a fresh response_url for replacing the message. Returns
        the app's answer and that response_url."""
        response_url = self.fake.new_response_url()
        # Slack gives the ephemeral answer a ts of its own, and names it in the container.
        message_ts = message.get("ts") or f"{time.time():.6f}"
        where = {
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "is_ephemeral": True,
                "channel_id": channel_id,
            },
            "channel": {"id": channel_id, "name": "sales"},
            "response_url": response_url,
        }
        return self._press(user_id, message, action_id, where), response_url

    def click_in_message(
        self, *, user_id: str, message: dict[str, Any], action_id: str, channel_id: str
    ) -> Answer:
        """Press the button ``action_id`` in a message the app posted (as the fake keeps it,
        with its ``ts``): Slack's block_actions payload naming the message."""
        where = {
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel_id,
                "is_ephemeral": False,
            },
            "channel": {"id": channel_id, "name": "directmessage"},
            "message": message,
            "response_url": self.fake.new_response_url(),
        }
        return self._press(user_id, message, action_id, where)

    def direct_message(self, *, user_id: str, text: str, **fields: Any) -> Answer:
        """Write ``text`` to the app in its Messages tab: the ``message.im`` event Slack
        sends (``fields`` adds or overrides: a subtype, a thread, a bot's id...)."""
        ts = f"{time.time():.6f}"
        event = {
            "type": "message",
            "channel": "D" + user_id,
            "user": user_id,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "im",
            "client_msg_id": secrets.token_hex(16),
            **fields,
        }
        return self.event(event)

    def click_in_view(self, *, user_id: str, view: dict[str, Any], action_id: str) -> Answer:
        """Press the button ``action_id`` in an open view (a modal, as Slack returned it
        from views.open, so with its ``id``): Slack's block_actions payload from a view,
        which has no channel and no response_url."""
        where = {
            "container": {"type": "view", "view_id": view["id"]},
            "view": {**view, "team_id": self.team_id, "state": {"values": {}}},
        }
        return self._press(user_id, view, action_id, where)

    def _press(
        self, user_id: str, surface: dict[str, Any], action_id: str, where: dict[str, Any]
    ) -> Answer:
        button, block_id = next(
            (element, block.get("block_id", ""))
            for block in surface.get("blocks", [])
            for element in [*block.get("elements", []), block.get("accessory") or {}]
            if element.get("action_id") == action_id
        )
        payload = {
            "type": "block_actions",
            **self._where(),
            "user": {"id": user_id, "username": user_id.lower(), "team_id": self.team_id},
            "api_app_id": "A0SSI",
            "token": "deprecated-verification-token",
            "trigger_id": f"{secrets.randbelow(10**10)}.{secrets.token_hex(8)}",
            **where,
            "actions": [
                {
                    "type": button["type"],
                    "action_id": action_id,
                    "block_id": block_id,
                    "value": button.get("value", ""),
                    "text": button["text"],
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}))

    def _where(self) -> dict[str, Any]:
        """Where an interaction happened, as Slack says it: in an org-wide install the
        ``team`` is null (the workspace is only in ``user.team_id`` and ``view.team_id``)."""
        return {
            "team": None if self.org_wide else {"id": self.team_id, "domain": "demo"},
            "enterprise": (
                {"id": self.enterprise_id, "name": "Demo Grid"} if self.enterprise_id else None
            ),
            "is_enterprise_install": self.org_wide,
        }

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> Answer:
        """Deliver an Events API event, as Slack wraps and signs it (``retry``: the
        ``X-Slack-Retry-Num`` of a redelivery, which keeps its ``event_id``)."""
        event = {"event_ts": f"{time.time():.6f}", **event}
        body = {
            "type": "event_callback",
            "team_id": self.team_id,
            "api_app_id": "A0SSI",
            "event": event,
            "event_id": event_id or f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(float(event["event_ts"])),
        }
        if self.enterprise_id:
            body["enterprise_id"] = self.enterprise_id
        if self.org_wide:  # who the event is for: the org's installation
            body["authorizations"] = [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None,
                    "user_id": "U0BOT",
                    "is_bot": True,
                    "is_enterprise_install": True,
                }
            ]
        payload = json.dumps(body)
        # A redelivery is a new request: signed again, a little later than the first.
        stamp = int(time.time()) + (retry or 0)
        headers = signature_headers(self.signing_secret, payload, stamp)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(payload, headers=headers, content_type="application/json")
