"""Slack listeners for teams: ``/ssi setup`` and its modal, and channel membership events.

Whatever calls Slack (opening the modal, reading the channel's members, confirming) runs in
lazy listeners after the answer, like the rest of the app; only the checks of who submitted
the form (``team_rights``) are asked before it, within the form's three seconds."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Connection, Engine

from models.domain.teams import NotAllowed, may_manage
from models.domain.weekly.members import Member
from models.services import teams
from models.services.teams import ChangedMeanwhile
from slackapp.clock import Clock
from slackapp.language import speech
from slackapp.render import team_setup
from slackapp.render.blocks import Message
from slackapp.render.notices import Guarded, not_allowed
from slackapp.slack.calls.membership import display_name, is_human, sync_team_members
from slackapp.slack.calls.team_rights import is_admin, setup_refusal
from slackapp.slack.context_slots import Slot
from slackapp.slack.readers.forms import FormErrors
from slackapp.slack.readers.interaction import Interaction
from slackapp.slack.readers.payloads import ack_only, reply_privately
from slackapp.slack.readers.scope import scope_of
from slackapp.slack.readers.setup_form import setup_from_view
from slackapp.slack.readers.setup_metadata import (
    ForgedForm,
    SetupForm,
    is_channel_id,
    submitted_form,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SavedTeam:
    """What ``save_setup`` hands to ``finish_setup``: the team, and where to confirm."""

    team_id: int
    reply_to: str  # the command's response_url, or "" (then by DM)


SAVED_TEAM = Slot[SavedTeam]("ssi_saved_team", SavedTeam)
MEMBERSHIP_EVENTS = ("member_joined_channel", "member_left_channel")


def event_micros(body: dict[str, Any], event: dict[str, Any]) -> int:
    """When Slack says an event happened, in microseconds: the event's ``event_ts``
    (microsecond precision), else the envelope's ``event_time`` (seconds)."""
    try:
        return int(Decimal(str(event["event_ts"])) * 1_000_000)
    except (KeyError, ArithmeticError, ValueError):
        return int(body.get("event_time") or 0) * 1_000_000


def _app_can_post_in(client: WebClient, channel_id: str) -> bool:
    """Whether the weekly post can reach the channel: a public one the app joins on
    set-up, or a private one it was invited to. A private channel the app is not in is
    invisible to it (Slack answers channel_not_found)."""
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        return error.response.get("error") not in ("channel_not_found", "not_in_channel")
    return not (channel.get("is_private") and not channel.get("is_member", True))


