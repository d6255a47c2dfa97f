"""The App Home tab: published when opened, after an action in it, and after a person's change
elsewhere while it is on their screen (``HOME_ON_SCREEN``), with its
buttons (reminders, privacy, away and back, and for managers a nudge to the channel).
Thin: ``models.services.home`` gathers the numbers, ``render.home`` draws the view,
``HomePublisher`` keeps the pace Slack allows."""

from __future__ import annotations

import logging
import re
import threading
from datetime import date, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.privacy import Privacy
from models.domain.scope import Person, Scope
from models.domain.streaks import away_until
from models.services import settings
from models.services.home import NotTheirs, home_to_show, managed_team, team_they_manage
from slackapp.clock import Clock
from slackapp.language.speech import speaking
from slackapp.render.charts.pictures import Chart, person_trend
from slackapp.render.home import (
    AWAY_ACTION,
    BACK_ACTION,
    PRIVACY_ACTION,
    REMINDERS_ACTION,
    away_modal,
    away_refusal,
    home_view,
    published_fingerprint,
)
from slackapp.render.managed_teams import (
    NUDGE_ACTION,
    SEE_TEAM_ACTION,
    TEAM_PAGE_ACTION,
    nudge_message,
    team_week_view,
)
from slackapp.render.weekly.coaching import manager_summary
from slackapp.slack.calls.chart_files import ChartFiles
from slackapp.slack.calls.home_publisher import HomePublisher
from slackapp.slack.pipeline.person_language import PersonLanguage
from slackapp.slack.readers.interaction import Interaction
from slackapp.slack.readers.payloads import ack_only
from slackapp.slack.readers.scope import scope_of

log = logging.getLogger(__name__)

AWAY_CALLBACK = "ssi_away"
TEAM_ID = re.compile(r"[1-9][0-9]{0,17}")  # a team's id on a button: fits a 64-bit integer
HOME_EVENTS = ("app_home_opened",)
UNSHOWABLE_KEPT = 1000  # charts Slack refused, remembered so a Home goes without them
HOME_ACTIONS = (
    REMINDERS_ACTION,
    PRIVACY_ACTION,
    AWAY_ACTION,
    BACK_ACTION,
    NUDGE_ACTION,
    SEE_TEAM_ACTION,
    TEAM_PAGE_ACTION,
)


