"""What keeps a team going, in words: streaks, away, the team goal with its forecast, the
fair ranking, and the one-click "Share my SSI" button that posts and reminders carry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.domain.fair import FairRanking
from models.domain.goals import MIN_TREND_WEEKS, GoalProgress
from models.domain.ranking import competition_ranks
from models.domain.streaks import Streak
from slackapp.render.blocks import (
    SECTION_TEXT_LIMIT,
    Block,
    Message,
    button,
    channel_name,
    delta,
    line_chunks,
    notice,
    one_decimal,
    score,
)

SHARE_ACTION = "ssi_share"
TREND_CHART_ACTION = "ssi_trend_chart"
FAIR_ROWS = 10  # the fair ranking names the best for their field; the rest are counted


def share_button(team_channel: str = "") -> Block:
    """The "Share my SSI" button: opens the form prefilled; ``team_channel`` is the team
    the reading is for when the button sits outside its channel (a reminder DM)."""
    return button("Share my SSI", SHARE_ACTION, team_channel, style="primary")


def share_actions(team_channel: str = "", *more: Block) -> Block:
    return {"type": "actions", "elements": [share_button(team_channel), *more]}


def streak_label(streak: Streak) -> str:
    """``5-week streak``, ``52+-week streak``; "" without one."""
    if streak.weeks == 0:
        return ""
    return f"{streak.count}-week streak"


def streak_sentence(streak: Streak, channel_id: str) -> str:
    """One line about a person's streak on a team, for ``/ssi me`` and the App Home."""
    where = f"<#{channel_id}>"
    if streak.away:
        paused = f" ({streak.label} paused)" if streak.weeks else ""
        return f"{where}: you're away this week{paused}, and your streak waits for you."
    if streak.weeks == 0:
        return f"{where}: no streak yet. Share this week to start one."
    if streak.at_stake:
        return f"{where}: {streak.label} in a row. Share this week to keep it!"
    return f"{where}: {streak.label} in a row."


def goal_text(progress: GoalProgress) -> str:
    """``Goal 65 by Mar 31, 2027: now 58.2, 6.8 to go. At this pace: 63 by Mar 31.``"""
    goal = progress.goal
    by = f"{goal.by:%b %-d, %Y}"
    head = f"*Goal {score(goal.target)} by {by}*"
    if progress.average is None:
        return f"{head}: nobody has shared an SSI yet."
    now = f"now {one_decimal(progress.average)}"
    if progress.reached:
        return f"{head}: reached, {now}. :tada:"
    to_go = progress.to_go or Decimal(0)
    if progress.passed:
        reached = one_decimal(progress.average)
        return f"{head}: the date has passed at {reached}, {one_decimal(to_go)} short."
    line = f"{head}: {now}, {one_decimal(to_go)} to go."
    if progress.forecast is None:
        return (
            f"{line} Too early to forecast: that takes {MIN_TREND_WEEKS} weeks of averages "
            f"({progress.trend_weeks} so far)."
        )
    verdict = "on track" if progress.forecast >= goal.target else "short of the goal"
    return f"{line} At this pace: {one_decimal(progress.forecast)} by {goal.by:%b %-d} ({verdict})."


def fair_ranking_block(fair: FairRanking, *, channel: bool) -> Block | None:
    """Who does best for their own field: the gap to their own industry average, ranked. On
    a channel board the hidden are left off (and the ranks re-counted), as on the board."""
    rows = [
        (r, name)
        for r in fair.rows
        if (name := channel_name(r.member, channel=channel)) is not None
    ]
    if not rows and not fair.without_industry:
        return None
    lines = ["Best for their field (gap to their own industry average):"]
    ranks = competition_ranks([row.gap for row, _ in rows])  # among those shown here
    for rank, (row, name) in zip(ranks, rows[:FAIR_ROWS], strict=False):
        top = f", top {score(row.industry_top)}% in their industry" if row.industry_top else ""
        lines.append(f"{rank}. {name}  {delta(row.gap)}{top}")
    if len(rows) > FAIR_ROWS:
        lines.append(f"…and {len(rows) - FAIR_ROWS} more.")
    without = [
        name
        for m in fair.without_industry
        if (name := channel_name(m, channel=channel)) is not None
    ]
    if without:
        shown = ", ".join(without[:20]) + (
            f" and {len(without) - 20} more" if len(without) > 20 else ""
        )
        lines.append(f"No industry average given, so not ranked here: {shown}")
    text = line_chunks(lines)[0]
    return {
        "type": "section",
        "text": {"type": "plain_text", "text": text[:SECTION_TEXT_LIMIT], "emoji": False},
    }


def away_reply(day: date) -> Message:
    return notice(
        f"You're away until {day:%b %-d, %Y}: no reminders, you're not counted as "
        '"hasn\'t shared", and your streaks are paused, not broken. Say `/ssi back` when you '
        "return early.",
        ":palm_tree:",
    )


def away_refused(reason: str) -> Message:
    return notice(f"{reason} Nothing was changed. Example: `/ssi away until 2026-12-24`.")


def back_reply(was_away: bool) -> Message:
    if not was_away:
        return notice("You weren't marked away, so nothing changed. Reminders go on as usual.")
    return notice(
        "Welcome back! Reminders are on again and your streaks carry on from where they paused.",
        ":wave:",
    )


def trend_chart_offer() -> Block:
    """``/ssi me``'s button for the person's trend chart (drawn only when asked for)."""
    return {"type": "actions", "elements": [button("Show my trend chart", TREND_CHART_ACTION)]}


def trend_chart_reply(chart: Block | None) -> Message:
    """The answer to "Show my trend chart"."""
    if chart is None:
        return notice(
            "Your trend chart needs readings from two different weeks. Share again next week!"
        )
    return Message(text="Your SSI, week by week.", blocks=[chart])
