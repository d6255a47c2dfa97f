"""The weekly DM to a team's managers, built for coaching: the whole team, the people who
need attention first (no reading this week, dropped, fell two weeks running, worth a second
look, away), the team's weakest pillar with a tip, then everyone ranked. One message for a
team of 150; for a bigger one, several sent in order (``render.budget.split_message``).
Names only in plain_text, as on the channel's post."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from models.domain.weekly.board import WeeklyBoard
from models.domain.weekly.standings import TeamStanding
from models.services.momentum import Momentum
from slackapp.language.speech import _, delta, n_, pillar_tip, pillar_title, score, week_span
from slackapp.render.blocks import Block, Message, header, mrkdwn_section
from slackapp.render.budget import packed_sections, split_message
from slackapp.render.weekly.board import comparison, goal_and_fair, progress, standing
from slackapp.render.weekly.rows import as_of_day, ranked_rows


def _attention(board: WeeklyBoard, momentum: Momentum) -> list[tuple[str, list[str]]]:
    """Who needs the manager's attention, most urgent first, as (lead, names) groups: no
    reading this week, dropped, fell two weeks running, worth a second look; then away."""
    zone = ZoneInfo(board.week.timezone)
    stale = {e.member.user_id: e for e in board.stale}
    waiting = [m for m in board.non_submitters if m.user_id not in momentum.away]
    away = [m for m in board.non_submitters if m.user_id in momentum.away]
    groups: list[tuple[str, list[str]]] = []
    if waiting:
        items = []
        for m in waiting:
            entry = stale.get(m.user_id)
            if entry is not None and entry.as_of is not None:
                items.append(
                    _("{name} (last {score}, as of {date})").format(
                        name=m.name, score=score(entry.total), date=as_of_day(entry, zone)
                    )
                )
            else:
                items.append(_("{name} (never shared)").format(name=m.name))
        groups.append((_("No reading this week ({count}): "), items))
    if board.dropped:
        drops = [f"{d.member.name} {delta(d.delta)}" for d in board.dropped]
        groups.append((_("Dropped ({count}): "), drops))
    if board.fell_twice:
        groups.append((_("Fell two weeks running ({count}): "), [m.name for m in board.fell_twice]))
    if board.implausible:
        jumps = [f"{d.member.name} {delta(d.delta)}" for d in board.implausible]
        groups.append((_("Worth a second look, more than 10 points in a week ({count}): "), jumps))
    if away:
        groups.append((_("Away ({count}): "), [m.name for m in away]))
    return [(lead.format(count=len(items)), items) for lead, items in groups]


def _attention_blocks(board: WeeklyBoard, momentum: Momentum) -> list[Block]:
    groups = _attention(board, momentum)
    if not groups:
        return [mrkdwn_section(_("*Nobody needs a nudge this week:* everyone shared, no drops."))]
    blocks = [mrkdwn_section("*" + _("Needs your attention") + "*")]
    for lead, names in groups:
        blocks += packed_sections(names, lead=lead, separator=", ")
    return blocks


def _continued(week: str) -> Callable[[int, int], Block]:
    def heading(part: int, parts: int) -> Block:
        return header(
            _("Your team's SSI, {week} (part {part} of {parts})").format(
                week=week, part=part, parts=parts
            )
        )

    return heading


def manager_summary(
    board: WeeklyBoard,
    *,
    team_id: int,
    channel_id: str,
    standings: list[TeamStanding],
    momentum: Momentum | None = None,
) -> list[Message]:
    """The weekly DM to each of the team's managers: the whole team, those who need
    attention first; one message, or several to be sent in order when the team is too big
    for one (Slack: 50 blocks a message)."""
    momentum = momentum or Momentum()
    week = week_span(board.week)
    waiting = [m for m in board.non_submitters if m.user_id not in momentum.away]
    blocks: list[Block] = [
        header(_("Your team's SSI, {week}").format(week=week)),
        mrkdwn_section(
            _("Team <#{channel}>").format(channel=channel_id)
            + "\n"
            + comparison(board)
            + (f"\n{s}" if (s := standing(team_id, standings)) else "")
        ),
    ]
    blocks += _attention_blocks(board, momentum)
    if board.weakest_pillar is not None:
        pillar = board.weakest_pillar
        blocks.append(
            mrkdwn_section(
                ":bulb: "
                + _("The team's weakest pillar is *{pillar}*. Coaching idea: {tip}").format(
                    pillar=pillar_title(pillar), tip=pillar_tip(pillar)
                )
            )
        )
    if board.entries:
        everyone = n_(
            "*Everyone, ranked* ({count} person)",
            "*Everyone, ranked* ({count} people)",
            len(board.entries),
        ).format(count=len(board.entries))
        blocks.append(mrkdwn_section(everyone))
        rows = [text for _e, text in ranked_rows(board, channel=False, momentum=momentum)]
        blocks += packed_sections(rows)
    blocks += progress(board, channel=False)
    blocks += goal_and_fair(board, momentum, channel=False)
    text = _("Your team's SSI, {week}: {shared} shared, {waiting} not yet.").format(
        week=week, shared=len(board.current), waiting=len(waiting)
    )
    return split_message(blocks, text=text, continued=_continued(week))