class HomeTab:
    """The App Home's listeners and its publisher."""

    def __init__(
        self,
        *,
        engine: Engine,
        clock: Clock,
        languages: PersonLanguage,
        publisher: HomePublisher | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.chart_files = ChartFiles(engine=engine, clock=clock)
        self.languages = languages
        self.publisher = publisher or HomePublisher(
            build=self.build, fingerprint_of=published_fingerprint
        )
        self._lock = threading.Lock()
        self._uploading: set[tuple[Scope, str]] = set()  # charts on the slow lane
        self._unshowable: set[tuple[Scope, str]] = set()  # charts Slack wouldn't take

    def build(
        self, client: WebClient, scope: Scope, user_id: str, opened: bool
    ) -> dict[str, Any] | None:
        """The person's Home view, in their language; None when asked by a change (not by
        opening) and the Home isn't on their screen (``HOME_ON_SCREEN``): it is built anew
        when they next open it. Built on the publisher's threads, away from the request
        that asked for it. A chart never uploaded goes up on the publisher's slow lane and
        the Home is published again once Slack shows it: neither this person's Home nor
        anyone else's waits for an upload."""
        now = self.clock()
        with self.engine.begin() as db:
            home = home_to_show(db=db, person=Person(scope, user_id), now=now, opened=opened)
        if home is None:
            return None
        with speaking(self.languages.of(client, scope, user_id)):
            chart = person_trend(home.history)
            block = None
            if chart is not None:
                block = self.chart_files.shown_before(scope, chart)
                if block is None and (scope, chart.fingerprint) not in self._unshowable:
                    self._upload(client, scope, user_id, chart)
            return home_view(home, block)

    def _upload(self, client: WebClient, scope: Scope, user_id: str, chart: Chart) -> None:
        """The chart's upload on the slow lane, then the Home again with it (once per
        picture; one Slack wouldn't take is not tried again for a while)."""
        key = (scope, chart.fingerprint)
        with self._lock:
            if key in self._uploading:
                return
            self._uploading.add(key)

        def upload() -> None:
            try:
                if self.chart_files.show(client, scope, chart, owner=user_id) is not None:
                    self.publisher.request(client, scope, user_id)
                    return
                with self._lock:
                    if len(self._unshowable) >= UNSHOWABLE_KEPT:
                        self._unshowable.clear()
                    self._unshowable.add(key)
            finally:
                with self._lock:
                    self._uploading.discard(key)

        self.publisher.meanwhile(upload)

    def refresh(self, client: WebClient, scope: Scope, user_id: str) -> None:
        """After a change the person made (a setting, an action in the Home): publish anew
        if their Home is on screen."""
        if user_id:
            self.publisher.request(client, scope, user_id)

    # --- listeners -----------------------------------------------------------------------

    def opened(self, event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab") != "home" or not event.get("user"):
            return  # the Messages tab, or a payload without a person
        seen = published_fingerprint(event.get("view"))
        self.publisher.request(
            client, scope_of(context), str(event["user"]), opened=True, seen=seen
        )

    def toggle_reminders(
        self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        clicked = Interaction.of(body)
        person = Person(scope_of(context), clicked.user_id)
        with self.engine.begin() as db:
            settings.set_reminders(db=db, person=person, on=clicked.value == "on")
        self.refresh(client, scope_of(context), clicked.user_id)

    def choose_privacy(
        self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        clicked = Interaction.of(body)
        person = Person(scope_of(context), clicked.user_id)
        if clicked.value not in {p.value for p in Privacy}:
            return
        with self.engine.begin() as db:
            settings.set_privacy(db=db, person=person, privacy=Privacy(clicked.value))
        self.refresh(client, scope_of(context), clicked.user_id)

    def ask_away(self, body: dict[str, Any], client: WebClient) -> None:
        """After the ack (lazy): the form with a date picker, a week ahead to start with."""
        week_ahead = self.clock().date() + timedelta(days=7)
        view = away_modal(AWAY_CALLBACK, week_ahead)
        try:
            client.views_open(trigger_id=Interaction.of(body).trigger_id, view=view)
        except SlackApiError as error:
            log.warning("views.open for away failed: %s", error.response.get("error"))

    def save_away(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: BoltContext,
    ) -> None:
        state = (view.get("state") or {}).get("values") or {}
        picked = ((state.get("until") or {}).get("value") or {}).get("selected_date") or ""
        try:
            period = away_until(date.fromisoformat(picked), now=self.clock())
        except ValueError as wrong:  # AwayDateError, or no date
            ack(response_action="errors", errors={"until": away_refusal(wrong)})
            return
        user_id = Interaction.of(body).user_id
        with self.engine.begin() as db:
            settings.go_away(db=db, person=Person(scope_of(context), user_id), period=period)
        ack()
        self.refresh(client, scope_of(context), user_id)

    def back(self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        user_id = Interaction.of(body).user_id
        with self.engine.begin() as db:
            settings.come_back(db=db, person=Person(scope_of(context), user_id), now=self.clock())
        self.refresh(client, scope_of(context), user_id)

    def nudge(self, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """A manager's nudge: a note with the Share button in the team's channel. Nobody
        is named in the channel (privacy choices hold there); the manager's Home lists
        who hasn't shared. After the ack (lazy)."""
        clicked = Interaction.of(body)
        manager = clicked.user_id
        team_id = int(clicked.value) if TEAM_ID.fullmatch(clicked.value) else 0  # 0: no team
        try:
            with self.engine.connect() as db:
                team = team_they_manage(
                    db=db, person=Person(scope_of(context), manager), team_id=team_id
                )
        except NotTheirs:
            log.info("a nudge for no team of the person's: ignored")
            return  # a stale button, or not theirs to press
        with speaking(team.language):  # the channel reads the team's language
            nudge = nudge_message(manager)
        try:
            client.chat_postMessage(channel=team.channel_id, text=nudge.text, blocks=nudge.blocks)
        except SlackApiError as error:
            log.warning("nudge failed: %s", error.response.get("error"))

    def see_team(self, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """ "See everyone" (from the Home) and its page buttons (in the view): the manager's
        whole team this week, as their weekly summary lists it. After the ack (lazy)."""
        clicked = Interaction.of(body)
        team_id, _sep, page = clicked.value.partition(":")
        if not team_id.isdigit() or len(team_id) > 18 or not (page or "0").isdigit():
            return  # not a value this app made
        person, now = Person(scope_of(context), clicked.user_id), self.clock()
        try:
            with self.engine.connect() as db:
                team = managed_team(db=db, person=person, team_id=int(team_id), now=now)
        except NotTheirs:
            return  # a stale button, or not theirs to press
        parts = manager_summary(
            team.board,
            team_id=team.team.id,
            channel_id=team.team.channel_id,
            standings=[],
            momentum=team.momentum,
        )
        number = min(int(page or 0), len(parts) - 1)
        view = team_week_view([p.blocks for p in parts], team_id=team.team.id, page=number)
        try:
            if clicked.action_id == TEAM_PAGE_ACTION and clicked.view_id:
                client.views_update(view_id=clicked.view_id, view=view)
            else:
                client.views_open(trigger_id=clicked.trigger_id, view=view)
        except SlackApiError as error:
            log.warning("the team's view failed: %s", error.response.get("error"))

    def register(self, app: App) -> None:
        app.event("app_home_opened")(self.opened)
        app.action(REMINDERS_ACTION)(self.toggle_reminders)
        app.action(PRIVACY_ACTION)(self.choose_privacy)
        app.action(AWAY_ACTION)(ack=ack_only, lazy=[self.ask_away])
        app.action(BACK_ACTION)(self.back)
        app.action(NUDGE_ACTION)(ack=ack_only, lazy=[self.nudge])
        app.action(SEE_TEAM_ACTION)(ack=ack_only, lazy=[self.see_team])
        app.action(TEAM_PAGE_ACTION)(ack=ack_only, lazy=[self.see_team])
        app.view(AWAY_CALLBACK)(self.save_away)
