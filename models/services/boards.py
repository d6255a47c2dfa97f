"""Boards for many teams at once, workspace by workspace (team vs team never crosses one).

A tick may need every team's board: thousands of teams whose weekly slot is the same Monday
morning. Per workspace, one query reads the members' weeks (``member_weeks``) and pure
functions compute the boards (``weekly``). While one workspace's boards are computed, a
reader thread already runs the next workspace's query, so the database's time (and, on
PostgreSQL, the round trip) overlaps the Python work instead of adding to it. Memory holds
two workspaces' numbers at most, however many teams there are.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from typing import Protocol

from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.weekly.board import WeeklyBoard
from models.domain.weekly.members import MemberWeek
from models.domain.weekly.standings import TeamStanding, rank_teams
from models.domain.weekly.tally import weekly_board
from models.domain.weeks import TeamWeek
from models.store.weekly.member_weeks import member_weeks


class BoardTeam(Protocol):
    """What computing a team's board needs to know about it (``TeamRecord``)."""

    @property
    def id(self) -> int: ...
    @property
    def scope(self) -> Scope: ...
    @property
    def channel_id(self) -> str: ...


Boards = dict[int, WeeklyBoard]

# Workspaces read while one is computed: the database works while Python computes.
READ_AHEAD = 2


def read_member_weeks(
    engine: Engine, teams: Sequence[BoardTeam], weeks: dict[int, TeamWeek]
) -> dict[int, list[MemberWeek]]:
    """Every team's ``MemberWeek``s: one query per workspace and week (most teams of a
    workspace share one week)."""
    groups: dict[tuple[Scope, TeamWeek], list[int]] = defaultdict(list)
    for team in teams:
        groups[(team.scope, weeks[team.id])].append(team.id)
    found: dict[int, list[MemberWeek]] = {}
    with engine.connect() as db:
        for (scope, week), team_ids in groups.items():
            found.update(member_weeks(db=db, scope=scope, team_ids=team_ids, week=week))
    return found


def compute_boards(
    teams: Sequence[BoardTeam], weeks: dict[int, TeamWeek], members: dict[int, list[MemberWeek]]
) -> tuple[Boards, dict[Scope, list[TeamStanding]]]:
    """Each team's board, and team-vs-team standings per workspace."""
    boards = {}
    averages: dict[Scope, list[tuple[int, str, Decimal | None]]] = defaultdict(list)
    for team in teams:
        board = weekly_board(members[team.id], weeks[team.id])
        boards[team.id] = board
        averages[team.scope].append((team.id, team.channel_id, board.team_average))
    return boards, {scope: rank_teams(rows) for scope, rows in averages.items()}


def boards_for(
    engine: Engine, teams: Sequence[BoardTeam], weeks: dict[int, TeamWeek]
) -> tuple[Boards, dict[Scope, list[TeamStanding]]]:
    """Boards for ``teams`` (each for its week) and team-vs-team standings per workspace."""
    return compute_boards(teams, weeks, read_member_weeks(engine, teams, weeks))


def workspace_boards(
    engine: Engine,
    teams: Sequence[BoardTeam],
    weeks: dict[int, TeamWeek],
    *,
    read_ahead: int = READ_AHEAD,
) -> Iterator[tuple[Boards, list[TeamStanding]]]:
    """Each workspace's boards and standings in turn, the next ``read_ahead`` workspaces
    being read meanwhile (each reader with its own connection)."""
    by_scope: dict[Scope, list[BoardTeam]] = defaultdict(list)
    for team in teams:
        by_scope[team.scope].append(team)
    groups = iter(list(by_scope.items()))
    with ThreadPoolExecutor(max_workers=read_ahead, thread_name_prefix="board-reader") as pool:
        pending: deque[tuple[Scope, list[BoardTeam], Future[dict[int, list[MemberWeek]]]]]
        pending = deque()

        def read_next() -> None:
            for scope, group in itertools.islice(groups, 1):
                pending.append((scope, group, pool.submit(read_member_weeks, engine, group, weeks)))

        for _ in range(read_ahead):
            read_next()
        while pending:
            scope, group, reading = pending.popleft()
            members = reading.result()
            read_next()
            boards, standings = compute_boards(group, weeks, members)
            del members
            yield boards, standings.get(scope, [])
