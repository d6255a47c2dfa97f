"""Slack listeners for ``/ssi`` and its submission modal (team set-up and membership are in
``team_listeners``). Thin on purpose: parse, call the service,
render, answer. Registered by ``register()``, never at import time."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse, Respond
from slack_bolt.listener.builtins import TokenRevocationListeners
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models import service
from models.domain.privacy import Privacy
from models.domain.scope import Scope
from models.domain.ssi import InvalidReading
from models.store import preferences, removals
from models.store.db import is_busy
from slackapp.clock import Clock
from slackapp.render import messages
from slackapp.render import weekly as weekly_messages
from slackapp.slack import export, privacy
from slackapp.slack import team as team_listeners
from slackapp.slack.command_text import Subcommand, Submit, parse, unescape_slack
from slackapp.slack.dispatch import failure_answer
from slackapp.slack.modal_form import FormErrors, field_values, reading_from_form
from slackapp.slack.payloads import ack_only, metadata_of, reply_privately
from slackapp.slack.scope import scope_of

log = logging.getLogger(__name__)


def register(
    app: App,
    *,
    engine: Engine,
    clock: Clock,
    on_slack_error: Callable[[Exception, BoltContext], None] | None = None,
) -> None:
    """Attach the ``/ssi`` listeners to ``app`` (``on_slack_error``: told of every
    listener's failure, to drop a token Slack says is gone)."""

    def ssi_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        person = service.Person(
            scope_of(context), command["user_id"], command.get("user_name") or ""
        )
        channel_id = command.get("channel_id")
        try:
            request = parse(command.get("text") or "")
        except InvalidReading as error:
            ack(**messages.error_reply(error.message).ephemeral())
            return
        now = clock()
        match request:
            case Submit(reading=reading):
                with engine.begin() as db:
                    result = service.submit_reading(
                        db=db,
                        person=person,
                        channel_id=channel_id,
                        reading=reading,
                        source="command",
                        at=now,
                    )
                ack(**messages.submission_reply(result, now).ephemeral())
            case Subcommand(name="help"):
                ack(**messages.help_reply().ephemeral())
            case Subcommand(name="me"):
                with engine.connect() as db:
                    summary = service.personal_summary(db=db, person=person, at=now)
                ack(**messages.personal_reply(summary, now).ephemeral())
            case Subcommand(name="board"):
                with engine.connect() as db:
                    team = service.team_board(
                        db=db, scope=person.scope, channel_id=channel_id or "", now=now
                    )
                    standings = (
                        service.channel_board(
                            db=db, scope=person.scope, channel_id=channel_id or ""
                        )
                        if team is None
                        else []
                    )
                if team is not None:
                    record, board = team
                    reply = weekly_messages.channel_board(
                        board, team_id=record.id, standings=[], so_far=True
                    )
                    ack(**reply.ephemeral())
                else:
                    ack(**messages.board_reply(channel_id or "", standings, now).ephemeral())
            case Subcommand(name="remind", argument=choice):
                with engine.begin() as db:
                    preferences.set_reminders(
                        db=db, scope=person.scope, user_id=person.user_id, on=choice == "on"
                    )
                ack(**messages.reminders_reply(choice == "on").ephemeral())
            case Subcommand(name="privacy", argument=choice):
                with engine.begin() as db:
                    preferences.set_privacy(
                        db=db, scope=person.scope, user_id=person.user_id, privacy=Privacy(choice)
                    )
                ack(**privacy.privacy_reply(Privacy(choice)).ephemeral())
            case Subcommand(name="forget-me"):
                history = privacy.history_for_prompt(engine=engine, person=person)
                ack(**privacy.forget_me_prompt(history).ephemeral())
            case Subcommand(name="undo"):
                with engine.begin() as db:
                    removed, latest = service.undo_latest(db=db, person=person)
                ack(**messages.undo_reply(removed, latest).ephemeral())
            case _:  # bare /ssi and setup: answered by listeners registered before this one
                ack()

    def open_form(
        command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """Bare ``/ssi``, after the empty ack: open the form, prefilled. Runs in a worker
        thread so the request itself never waits on Slack (trigger_id lasts 3 seconds)."""
        person = service.Person(scope_of(context), command["user_id"])
        with engine.connect() as db:
            previous = service.last_reading(db=db, person=person)
        metadata = {
            "channel_id": command.get("channel_id") or "",
            "response_url": command.get("response_url") or "",
        }
        try:
            client.views_open(
                trigger_id=command["trigger_id"],
                view=messages.submission_modal(previous, metadata),
            )
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))
            respond(**messages.form_unavailable_reply().ephemeral())

    def save_from_modal(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        try:
            reading = reading_from_form(field_values(view))
        except FormErrors as problems:
            ack(response_action="errors", errors=problems.errors)
            return
        metadata = metadata_of(view)
        user = body.get("user") or {}
        person = service.Person(
            scope_of(context), user.get("id", ""), user.get("username") or user.get("name") or ""
        )
        now = clock()
        with engine.begin() as db:
            result = service.submit_reading(
                db=db,
                person=person,
                channel_id=metadata.get("channel_id") or None,
                reading=reading,
                source="modal",
                at=now,
            )
        ack()  # closes the modal
        # Handed to confirm_from_modal, which runs after the response has gone to Slack.
        context["ssi_reply"] = messages.submission_reply(result, now)

    def confirm_from_modal(
        body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        reply = context.get("ssi_reply")
        if reply is None:
            return
        response_url = metadata_of(view).get("response_url")
        if response_url:
            reply_privately(response_url, reply)
        else:
            # No command to answer (the form came from elsewhere): a DM from the app.
            client.chat_postMessage(
                channel=body["user"]["id"], text=reply.text, blocks=reply.blocks
            )

    def app_removed(event: dict[str, Any], context: BoltContext) -> None:
        # Single-workspace mode keeps its token in the environment, so there is nothing to
        # delete here; say so loudly, because every Web API call fails from now on.
        log.warning(
            "Slack says the app lost access: %s",
            event.get("type"),
            extra={"workspace": scope_of(context).workspace_id},
        )

    app.command("/ssi", matchers=[_is_bare])(ack=ack_only, lazy=[open_form])
    team_listeners.register(app, engine=engine, clock=clock)  # before the catch-all /ssi
    export.register(app, engine=engine)
    app.command("/ssi")(ssi_command)
    privacy.register(app, engine=engine)
    if app.oauth_flow is not None:
        # Many workspaces: delete the workspace's tokens (Bolt's own handlers), so nothing
        # is posted there any more, and note when, so its data is purged after the
        # retention period unless it installs the app again.
        revocation = TokenRevocationListeners(app.oauth_flow.settings.installation_store)

        def uninstalled(event: dict[str, Any], context: BoltContext) -> None:
            if event.get("type") == "app_uninstalled":
                revocation.handle_app_uninstalled_events(context)
            else:
                revocation.handle_tokens_revoked_events(event, context)
                if not (event.get("tokens") or {}).get("bot"):
                    return  # only people's own tokens: the workspace keeps the app
            with engine.begin() as db:
                removals.record_removal(db=db, scope=_removed_scope(context), at=clock())
            log.info(
                "app removed: tokens deleted", extra={"workspace": scope_of(context).workspace_id}
            )

        app.event("app_uninstalled")(uninstalled)
        app.event("tokens_revoked")(uninstalled)
    else:
        app.event("app_uninstalled")(app_removed)
        app.event("tokens_revoked")(app_removed)
    app.view(messages.SUBMISSION_CALLBACK)(ack=save_from_modal, lazy=[confirm_from_modal])

    # Last, so they only get what nothing above handled: another command pointed at this
    # app by mistake gets a clear answer; a stray button or form, a plain acknowledgement.
    @app.command(re.compile(r".*"))
    def other_command(ack: Ack, command: dict[str, Any]) -> None:
        ack(**messages.unknown_command_reply(str(command.get("command", ""))).ephemeral())

    app.action(re.compile(r".*"))(ack_only)
    app.view(re.compile(r".*"))(ack_only)
    # Events and shortcuts nothing here handles yet (app_home_opened until the App Home
    # exists, global and message shortcuts): a 200, never a 404 that Slack would retry.
    app.event(re.compile(r".*"))(ack_only)
    app.shortcut(re.compile(r".*"))(ack_only)

    @app.error
    def on_error(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse:
        if on_slack_error is not None:
            on_slack_error(error, context)
        workspace = body.get("team_id") or (body.get("team") or {}).get("id")
        # Never a 500 or a stack trace for the user; the transaction has rolled back.
        if is_busy(error):
            log.warning(
                "database busy: answered busy, nothing saved", extra={"workspace": workspace}
            )
            return failure_answer(body, messages.busy_reply(), busy=True)
        log.exception("listener failed", extra={"workspace": workspace})
        return failure_answer(body, messages.internal_error_reply())


def _removed_scope(context: BoltContext) -> Scope:
    """What an uninstall removes: the workspace, or with an org-wide install every workspace
    of the org (recorded without a workspace)."""
    scope = scope_of(context)
    if context.is_enterprise_install and scope.enterprise_id:
        return Scope(workspace_id="", enterprise_id=scope.enterprise_id)
    return scope


def _is_bare(command: dict[str, Any]) -> bool:
    """Bare ``/ssi``: nothing typed after it (what ``parse`` turns into ``OpenModal``)."""
    return not unescape_slack(command.get("text") or "").strip()
