"""Sharing without retyping: a person pastes their SSI page into the app's Messages tab (or
after ``/ssi``), sends a screenshot of it, or its JSON; the app answers with what it read,
and stores it only when they press Save. Edit opens the ``/ssi`` form with what was read."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Person
from models.domain.ssi import InvalidReading
from models.domain.ssi_page.page_json import MAX_JSON, read_page_json
from models.domain.ssi_page.page_reading import (
    AlreadySaved,
    NotAnSsiPage,
    Source,
    as_reading,
    from_value,
)
from models.domain.ssi_page.pasted_page import read_page_text, read_pasted
from models.services.sharing import save_shared_page
from slackapp.clock import Clock
from slackapp.language import speech
from slackapp.language.speech import explain
from slackapp.ocr.screenshot_text import MAX_BYTES, NotRead, PictureReader
from slackapp.render.blocks import Message, notice
from slackapp.render.form import submission_modal
from slackapp.render.replies import submission_reply
from slackapp.render.sharing.page_preview import (
    EDIT_ACTION,
    SAVE_ACTION,
    already_saved,
    file_not_fetched,
    file_not_read,
    not_a_page,
    page_preview,
    picture_not_read,
)
from slackapp.slack.calls.home_publisher import Refresh
from slackapp.slack.calls.replies import post_reply
from slackapp.slack.calls.shared_files import NotFetched, fetch
from slackapp.slack.pipeline.router import request_of
from slackapp.slack.pipeline.typed_in_dm import TypedInDm
from slackapp.slack.readers.command_text import PastedPage, Request, meant_as_command, parse
from slackapp.slack.readers.direct_message import DirectMessage, SharedFile
from slackapp.slack.readers.interaction import Interaction
from slackapp.slack.readers.payloads import ack_only
from slackapp.slack.readers.scope import scope_of
from slackapp.slack.readers.setup_metadata import is_channel_id
from slackapp.slack.readers.typed_numbers import unescape_slack

log = logging.getLogger(__name__)
MESSAGE_EVENTS = ("message",)


def _post(client: WebClient, channel: str, reply: Message) -> None:
    post_reply(client, channel, reply.text, reply.blocks)


def _preview(text: str) -> Message:
    """What a pasted page (or its JSON) reads as, for the person to check; or why not."""
    try:
        page = read_pasted(text)
    except NotAnSsiPage as refused:
        return not_a_page(refused)
    return page_preview(page)


def preview_command(ack: Ack, context: BoltContext) -> None:
    """``/ssi`` followed by a pasted page: its preview (or why it isn't one), privately, in
    the answer itself (reading it takes milliseconds)."""
    request = request_of(context)
    assert isinstance(request, PastedPage)
    ack(**_preview(request.text).ephemeral())


class SharedPages:
    """The Messages tab: pastes, screenshots and the page's JSON, their previews' Save and
    Edit buttons, and ``/ssi``'s typed forms sent as messages (``typed``)."""

    def __init__(
        self, *, engine: Engine, clock: Clock, on_change: Refresh, typed: TypedInDm
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.on_change = on_change  # the person's App Home, published anew
        self.typed = typed
        self.pictures = PictureReader()  # screenshots, read off Bolt's threads

    def read(self, event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """A person's message in the DM, after the ack: a preview of the page it holds, or
        ``/ssi``'s answer to what it types, or why it is neither. Nothing is stored but
        what a typed reading stores."""
        message = DirectMessage.of(event)
        if message is None:
            return  # not a person's own new message in the DM
        if message.unreadable_files and not message.files:
            _post(client, message.channel_id, file_not_fetched())  # Slack said too little
        elif message.files and message.files[0].picture:
            self._screenshot(message.files[0], message.channel_id, client)
        elif message.files:
            _post(client, message.channel_id, self._shared_file(message.files[0], client))
        elif message.text.strip():
            self._text(message, context, client)

    def _text(self, message: DirectMessage, context: BoltContext, client: WebClient) -> None:
        """Text in the DM: a pasted page is previewed; ``/ssi``'s typed forms are answered as
        the command answers them; anything else is told how to share."""
        request: Request | InvalidReading
        try:
            request = parse(message.text)
        except InvalidReading as problem:
            request = problem
        if isinstance(request, PastedPage):
            _post(client, message.channel_id, _preview(request.text))
            return
        if isinstance(request, InvalidReading):  # a part of the page, or what then?
            text = unescape_slack(message.text)
            try:
                page = read_pasted(text)
            except NotAnSsiPage as refused:
                if not meant_as_command(text):
                    _post(client, message.channel_id, not_a_page(refused))
                    return
            else:
                _post(client, message.channel_id, page_preview(page))
                return
        self.typed.run(message, request, context, client)

    def _screenshot(self, file: SharedFile, channel: str, client: WebClient) -> None:
        """A screenshot shared in the DM: fetched (bounded), then read by Tesseract on the
        picture reader's own thread, which answers when it is done. Not kept."""
        if file.size > MAX_BYTES:  # Slack says its size first: never fetched
            _post(client, channel, picture_not_read("too large"))
            return
        try:
            content = fetch(client, file.url, size=file.size, limit=MAX_BYTES)
        except NotFetched as why:
            log.info("a screenshot wasn't fetched: %s", why)
            _post(client, channel, file_not_fetched())
            return

        def answer(text: str | NotRead) -> None:  # on the picture reader's thread
            if isinstance(text, NotRead):
                log.info("a screenshot wasn't read: %s", text.reason)
                _post(client, channel, picture_not_read(text.reason))
                return
            try:
                reply = page_preview(read_page_text(text, Source.SCREENSHOT))
            except NotAnSsiPage as refused:
                reply = not_a_page(refused)
            _post(client, channel, reply)

        try:
            self.pictures.read_later(content, speech.active(), answer)
        except NotRead as why:
            _post(client, channel, picture_not_read(why.reason))

    @staticmethod
    def _shared_file(file: SharedFile, client: WebClient) -> Message:
        """A file shared in the DM other than a picture: the page's JSON is read (fetched
        with the bot's token, bounded); anything else is neither."""
        if not file.json:
            return file_not_read(file.name)
        try:
            content = fetch(client, file.url, size=file.size, limit=MAX_JSON)
        except NotFetched as why:
            log.info("a shared file wasn't fetched: %s", why)
            return file_not_fetched()
        try:
            return page_preview(read_page_json(content.decode("utf-8", errors="replace")))
        except NotAnSsiPage as refused:
            return not_a_page(refused)

    def save(
        self, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """Save, after the ack: the reading stored as a typed ``/ssi`` stores it (counted
        for the channel of a ``/ssi`` paste, for none in the DM), the preview replaced by the
        same answer; a second Save of the same preview stores nothing more."""
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
                    channel_id=clicked.channel_id if is_channel_id(clicked.channel_id) else None,
                    preview=f"{clicked.channel_id}:{clicked.message_ts}",
                    at=now,
                )
        except (NotAnSsiPage, InvalidReading) as refused:
            self._answer(clicked, client, respond, notice(explain(refused), ":warning:"))
            return
        except AlreadySaved:  # the transaction was rolled back: nothing more stored
            self._answer(clicked, client, respond, already_saved())
            return
        self._answer(clicked, client, respond, submission_reply(result, now), replace=True)
        if result.home_on_screen:
            self.on_change(client, person.scope, person.user_id)

    @staticmethod
    def _answer(
        clicked: Interaction,
        client: WebClient,
        respond: Respond,
        reply: Message,
        *,
        replace: bool = False,
    ) -> None:
        """Where the preview was: in place of it (``replace``) or after it; a command's
        private answer through its response_url, a DM's message with chat.update."""
        if clicked.ephemeral:
            respond(**reply.ephemeral(), replace_original=replace)
        elif replace:
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
        else:
            _post(client, clicked.channel_id, reply)

    def edit(self, body: dict[str, Any], client: WebClient) -> None:
        """Edit, after the ack: the ``/ssi`` form, filled in with what was read."""
        clicked = Interaction.of(body)
        try:
            page = from_value(clicked.value)
            reading = as_reading(page)
        except (NotAnSsiPage, InvalidReading) as refused:
            _post(client, clicked.user_id, notice(explain(refused), ":warning:"))
            return
        channel = clicked.channel_id if is_channel_id(clicked.channel_id) else ""
        metadata = {
            "channel_id": channel,
            "response_url": clicked.response_url if clicked.ephemeral else "",
            "source": page.source.value,
            # The preview's key: the form's save and the preview's Save store it once.
            "shared": f"{clicked.channel_id}:{clicked.message_ts}" if clicked.message_ts else "",
            "industry_name": page.industry_name or "",
        }
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
