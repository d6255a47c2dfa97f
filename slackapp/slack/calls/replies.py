"""A reply posted in a person's DM with the app, after the request that asked for it."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


def post_reply(
    client: WebClient, channel: str, text: str, blocks: list[dict[str, Any]] | None
) -> None:
    """Post ``text`` (and ``blocks``) in ``channel``. Slack's refusal is logged, not raised:
    the reply is all that is lost, and nobody waits on it to hear of the failure."""
    try:
        client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SlackApiError as error:
        log.warning("a reply in %s failed: %s", channel, error.response.get("error"))
