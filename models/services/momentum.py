"""What keeps a team going, beside its board: each member's streak, who is away, and the
team's goal with its forecast. Read for many teams at once (a tick) with a few queries per
workspace, then worked out by the pure rules in ``models.domain``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from models.domain.scope import Scope
from models.domain.streaks import STREAK_WEEKS, Streak, streak, weeks_back
from models.domain.teams import TREND_WEEKS, GoalProgress, TeamRecord, goal_progress
from models.domain.weekly.board import WeeklyBoard
from models.domain.weekly.members import Member
from models.domain.weeks import TeamWeek
from models.store.people import away
from models.store.weekly import week_averages


@dataclass(frozen=True, slots=True)
class Momentum:
    """A team's streaks, away members and goal for one week."""

    streaks: dict[str, Streak] = field(default_factory=dict)  # by user id
    away: frozenset[str] = frozenset()  # members away during the week
    goal: GoalProgress | None = None

    def streak_of(self, user_id: str) -> Streak:
        return self.streaks.get(user_id, Streak(0))


@lru_cache(maxsize=256)
def _weeks(week: TeamWeek) -> tuple[TeamWeek, ...]:
    """The weeks a streak looks back over: most teams share a schedule, so most share
    these."""
    return tuple(weeks_back(week, STREAK_WEEKS))


def posting_momentum(
    *,
    db: Connection,
    teams: Sequence[TeamRecord],
    boards: dict[int, WeeklyBoard],
    now: datetime,
) -> dict[int, Momentum]:
    """For the weekly posts of ``teams``: each posted week's average kept first (for the
    forecasts and charts of the weeks after), then their ``Momentum``."""
    for team in teams:
        board = boards[team.id]
        if board.entries:
            week_averages.record(
                db=db,
                team_id=team.id,
                week_end=board.week.end,
                average_thousandths=round(board.total_sum / len(board.entries)),
                members=len(board.entries),
            )
    return team_momentum(db=db, teams=teams, boards=boards, running=False, now=now)


def team_momentum(
    *,
    db: Connection,
    teams: Sequence[TeamRecord],
    boards: dict[int, WeeklyBoard],
    running: bool,
    now: datetime,
) -> dict[int, Momentum]:
    """Each team's ``Momentum`` for its board's week (``running``: the week has not ended,
    as for reminders, ``/ssi me`` and the App Home)."""
    by_scope: dict[Scope, list[TeamRecord]] = defaultdict(list)
    for team in teams:
        by_scope[team.scope].append(team)
    found: dict[int, Momentum] = {}
    for scope, group in by_scope.items():
        weeks = {t.id: _weeks(boards[t.id].week) for t in group}
        people = sorted({m.user_id for t in group for m in _members(boards[t.id])})
        since = min(w[-1].start for w in weeks.values())
        until = max(w[0].end for w in weeks.values())
        times = away.submission_times(db=db, scope=scope, user_ids=people, since=since, until=until)
        periods = away.periods(db=db, scope=scope, user_ids=people, since=since)
        averages = week_averages.recent(
            db=db,
            team_ids=[t.id for t in group],
            before=until,
            weeks=TREND_WEEKS,
        )
        for team in group:
            board = boards[team.id]
            streaks = {
                m.user_id: streak(
                    weeks[team.id],
                    times.get(m.user_id, []),
                    periods.get(m.user_id, ()),
                    running=running,
                )
                for m in _members(board)
            }
            trend = [p for p in averages.get(team.id, []) if p[0] < board.week.end]
            if board.team_average is not None:
                trend.append((board.week.end, board.team_average))
            today = now.astimezone(ZoneInfo(team.timezone)).date()
            goal = None if team.goal is None else goal_progress(team.goal, trend, today=today)
            found[team.id] = Momentum(
                streaks=streaks,
                away=frozenset(u for u, s in streaks.items() if s.away),
                goal=goal,
            )
    return found


def _members(board: WeeklyBoard) -> list[Member]:
    return [*(e.member for e in board.entries), *board.missing]
