"""Sharing without retyping: a person pastes their SSI page (or its JSON) into the app's
Messages tab; the app answers with what it read, and stores it only when they press Save.
Edit opens the ``/ssi`` form with what was read."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Person
from models.domain.ssi import InvalidReading
from models.domain.ssi_page.page_json import looks_like_page_json, read_page_json
from models.domain.ssi_page.page_reading import NotAnSsiPage, as_reading, from_value
from models.domain.ssi_page.pasted_page import read_page_text
from models.services.sharing import save_shared_page
from slackapp.clock import Clock
from slackapp.language.speech import explain
from slackapp.render.blocks import Message, notice
from slackapp.render.form import submission_modal
from slackapp.render.replies import submission_reply
from slackapp.render.sharing.page_preview import (
    EDIT_ACTION,
    SAVE_ACTION,
    already_saved,
    not_a_page,
    page_preview,
)
from slackapp.slack.calls.home_publisher import Refresh
from slackapp.slack.readers.direct_message import DirectMessage
from slackapp.slack.readers.interaction import Interaction
from slackapp.slack.readers.payloads import ack_only
from slackapp.slack.readers.scope import scope_of
from slackapp.slack.readers.typed_numbers import unescape_slack

log = logging.getLogger(__name__)
MESSAGE_EVENTS = ("message",)


def _post(client: WebClient, channel: str, reply: Message) -> None:
    try:
        client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks)
    except SlackApiError as error:
        log.warning("answering a shared page failed: %s", error.response.get("error"))


class SharedPages:
    """The Messages tab's pastes, and their previews' Save and Edit buttons."""

    def __init__(self, *, engine: Engine, clock: Clock, on_change: Refresh) -> None:
        self.engine = engine
        self.clock = clock
        self.on_change = on_change  # the person's App Home, published anew

    def read(self, event: dict[str, Any], client: WebClient) -> None:
        """A person's message in the DM, after the ack: a preview of the page it holds, or
        why it isn't one. Nothing is stored."""
        message = DirectMessage.of(event)
        if message is None or not message.text.strip():
            return  # not a person's own new message (or a file alone: not read yet)
        text = unescape_slack(message.text)
        try:
            page = read_page_json(text) if looks_like_page_json(text) else read_page_text(text)
        except NotAnSsiPage as refused:
            _post(client, message.channel_id, not_a_page(refused))
            return
        _post(client, message.channel_id, page_preview(page))

    def save(self, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """Save, after the ack: the reading stored as a typed ``/ssi`` stores it, the
        preview replaced by the same answer; a second Save stores nothing more."""
        clicked = Interaction.of(body)
        if not (clicked.channel_id and clicked.message_ts):
            return  # not a message of ours
        person = Person(scope_of(context), clicked.user_id, clicked.user_name)
        now = self.clock()
        try:
            page = from_value(clicked.value)
            with self.engine.begin() as db:
                result = save_shared_page(
                    db=db,
                    person=person,
                    page=page,
                    preview=f"{clicked.channel_id}:{clicked.message_ts}",
                    at=now,
                )
        except (NotAnSsiPage, InvalidReading) as refused:
            _post(client, clicked.channel_id, notice(explain(refused), ":warning:"))
            return
        if result is None:
            _post(client, clicked.channel_id, already_saved())
            return
        reply = submission_reply(result, now)
        try:
            client.chat_update(
                channel=clicked.channel_id,
                ts=clicked.message_ts,
                text=reply.text,
                blocks=reply.blocks,
            )
        except SlackApiError as error:  # saved all the same: say so in a message of its own
            log.warning("replacing a preview failed: %s", error.response.get("error"))
            _post(client, clicked.channel_id, reply)
        if result.home_on_screen:
            self.on_change(client, person.scope, person.user_id)

    def edit(self, body: dict[str, Any], client: WebClient) -> None:
        """Edit, after the ack: the ``/ssi`` form, filled in with what was read."""
        clicked = Interaction.of(body)
        try:
            page = from_value(clicked.value)
            reading = as_reading(page)
        except (NotAnSsiPage, InvalidReading) as refused:
            _post(client, clicked.channel_id, notice(explain(refused), ":warning:"))
            return
        metadata = {"channel_id": "", "response_url": "", "source": page.source.value}
        try:
            client.views_open(
                trigger_id=clicked.trigger_id, view=submission_modal(reading, metadata)
            )
        except SlackApiError as error:
            log.warning("views.open for Edit failed: %s", error.response.get("error"))

    def register(self, app: App) -> None:
        app.event("message")(ack=ack_only, lazy=[self.read])
        app.action(SAVE_ACTION)(ack=ack_only, lazy=[self.save])
        app.action(EDIT_ACTION)(ack=ack_only, lazy=[self.edit])
