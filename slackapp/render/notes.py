"""The notes the weekly run sends beside the board: reminders before the post, and the note
to managers when their channel can't be reached."""

from __future__ import annotations

from models.domain.streaks import Streak
from models.domain.weeks import format_clock
from slackapp.render.blocks import EXAMPLE, Message, notice, section
from slackapp.render.momentum import share_actions


def reminder(
    *, channel_id: str, post_minute: int, timezone: str, streak: Streak | None = None
) -> Message:
    text = (
        f"<#{channel_id}> posts its SSI leaderboard today at {format_clock(post_minute)} "
        f"({timezone}), and you haven't shared this week's SSI yet. Copy it from "
        f"linkedin.com/sales/ssi: `{EXAMPLE}`, or click below for a form."
    )
    stake = ""
    if streak is not None and streak.at_stake:
        stake = f"Your {streak.label} streak is at stake: share today to keep it going. "
    return Message(
        text=f"Reminder: {stake}share this week's SSI before the leaderboard at "
        f"{format_clock(post_minute)}.",
        blocks=[
            section(f":hourglass: {':fire: ' + stake if stake else ''}{text}"),
            share_actions(channel_id),
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "Don't want these? `/ssi remind off`"}],
            },
        ],
    )


def channel_unreachable(*, channel_id: str, error: str) -> Message:
    text = (
        f"I couldn't post the weekly SSI leaderboard in <#{channel_id}> (Slack says "
        f"`{error}`). Invite me back with `/invite @ssi-leaderboard`, then it goes out next "
        "week as usual."
    )
    return Message(
        text="I couldn't post your team's SSI leaderboard.", blocks=notice(text, ":warning:").blocks
    )
