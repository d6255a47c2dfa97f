"""Read the submitted team set-up form into a ``TeamSetup``, with an error per wrong field."""

from __future__ import annotations

from datetime import date
from typing import Any

from models.domain.goals import Goal
from models.domain.languages import language_of
from models.domain.ssi import InvalidReading
from models.domain.weeks import check_timezone, parse_clock
from models.domain.words import N_, Phrase
from models.store.teams import TeamSetup
from slackapp.language.speech import _, explain
from slackapp.render.team_setup import REMIND
from slackapp.slack.command_text import parse_number
from slackapp.slack.forms import FormErrors

GOAL_LABEL = Phrase(N_("The goal"))


def _goal(values: dict[str, Any], today: date, errors: dict[str, str]) -> Goal | None:
    """The optional goal: a target average and a date, both or neither."""
    typed = str((values.get("goal_average") or {}).get("value") or "").strip()
    picked = (values.get("goal_date") or {}).get("selected_date") or ""
    if not typed and not picked:
        return None
    target = by = None
    try:
        target = parse_number(typed, GOAL_LABEL, "goal_average") if typed else None
        if target is not None and not 0 < target <= 100:
            raise InvalidReading(N_("A goal is an average SSI, above 0 and up to 100."))
    except InvalidReading as wrong:
        errors["goal_average"] = explain(wrong)
        target = None
    try:
        by = date.fromisoformat(picked) if picked else None
    except ValueError:
        errors["goal_date"] = _("Pick the date from the calendar.")
    if by is not None and by <= today:
        errors["goal_date"] = _("Pick a date after today for the goal.")
    if typed and not picked:
        errors["goal_date"] = _("Pick the date the team should reach its goal by.")
    if picked and not typed:
        errors["goal_average"] = _("Give the average the team should reach, like 65.")
    return Goal(target, by) if target is not None and by is not None else None


def setup_from_view(view: dict[str, Any], *, today: date) -> TeamSetup:
    """Read the submitted form; ``FormErrors`` names each field that is wrong."""
    values = {
        block: actions.get("value", {})
        for block, actions in (view.get("state", {}).get("values") or {}).items()
    }
    errors: dict[str, str] = {}
    option = (values.get("weekday") or {}).get("selected_option") or {}
    weekday = int(option.get("value", "0")) if str(option.get("value", "")).isdigit() else -1
    if not 0 <= weekday <= 6:
        errors["weekday"] = _("Choose the day the leaderboard goes out.")
    minute = 0
    try:
        minute = parse_clock((values.get("time") or {}).get("selected_time") or "")
    except ValueError:
        errors["time"] = _("Choose the time the leaderboard goes out.")
    timezone = ((values.get("timezone") or {}).get("value") or "").strip()
    try:
        check_timezone(timezone)
    except ValueError:
        errors["timezone"] = _("“{typed}” is not a time zone like Europe/Berlin.").format(
            typed=timezone[:64]
        )
    managers = tuple((values.get("managers") or {}).get("selected_users") or ())
    if not managers:
        errors["managers"] = _("Choose at least one manager to receive the weekly summary.")
    picked_language = ((values.get("language") or {}).get("selected_option") or {}).get("value")
    language = language_of(str(picked_language or ""))  # a form from before 0010: None
    chosen = (values.get("reminders") or {}).get("selected_options") or []
    goal = _goal(values, today, errors)
    if errors:
        raise FormErrors(errors)
    reminders = any(o.get("value") == REMIND for o in chosen)
    return TeamSetup(
        weekday, minute, timezone, managers, reminders=reminders, goal=goal, language=language
    )
