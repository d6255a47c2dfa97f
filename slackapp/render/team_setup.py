"""``/ssi setup``: the modal that makes a channel a team, and reading it back."""

from __future__ import annotations

from typing import Any

from models.domain.languages import Language
from models.domain.teams import MAX_MANAGERS, TeamRecord
from models.domain.weeks import WEEKDAYS, format_clock
from slackapp.language.speech import _, day, score
from slackapp.language.speech import weekday as weekday_name
from slackapp.render.blocks import Message, modal, notice, option

SETUP_CALLBACK = "ssi_setup"
DEFAULT_MINUTE = 9 * 60
REMIND = "remind"
# Refusals of the whole form show beside its managers: they are about who may set it up.
REFUSAL_BLOCK = "managers"


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
    *,
    team: TeamRecord | None,
    timezone: str,
    user_id: str,
    metadata: dict[str, Any],
    language: Language,
) -> dict[str, Any]:
    """The set-up form, filled with the team's settings or sensible defaults (the person's
    own time zone as Slack knows it and their language, Monday 09:00, them as manager,
    reminders on)."""
    weekday = team.post_weekday if team else 0
    minute = team.post_minute if team else DEFAULT_MINUTE
    managers = list(team.managers) if team and team.managers else [user_id]
    reminders = team.reminders if team else True
    days = [option(weekday_name(i).capitalize(), str(i)) for i in range(len(WEEKDAYS))]
    languages = [option(lang.own_name, lang.value) for lang in Language]
    chosen = team.language if team else language
    remind_option = option(_("Remind members who haven't shared, 3 hours before"), REMIND)
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
                "text": _(
                    "Every week, <#{channel}> gets its SSI leaderboard and each manager a "
                    "summary by DM."
                ).format(channel=metadata["channel_id"]),
            },
        },
        _input(
            "weekday",
            _("Day"),
            {
                "type": "static_select",
                "action_id": "value",
                "options": days,
                "initial_option": days[weekday],
            },
        ),
        _input(
            "time",
            _("Time"),
            {"type": "timepicker", "action_id": "value", "initial_time": format_clock(minute)},
        ),
        _input(
            "timezone",
            _("Time zone"),
            {
                "type": "plain_text_input",
                "action_id": "value",
                "initial_value": team.timezone if team else timezone,
            },
            hint=_("As in Europe/Berlin or America/New_York"),
        ),
        _input(
            "managers",
            _("Managers"),
            {
                "type": "multi_users_select",
                "action_id": "value",
                "initial_users": managers,
                "max_selected_items": MAX_MANAGERS,
            },
        ),
        _input(
            "language",
            _("Language of the weekly post and the managers' summary"),
            {
                "type": "static_select",
                "action_id": "value",
                "options": languages,
                "initial_option": languages[list(Language).index(chosen)],
            },
            hint=_("Each person's own replies follow their Slack language."),
        ),
        _input("reminders", _("Reminders"), checkboxes, optional=True),
        _input("goal_average", _("Team goal: average SSI (optional)"), goal_target, optional=True),
        _input(
            "goal_date",
            _("Reach it by"),
            goal_date,
            optional=True,
            hint=_("The post and your summary show progress and a forecast from the trend."),
        ),
    ]
    return modal(SETUP_CALLBACK, _("SSI team set-up"), blocks, metadata)


def setup_done(team: TeamRecord, members: int | None) -> Message:
    managers = ", ".join(f"<@{m}>" for m in team.managers)
    text = _(
        "<#{channel}> is an SSI team: its leaderboard goes out every {weekday} at {time} "
        "({timezone}) in {language}, with a summary for {managers}."
    ).format(
        channel=team.channel_id,
        weekday=weekday_name(team.post_weekday),
        time=format_clock(team.post_minute),
        timezone=team.timezone,
        language=team.language.own_name,
        managers=managers,
    )
    text += " " + (_("Reminders are on.") if team.reminders else _("Reminders are off."))
    if members is not None:
        text += " " + _("{count} members are on the board.").format(count=members)
    if team.goal is not None:
        text += " " + _("Goal: an average of {target} by {date}.").format(
            target=score(team.goal.target), date=day(team.goal.by)
        )

    return notice(text, ":white_check_mark:")


def not_checked() -> Message:
    text = _("Slack didn't confirm your rights in time, so nothing was saved. Please try again.")
    return notice(text, ":warning:")


def not_in_channel() -> Message:
    text = _(
        "You're not in this channel, so you can't set it up as a team and nothing was saved. "
        "Ask someone in it, or join it and run /ssi setup there."
    )
    return notice(text, ":lock:")


def form_not_opened_here() -> Message:
    text = _(
        "This form wasn't opened by you for this channel, or it is out of date, so nothing "
        "was saved. Run /ssi setup in the channel again."
    )
    return notice(text, ":warning:")


def too_many_managers() -> str:
    return _(
        "A team can have at most {count} managers, since each gets a summary by DM every "
        "week. Keep the ones who coach this team."
    ).format(count=MAX_MANAGERS)


def not_a_channel() -> Message:
    text = _("Run `/ssi setup` in the channel you want as a team, not in a direct message.")
    return notice(text)


def invite_first() -> Message:
    text = _(
        "I can't see this channel yet, so I couldn't post its leaderboard. It looks like a "
        "private channel I'm not in: type `/invite @SSI Leaderboard` here first, then "
        "`/ssi setup` again."
    )
    return notice(text, ":lock:")
