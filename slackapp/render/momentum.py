"""What keeps a team going, in words: streaks, away, the team goal with its forecast, the
fair ranking, and the one-click "Share my SSI" button that posts and reminders carry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models.domain.fair import FairRanking
from models.domain.ranking import competition_ranks
from models.domain.streaks import Streak
from models.domain.teams import MIN_TREND_WEEKS, GoalProgress
from slackapp.language.speech import _, day, n_
from slackapp.render.blocks import (
    Block,
    Message,
    and_more,
    button,
    channel_name,
    delta,
    notice,
    one_decimal,
    plain_section,
    score,
)
from slackapp.render.budget import packed_texts

SHARE_ACTION = "ssi_share"
TREND_CHART_ACTION = "ssi_trend_chart"
TREND_HISTORY_ACTION = "ssi_trend_history"  # the whole history's chart
FAIR_ROWS = 10  # the fair ranking names the best for their field; the rest are counted


def share_button(team_channel: str = "") -> Block:
    """The "Share my SSI" button: opens the form prefilled; ``team_channel`` is the team
    the reading is for when the button sits outside its channel (a reminder DM)."""
    return button(_("Share my SSI"), SHARE_ACTION, team_channel, style="primary")


def share_actions(team_channel: str = "", *more: Block) -> Block:
    return {"type": "actions", "elements": [share_button(team_channel), *more]}


def weeks_label(streak: Streak) -> str:
    """``5 weeks``, ``52+ weeks``, ``1 week``."""
    count = 2 if streak.capped else streak.weeks  # "52+" reads as a plural
    return n_("{count} week", "{count} weeks", count).format(count=streak.count)


def streak_label(streak: Streak) -> str:
    """``5-week streak``, ``52+-week streak``; "" without one."""
    if streak.weeks == 0:
        return ""
    count = 2 if streak.capped else streak.weeks
    return n_("{count}-week streak", "{count}-week streak", count).format(count=streak.count)


def streak_sentence(streak: Streak, channel_id: str) -> str:
    """One line about a person's streak on a team, for ``/ssi me`` and the App Home."""
    where = f"<#{channel_id}>"
    if streak.away:
        if streak.weeks:
            return _(
                "{team}: you're away this week ({weeks} paused), and your streak waits for you."
            ).format(team=where, weeks=weeks_label(streak))
        return _("{team}: you're away this week, and your streak waits for you.").format(team=where)
    if streak.weeks == 0:
        return _("{team}: no streak yet. Share this week to start one.").format(team=where)
    if streak.at_stake:
        return _("{team}: {weeks} in a row. Share this week to keep it!").format(
            team=where, weeks=weeks_label(streak)
        )
    return _("{team}: {weeks} in a row.").format(team=where, weeks=weeks_label(streak))


