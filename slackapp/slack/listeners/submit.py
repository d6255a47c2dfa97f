"""Sharing an SSI: ``/ssi 68 21 17 14 16``, the bare ``/ssi`` form and what it saves,
``/ssi undo``, ``/ssi help``, and the answer to text that isn't a reading."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Person, Scope
from models.domain.ssi import InvalidReading
from models.domain.ssi_page.page_reading import AlreadySaved, NotAnSsiPage, as_reading
from models.domain.ssi_page.pasted_page import read_pasted
from models.services import readings
from slackapp.clock import Clock
from slackapp.language.speech import explain
from slackapp.render.blocks import Message
from slackapp.render.form import (
    PASTE_PAGE_ACTION,
    PASTE_PAGE_CALLBACK,
    SUBMISSION_CALLBACK,
    paste_page_modal,
    submission_modal,
)
from slackapp.render.momentum import SHARE_ACTION
from slackapp.render.notices import form_unavailable_reply, help_reply
from slackapp.render.replies import error_reply, submission_reply, undo_reply
from slackapp.render.sharing.page_preview import already_saved
from slackapp.slack.calls.home_publisher import Refresh
from slackapp.slack.context_slots import Slot
from slackapp.slack.pipeline.router import request_of
from slackapp.slack.readers.command_text import Submit
from slackapp.slack.readers.forms import FormErrors
from slackapp.slack.readers.interaction import Interaction
from slackapp.slack.readers.modal_form import field_values, reading_from_form
from slackapp.slack.readers.payloads import ack_only, metadata_of, reply_privately
from slackapp.slack.readers.scope import person_of, scope_of
from slackapp.slack.readers.setup_metadata import is_channel_id

log = logging.getLogger(__name__)
# A form opened by a shared page's Edit: the reading is recorded as where it came from.
PAGE_SOURCES = ("paste", "screenshot", "json")
# The form's answer, from its acknowledgement to the lazy listener that sends it.
FORM_REPLY = Slot[Message]("ssi_form_reply", Message)


def invalid(ack: Ack, context: BoltContext) -> None:
    """Text that isn't a reading nor a subcommand: what is wrong, with an example."""
    problem = request_of(context)
    assert isinstance(problem, InvalidReading)
    ack(**error_reply(explain(problem)).ephemeral())


def _text(value: object, limit: int) -> str | None:
    """A string from a form's metadata (Slack's echo of ours), bounded; else None."""
    return value[:limit] if isinstance(value, str) and value else None


def help_(ack: Ack) -> None:
    ack(**help_reply().ephemeral())


def _unchanged(client: WebClient, scope: Scope, user_id: str) -> None:
    return None


