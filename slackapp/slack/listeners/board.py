"""Where people stand: ``/ssi board`` (the channel's, or its team's week so far) and
``/ssi me`` (a person's own history and standing)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy import Engine

from models.domain.scope import Person
from models.services import readings
from slackapp.clock import Clock
from slackapp.render.charts.pictures import TREND_POINTS, person_trend, weeks_shared
from slackapp.render.momentum import TREND_CHART_ACTION, TREND_HISTORY_ACTION, trend_chart_reply
from slackapp.render.notices import board_in_a_dm
from slackapp.render.replies import board_reply, personal_reply
from slackapp.render.weekly.board import channel_board
from slackapp.slack.calls.chart_files import ChartFiles
from slackapp.slack.readers.interaction import Interaction
from slackapp.slack.readers.payloads import ack_only
from slackapp.slack.readers.scope import person_of, scope_of


class Standings:
    """The listeners that show boards and standings (reads only)."""

    def __init__(self, *, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.chart_files = ChartFiles(engine=engine, clock=clock)

    def me(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        now = self.clock()
        with self.engine.connect() as db:
            summary = readings.personal_summary(db=db, person=person_of(command, context), at=now)
        ack(**personal_reply(summary, now).ephemeral())

    def board(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        now = self.clock()
        scope, channel_id = person_of(command, context).scope, command.get("channel_id") or ""
        if channel_id.startswith("D"):  # a DM (the app's, or another): no team's board
            ack(**board_in_a_dm().ephemeral())
            return
        with self.engine.connect() as db:
            team = readings.team_board(db=db, scope=scope, channel_id=channel_id, now=now)
            standings = (
                readings.channel_board(db=db, scope=scope, channel_id=channel_id)
                if team is None
                else []
            )
        if team is not None:
            record, board = team
            reply = channel_board(board, team_id=record.id, standings=[], so_far=True)
            ack(**reply.ephemeral())
        else:
            ack(**board_reply(channel_id, standings, now).ephemeral())

    def trend_chart(
        self, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """``/ssi me``'s "Show my trend chart", after the ack: the last weeks, drawn and
        uploaded (once per picture), shown to the person only."""
        self._show_trend(body, client, context, respond, whole=False)

    def whole_history(
        self, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """The "Show my whole history" button: every week the person shared, one chart."""
        self._show_trend(body, client, context, respond, whole=True)

    def _show_trend(
        self,
        body: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        respond: Respond,
        *,
        whole: bool,
    ) -> None:
        person = Person(scope_of(context), Interaction.of(body).user_id)
        with self.engine.connect() as db:
            read = readings.whole_history if whole else readings.trend_history
            history = read(db=db, person=person)
        chart = person_trend(history, whole=whole)
        block = None
        if chart is not None:
            block = self.chart_files.show(client, person.scope, chart, owner=person.user_id)
        # The whole history is offered when the chart leaves weeks out.
        more = not whole and chart is not None and weeks_shared(history) > TREND_POINTS
        reply = trend_chart_reply(block, whole=whole, more=more, drawn=chart is not None)
        respond(
            response_type="ephemeral", replace_original=False, text=reply.text, blocks=reply.blocks
        )

    def register(self, app: App) -> None:
        app.action(TREND_CHART_ACTION)(ack=ack_only, lazy=[self.trend_chart])
        app.action(TREND_HISTORY_ACTION)(ack=ack_only, lazy=[self.whole_history])
