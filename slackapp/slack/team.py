"""Slack listeners for teams: ``/ssi setup`` and its modal, and channel membership events.

Whatever calls Slack (opening the modal, checking who is an admin, reading the channel's
members) runs in lazy listeners after the answer, like the rest of the app."""

from __future__ import annotations

import contextlib
import logging
from decimal import Decimal
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Connection, Engine

from models.domain.weekly import Member
from models.store import members, teams
from slackapp.clock import Clock
from slackapp.language import speech
from slackapp.render import team_setup
from slackapp.slack.client import within_request
from slackapp.slack.forms import FormErrors
from slackapp.slack.membership import display_name, is_human, sync_team_members
from slackapp.slack.payloads import ack_only, metadata_of, reply_privately
from slackapp.slack.scope import scope_of
from slackapp.slack.setup_form import setup_from_view

log = logging.getLogger(__name__)
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


def is_admin(user: dict[str, Any]) -> bool:
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


ADMIN_CHECK_SECONDS = 1.5  # inside the form's 3 s answer


def admin_now(client: WebClient, user_id: str) -> bool | None:
    """Whether Slack says ``user_id`` is a workspace admin right now; None when Slack
    didn't answer in time (the caller saves nothing)."""
    quick = within_request(client, timeout=ADMIN_CHECK_SECONDS)
    try:
        return is_admin(quick.users_info(user=user_id)["user"])
    except (SlackApiError, OSError) as error:
        log.warning("users.info for the set-up form failed: %s", type(error).__name__)
        return None


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
        if not channel_id or channel_id.startswith("D"):
            respond(**team_setup.not_a_channel().ephemeral())
            return
        if not _app_can_post_in(client, channel_id):
            respond(**team_setup.invite_first().ephemeral())
            return
        with self.engine.connect() as db:
            team = teams.team_for_channel(db=db, scope=scope_of(context), channel_id=channel_id)
        user = client.users_info(user=command["user_id"])["user"]
        admin = is_admin(user)
        if team is not None and command["user_id"] not in team.managers and not admin:
            respond(**team_setup.not_allowed(team).ephemeral())
            return
        metadata = {"channel_id": channel_id, "response_url": command.get("response_url", "")}
        client.views_open(
            trigger_id=command["trigger_id"],
            view=team_setup.setup_modal(
                team=team,
                timezone=user.get("tz") or "UTC",
                user_id=command["user_id"],
                metadata=metadata,
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
        metadata = metadata_of(view)
        user_id = (body.get("user") or {}).get("id", "")
        try:
            setup = setup_from_view(view, today=self.clock().date())
        except FormErrors as problems:
            ack(response_action="errors", errors=problems.errors)
            return
        scope, channel_id = scope_of(context), metadata["channel_id"]
        with self.engine.connect() as db:
            team = teams.team_for_channel(db=db, scope=scope, channel_id=channel_id)
        # Rights are checked afresh on submit: the form's own metadata could be forged, and
        # someone may have stopped being an admin or a manager since it was opened.
        needs_admin = team is not None and user_id not in team.managers
        admin = admin_now(client, user_id) if needs_admin else None
        with self.engine.begin() as db:
            team = teams.team_for_channel(db=db, scope=scope, channel_id=channel_id)
            if team is not None and user_id not in team.managers and admin is not True:
                reply = team_setup.not_allowed(team) if admin is False else team_setup.not_checked()
                ack(response_action="errors", errors={"managers": reply.text})
                return
            team = teams.save_team(
                db=db, scope=scope, channel_id=channel_id, setup=setup, by=user_id, at=self.clock()
            )
        ack()
        context["ssi_team_id"] = team.id

    def finish_setup(self, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """After saving: join the channel if it's public, read its members, confirm."""
        team_id = context.get("ssi_team_id")
        with self.engine.connect() as db:
            team = teams.get_team(db=db, team_id=team_id) if team_id else None
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
        response_url = metadata_of(view).get("response_url")
        if response_url:
            reply_privately(response_url, team_setup.setup_done(team, count))

    def apply(
        self,
        db: Connection,
        team_id: int,
        body: dict[str, Any],
        event: dict[str, Any],
        member: Member | None,
    ) -> None:
        """A join (``member``) or leave (None), unless an event after it was applied."""
        if not members.apply_membership_event(
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
            team = teams.team_for_channel(
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
            team = teams.team_for_channel(
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