class Submitting:
    """The listeners that store readings, by command or by form."""

    def __init__(self, *, engine: Engine, clock: Clock, on_change: Refresh = _unchanged) -> None:
        self.engine = engine
        self.clock = clock
        self.on_change = on_change  # the person's App Home, published anew

    def submit(
        self, ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        request = request_of(context)
        assert isinstance(request, Submit)
        now = self.clock()
        with self.engine.begin() as db:
            result = readings.submit_reading(
                db=db,
                person=person_of(command, context),
                channel_id=command.get("channel_id"),
                reading=request.reading,
                source="command",
                at=now,
            )
        ack(**submission_reply(result, now).ephemeral())
        if result.home_on_screen:  # else it is built anew when next opened
            self.on_change(client, scope_of(context), command.get("user_id") or "")

    def undo(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        with self.engine.begin() as db:
            removed, latest = readings.undo_latest(db=db, person=person_of(command, context))
        ack(**undo_reply(removed, latest).ephemeral())

    def open_form(
        self, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """Bare ``/ssi``, after the empty ack: open the form, prefilled. Runs in a worker
        thread so the request itself never waits on Slack (trigger_id lasts 3 seconds)."""
        with self.engine.connect() as db:
            previous = readings.last_reading(db=db, person=person_of(command, context))
        metadata = {
            "channel_id": command.get("channel_id") or "",
            "response_url": command.get("response_url") or "",
        }
        try:
            client.views_open(
                trigger_id=command["trigger_id"], view=submission_modal(previous, metadata)
            )
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))
            respond(**form_unavailable_reply().ephemeral())

    def save_from_form(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        try:
            reading = reading_from_form(field_values(view))
        except FormErrors as problems:
            ack(response_action="errors", errors=problems.errors)
            return
        metadata = metadata_of(view)
        who = Interaction.of(body)
        person = Person(scope_of(context), who.user_id, who.user_name)
        now = self.clock()
        page = metadata.get("source") in PAGE_SOURCES  # opened from a shared page
        try:
            with self.engine.begin() as db:
                result = readings.submit_reading(
                    db=db,
                    person=person,
                    # Only a channel's id counts the reading for a channel: the metadata is
                    # Slack's echo of ours, but a forged request could carry anything.
                    channel_id=channel
                    if is_channel_id(channel := metadata.get("channel_id"))
                    else None,
                    reading=reading,
                    source=str(metadata["source"]) if page else "modal",
                    at=now,
                    industry_name=_text(metadata.get("industry_name"), 80) if page else None,
                    shared_key=_text(metadata.get("shared"), 64) if page else None,
                )
        except AlreadySaved:  # its preview's Save came first: nothing more stored
            ack(response_action="clear")
            FORM_REPLY.put(context, already_saved())
            return
        if view.get("previous_view_id"):  # a paste's view became this form: close both
            ack(response_action="clear")
        else:
            ack()  # closes the form
        if result.home_on_screen:
            self.on_change(client, person.scope, person.user_id)
        # Handed to confirm_from_form, which runs after the response has gone to Slack.
        FORM_REPLY.put(context, submission_reply(result, now))

    def confirm_from_form(
        self, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        reply = FORM_REPLY.get(context)
        if reply is None:
            return
        response_url = metadata_of(view).get("response_url")
        if not (
            isinstance(response_url, str)
            and response_url
            and reply_privately(response_url, reply, api_url=client.base_url)
        ):
            # No command to answer (the form came from elsewhere, or its metadata names an
            # address that isn't Slack's): a DM from the app.
            client.chat_postMessage(
                channel=Interaction.of(body).user_id, text=reply.text, blocks=reply.blocks
            )

    def share(self, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """The "Share my SSI" button (weekly post, reminder, App Home), after its ack: the
        form, prefilled. The answer goes where the button was (its ``response_url``), or
        by DM from the App Home; the reading counts for the team named on the button, or
        the channel the button is in."""
        clicked = Interaction.of(body)
        person = Person(scope_of(context), clicked.user_id)
        channel = clicked.value or clicked.channel_id
        metadata = {
            "channel_id": channel if channel[:1] in ("C", "G") else "",
            "response_url": clicked.response_url,
        }
        with self.engine.connect() as db:
            previous = readings.last_reading(db=db, person=person)
        try:
            client.views_open(
                trigger_id=clicked.trigger_id, view=submission_modal(previous, metadata)
            )
        except SlackApiError as error:
            log.warning("views.open for Share failed: %s", error.response.get("error"))

    def open_paste(self, body: dict[str, Any], client: WebClient) -> None:
        """The form's "Paste my SSI page instead", after its ack: a field for the page,
        pushed over the form (which keeps its metadata for the save)."""
        form = body.get("view") or {}
        try:
            client.views_push(
                trigger_id=Interaction.of(body).trigger_id,
                view=paste_page_modal(metadata_of(form)),
            )
        except SlackApiError as error:
            log.warning("views.push for a paste failed: %s", error.response.get("error"))

    def read_paste(self, ack: Ack, view: dict[str, Any]) -> None:
        """The pasted page: the form, filled in with what was read (or the reason it isn't
        a page, beside the field). Nothing is stored: the person checks the form and saves
        it, and the reading is recorded as a paste."""
        text = field_values(view).get("page", "")
        try:
            page = read_pasted(text)
            reading = as_reading(page)
        except (NotAnSsiPage, InvalidReading) as refused:
            ack(response_action="errors", errors={"page": explain(refused)})
            return
        metadata = {
            **metadata_of(view),
            "source": page.source.value,
            "industry_name": page.industry_name or "",
        }
        # A new view in place of the paste's (its fields new, so what was read shows: an
        # update of the form beneath would keep what its fields held). Saving it closes both.
        ack(response_action="update", view=submission_modal(reading, metadata, from_page=True))

    def register(self, app: App) -> None:
        """The form's submission, its paste of the page, and the Share button (``/ssi``
        itself is routed by ``router``)."""
        app.view(SUBMISSION_CALLBACK)(ack=self.save_from_form, lazy=[self.confirm_from_form])
        app.view(PASTE_PAGE_CALLBACK)(self.read_paste)
        app.action(PASTE_PAGE_ACTION)(ack=ack_only, lazy=[self.open_paste])
        app.action(SHARE_ACTION)(ack=ack_only, lazy=[self.share])
