"""``/ssi``'s typed forms sent as messages in the app's Messages tab: ``68 21 17 14 16``,
``me``, ``help``... run the route ``/ssi`` takes for the same text, as if it had been typed
as a command in that DM (Slack names the DM as such a command's channel). What a command
answers privately is posted in the DM, which only that person reads.

Bolt never sees these as commands: a message event runs its listener on a thread of its own,
and this module hands that listener's request to the route's listeners, by the names of the
arguments they take (Bolt's own convention), with an ``ack`` and a ``respond`` that post.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from models.domain.ssi import InvalidReading
from models.store.db import is_busy
from slackapp.render.notices import busy_reply, command_only, internal_error_reply
from slackapp.slack.calls.replies import post_reply
from slackapp.slack.pipeline.router import SSI, SSI_REQUEST, SSI_ROUTE, Route, route_of
from slackapp.slack.readers.command_text import Request
from slackapp.slack.readers.direct_message import DirectMessage

log = logging.getLogger(__name__)

# Routes that open a form: Slack gives a message no trigger_id, so only the command can.
FORMS = frozenset({"form", "setup"})
# What a route's listeners may ask for by name.
_ARGUMENTS = frozenset({"ack", "respond", "command", "body", "context", "client"})


class _PostInDm:
    """Stands in for ``ack`` and ``respond``: the answer, posted in the DM."""

    def __init__(self, client: WebClient, channel_id: str) -> None:
        self.client = client
        self.channel_id = channel_id

    def __call__(
        self, text: str | None = None, blocks: list[dict[str, Any]] | None = None, **_: Any
    ) -> None:
        # response_type and replace_original mean nothing here: a DM is private, and a
        # command's answer replaces nothing.
        if text or blocks:  # else an empty ack: the answer comes from a later listener
            post_reply(self.client, self.channel_id, text or "", blocks)


class TypedInDm:
    """Runs ``/ssi``'s route table for text sent in the app's DM."""

    def __init__(self, table: Mapping[str, Route]) -> None:
        for name, route in table.items():  # checked once, at start, rather than on a message
            for listener in (route.answer, *route.later):
                unknown = set(inspect.signature(listener).parameters) - _ARGUMENTS
                if unknown and name not in FORMS:
                    raise ValueError(f"/ssi {name} in a DM can't give {sorted(unknown)}")
        self.table = table

    def run(
        self,
        message: DirectMessage,
        request: Request | InvalidReading,
        context: BoltContext,
        client: WebClient,
    ) -> None:
        """Answer ``message`` (already parsed as ``request``) as ``/ssi`` would."""
        name = route_of(request)
        post = _PostInDm(client, message.channel_id)
        if name in FORMS:
            post(**command_only(name).ephemeral())
            return
        SSI_REQUEST.put(context, request)
        SSI_ROUTE.put(context, name)
        command = {
            "command": SSI,
            "text": message.text,
            "user_id": message.user_id,
            "user_name": "",  # a message event doesn't carry the handle
            "channel_id": message.channel_id,
            "team_id": context.team_id or "",
            "enterprise_id": context.enterprise_id or "",
        }
        given = {
            "ack": post,
            "respond": post,
            "command": command,
            "body": command,
            "context": context,
            "client": client,
        }
        route = self.table[name]
        try:
            for listener in (route.answer, *route.later):
                wanted = inspect.signature(listener).parameters
                listener(**{arg: given[arg] for arg in wanted if arg in _ARGUMENTS})
        except Exception as error:  # as the command's error handler answers (``failures``)
            if is_busy(error):
                log.warning("database busy: a typed /ssi in the DM answered busy")
                post(**busy_reply().ephemeral())
            else:
                log.exception("a typed /ssi in the DM failed")
                post(**internal_error_reply().ephemeral())
