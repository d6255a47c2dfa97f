"""``/ssi setup``: the modal that makes a channel a team, and reading it back."""

from __future__ import annotations

from typing import Any

from models.domain.weeks import WEEKDAYS, format_clock
from models.store.teams import TeamRecord
from slackapp.render.blocks import Message, modal, notice, option, score

SETUP_CALLBACK = "ssi_setup"
DEFAULT_MINUTE = 9 * 60
REMIND = "remind"


def _input(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def setup_modal(
    *, team: TeamRecord | None, timezone: str, user_id: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    """The set-up form, filled with the team's settings or sensible defaults (the person's
    own time zone as Slack knows it, Monday 09:00, them as manager, reminders on)."""
    weekday = team.post_weekday if team else 0
    minute = team.post_minute if team else DEFAULT_MINUTE
    managers = list(team.managers) if team and team.managers else [user_id]
    reminders = team.reminders if team else True
    days = [option(day.capitalize(), str(i)) for i, day in enumerate(WEEKDAYS)]
    remind_option = option("Remind members who haven't shared, 3 hours before", REMIND)
    checkboxes: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": "value",
        "options": [remind_option],
    }
    if reminders:
        checkboxes["initial_options"] = [remind_option]
    goal = team.goal if team else None
    goal_target: dict[str, Any] = {
        "type": "number_input",
        "action_id": "value",
        "is_decimal_allowed": True,
        "min_value": "1",
        "max_value": "100",
        "placeholder": {"type": "plain_text", "text": "65"},
    }
    goal_date: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    if goal is not None:
        goal_target["initial_value"] = score(goal.target)
        goal_date["initial_date"] = goal.by.isoformat()
    blocks = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": (
                    f"Every week, <#{metadata['channel_id']}> gets its SSI leaderboard and each "
                    "manager a summary by DM."
                ),
            },
        },
        _input(
            "weekday",
            "Day",
            {
                "type": "static_select",
                "action_id": "value",
                "options": days,
                "initial_option": days[weekday],
            },
        ),
        _input(
            "time",
            "Time",
            {"type": "timepicker", "action_id": "value", "initial_time": format_clock(minute)},
        ),
        _input(
            "timezone",
            "Time zone",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "initial_value": team.timezone if team else timezone,
            },
            hint="As in Europe/Berlin or America/New_York",
        ),
        _input(
            "managers",
            "Managers",
            {"type": "multi_users_select", "action_id": "value", "initial_users": managers},
        ),
        _input("reminders", "Reminders", checkboxes, optional=True),
        _input("goal_average", "Team goal: average SSI (optional)", goal_target, optional=True),
        _input(
            "goal_date",
            "Reach it by",
            goal_date,
            optional=True,
            hint="The post and your summary show progress and a forecast from the trend.",
        ),
    ]
    return modal(SETUP_CALLBACK, "SSI team set-up", blocks, metadata)


def setup_done(team: TeamRecord, members: int | None) -> Message:
    managers = ", ".join(f"<@{m}>" for m in team.managers)
    count = f" {members} members are on the board." if members is not None else ""
    text = (
        f"<#{team.channel_id}> is an SSI team: its leaderboard goes out every "
        f"{WEEKDAYS[team.post_weekday].capitalize()} at {format_clock(team.post_minute)} "
        f"({team.timezone}), with a summary for {managers}. Reminders are "
        f"{'on' if team.reminders else 'off'}.{count}"
    )
    if team.goal is not None:
        text += f" Goal: an average of {score(team.goal.target)} by {team.goal.by:%b %-d, %Y}."

    return notice(text, ":white_check_mark:")


def not_allowed(team: TeamRecord) -> Message:
    managers = ", ".join(f"<@{m}>" for m in team.managers) or "a workspace admin"
    text = f"Only this team's managers or a workspace admin can change its set-up. Ask {managers}."
    return notice(text)


def not_checked() -> Message:
    text = "Slack didn't confirm your rights in time, so nothing was saved. Please try again."
    return notice(text, ":warning:")


def not_a_channel() -> Message:
    text = "Run `/ssi setup` in the channel you want as a team, not in a direct message."
    return notice(text)


def invite_first() -> Message:
    text = (
        "I can't see this channel yet, so I couldn't post its leaderboard. It looks like a "
        "private channel I'm not in: type `/invite @SSI Leaderboard` here first, then "
        "`/ssi setup` again."
    )
    return notice(text, ":lock:")
