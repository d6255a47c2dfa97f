"""The teams a person manages, at a glance on their App Home (a section per team: the week
so far, who hasn't shared, the goal, a nudge button), and "See everyone", the modal with a
team's whole week when the names don't fit there."""

from __future__ import annotations

from typing import Any

from models.services.home import Home, ManagedTeam
from slackapp.language.speech import _, n_
from slackapp.render.blocks import (
    EXAMPLE,
    MAX_VIEW_BLOCKS,
    SECTION_TEXT_LIMIT,
    Block,
    Message,
    button,
    context_block,
    delta,
    mrkdwn_name,
    one_decimal,
    section,
)
from slackapp.render.budget import packed_texts, size
from slackapp.render.momentum import goal_text, share_actions

NUDGE_ACTION = "ssi_nudge"
SEE_TEAM_ACTION = "ssi_team_week"
TEAM_PAGE_ACTION = "ssi_team_week_page"
TEAM_WEEK_CALLBACK = "ssi_team_week_view"


def _managed(team: ManagedTeam) -> list[Block]:
    """A section per team: the week so far, who hasn't shared and who is away (names
    escaped, as many as the section holds), the goal, a nudge button; when some names
    don't fit, they are counted and a "See everyone" button opens the whole team."""
    board, channel = team.board, team.team.channel_id
    average = (
        _("average so far {average}").format(average=one_decimal(board.team_average))
        if board.team_average is not None
        else _("no scores yet")
    )
    shared = _("{count} shared this week").format(count=len(board.current))
    lines = [f"*<#{channel}>*: {average}, {shared}"]
    changes = [e.total_delta for e in board.current if e.total_delta is not None]
    if changes:
        mean = sum(changes, start=changes[0] * 0) / len(changes)
        lines.append(
            _("Mean change of those who shared both weeks: {change}").format(change=delta(mean))
        )
    if team.momentum.goal is not None:
        lines.append(goal_text(team.momentum.goal))
    waiting = [mrkdwn_name(m.name) for m in team.waiting]
    away = [mrkdwn_name(m.name) for m in board.non_submitters if m.user_id in team.momentum.away]
    cut = False

    def more(count: int) -> str:
        nonlocal cut
        cut = True
        return _("and {count} more: *{see}* below").format(count=count, see=_("See everyone"))

    room = SECTION_TEXT_LIMIT - size("\n".join(lines)) - 2
    for lead, names in ((_("Not shared yet: "), waiting), (_("Away: "), away)):
        if not names:
            continue
        share = room if not away or names is away else room * 2 // 3
        (text,) = packed_texts(
            names, lead=lead, separator=", ", max_texts=1, more=more, limit=share
        )
        lines.append(text)
        room -= size(text) + 1
    block = section("\n".join(lines))
    if team.waiting:
        block["accessory"] = button(_("Nudge the channel"), NUDGE_ACTION, str(team.team.id))
    if not cut:
        return [block]
    see = button(_("See everyone"), SEE_TEAM_ACTION, str(team.team.id))
    return [block, {"type": "actions", "elements": [see]}]


def nudge_message(manager: str) -> Message:
    """A manager's nudge in the team's channel: nobody named (privacy choices hold there),
    the Share button."""
    text = _(
        "<@{manager}> reminds everyone: this week's SSI leaderboard is coming. Share "
        "yours with one click, or type `{example}`."
    ).format(manager=manager, example=EXAMPLE)
    return Message(text=text, blocks=[section(f":mega: {text}"), share_actions()])


def managed_blocks(home: Home, max_blocks: int) -> list[Block]:
    """The teams the person manages, as many as the view holds; the rest counted (each
    team's ``/ssi board`` shows its week)."""
    if not home.managed:
        return []
    blocks: list[Block] = [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": _("Teams you manage")}},
    ]
    total = len(home.managed) + home.more_managed
    for listed, team in enumerate(home.managed):
        shown = _managed(team)
        last = listed + 1 == total
        if len(blocks) + len(shown) + (0 if last else 1) > max_blocks:
            left = total - listed
            note = n_(
                "…and {count} more team you manage: `/ssi board` in its channel shows its week.",
                "…and {count} more teams you manage: `/ssi board` in each one's channel "
                "shows its week.",
                left,
            ).format(count=left)
            blocks.append(context_block(note))
            break
        blocks += shown
    return blocks


def team_week_view(parts: list[list[Block]], *, team_id: int, page: int) -> dict[str, Any]:
    """ "See everyone": a manager's whole team this week, a page per part of their summary,
    with buttons to the pages before and after (Slack: 100 blocks a view)."""
    blocks = list(parts[page])
    paging = []
    if page > 0:
        paging.append(button(_("Previous page"), TEAM_PAGE_ACTION, f"{team_id}:{page - 1}"))
    if page + 1 < len(parts):
        paging.append(button(_("Next page"), TEAM_PAGE_ACTION, f"{team_id}:{page + 1}"))
    if paging:
        count = _("Page {page} of {pages}").format(page=page + 1, pages=len(parts))
        blocks += [context_block(count), {"type": "actions", "elements": paging}]
    return {
        "type": "modal",
        "callback_id": TEAM_WEEK_CALLBACK,
        "title": {"type": "plain_text", "text": _("Your team")[:24]},
        "close": {"type": "plain_text", "text": _("Close")},
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }
