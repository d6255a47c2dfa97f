"""``/ssi export``: a person's own history, or (``/ssi export team`` in a team's channel) the
team's, as a CSV file in the person's DM. A team's history goes only to its managers and
workspace admins; everyone else is told so. The command is answered at once; the file is
made and uploaded (files_upload_v2) after the answer, in a lazy listener."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Person
from models.domain.teams import NotAllowed, may_manage
from models.services import exports, teams
from slackapp.render import exports as exported
from slackapp.render.notices import Guarded, not_allowed
from slackapp.slack.calls.team_rights import is_admin
from slackapp.slack.pipeline.router import request_of
from slackapp.slack.readers.command_text import Subcommand
from slackapp.slack.readers.scope import scope_of

log = logging.getLogger(__name__)


def _wanted(context: BoltContext) -> str:
    """``me`` or ``team``, as ``/ssi export [me|team]`` said."""
    request = request_of(context)
    assert isinstance(request, Subcommand)
    return request.argument


class Exporting:
    """``/ssi export``: answered at once, the file sent afterwards."""

    def __init__(self, *, engine: Engine) -> None:
        self.engine = engine

    def acknowledge(self, ack: Ack, context: BoltContext) -> None:
        ack(**exported.preparing(team=_wanted(context) == "team").ephemeral())

    def send(
        self, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        user_id, scope = command["user_id"], scope_of(context)
        if _wanted(context) == "team":
            channel_id = command.get("channel_id", "")
            with self.engine.connect() as db:
                team = teams.team_in_channel(db=db, scope=scope, channel_id=channel_id)
            if team is None:
                respond(**exported.not_a_team().ephemeral())
                return
            try:
                may_manage(
                    team,
                    user_id,
                    is_admin=lambda: is_admin(client.users_info(user=user_id)["user"]),
                )
            except NotAllowed as refused:
                respond(**not_allowed(refused, Guarded.EXPORT).ephemeral())
                return
            with self.engine.connect() as db:
                content, count = exports.team_history(db=db, team=team)
            filename, team_file = f"ssi-team-{channel_id}.csv", True
        else:
            with self.engine.connect() as db:
                content, count = exports.person_history(db=db, person=Person(scope, user_id))
            filename, team_file = "ssi-history.csv", False
        try:
            dm = client.conversations_open(users=user_id)["channel"]["id"]
            client.files_upload_v2(
                channel=dm,
                content=content,
                filename=filename,
                title=exported.file_title(team_file),
                initial_comment=exported.file_comment(team_file, count),
            )
        except SlackApiError as error:
            log.warning(
                "export upload failed: %s",
                error.response.get("error"),
                extra={"workspace": scope_of(context).workspace_id},
            )
            respond(**exported.send_failed().ephemeral())
