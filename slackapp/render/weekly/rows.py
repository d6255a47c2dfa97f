"""A weekly board's rows, shared by the channel's post (``board``) and the managers' DM
(``coaching``): who is listed, ranked how, named how, and what each row says.

Names are user-controlled text: rows go out in ``plain_text`` only (see ``board``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from models.domain.privacy import Privacy
from models.domain.ranking import competition_ranks
from models.domain.weekly.board import Entry, WeeklyBoard
from models.domain.weekly.members import Member
from models.services.momentum import Momentum
from slackapp.language.speech import _, day
from slackapp.render.blocks import arrow, channel_name, delta, one_decimal, score
from slackapp.render.momentum import streak_label


def display_name(member: Member, channel: bool) -> str:
    """How a member is named: by name in managers' DMs; on the channel's board as their
    privacy choice says (hidden people are only ever "a teammate" there)."""
    return channel_name(member, channel=channel) or _("a teammate")


def shown_entries(board: WeeklyBoard, channel: bool) -> list[tuple[int, Entry]]:
    """The ranked rows a board lists: everyone for managers; on the channel's board, not the
    hidden, ranked among those shown (their scores still count in the averages). This week's
    scores rank first; the stale follow, ranked after them."""
    if not channel:
        return [(e.rank, e) for e in board.entries]
    shown = [e for e in board.entries if e.member.privacy is not Privacy.HIDDEN]
    current = [e for e in shown if not e.stale]
    ranks = competition_ranks([e.total for e in current])
    ranks += [len(current) + r for r in competition_ranks([e.total for e in shown[len(ranks) :]])]
    return list(zip(ranks, shown, strict=True))


def as_of_day(entry: Entry, timezone: ZoneInfo) -> str:
    assert entry.as_of is not None
    return day(entry.as_of.astimezone(timezone), year=False)


def _row(rank: int, entry: Entry, name: str, timezone: ZoneInfo, streak: str) -> str:
    parts = [f"{rank}. {name}  {score(entry.total)}"]
    change = entry.total_delta
    if entry.stale and entry.as_of is not None:
        parts.append(_("(stale, as of {date})").format(date=as_of_day(entry, timezone)))
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


def ranked_rows(
    board: WeeklyBoard, *, channel: bool, momentum: Momentum
) -> list[tuple[Entry, str]]:
    zone = ZoneInfo(board.week.timezone)  # stale dates as the team's calendar has them
    return [
        (
            e,
            _row(
                rank,
                e,
                display_name(e.member, channel),
                zone,
                streak_label(momentum.streak_of(e.member.user_id)),
            ),
        )
        for rank, e in shown_entries(board, channel)
    ]
