"""Read the submitted team set-up form into a ``TeamSetup``, with an error per wrong field."""

from __future__ import annotations

from typing import Any

from models.domain.weeks import check_timezone, parse_clock
from models.store.teams import TeamSetup
from slackapp.render.team_setup import REMIND
from slackapp.slack.forms import FormErrors


def setup_from_view(view: dict[str, Any]) -> TeamSetup:
    """Read the submitted form; ``FormErrors`` names each field that is wrong."""
    values = {
        block: actions.get("value", {})
        for block, actions in (view.get("state", {}).get("values") or {}).items()
    }
    errors: dict[str, str] = {}
    option = (values.get("weekday") or {}).get("selected_option") or {}
    weekday = int(option.get("value", "0")) if str(option.get("value", "")).isdigit() else -1
    if not 0 <= weekday <= 6:
        errors["weekday"] = "Choose the day the leaderboard goes out."
    minute = 0
    try:
        minute = parse_clock((values.get("time") or {}).get("selected_time") or "")
    except ValueError:
        errors["time"] = "Choose the time the leaderboard goes out."
    timezone = ((values.get("timezone") or {}).get("value") or "").strip()
    try:
        check_timezone(timezone)
    except ValueError as error:
        errors["timezone"] = f"{error}."
    managers = tuple((values.get("managers") or {}).get("selected_users") or ())
    if not managers:
        errors["managers"] = "Choose at least one manager to receive the weekly summary."
    chosen = (values.get("reminders") or {}).get("selected_options") or []
    if errors:
        raise FormErrors(errors)
    return TeamSetup(
        weekday, minute, timezone, managers, reminders=any(o.get("value") == REMIND for o in chosen)
    )
