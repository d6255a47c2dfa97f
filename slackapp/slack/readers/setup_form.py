"""Read the submitted team set-up form into a ``TeamSetup``, with an error per wrong field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from models.domain.languages import language_of
from models.domain.ssi import InvalidReading
from models.domain.teams import MAX_MANAGERS, Goal, TeamSetup
from models.domain.weeks import check_timezone, parse_clock
from models.domain.words import N_, Phrase
from slackapp.language.speech import _, explain
from slackapp.render.team_setup import REMIND, too_many_managers
from slackapp.slack.readers.forms import FormErrors
from slackapp.slack.readers.typed_numbers import parse_number

GOAL_LABEL = Phrase(N_("The goal"))
WEEKDAY_VALUES = {str(day): day for day in range(7)}  # the options' values, Monday first
USER_ID = re.compile(r"[UW][A-Z0-9]{1,20}")  # Slack's user ids (W...: Enterprise Grid)


def _dict(value: Any) -> dict[str, Any]:
    """A part of the payload that should be an object (a forged one may be anything)."""
    return value if isinstance(value, dict) else {}


def _text(values: dict[str, Any], block: str, key: str) -> str:
    """What an input holds under ``key``, when it is text."""
    found = values.get(block, {}).get(key)
    return found if isinstance(found, str) else ""


def _goal(values: dict[str, Any], today: date, errors: dict[str, str]) -> Goal | None:
    """The optional goal: a target average and a date, both or neither."""
    typed = _text(values, "goal_average", "value").strip()
    picked = _text(values, "goal_date", "selected_date")
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


def _managers(values: dict[str, Any], errors: dict[str, str]) -> tuple[str, ...]:
    chosen = values.get("managers", {}).get("selected_users") or []
    managers = tuple(chosen) if isinstance(chosen, list) else ()
    if not managers:
        errors["managers"] = _("Choose at least one manager to receive the weekly summary.")
    elif not all(isinstance(m, str) and USER_ID.fullmatch(m) for m in managers):
        errors["managers"] = _("Choose the managers from the list of people.")
    elif len(set(managers)) > MAX_MANAGERS:
        errors["managers"] = too_many_managers()
    return managers


def setup_from_view(view: dict[str, Any], *, today: date) -> TeamSetup:
    """Read the submitted form; ``FormErrors`` names each field that is wrong."""
    values = {
        block: _dict(_dict(actions).get("value"))
        for block, actions in _dict(_dict(view.get("state")).get("values")).items()
    }
    errors: dict[str, str] = {}
    option = _dict(values.get("weekday", {}).get("selected_option"))
    weekday = WEEKDAY_VALUES.get(str(option.get("value")), -1)
    if weekday < 0:
        errors["weekday"] = _("Choose the day the leaderboard goes out.")
    minute = 0
    try:
        minute = parse_clock(_text(values, "time", "selected_time"))
    except ValueError:
        errors["time"] = _("Choose the time the leaderboard goes out.")
    timezone = _text(values, "timezone", "value").strip()
    try:
        check_timezone(timezone)
    except ValueError:
        errors["timezone"] = _("“{typed}” is not a time zone like Europe/Berlin.").format(
            typed=timezone[:64]
        )
    managers = _managers(values, errors)
    picked_language = _dict(values.get("language", {}).get("selected_option")).get("value")
    language = language_of(str(picked_language or ""))  # a form from before 0010: None
    chosen = values.get("reminders", {}).get("selected_options") or []
    goal = _goal(values, today, errors)
    if errors:
        raise FormErrors(errors)
    reminders = isinstance(chosen, list) and any(_dict(o).get("value") == REMIND for o in chosen)
    return TeamSetup(
        weekday, minute, timezone, managers, reminders=reminders, goal=goal, language=language
    )
