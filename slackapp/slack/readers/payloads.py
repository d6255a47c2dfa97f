"""Small readers of what Slack sends, shared by the listener modules."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import Ack
from slack_sdk.webhook import WebhookClient

from slackapp.render.blocks import Message

log = logging.getLogger(__name__)


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


SLACK_HOOKS = "hooks.slack.com"


def is_slack_hook(url: str, *, api_url: str) -> bool:
    """Whether ``url`` is where Slack takes answers to a command or an interaction: its
    own hooks, over https (``https://hooks.slack.com/...``). Nothing else is posted to: a
    response_url comes back in form metadata, which a forged request could point at any
    address (the app's own internal pages, a cloud's metadata service).

    One exception, for a Slack that isn't slack.com: when ``api_url`` (the app's
    ``SLACK_API_URL``) points at another server, such as the fake Slack of the tests, the
    demo and the benchmark, that server's own origin (scheme, host and port) serves its
    hooks too. With Slack's own API URL, only Slack's hooks."""
    try:
        target, api = urlsplit(url), urlsplit(api_url)
    except ValueError:  # not a URL at all
        return False
    if target.scheme == "https" and target.netloc.lower() in (SLACK_HOOKS, f"{SLACK_HOOKS}:443"):
        return True
    if api.hostname == "slack.com":
        return False
    return (target.scheme, target.netloc) == (api.scheme, api.netloc)


def reply_privately(response_url: str, message: Message, *, api_url: str) -> bool:
    """Answer a command later, visible to its author only (a response_url lasts 30 min);
    False, and nothing sent, when ``response_url`` is not one of Slack's hooks
    (``is_slack_hook``)."""
    if not is_slack_hook(response_url, api_url=api_url):
        log.warning("a response_url that isn't Slack's: not answered there")
        return False
    WebhookClient(response_url, timeout=10).send(**message.ephemeral())
    return True