class Teams:
    """Team set-up (``/ssi setup``, routed by ``router``, and its form) and channel
    membership events."""

    def __init__(self, *, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def open_setup(
        self, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        channel_id = command.get("channel_id") or ""
        if not is_channel_id(channel_id):  # a direct message, or no channel at all
            respond(**team_setup.not_a_channel().ephemeral())
            return
        if not _app_can_post_in(client, channel_id):
            respond(**team_setup.invite_first().ephemeral())
            return
        with self.engine.connect() as db:
            team = teams.team_in_channel(db=db, scope=scope_of(context), channel_id=channel_id)
        user = client.users_info(user=command["user_id"])["user"]
        try:
            if team is not None:
                may_manage(team, command["user_id"], is_admin=lambda: is_admin(user))
        except NotAllowed as refused:
            respond(**not_allowed(refused, Guarded.SETUP).ephemeral())
            return
        form = SetupForm(channel_id, command["user_id"], command.get("response_url") or "")
        client.views_open(
            trigger_id=command["trigger_id"],
            view=team_setup.setup_modal(
                team=team,
                timezone=user.get("tz") or "UTC",
                user_id=command["user_id"],
                metadata=form.metadata(scope=scope_of(context), token=client.token or ""),
                language=speech.active(),  # the person's: a new team's default
            ),
        )

    def save_setup(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        context: BoltContext,
        client: WebClient,
    ) -> None:
        user_id = Interaction.of(body).user_id
        scope = scope_of(context)

        def refuse(reply: Message) -> None:
            ack(response_action="errors", errors={team_setup.REFUSAL_BLOCK: reply.text})

        try:
            form = submitted_form(view, scope=scope, token=client.token, user_id=user_id)
        except ForgedForm as forged:
            log.warning("a set-up form the app didn't open for its submitter: %s", forged)
            refuse(team_setup.form_not_opened_here())
            return
        try:
            setup = setup_from_view(view, today=self.clock().date())
        except FormErrors as problems:
            ack(response_action="errors", errors=problems.errors)
            return
        channel_id = form.channel_id
        with self.engine.connect() as db:
            team = teams.team_in_channel(db=db, scope=scope, channel_id=channel_id)
        # Asked afresh on submit: someone may have left the channel, or stopped being an
        # admin or a manager, since the form was opened.
        refusal = setup_refusal(client, channel_id=channel_id, user_id=user_id, team=team)
        if refusal is not None:
            refuse(refusal)
            return
        try:
            with self.engine.begin() as db:
                team = teams.save_setup(
                    db=db,
                    scope=scope,
                    channel_id=channel_id,
                    setup=setup,
                    by=user_id,
                    checked=team,
                    at=self.clock(),
                )
        except ChangedMeanwhile:
            refuse(team_setup.not_checked())
            return
        ack()
        SAVED_TEAM.put(context, SavedTeam(team.id, form.response_url or ""))

    def finish_setup(self, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """After saving: join the channel if it's public, read its members, confirm (where
        the command was typed, or else by DM)."""
        saved = SAVED_TEAM.get(context)
        if saved is None:
            return
        with self.engine.connect() as db:
            team = teams.team_by_id(db=db, team_id=saved.team_id)
        if team is None:
            return
        # Private channels need an /invite instead; if posting fails, managers are told.
        with contextlib.suppress(SlackApiError):
            client.conversations_join(channel=team.channel_id)
        try:
            members = sync_team_members(
                engine=self.engine,
                client=client,
                scope=team.scope,
                team_id=team.id,
                channel_id=team.channel_id,
                now=self.clock(),
            )
        except SlackApiError as error:
            log.warning(
                "reading members of %s failed: %s", team.channel_id, error.response.get("error")
            )
            count = None
        else:
            count = len(members)
        done = team_setup.setup_done(team, count)
        response_url = saved.reply_to
        if not (response_url and reply_privately(response_url, done, api_url=client.base_url)):
            user_id = Interaction.of(body).user_id
            with contextlib.suppress(SlackApiError):  # the team is saved either way
                client.chat_postMessage(channel=user_id, text=done.text, blocks=done.blocks)

    def apply(
        self,
        db: Connection,
        team_id: int,
        body: dict[str, Any],
        event: dict[str, Any],
        member: Member | None,
    ) -> None:
        """A join (``member``) or leave (None), unless an event after it was applied."""
        if not teams.apply_membership(
            db=db,
            team_id=team_id,
            user_id=event["user"],
            member=member,
            event_micros=event_micros(body, event),
        ):
            what = "join" if member is not None else "leave"
            log.info("a %s older than the person's latest membership event: ignored", what)

    def member_joined(
        self, body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        with self.engine.connect() as db:
            team = teams.team_in_channel(
                db=db, scope=scope_of(context), channel_id=event.get("channel", "")
            )
        if team is None:
            return
        user = client.users_info(user=event["user"])["user"]
        if is_human(user):
            with self.engine.begin() as db:
                self.apply(db, team.id, body, event, Member(event["user"], display_name(user)))

    def member_left(
        self, ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        with self.engine.begin() as db:
            team = teams.team_in_channel(
                db=db, scope=scope_of(context), channel_id=event.get("channel", "")
            )
            if team is not None and event.get("user"):
                self.apply(db, team.id, body, event, None)

    def register(self, app: App) -> None:
        """The set-up form and the membership events."""
        app.view(team_setup.SETUP_CALLBACK)(ack=self.save_setup, lazy=[self.finish_setup])
        joined, left = MEMBERSHIP_EVENTS
        app.event(joined)(ack=ack_only, lazy=[self.member_joined])
        app.event(left)(self.member_left)
