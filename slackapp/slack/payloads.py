"""Small readers of what Slack sends, shared by the listener modules."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack
from slack_sdk.webhook import WebhookClient

from slackapp.render.blocks import Message


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    """A view's private_metadata, as the app wrote it when opening the view."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def ack_only(ack: Ack) -> None:
    """Answer at once; a lazy listener does the rest."""
    ack()


def reply_privately(response_url: str, message: Message) -> None:
    """Answer a command later, visible to its author only (a response_url lasts 30 min)."""
    WebhookClient(response_url, timeout=10).send(**message.ephemeral())
