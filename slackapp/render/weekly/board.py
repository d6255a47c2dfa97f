"""The channel's weekly leaderboard (and ``/ssi board`` in a team's channel), with the
parts the manager's DM (``render.weekly.coaching``) shares: the team against the benchmarks,
team vs team, progress, the goal. The rows themselves are in ``rows``.

People's names are user-controlled text, so they only ever appear in ``plain_text`` objects,
which Slack shows literally: a display name like ``<!channel>`` or ``*boss*`` can neither
ping nor format. mrkdwn is used only for numbers and our own words. Lists are budgeted by
Slack's limits (``render.budget``), never cut silently: the post ranks the top 25 and says
how many more and where to see them (``/ssi board`` lists everyone).
"""

from __future__ import annotations

from decimal import Decimal

from models.domain.fair import fair_ranking
from models.domain.privacy import Privacy
from models.domain.weekly.board import WeeklyBoard
from models.domain.weekly.members import Member
from models.domain.weekly.standings import TeamStanding
from models.services.momentum import Momentum
from slackapp.language.speech import _, n_, pillar_title, week_span
from slackapp.render.blocks import (
    EXAMPLE,
    MAX_BLOCKS,
    Block,
    Message,
    delta,
    header,
    mrkdwn_section,
    one_decimal,
    plain_context,
    score,
)
from slackapp.render.budget import packed_sections, packed_texts
from slackapp.render.momentum import fair_ranking_block, goal_text, share_actions
from slackapp.render.weekly.rows import display_name, ranked_rows, shown_entries

CHART_POSITION = 2  # a chart goes after the post's header and summary
TOP_ROWS = 25  # rows the channel's post ranks; `/ssi board` lists everyone
NAME_LIST_BLOCKS = 2  # blocks a list of names may take on the channel's post


def _ranking_blocks(
    board: WeeklyBoard, *, momentum: Momentum, so_far: bool, max_blocks: int
) -> list[Block]:
    """The channel's ranking: the top ``TOP_ROWS`` on the weekly post, everyone on
    ``/ssi board`` (as many as ``max_blocks`` hold); the rest counted, with their average
    and where to see them."""
    rows = ranked_rows(board, channel=True, momentum=momentum)
    wanted = rows if so_far else rows[:TOP_ROWS]

    def more(count: int) -> str:
        rest = [e for e, _text in rows[len(rows) - count :]]
        average = sum((e.total for e in rest), Decimal(0)) / len(rest)
        line = n_(
            "…and {count} more, averaging {average}.",
            "…and {count} more, averaging {average}.",
            count,
        ).format(count=count, average=one_decimal(average))
        where = (
            _("`/ssi export team` sends the team's managers everyone.")
            if so_far
            else _("`/ssi board` in this channel lists everyone.")
        )
        return f"{line} {where}"

    return packed_sections(
        [text for _e, text in wanted],
        max_blocks=max_blocks,
        more=more,
        left_out=len(rows) - len(wanted),
    )


def comparison(board: WeeklyBoard) -> str:
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
    if board.stale:
        stale = len(board.stale)
        lines.append(
            n_(
                "({count} score is from an earlier week: marked below.)",
                "({count} scores are from an earlier week: marked below.)",
                stale,
            ).format(count=stale)
        )
    return "\n".join(lines)


def standing(team_id: int, standings: list[TeamStanding]) -> str | None:
    mine = next((s for s in standings if s.team_id == team_id), None)
    if mine is None or len(standings) < 2:
        return None
    return _("Team vs team: #{rank} of {count} teams in this workspace").format(
        rank=mine.rank, count=len(standings)
    )


def progress(board: WeeklyBoard, *, channel: bool) -> list[Block]:
    blocks: list[Block] = []
    if board.pillar_progress:
        lines = [_("Pillars that moved most (team mean change):")]
        for p in board.pillar_progress:
            lines.append(
                _("{pillar} {change}, led by {name} {their_change}").format(
                    pillar=pillar_title(p.pillar),
                    change=delta(p.mean_delta),
                    name=display_name(p.leader, channel),
                    their_change=delta(p.leader_delta),
                )
            )
        blocks += packed_sections(lines)
    if board.most_improved is not None and board.most_improved.total_delta is not None:
        gain = board.most_improved.total_delta
        name = display_name(board.most_improved.member, channel)
        improved = _("Most improved: {name} {change}").format(name=name, change=delta(gain))
        blocks += packed_sections([improved])
    return blocks


def _public_names(lead: str, members: list[Member], where: str) -> list[Block]:
    """``lead`` and the names of those public on channel boards, the others only counted;
    at most ``NAME_LIST_BLOCKS`` blocks, the rest counted with ``where`` to see them."""
    named = [m.name for m in members if m.privacy is Privacy.PUBLIC]
    unnamed = len(members) - len(named)
    if not named:
        people = n_("{count} person", "{count} people", unnamed).format(count=unnamed)
        return [plain_context(lead + people)]

    def more(count: int) -> str:
        return n_("and {count} more", "and {count} more", count).format(count=count) + where

    texts = packed_texts(
        named,
        lead=lead,
        separator=", ",
        max_texts=NAME_LIST_BLOCKS,
        more=more,
        left_out=unnamed,
    )
    return [plain_context(t) for t in texts]


def _absent(board: WeeklyBoard, away: frozenset[str], *, so_far: bool) -> list[Block]:
    """Who hasn't shared: the stale, then those without any SSI; members away are named
    apart, not counted as not having shared."""
    where = " " + (
        _("(`/ssi board` in this channel lists everyone.)")
        if not so_far
        else _("(the team's managers see everyone in their weekly summary.)")
    )
    blocks = []
    stale = [e.member for e in board.stale if e.member.user_id not in away]
    if stale:
        blocks += _public_names(_("Not shared this week (latest shown): "), stale, where)
    missing = [m for m in board.missing if m.user_id not in away]
    if missing:
        blocks += _public_names(_("No SSI yet: "), missing, where)
    gone = [m for m in board.non_submitters if m.user_id in away]
    if gone:
        blocks += _public_names(_("Away this week: "), gone, where)
    return blocks


def goal_and_fair(board: WeeklyBoard, momentum: Momentum, *, channel: bool) -> list[Block]:
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
    """The weekly post in the team's channel (``so_far``: ``/ssi board`` during the week,
    listing everyone). The team's chart, when there is one, goes in at ``CHART_POSITION``
    (a block is kept free for it)."""
    momentum = momentum or Momentum()
    title = _("SSI leaderboard so far, {week}") if so_far else _("SSI leaderboard, {week}")
    title = title.format(week=week_span(board.week))
    blocks: list[Block] = [header(title)]
    summary = comparison(board)
    place = standing(team_id, standings)
    blocks.append(mrkdwn_section(summary + (f"\n{place}" if place else "")))
    tail = progress(board, channel=True)
    tail += goal_and_fair(board, momentum, channel=True)
    tail += _absent(board, momentum.away, so_far=so_far)
    if not so_far:
        tail.append(share_actions())
    tail.append(
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
    if board.entries:
        room = MAX_BLOCKS - len(blocks) - len(tail) - 2  # the divider and the chart's block
        blocks.append({"type": "divider"})
        blocks += _ranking_blocks(board, momentum=momentum, so_far=so_far, max_blocks=room)
    blocks += tail
    shown = shown_entries(board, channel=True)
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
    return Message(text=text, blocks=blocks)
