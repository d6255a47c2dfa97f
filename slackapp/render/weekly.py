"""Rendering of the weekly posts: the channel leaderboard, the manager DM, reminders.

People's names are user-controlled text, so they only ever appear in ``plain_text`` objects,
which Slack shows literally: a display name like ``<!channel>`` or ``*boss*`` can neither
ping nor format. mrkdwn is used only for numbers and our own words.
"""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from models.domain.fair import fair_ranking
from models.domain.privacy import Privacy
from models.domain.ranking import competition_ranks
from models.domain.weekly import Drop, Entry, Member, TeamStanding, WeeklyBoard
from models.momentum import Momentum
from slackapp.language.speech import _, day, n_, pillar_tip, pillar_title, week_span
from slackapp.render.blocks import (
    EXAMPLE,
    MAX_BLOCKS,
    NAMES_SHOWN,
    Block,
    Message,
    and_more,
    arrow,
    channel_name,
    delta,
    header,
    line_chunks,
    mrkdwn_section,
    names_list,
    one_decimal,
    plain_context,
    plain_section,
    score,
)
from slackapp.render.momentum import (
    fair_ranking_block,
    goal_text,
    share_actions,
    streak_label,
)

CHART_POSITION = 2  # a chart goes after the post's header and summary
TOP_ROWS = 25  # rows shown on a board; the rest are summarised


def _name(member: Member, channel: bool) -> str:
    """How a member is named: by name in managers' DMs; on the channel's board as their
    privacy choice says (hidden people are only ever "a teammate" there)."""
    return channel_name(member, channel=channel) or _("a teammate")


def _shown(board: WeeklyBoard, channel: bool) -> list[tuple[int, Entry]]:
    """The ranked rows a board lists: everyone for managers; on the channel's board, not the
    hidden, ranked among those shown (their scores still count in the averages)."""
    if not channel:
        return [(e.rank, e) for e in board.entries]
    shown = [e for e in board.entries if e.member.privacy is not Privacy.HIDDEN]
    return list(zip(competition_ranks([e.total for e in shown]), shown, strict=True))


def _row(rank: int, entry: Entry, name: str, timezone: ZoneInfo, streak: str) -> str:
    parts = [f"{rank}. {name}  {score(entry.total)}"]
    change = entry.total_delta
    if entry.stale and entry.as_of is not None:
        as_of = day(entry.as_of.astimezone(timezone), year=False)
        parts.append(_("(stale, as of {date})").format(date=as_of))
    elif change is not None:
        parts.append(f"{arrow(change)} {delta(change)}")
    else:
        parts.append(_("(no SSI last week)"))
    if entry.industry_gap is not None:
        sign = "+" if entry.industry_gap >= 0 else "-"
        gap = sign + one_decimal(abs(entry.industry_gap))
        parts.append("· " + _("vs own industry {gap}").format(gap=gap))
    if streak:
        parts.append(f"· {streak}")
    return "  ".join(parts)


def _ranking_blocks(board: WeeklyBoard, *, channel: bool, momentum: Momentum) -> list[Block]:
    zone = ZoneInfo(board.week.timezone)  # stale dates as the team's calendar has them
    shown = _shown(board, channel)
    rows = [
        _row(
            rank,
            e,
            _name(e.member, channel),
            zone,
            streak_label(momentum.streak_of(e.member.user_id)),
        )
        for rank, e in shown[:TOP_ROWS]
    ]
    blocks = [plain_section(text) for text in line_chunks(rows)]
    rest = [e for _, e in shown[TOP_ROWS:]]
    if rest:
        average = sum((e.total for e in rest), Decimal(0)) / len(rest)
        more = n_(
            "…and {count} more, averaging {average}.",
            "…and {count} more, averaging {average}.",
            len(rest),
        )
        blocks.append(mrkdwn_section(more.format(count=len(rest), average=one_decimal(average))))
    return blocks


def _comparison(board: WeeklyBoard) -> str:
    if board.team_average is None:
        return _("Nobody on this team has shared an SSI yet.")
    team = one_decimal(board.team_average)
    lines = ["*" + _("Team average {average}").format(average=team) + "*"]
    for template, average, beat, known in (
        (
            _("vs industry average {average}: {gap} ({beat} of {known} beat their own)"),
            board.industry_average,
            board.beat_industry,
            board.with_industry,
        ),
        (
            _("vs network average {average}: {gap} ({beat} of {known} beat their own)"),
            board.network_average,
            board.beat_network,
            board.with_network,
        ),
    ):
        if average is not None:
            gap = board.team_average - average
            lines.append(
                template.format(
                    average=one_decimal(average), gap=delta(gap), beat=beat, known=known
                )
            )
    return "\n".join(lines)


def _standing(team_id: int, standings: list[TeamStanding]) -> str | None:
    mine = next((s for s in standings if s.team_id == team_id), None)
    if mine is None or len(standings) < 2:
        return None
    return _("Team vs team: #{rank} of {count} teams in this workspace").format(
        rank=mine.rank, count=len(standings)
    )


def _progress(board: WeeklyBoard, *, channel: bool) -> list[Block]:
    blocks: list[Block] = []
    if board.pillar_progress:
        lines = [_("Pillars that moved most (team mean change):")]
        for p in board.pillar_progress:
            lines.append(
                _("{pillar} {change}, led by {name} {their_change}").format(
                    pillar=pillar_title(p.pillar),
                    change=delta(p.mean_delta),
                    name=_name(p.leader, channel),
                    their_change=delta(p.leader_delta),
                )
            )
        blocks.append(plain_section("\n".join(lines)))
    if board.most_improved is not None and board.most_improved.total_delta is not None:
        gain = board.most_improved.total_delta
        name = _name(board.most_improved.member, channel)
        improved = _("Most improved: {name} {change}").format(name=name, change=delta(gain))
        blocks.append(plain_section(improved))
    return blocks


