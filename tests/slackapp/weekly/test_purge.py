"""A removed workspace's data goes in bounded batches, children before parents, leaving
every other workspace alone; a stopping runner leaves the rest for the next tick."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select

from models.domain.scope import Scope
from models.domain.weekly.members import Member
from models.store import removals
from models.store.people import languages
from models.store.tables import (
    PersonLocale,
    PostLedger,
    Submission,
    Team,
    TeamMember,
    WorkspaceRemoval,
)
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from tests.factories import SLOT, make_team, runner

GONE, STAYS = Scope("T0GONE"), Scope("T0STAYS")


def _readings(engine: Engine, scope: Scope, count: int) -> None:
    row = {
        **scope.params(),
        "user_name": "",
        "channel_id": "C1",
        "source": "command",
        "total_thousandths": 60000,
        "brand_thousandths": 15000,
        "find_thousandths": 15000,
        "engage_thousandths": 15000,
        "relate_thousandths": 15000,
    }
    rows = [
        {**row, "user_id": f"U{n % 50}", "submitted_at": SLOT - timedelta(minutes=n)}
        for n in range(count)
    ]
    with engine.begin() as db:
        db.execute(insert(Submission), rows)


def _count(engine: Engine, model: type, scope: Scope | None = None) -> int:
    query = select(func.count()).select_from(model)
    if scope is not None:
        query = query.where(model.workspace_id == scope.workspace_id)  # type: ignore[attr-defined]
    with engine.connect() as db:
        return db.scalar(query) or 0


def _workspace(engine: Engine, scope: Scope, readings: int) -> None:
    people = [Member(f"U{n}", f"Person {n}") for n in range(300)]
    for channel in ("C1", "C2"):
        make_team(engine, scope=scope, channel=channel, members=people)
    _readings(engine, scope, readings)


def test_each_batch_is_bounded_and_the_last_leaves_nothing(engine: Engine) -> None:
    _workspace(engine, GONE, 2500)
    _workspace(engine, STAYS, 10)
    with engine.begin() as db:
        for scope in (GONE, STAYS):  # everyone's language: in the directory, not only users
            for n in range(30):
                languages.remember_locale(
                    db=db, scope=scope, user_id=f"U{n}", locale="de-DE", seen_at=SLOT
                )
        removals.record_removal(db=db, scope=GONE, at=SLOT)
    batches = []
    while True:
        with engine.begin() as db:
            deleted = removals.purge_batch(db=db, scope=GONE, limit=400)
        if not deleted:
            break
        batches.append(deleted)
    assert max(batches) == 400 and sum(batches) == 2500 + 30 + 600 + 2 + 2 + 1
    assert _count(engine, Submission, GONE) == _count(engine, Team, GONE) == 0
    assert _count(engine, WorkspaceRemoval) == 0
    # The other workspace keeps everything: its readings, teams and their members.
    assert (_count(engine, Submission, STAYS), _count(engine, Team, STAYS)) == (10, 2)
    assert _count(engine, TeamMember) == 600
    assert (_count(engine, PersonLocale, GONE), _count(engine, PersonLocale, STAYS)) == (0, 30)


def test_a_stopping_runner_leaves_the_rest_of_a_purge_to_the_next_tick(
    engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(engine, GONE, 5000)
    with engine.begin() as db:
        removals.record_removal(db=db, scope=GONE, at=SLOT - timedelta(days=40))
    clock = ManualClock(SLOT)
    stopping = runner(engine, fake_slack, clock)
    stopping.client_for = lambda _: None  # nobody installed it again
    batches = []
    purge_batch = removals.purge_batch

    def batch_then_stop(**kwargs: Any) -> int:
        batches.append(purge_batch(**kwargs))
        if len(batches) == 2:  # SIGTERM arrives during the third batch
            stopping.stop(grace=0)
        return batches[-1]

    monkeypatch.setattr(removals, "purge_batch", batch_then_stop)
    stopping.tick()
    monkeypatch.undo()
    assert _count(engine, Submission, GONE) == 5000 - sum(batches) > 0
    assert _count(engine, WorkspaceRemoval) == 1  # still to do
    next_tick = runner(engine, fake_slack, clock)
    next_tick.client_for = lambda _: None
    next_tick.tick()
    assert _count(engine, Submission, GONE) == 0 and _count(engine, PostLedger) == 0
    assert _count(engine, WorkspaceRemoval) == 0


def test_a_purge_that_finds_the_database_busy_keeps_the_record_and_resumes(
    engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    _workspace(engine, GONE, 3000)
    with engine.begin() as db:
        removals.record_removal(db=db, scope=GONE, at=SLOT - timedelta(days=40))
    clock = ManualClock(SLOT)
    purge_batch = removals.purge_batch
    calls = []

    def busy_on_the_second_batch(**kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 2:  # requests held SQLite's one connection past the wait bound
            raise PoolTimeout("QueuePool limit of size 1 overflow 0 reached")
        return purge_batch(**kwargs)

    monkeypatch.setattr(removals, "purge_batch", busy_on_the_second_batch)
    busy = runner(engine, fake_slack, clock)
    busy.client_for = lambda _: None
    busy.tick()  # no exception: the purge pauses
    monkeypatch.undo()
    assert 0 < _count(engine, Submission, GONE) < 3000
    assert _count(engine, WorkspaceRemoval) == 1  # still to do, not forgotten
    next_tick = runner(engine, fake_slack, clock)
    next_tick.client_for = lambda _: None
    next_tick.tick()
    assert _count(engine, Submission, GONE) == 0 and _count(engine, WorkspaceRemoval) == 0
