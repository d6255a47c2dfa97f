"""Every statement run through ``Prepared`` (SQLAlchemy's compiler internals, on the driver's
cursor) gives what SQLAlchemy's own execution gives, on SQLite and PostgreSQL: an upgrade
that changes those internals fails here, loudly, instead of reading wrong values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text

from models.domain.history import to_thousandths
from models.domain.languages import Language
from models.domain.weekly.members import Sample
from models.store import teams
from models.store.inbound import seen_requests
from models.store.people import (
    channel_standings,
    languages,
    preferences,
    submission_rows,
    submissions,
)
from models.store.prepared import Prepared
from models.store.weekly import member_weeks
from tests.factories import ACME, SLOT, make_team, submit


def _both_ways(db: Connection, statement: Prepared, params: Mapping[str, Any]) -> list[Any]:
    prepared, plain = statement.rows(db, params), statement.plain_rows(db, params)
    assert prepared == plain
    return prepared


def test_each_prepared_query_reads_what_plain_execution_reads(engine: Engine) -> None:
    team_id = make_team(engine)
    for days, (user, total) in enumerate([("U1", 60), ("U2", 70), ("U1", 64), ("U3", "55.5")]):
        submit(engine, user, total, SLOT - timedelta(days=10 - 2 * days), industry="20")
    person = {**ACME.params(), "user_id": "U1"}
    since = SLOT - timedelta(days=21)
    window = {
        **ACME.params(),
        "since": since,
        "last_start": SLOT - timedelta(days=14),
        "this_start": SLOT - timedelta(days=7),
        "until": SLOT,
    }
    with engine.connect() as db:
        assert len(_both_ways(db, submissions._PERSON_CONTEXT, person)) == 2
        place = {**ACME.params(), "channel_id": "C1", "total_thousandths": to_thousandths(64)}
        assert _both_ways(db, channel_standings._CHANNEL_PLACE, place) == [(1, 1, 3)]
        found = _both_ways(db, teams._TEAM_OF_CHANNEL, {**ACME.params(), "channel_id": "C1"})
        assert found == [(team_id, None)]
        home = {**ACME.params(), "user_id": "U1"}
        assert _both_ways(db, preferences._HOME_OPENED, home) == []
    with engine.begin() as db:
        preferences.home_opened(db=db, scope=ACME, user_id="U1", at=SLOT)
    with engine.connect() as db:
        assert _both_ways(db, preferences._HOME_OPENED, home) == [(SLOT,)]
        for size in (1, 2):  # the padded statements: one and two teams
            ids = {f"team_{i}": team_id for i in range(size)}
            rows = _both_ways(db, member_weeks._window_rows(size), {**window, **ids})
            assert {row[1] for row in rows} == {"U1", "U2", "U3"}
        earlier = {**ACME.params(), "since": SLOT, "user_0": "U1", "user_1": "U2"}
        rows = _both_ways(db, member_weeks._earlier_rows(2), earlier)
        assert sorted(row[0] for row in rows) == ["U1", "U2"]


def test_a_persons_language_reads_the_same_both_ways(engine: Engine) -> None:
    """The union of the two tables, in every state: unknown, Slack's locale only, a choice
    only, and both (the choice wins)."""
    seen = SLOT - timedelta(days=2)
    with engine.begin() as db:
        languages.remember_locale(db=db, scope=ACME, user_id="U1", locale="de-DE", seen_at=seen)
        languages.choose_language(db=db, scope=ACME, user_id="U2", language=Language.ES)
        languages.remember_locale(db=db, scope=ACME, user_id="U3", locale="it-IT", seen_at=seen)
        languages.choose_language(db=db, scope=ACME, user_id="U3", language=Language.NL)
    with engine.connect() as db:
        for user in ("U0", "U1", "U2", "U3"):
            _both_ways(db, languages._SPOKEN, {**ACME.params(), "user_id": user})
        spoken = {
            u: languages.spoken_by(db=db, scope=ACME, user_id=u) for u in ("U0", "U1", "U2", "U3")
        }
    assert spoken["U0"] == languages.Spoken()
    assert spoken["U1"] == languages.Spoken(None, "de-DE", seen)
    assert spoken["U2"] == languages.Spoken(Language.ES, "", None)
    assert spoken["U3"] == languages.Spoken(Language.NL, "it-IT", seen)
    assert spoken["U3"].language is Language.NL
    assert spoken["U1"].seen_at is not None and spoken["U1"].seen_at.tzinfo is not None


def test_the_prepared_insert_stores_what_plain_execution_stores(engine: Engine) -> None:
    submit(engine, "U1", 60, SLOT - timedelta(days=3), industry="20")  # carried forward
    values = {
        **ACME.params(),
        "user_id": "U1",
        "user_name": "u1",
        "channel_id": "C1",
        "submitted_at": SLOT,
        "source": "paste",
        "industry_name": "Software Development",
        "shared_key": "DU1:1700000000.000100",
        **{f"{p}_thousandths": 16000 for p in ("brand", "find", "engage", "relate")},
        "total_thousandths": 64000,
        **{
            f"{b}_{k}_thousandths": None
            for b in ("industry", "network")
            for k in ("average", "top")
        },
    }
    stored = []
    for run in (submissions._INSERT.rows, submissions._INSERT.plain_rows):
        db = engine.connect()
        transaction = db.begin()
        ((new_id,),) = run(db, values)
        rows = db.execute(
            submission_rows.SUBMISSIONS.select().where(submission_rows.SUBMISSIONS.c.id == new_id)
        ).all()
        stored.append(tuple(rows[0])[1:])  # all but the id
        transaction.rollback()
        db.close()
    assert stored[0] == stored[1]


def test_the_positional_shortcuts_match_their_field_lists() -> None:
    """The hot loops read rows by position and build tuples without constructors: the
    positions come from these lists, which must match the tuples' fields."""
    assert tuple(member_weeks.SAMPLE_COLUMNS) == Sample._fields
    window = list(member_weeks._window_rows(1).statement.selected_columns)
    leading = len(member_weeks.WINDOW_LEADING)
    assert len(window) == leading + len(Sample._fields)
    assert [c.name for c in window[:3]] == list(member_weeks.WINDOW_LEADING[:3])
    assert [c.name for c in window[leading:]] == [
        c.name for c in member_weeks.SAMPLE_COLUMNS.values()
    ]
    assert [c.name for c in submission_rows.COLUMNS] == list(submission_rows.COLUMN_NAMES)