def goal_text(progress: GoalProgress) -> str:
    """``Goal 65 by Mar 31, 2027: now 58.2, 6.8 to go. At this pace: 63 by Mar 31.``"""
    goal = progress.goal
    head = "*" + _("Goal {target} by {date}").format(target=score(goal.target), date=day(goal.by))
    head += "*"
    if progress.average is None:
        return _("{goal}: nobody has shared an SSI yet.").format(goal=head)
    average = one_decimal(progress.average)
    if progress.reached:
        return _("{goal}: reached, now {average}.").format(goal=head, average=average) + " :tada:"
    to_go = one_decimal(progress.to_go or Decimal(0))
    if progress.passed:
        return _("{goal}: the date has passed at {average}, {short} short.").format(
            goal=head, average=average, short=to_go
        )
    line = _("{goal}: now {average}, {to_go} to go.").format(
        goal=head, average=average, to_go=to_go
    )
    if progress.forecast is None:
        early = _(
            "Too early to forecast: that takes {needed} weeks of averages ({weeks} so far)."
        ).format(needed=MIN_TREND_WEEKS, weeks=progress.trend_weeks)
        return f"{line} {early}"
    forecast = one_decimal(progress.forecast)
    if progress.forecast >= goal.target:
        pace = _("At this pace: {forecast} by {date} (on track).")
    else:
        pace = _("At this pace: {forecast} by {date} (short of the goal).")
    return f"{line} " + pace.format(forecast=forecast, date=day(goal.by, year=False))


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
    lines = [_("Best for their field (gap to their own industry average):")]
    # Ranked among those shown here, this week's first, as on the board.
    current = [row.gap for row, _name in rows if not row.stale]
    ranks = competition_ranks(current)
    ranks += [len(current) + r for r in competition_ranks([r.gap for r, _ in rows if r.stale])]
    for rank, (row, name) in zip(ranks, rows[:FAIR_ROWS], strict=False):
        top = ""
        if row.industry_top:
            top = ", " + _("top {percent}% in their industry").format(
                percent=score(row.industry_top)
            )
        stale = " " + _("(latest from an earlier week)") if row.stale else ""
        lines.append(f"{rank}. {name}  {delta(row.gap)}{top}{stale}")
    if len(rows) > FAIR_ROWS:
        left = len(rows) - FAIR_ROWS
        lines.append(n_("…and {count} more.", "…and {count} more.", left).format(count=left))
    without = [
        name
        for m in fair.without_industry
        if (name := channel_name(m, channel=channel)) is not None
    ]
    if without:
        shown = and_more(", ".join(without[:20]), len(without) - 20)
        unranked = _("No industry average given, so not ranked here: {names}")
        lines.append(unranked.format(names=shown))

    def more(count: int) -> str:
        return n_("…and {count} more.", "…and {count} more.", count).format(count=count)

    (text,) = packed_texts(lines, max_texts=1, more=more)
    return plain_section(text)


def away_reply(until: date) -> Message:
    return notice(
        _(
            "You're away until {date}: no reminders, you're not counted as \"hasn't shared\", "
            "and your streaks are paused, not broken. Say `/ssi back` when you return early."
        ).format(date=day(until)),
        ":palm_tree:",
    )


def away_refused(reason: str) -> Message:
    return notice(
        _("{reason} Nothing was changed. Example: `/ssi away until 2026-12-24`.").format(
            reason=reason
        )
    )


def back_reply(was_away: bool) -> Message:
    if not was_away:
        return notice(_("You weren't marked away, so nothing changed. Reminders go on as usual."))
    return notice(
        _("Welcome back! Reminders are on again and your streaks carry on from where they paused."),
        ":wave:",
    )


def trend_chart_offer() -> Block:
    """``/ssi me``'s buttons for the person's trend chart (drawn only when asked for): the
    last weeks, or the whole history."""
    return {
        "type": "actions",
        "elements": [
            button(_("Show my trend chart"), TREND_CHART_ACTION),
            button(_("Show my whole history"), TREND_HISTORY_ACTION),
        ],
    }


def trend_chart_reply(
    chart: Block | None, *, whole: bool = False, more: bool = False, drawn: bool = False
) -> Message:
    """The answer to "Show my trend chart" (``whole``: "Show my whole history"); ``more``
    when the history goes back further than the chart shows, offering the whole of it;
    ``drawn`` when there was a chart to show but Slack didn't take it."""
    if chart is None and drawn:
        return notice(
            _("Slack didn't take your chart just now. Please try again in a minute."),
            ":warning:",
        )
    if chart is None:
        return notice(
            _("Your trend chart needs readings from two different weeks. Share again next week!")
        )
    if whole:
        return Message(text=_("Your whole SSI history"), blocks=[chart])
    blocks = [chart]
    if more:
        blocks.append(
            {
                "type": "actions",
                "elements": [button(_("Show my whole history"), TREND_HISTORY_ACTION)],
            }
        )
    return Message(text=_("Your SSI, week by week."), blocks=blocks)
