"""Submission queries on a real database: history, standings, benchmarks, scoping, undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from models.domain.scope import Scope
from models.domain.ssi import Benchmark, Reading
from models.store.people import channel_standings, submission_history, submission_rows, submissions

ACME = Scope("T0ACME")
GLOBEX = Scope("T0GLOBEX")
GRID = Scope("T0ACME", enterprise_id="E0GRID")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


UNKNOWN = Benchmark()


def reading(total: str, industry: Benchmark = UNKNOWN, network: Benchmark = UNKNOWN) -> Reading:
    quarter = D(total) / 4
    return Reading(D(total), quarter, quarter, quarter, quarter, industry, network)


def store(db: Connection, typed: Reading, source: str = "command") -> int:
    """U1 in Acme submits ``typed`` as it is, without a channel."""
    return submissions.record(
        db=db,
        scope=ACME,
        user_id="U1",
        user_name="u1",
        channel_id=None,
        reading=typed,
        source=source,
        at=MONDAY,
    )


def add(
    db: Connection,
    scope: Scope,
    user: str,
    total: str,
    days: int = 0,
    channel: str | None = "C1",
    **benchmarks: Benchmark,
) -> int:
    return submissions.record(
        db=db,
        scope=scope,
        user_id=user,
        user_name=user.lower(),
        channel_id=channel,
        reading=reading(total, **benchmarks),
        source="command",
        at=MONDAY + timedelta(days=days),
    )


def test_submissions_are_history_newest_first(engine: Engine) -> None:
    with engine.begin() as db:
        add(db, ACME, "U1", "60", days=0)
        add(db, ACME, "U1", "62", days=7)
        add(db, ACME, "U1", "61", days=14)
    with engine.connect() as db:
        history = submission_history.recent(db=db, scope=ACME, user_id="U1", limit=10)
    assert [h.reading.total for h in history] == [D(61), D(62), D(60)]
    assert history[0].submitted_at == MONDAY + timedelta(days=14)
    assert history[0].submitted_at.tzinfo is not None


def test_decimals_survive_the_round_trip(engine: Engine) -> None:
    typed = Reading(
        D("72"),
        D("21.4"),
        D("17.66"),
        D("13.78"),
        D("19.4"),
        Benchmark(D("22.5"), D("0.5")),
        Benchmark(D(37), None),
    )
    with engine.begin() as db:
        store(db, typed, source="modal")
    with engine.connect() as db:
        (stored,) = submission_history.recent(db=db, scope=ACME, user_id="U1")
    assert stored.reading == typed
    assert stored.source == "modal"


def test_same_ids_in_other_workspaces_are_invisible(engine: Engine) -> None:
    with engine.begin() as db:
        add(db, ACME, "U1", "60")
        add(db, GLOBEX, "U1", "40")
        add(db, GRID, "U1", "20")
        add(db, GLOBEX, "U2", "44")
    with engine.connect() as db:
        assert [
            s.reading.total for s in submission_history.recent(db=db, scope=ACME, user_id="U1")
        ] == [60]
        assert [
            s.reading.total for s in submission_history.recent(db=db, scope=GRID, user_id="U1")
        ] == [20]
        board = channel_standings.channel_standings(db=db, scope=GLOBEX, channel_id="C1")
        assert sorted((s.user_id, s.reading.total) for s in board) == [("U1", 40), ("U2", 44)]
    with engine.begin() as db:
        removed = submission_history.delete_latest(db=db, scope=GLOBEX, user_id="U1")
        assert removed is not None and removed.reading.total == 40
    with engine.connect() as db:
        assert submission_history.recent(db=db, scope=ACME, user_id="U1")
        assert submission_history.recent(db=db, scope=GRID, user_id="U1")


def test_channel_standings_use_each_persons_latest_anywhere(
    engine: Engine,
) -> None:
    with engine.begin() as db:
        add(db, ACME, "U1", "60", days=0, channel="C1")
        add(db, ACME, "U1", "66", days=3, channel="C2")  # same person, other channel
        add(db, ACME, "U2", "50", days=1, channel="C1")
        add(db, ACME, "U3", "70", days=1, channel="C2")
        add(db, ACME, "U4", "30", days=1, channel=None)  # from a form without a channel
    with engine.connect() as db:
        board = channel_standings.channel_standings(db=db, scope=ACME, channel_id="C1")
        channels = submission_history.channels_of(db=db, scope=ACME, user_id="U1")
    assert sorted((s.user_id, s.reading.total) for s in board) == [("U1", 66), ("U2", 50)]
    assert channels == ["C2", "C1"]


def test_benchmarks_are_carried_forward_from_the_last_time_given(
    engine: Engine,
) -> None:
    with engine.begin() as db:
        add(db, ACME, "U1", "60", days=0, industry=Benchmark(D(20), D(9)))
        add(db, ACME, "U1", "61", days=7, network=Benchmark(D(35)))
        add(db, ACME, "U1", "62", days=14, industry=Benchmark(D(22)))
        add(db, ACME, "U1", "63", days=21)
    with engine.connect() as db:
        known = submissions.known_benchmarks(db=db, scope=ACME, user_id="U1")
    assert known["industry"].benchmark == Benchmark(D(22))
    assert known["industry"].as_of == MONDAY + timedelta(days=14)
    assert known["network"].benchmark == Benchmark(D(35))
    assert known["network"].as_of == MONDAY + timedelta(days=7)


def test_undo_takes_the_latest_only(engine: Engine) -> None:
    with engine.begin() as db:
        add(db, ACME, "U1", "60", days=0)
        add(db, ACME, "U1", "64", days=1)
    with engine.begin() as db:
        removed = submission_history.delete_latest(db=db, scope=ACME, user_id="U1")
    assert removed is not None and removed.reading.total == 64
    with engine.connect() as db:
        assert [
            s.reading.total for s in submission_history.recent(db=db, scope=ACME, user_id="U1")
        ] == [60]
        assert submission_history.delete_latest(db=db, scope=ACME, user_id="U2") is None


def test_the_database_refuses_impossible_scores(engine: Engine) -> None:
    bad = Reading(D(68), D(26), D(17), D(14), D(11))  # built without validation
    with pytest.raises(IntegrityError), engine.begin() as db:
        store(db, bad)


def _carried(engine: Engine, scope: Scope, user: str) -> list[tuple[int, int | None, int | None]]:
    """(total, carried industry average, carried network average) per submission, oldest
    first, in thousandths."""
    t = submission_rows.SUBMISSIONS
    with engine.connect() as db:
        rows = db.execute(
            select(
                t.c.total_thousandths,
                t.c.carried_industry_average_thousandths,
                t.c.carried_network_average_thousandths,
            )
            .where(t.c.workspace_id == scope.workspace_id, t.c.user_id == user)
            .order_by(t.c.submitted_at, t.c.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_each_submission_carries_the_latest_known_averages(engine: Engine) -> None:
    with engine.begin() as db:
        add(db, ACME, "U1", "60", days=0)  # nothing known yet
        add(db, ACME, "U1", "61", days=7, industry=Benchmark(D(20), D(9)))
        add(db, ACME, "U1", "62", days=14, network=Benchmark(D("35.5")))
        add(db, ACME, "U1", "63", days=21, industry=Benchmark(None, D(4)))  # a rank, no average
        add(db, GLOBEX, "U1", "40", days=28, industry=Benchmark(D(30)))  # someone else
        add(db, ACME, "U1", "64", days=28)
    assert _carried(engine, ACME, "U1") == [
        (60000, None, None),
        (61000, 20000, None),
        (62000, 20000, 35500),
        (63000, 20000, 35500),
        (64000, 20000, 35500),
    ]
    with engine.begin() as db:  # undo leaves the earlier rows as they were
        submission_history.delete_latest(db=db, scope=ACME, user_id="U1")
        add(db, ACME, "U1", "65", days=29, industry=Benchmark(D(21)))
    assert _carried(engine, ACME, "U1")[-2:] == [(63000, 20000, 35500), (65000, 21000, 35500)]


def test_a_channels_place_agrees_with_its_standings(engine: Engine) -> None:
    """``channel_place`` (each person's latest by one lookup) counts what the standings (each
    person's latest by a window) show, for histories with people moving between channels,
    several readings at the same instant, and other workspaces' rows beside them."""
    import random

    chance = random.Random(23)
    with engine.begin() as db:
        for _ in range(400):
            scope = chance.choice([ACME, ACME, ACME, GLOBEX, GRID])
            add(
                db,
                scope,
                f"U{chance.randrange(40)}",
                str(chance.randrange(30, 90)),
                days=chance.randrange(6),  # often the same instant as another of theirs
                channel=chance.choice(["C1", "C2", "C3", None]),
            )
    with engine.connect() as db:
        for scope in (ACME, GLOBEX, GRID):
            for channel in ("C1", "C2", "C3", "C-EMPTY"):
                board = channel_standings.channel_standings(db=db, scope=scope, channel_id=channel)
                totals = [s.reading.total for s in board]
                for total in (D(29), D(45), D(60), D(90), *totals[:5]):
                    place = channel_standings.channel_place(
                        db=db, scope=scope, channel_id=channel, total=total
                    )
                    assert (place.above, place.same, place.people) == (
                        sum(t > total for t in totals),
                        sum(t == total for t in totals),
                        len(totals),
                    )