def test_the_replay_guards_insert_is_the_same_both_ways(engine: Engine) -> None:
    with engine.begin() as db:
        statement = seen_requests._FIRST_TIME[db.dialect.name]
        assert statement.rows(db, {"signature": "v0=a", "slack_ts": 1}) == [("v0=a",)]
        assert statement.plain_rows(db, {"signature": "v0=b", "slack_ts": 1}) == [("v0=b",)]
        # A replay repeats both: the signature covers the timestamp.
        assert statement.rows(db, {"signature": "v0=b", "slack_ts": 1}) == []
        assert statement.plain_rows(db, {"signature": "v0=a", "slack_ts": 1}) == []


def test_only_the_replay_guards_own_commit_skips_the_flush(engine: Engine) -> None:
    """On PostgreSQL the replay guard's transaction commits without waiting for the disk
    (``SET LOCAL``); the next transaction, a submission's say, waits as the server says."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's synchronous_commit")
    with engine.begin() as db:
        assert seen_requests.first_time(db=db, signature="v0=flush", slack_ts=1)
        assert db.execute(text("SHOW synchronous_commit")).scalar() == "off"
    with engine.begin() as db:
        assert db.execute(text("SHOW synchronous_commit")).scalar() == "on"
        assert not seen_requests.first_time(db=db, signature="v0=flush", slack_ts=1)
