"""The notes the weekly run sends beside the board: reminders before the post, and the note
to managers when their channel can't be reached."""

from __future__ import annotations

from models.domain.streaks import Streak
from models.domain.weeks import format_clock
from slackapp.language.speech import _
from slackapp.render.blocks import EXAMPLE, Message, notice, section
from slackapp.render.momentum import share_actions, weeks_label


def reminder(
    *, channel_id: str, post_minute: int, timezone: str, streak: Streak | None = None
) -> Message:
    clock = format_clock(post_minute)
    text = _(
        "<#{channel}> posts its SSI leaderboard today at {time} ({timezone}), and you haven't "
        "shared this week's SSI yet. Copy it from linkedin.com/sales/ssi: `{example}`, or "
        "click below for a form."
    ).format(channel=channel_id, time=clock, timezone=timezone, example=EXAMPLE)
    stake = ""
    if streak is not None and streak.at_stake:
        stake = _("Your streak of {weeks} is at stake: share today to keep it going.").format(
            weeks=weeks_label(streak)
        )
    if stake:
        fallback = _("Reminder: {stake} Share this week's SSI before the leaderboard at {time}.")
    else:
        fallback = _("Reminder: share this week's SSI before the leaderboard at {time}.")
    return Message(
        text=fallback.format(stake=stake, time=clock),
        blocks=[
            section(f":hourglass: {':fire: ' + stake + ' ' if stake else ''}{text}"),
            share_actions(channel_id),
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": _("Don't want these? `/ssi remind off`")}],
            },
        ],
    )


def channel_unreachable(*, channel_id: str, error: str) -> Message:
    text = _(
        "I couldn't post the weekly SSI leaderboard in <#{channel}> (Slack says `{error}`). "
        "Invite me back with `/invite @ssi-leaderboard`, then it goes out next week as usual."
    ).format(channel=channel_id, error=error)
    return Message(
        text=_("I couldn't post your team's SSI leaderboard."),
        blocks=notice(text, ":warning:").blocks,
    )