def _publicnames_list(members: list[Member]) -> str:
    """The names of those who are public on channel boards; the others only counted."""
    named = [m for m in members if m.privacy is Privacy.PUBLIC]
    others = len(members) - len(named)
    if not named:
        return n_("{count} person", "{count} people", others).format(count=others)
    return and_more(names_list(named), others)


def _absent(board: WeeklyBoard, away: frozenset[str]) -> list[Block]:
    """Who hasn't shared: the stale, then those without any SSI; members away are named
    apart, not counted as not having shared."""
    blocks = []
    stale = [e.member for e in board.stale if e.member.user_id not in away]
    if stale:
        blocks.append(
            plain_context(_("Not shared this week (latest shown): ") + _publicnames_list(stale))
        )
    missing = [m for m in board.missing if m.user_id not in away]
    if missing:
        blocks.append(plain_context(_("No SSI yet: ") + _publicnames_list(missing)))
    gone = [m for m in board.non_submitters if m.user_id in away]
    if gone:
        blocks.append(plain_context(_("Away this week: ") + _publicnames_list(gone)))
    return blocks


def _goal_and_fair(board: WeeklyBoard, momentum: Momentum, *, channel: bool) -> list[Block]:
    blocks = []
    if momentum.goal is not None:
        blocks.append(mrkdwn_section(goal_text(momentum.goal)))
    fair = fair_ranking_block(fair_ranking(board.entries), channel=channel)
    if fair is not None and board.entries:
        blocks.append(fair)
    return blocks


def channel_board(
    board: WeeklyBoard,
    *,
    team_id: int,
    standings: list[TeamStanding],
    so_far: bool = False,
    momentum: Momentum | None = None,
) -> Message:
    """The weekly post in the team's channel (``so_far``: ``/ssi board`` during the week).
    The team's chart, when there is one, goes in at ``CHART_POSITION``."""
    momentum = momentum or Momentum()
    title = _("SSI leaderboard so far, {week}") if so_far else _("SSI leaderboard, {week}")
    title = title.format(week=week_span(board.week))
    blocks: list[Block] = [header(title)]
    summary = _comparison(board)
    standing = _standing(team_id, standings)
    blocks.append(mrkdwn_section(summary + (f"\n{standing}" if standing else "")))
    if board.entries:
        blocks.append({"type": "divider"})
        blocks += _ranking_blocks(board, channel=True, momentum=momentum)
    blocks += _progress(board, channel=True)
    blocks += _goal_and_fair(board, momentum, channel=True)
    blocks += _absent(board, momentum.away)
    if not so_far:
        blocks.append(share_actions())
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": _(
                        "Share yours any time: `{example}` · `/ssi me` for your trend"
                    ).format(example=EXAMPLE),
                }
            ],
        }
    )
    shown = _shown(board, channel=True)
    top = shown[0][1] if shown else None
    shared = len(board.current)
    if top is None:
        text = n_(
            "{title}: {count} shared this week.", "{title}: {count} shared this week.", shared
        ).format(title=title, count=shared)
    else:
        text = n_(
            "{title}: {count} shared this week, top score {top}.",
            "{title}: {count} shared this week, top score {top}.",
            shared,
        ).format(title=title, count=shared, top=score(top.total))
    return Message(text=text, blocks=blocks[:MAX_BLOCKS])


def _drops(title: str, drops: list[Drop]) -> str:
    shown = ", ".join(f"{d.member.name} {delta(d.delta)}" for d in drops[:NAMES_SHOWN])
    more = len(drops) - NAMES_SHOWN
    return f"{title}: " + and_more(shown, more)


def manager_summary(
    board: WeeklyBoard,
    *,
    team_id: int,
    channel_id: str,
    standings: list[TeamStanding],
    momentum: Momentum | None = None,
) -> Message:
    """The weekly DM to each of the team's managers."""
    momentum = momentum or Momentum()
    away = [m for m in board.non_submitters if m.user_id in momentum.away]
    waiting = [m for m in board.non_submitters if m.user_id not in momentum.away]
    blocks: list[Block] = [
        header(_("Your team's SSI, {week}").format(week=week_span(board.week))),
        mrkdwn_section(
            _("Team <#{channel}>").format(channel=channel_id)
            + "\n"
            + _comparison(board)
            + (f"\n{s}" if (s := _standing(team_id, standings)) else "")
        ),
    ]
    if board.entries:
        blocks += _ranking_blocks(board, channel=False, momentum=momentum)
    blocks += _progress(board, channel=False)
    blocks += _goal_and_fair(board, momentum, channel=False)
    watch = []
    if waiting:
        watch.append(_("Not shared this week: ") + names_list(waiting))
    if away:
        watch.append(_("Away: ") + names_list(away))
    if board.dropped:
        watch.append(_drops(_("Dropped"), board.dropped))
    if board.fell_twice:
        watch.append(_("Fell two weeks running: ") + names_list(board.fell_twice))
    if board.implausible:
        watch.append(
            _drops(_("Worth a second look (more than 10 points in a week)"), board.implausible)
        )
    if watch:
        blocks.append(plain_section("\n".join(watch)))
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
    text = _("Your team's SSI, {week}: {shared} shared, {waiting} not yet.").format(
        week=week_span(board.week), shared=len(board.current), waiting=len(waiting)
    )
    return Message(text=text, blocks=blocks[:MAX_BLOCKS])
