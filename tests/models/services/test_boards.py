"""Boards for many teams: workspace by workspace with read-ahead, the same numbers as one
team at a time, and the garbage collector's thresholds put back afterwards."""

from __future__ import annotations

import gc
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.domain.weekly.members import Member
from models.domain.weeks import week_ending
from models.services.boards import boards_for, workspace_boards
from models.store import teams
from slackapp.weekly import collector
from slackapp.weekly.collector import relaxed_gc
from tests.factories import berlin, submit, team

# Monday Nov 16 00:00 to Monday Nov 23 00:00, Berlin time
WEEK = week_ending(
    datetime(2026, 11, 23, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC), "Europe/Berlin"
)
SCOPES = [Scope("T1"), Scope("T2"), Scope("T1", "E1"), Scope("T3")]


def populate(engine: Engine) -> list[TeamRecord]:
    """Two teams in each of four workspaces that reuse the same user and channel ids."""
    for scope in SCOPES:
        for channel in ("C1", "C2"):
            people = [Member("U1", "Ana"), Member(f"U{channel}", "Ben")]
            team(engine, people, channel=channel, scope=scope)
    for n, scope in enumerate(SCOPES):
        submit(engine, "U1", str(50 + n), berlin(10, 9), scope=scope)
        submit(engine, "U1", str(60 + n), berlin(17, 9), scope=scope)
        submit(engine, "UC2", str(70 + n), berlin(18, 9), scope=scope)
    with engine.connect() as db:
        return teams.all_teams(db=db)


def test_workspace_by_workspace_equals_all_at_once(engine: Engine) -> None:
    every = populate(engine)
    weeks = {t.id: WEEK for t in every}
    together, standings = boards_for(engine, every, weeks)
    seen = {}
    for read_ahead in (1, 2, 3):
        seen = {}
        for found, ranked in workspace_boards(engine, every, weeks, read_ahead=read_ahead):
            (scope,) = {t.scope for t in every if t.id in found}
            assert ranked == standings[scope]
            seen.update(found)
        assert seen == together
    by_channel = {(t.scope, t.channel_id): seen[t.id] for t in every}
    # Each workspace's own numbers: U1 scored 60 + n there, UC2 70 + n.
    for n, scope in enumerate(SCOPES):
        assert [e.scores.total for e in by_channel[(scope, "C1")].entries] == [60000 + 1000 * n]
        assert [e.scores.total for e in by_channel[(scope, "C2")].entries] == [
            70000 + 1000 * n,
            60000 + 1000 * n,
        ]


def test_stopping_early_leaves_nothing_running(engine: Engine) -> None:
    every = populate(engine)
    threads, thresholds = threading.active_count(), gc.get_threshold()
    walk = workspace_boards(engine, every, {t.id: WEEK for t in every})
    next(walk)
    walk.close()
    assert threading.active_count() == threads
    assert gc.get_threshold() == thresholds


def test_relaxed_gc_is_counted_and_restored() -> None:
    before = gc.get_threshold()
    with relaxed_gc():
        assert gc.get_threshold()[0] >= collector.GC_YOUNG_THRESHOLD
        inner_done = threading.Event()

        def other() -> None:
            with relaxed_gc():
                pass
            inner_done.set()

        threading.Thread(target=other).start()
        assert inner_done.wait(5)
        assert gc.get_threshold()[0] >= collector.GC_YOUNG_THRESHOLD  # still held here
        with relaxed_gc():
            pass
        assert gc.get_threshold()[0] >= collector.GC_YOUNG_THRESHOLD
    assert gc.get_threshold() == before


def test_boards_leave_the_collector_as_it_was(engine: Engine) -> None:
    """Only a tick relaxes the process's garbage collector (``WeeklyRunner.tick``); boards
    built anywhere else leave it as it was."""
    every = populate(engine)
    before = gc.get_threshold()
    seen = []
    for _ in workspace_boards(engine, every, {t.id: WEEK for t in every}):
        seen.append(gc.get_threshold())
    assert seen and all(t == before for t in seen)
