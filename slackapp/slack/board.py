"""Where people stand: ``/ssi board`` (the channel's, or its team's week so far) and
``/ssi me`` (a person's own history and standing)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from sqlalchemy import Engine

from models import service
from slackapp.clock import Clock
from slackapp.render.replies import board_reply, personal_reply
from slackapp.render.weekly import channel_board
from slackapp.slack.submit import person_of


class Standings:
    """The listeners that show boards and standings (reads only)."""

    def __init__(self, *, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def me(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        now = self.clock()
        with self.engine.connect() as db:
            summary = service.personal_summary(db=db, person=person_of(command, context), at=now)
        ack(**personal_reply(summary, now).ephemeral())

    def board(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        now = self.clock()
        scope, channel_id = person_of(command, context).scope, command.get("channel_id") or ""
        with self.engine.connect() as db:
            team = service.team_board(db=db, scope=scope, channel_id=channel_id, now=now)
            standings = (
                service.channel_board(db=db, scope=scope, channel_id=channel_id)
                if team is None
                else []
            )
        if team is not None:
            record, board = team
            reply = channel_board(board, team_id=record.id, standings=[], so_far=True)
            ack(**reply.ephemeral())
        else:
            ack(**board_reply(channel_id, standings, now).ephemeral())
