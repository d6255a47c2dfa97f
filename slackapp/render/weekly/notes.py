"""The notes the weekly run sends beside the board: reminders before the post, and the note
to managers when their channel can't be reached."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models.domain.streaks import Streak
from models.domain.weeks import format_clock
from slackapp.language.speech import _, n_
from slackapp.render.blocks import EXAMPLE, Block, Message, notice, section
from slackapp.render.momentum import share_actions, share_button, weeks_label
from slackapp.render.notices import paste_tip

# Teams a reminder lists one by one, each with its own Share button; any beyond are named
# together in one line (a person is on up to 20 teams; a message holds 50 blocks).
TEAMS_LISTED = 40


@dataclass(frozen=True, slots=True)
class ComingPost:
    """A team whose leaderboard posts today, as a reminder names it: its channel, when it
    posts (the team's time and time zone), and the person's streak on it."""

    channel_id: str
    post_minute: int
    timezone: str
    streak: Streak | None = None

    @property
    def stake(self) -> str:
        """The sentence saying the person's streak is at stake, or "" with none to lose."""
        if self.streak is None or not self.streak.at_stake:
            return ""
        return _("Your streak of {weeks} is at stake: share today to keep it going.").format(
            weeks=weeks_label(self.streak)
        )


def reminder(posts: Sequence[ComingPost]) -> Message:
    """The day's one reminder to share, naming every team in ``posts`` (first to post
    first). One reading counts on every team; each team's Share button says which team's
    rank the answer shows."""
    if len(posts) == 1:
        return _one_team(posts[0])
    return _several_teams(posts)


def _one_team(post: ComingPost) -> Message:
    clock = format_clock(post.post_minute)
    text = _(
        "<#{channel}> posts its SSI leaderboard today at {time} ({timezone}), and you haven't "
        "shared this week's SSI yet. Copy it from linkedin.com/sales/ssi: `{example}`, or "
        "click below for a form."
    ).format(channel=post.channel_id, time=clock, timezone=post.timezone, example=EXAMPLE)
    stake = post.stake
    if stake:
        fallback = _("Reminder: {stake} Share this week's SSI before the leaderboard at {time}.")
    else:
        fallback = _("Reminder: share this week's SSI before the leaderboard at {time}.")
    return Message(
        text=fallback.format(stake=stake, time=clock),
        blocks=[
            section(f":hourglass: {':fire: ' + stake + ' ' if stake else ''}{text}"),
            share_actions(post.channel_id),
            _turn_off(),
        ],
    )


def _several_teams(posts: Sequence[ComingPost]) -> Message:
    intro = _(
        "These teams of yours post their SSI leaderboards today, and you haven't shared this "
        "week's SSI yet. One reading counts on all of them: copy it from "
        "linkedin.com/sales/ssi: `{example}`, or click a button for a form."
    ).format(example=EXAMPLE)
    blocks = [section(f":hourglass: {intro}")]
    for post in posts[:TEAMS_LISTED]:
        line = _("{team}: today at {time} ({timezone})").format(
            team=f"<#{post.channel_id}>",
            time=format_clock(post.post_minute),
            timezone=post.timezone,
        )
        if stake := post.stake:
            line += f" :fire: {stake}"
        blocks.append({**section(line), "accessory": share_button(post.channel_id)})
    rest = posts[TEAMS_LISTED:]
    if rest:
        more = n_(
            "…and {count} more team today: {teams}",
            "…and {count} more teams today: {teams}",
            len(rest),
        )
        teams = ", ".join(f"<#{p.channel_id}>" for p in rest)
        blocks.append(section(more.format(count=len(rest), teams=teams)))
    blocks.append(_turn_off())
    text = n_(
        "Reminder: {count} of your teams posts its SSI leaderboard today, at {time} "
        "({timezone}). Share this week's SSI before then.",
        "Reminder: {count} of your teams post their SSI leaderboards today, the first at "
        "{time} ({timezone}). Share this week's SSI before then.",
        len(posts),
    ).format(count=len(posts), time=format_clock(posts[0].post_minute), timezone=posts[0].timezone)
    streaks = sum(1 for p in posts if p.streak is not None and p.streak.at_stake)
    if streaks:
        text += " " + n_(
            "Your streak on {count} team is at stake.",
            "Your streaks on {count} teams are at stake.",
            streaks,
        ).format(count=streaks)
    return Message(text=text, blocks=blocks)


def _turn_off() -> Block:
    """How to share without retyping, and how to stop these."""
    stop = _("Don't want these? `/ssi remind off`")
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": f"{paste_tip()} {stop}"}]}


def channel_unreachable(*, channel_id: str, error: str) -> Message:
    text = _(
        "I couldn't post the weekly SSI leaderboard in <#{channel}> (Slack says `{error}`). "
        "Invite me back with `/invite @ssi-leaderboard`, then it goes out next week as usual."
    ).format(channel=channel_id, error=error)
    return Message(
        text=_("I couldn't post your team's SSI leaderboard."),
        blocks=notice(text, ":warning:").blocks,
    )
