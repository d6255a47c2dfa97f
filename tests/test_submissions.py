"""Submission queries on a real database: history, standings, benchmarks, scoping, undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import submissions
from models.ssi import Benchmark, Reading
from models.submissions import Scope

ACME = Scope("T0ACME")
GLOBEX = Scope("T0GLOBEX")
GRID = Scope("T0ACME", enterprise_id="E0GRID")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


UNKNOWN = Benchmark()


def reading(total: str, industry: Benchmark = UNKNOWN, network: Benchmark = UNKNOWN) -> Reading:
    quarter = D(total) / 4
    return Reading(D(total), quarter, quarter, quarter, quarter, industry, network)


def add(
    session: Session,
    scope: Scope,
    user: str,
    total: str,
    days: int = 0,
    channel: str | None = "C1",
    **benchmarks: Benchmark,
) -> int:
    return submissions.record(
        session=session,
        scope=scope,
        user_id=user,
        user_name=user.lower(),
        channel_id=channel,
        reading=reading(total, **benchmarks),
        source="command",
        at=MONDAY + timedelta(days=days),
    )


def test_submissions_are_history_newest_first(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add(session, ACME, "U1", "60", days=0)
        add(session, ACME, "U1", "62", days=7)
        add(session, ACME, "U1", "61", days=14)
    with sessions() as session:
        history = submissions.recent(session=session, scope=ACME, user_id="U1", limit=10)
    assert [h.reading.total for h in history] == [D(61), D(62), D(60)]
    assert history[0].submitted_at == MONDAY + timedelta(days=14)
    assert history[0].submitted_at.tzinfo is not None


def test_decimals_survive_the_round_trip(sessions: sessionmaker[Session]) -> None:
    typed = Reading(
        D("72"),
        D("21.4"),
        D("17.66"),
        D("13.78"),
        D("19.4"),
        Benchmark(D("22.5"), D("0.5")),
        Benchmark(D(37), None),
    )
    with sessions.begin() as session:
        submissions.record(
            session=session,
            scope=ACME,
            user_id="U1",
            user_name="u1",
            channel_id=None,
            reading=typed,
            source="modal",
            at=MONDAY,
        )
    with sessions() as session:
        (stored,) = submissions.recent(session=session, scope=ACME, user_id="U1")
    assert stored.reading == typed
    assert stored.source == "modal"


def test_same_ids_in_other_workspaces_are_invisible(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add(session, ACME, "U1", "60")
        add(session, GLOBEX, "U1", "40")
        add(session, GRID, "U1", "20")
        add(session, GLOBEX, "U2", "44")
    with sessions() as session:
        assert [
            s.reading.total for s in submissions.recent(session=session, scope=ACME, user_id="U1")
        ] == [60]
        assert [
            s.reading.total for s in submissions.recent(session=session, scope=GRID, user_id="U1")
        ] == [20]
        board = submissions.channel_standings(session=session, scope=GLOBEX, channel_id="C1")
        assert sorted((s.user_id, s.reading.total) for s in board) == [("U1", 40), ("U2", 44)]
    with sessions.begin() as session:
        removed = submissions.delete_latest(session=session, scope=GLOBEX, user_id="U1")
        assert removed is not None and removed.reading.total == 40
    with sessions() as session:
        assert submissions.recent(session=session, scope=ACME, user_id="U1")
        assert submissions.recent(session=session, scope=GRID, user_id="U1")


def test_channel_standings_use_each_persons_latest_anywhere(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        add(session, ACME, "U1", "60", days=0, channel="C1")
        add(session, ACME, "U1", "66", days=3, channel="C2")  # same person, other channel
        add(session, ACME, "U2", "50", days=1, channel="C1")
        add(session, ACME, "U3", "70", days=1, channel="C2")
        add(session, ACME, "U4", "30", days=1, channel=None)  # from a form without a channel
    with sessions() as session:
        board = submissions.channel_standings(session=session, scope=ACME, channel_id="C1")
        channels = submissions.channels_of(session=session, scope=ACME, user_id="U1")
    assert sorted((s.user_id, s.reading.total) for s in board) == [("U1", 66), ("U2", 50)]
    assert channels == ["C2", "C1"]


def test_benchmarks_are_carried_forward_from_the_last_time_given(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        add(session, ACME, "U1", "60", days=0, industry=Benchmark(D(20), D(9)))
        add(session, ACME, "U1", "61", days=7, network=Benchmark(D(35)))
        add(session, ACME, "U1", "62", days=14, industry=Benchmark(D(22)))
        add(session, ACME, "U1", "63", days=21)
    with sessions() as session:
        known = submissions.known_benchmarks(session=session, scope=ACME, user_id="U1")
    assert known["industry"].benchmark == Benchmark(D(22))
    assert known["industry"].as_of == MONDAY + timedelta(days=14)
    assert known["network"].benchmark == Benchmark(D(35))
    assert known["network"].as_of == MONDAY + timedelta(days=7)


def test_undo_takes_the_latest_only(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add(session, ACME, "U1", "60", days=0)
        add(session, ACME, "U1", "64", days=1)
    with sessions.begin() as session:
        removed = submissions.delete_latest(session=session, scope=ACME, user_id="U1")
    assert removed is not None and removed.reading.total == 64
    with sessions() as session:
        assert [
            s.reading.total for s in submissions.recent(session=session, scope=ACME, user_id="U1")
        ] == [60]
        assert submissions.delete_latest(session=session, scope=ACME, user_id="U2") is None


def test_the_database_refuses_impossible_scores(sessions: sessionmaker[Session]) -> None:
    bad = Reading(D(68), D(26), D(17), D(14), D(11))  # built without validation
    with pytest.raises(IntegrityError), sessions.begin() as session:
        submissions.record(
            session=session,
            scope=ACME,
            user_id="U1",
            user_name="u1",
            channel_id=None,
            reading=bad,
            source="command",
            at=MONDAY,
        )
