"""Every Slack listener, attached in one place: ``/ssi``'s route table, then each surface's
forms, buttons and events, then the catch-alls and the error handler."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltContext
from sqlalchemy import Engine

from slackapp.clock import Clock
from slackapp.render.form import PASTE_PAGE_ACTION, PASTE_PAGE_CALLBACK, SUBMISSION_CALLBACK
from slackapp.render.momentum import SHARE_ACTION, TREND_CHART_ACTION, TREND_HISTORY_ACTION
from slackapp.render.privacy import FORGET_CANCEL, FORGET_CONFIRM
from slackapp.render.sharing.page_preview import EDIT_ACTION, SAVE_ACTION
from slackapp.render.team_setup import SETUP_CALLBACK
from slackapp.slack.listeners.board import Standings
from slackapp.slack.listeners.export import Exporting
from slackapp.slack.listeners.home import AWAY_CALLBACK, HOME_ACTIONS, HOME_EVENTS, HomeTab
from slackapp.slack.listeners.lifecycle import REMOVAL_EVENTS, Leftovers, Removal
from slackapp.slack.listeners.privacy import PersonalData
from slackapp.slack.listeners.shared_page import MESSAGE_EVENTS, SharedPages, preview_command
from slackapp.slack.listeners.submit import Submitting, help_, invalid
from slackapp.slack.listeners.team import MEMBERSHIP_EVENTS, Teams
from slackapp.slack.pipeline import failures, router
from slackapp.slack.pipeline.person_language import PersonLanguage
from slackapp.slack.pipeline.router import Route
from slackapp.slack.pipeline.typed_in_dm import TypedInDm
from slackapp.slack.readers.payloads import ack_only


def register(
    app: App,
    *,
    engine: Engine,
    clock: Clock,
    languages: PersonLanguage,
    on_slack_error: Callable[[Exception, BoltContext], None] | None = None,
) -> None:
    """Attach every listener to ``app``."""
    home = HomeTab(engine=engine, clock=clock, languages=languages)
    submitting = Submitting(engine=engine, clock=clock, on_change=home.refresh)
    standings = Standings(engine=engine, clock=clock)
    personal = PersonalData(engine=engine, clock=clock, languages=languages, on_change=home.refresh)
    exporting = Exporting(engine=engine)
    teams = Teams(engine=engine, clock=clock)
    table = {
        "invalid": Route(invalid),
        "form": Route(ack_only, later=[submitting.open_form]),
        "submit": Route(submitting.submit),
        "page": Route(preview_command),
        "undo": Route(submitting.undo),
        "help": Route(help_),
        "me": Route(standings.me),
        "board": Route(standings.board),
        "remind": Route(personal.remind),
        "privacy": Route(personal.privacy),
        "language": Route(personal.language),
        "forget-me": Route(personal.forget_me),
        "away": Route(personal.away),
        "back": Route(personal.back),
        "export": Route(exporting.acknowledge, later=[exporting.send]),
        "setup": Route(ack_only, later=[teams.open_setup]),
    }
    router.register(app, table)
    # The Messages tab answers /ssi's typed forms through the same table.
    shared = SharedPages(engine=engine, clock=clock, on_change=home.refresh, typed=TypedInDm(table))
    submitting.register(app)
    personal.register(app)
    teams.register(app)
    home.register(app)
    standings.register(app)
    shared.register(app)
    Removal(engine=engine, clock=clock).register(app)
    Leftovers(
        actions=[
            FORGET_CONFIRM,
            FORGET_CANCEL,
            SHARE_ACTION,
            TREND_CHART_ACTION,
            TREND_HISTORY_ACTION,
            *HOME_ACTIONS,
            SAVE_ACTION,
            EDIT_ACTION,
            PASTE_PAGE_ACTION,
        ],
        views=[SUBMISSION_CALLBACK, PASTE_PAGE_CALLBACK, SETUP_CALLBACK, AWAY_CALLBACK],
        events=[*REMOVAL_EVENTS, *MEMBERSHIP_EVENTS, *HOME_EVENTS, *MESSAGE_EVENTS],
    ).register(app)
    failures.register_failures(app, on_slack_error)
