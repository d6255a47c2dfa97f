"""The query behind the weekly boards, on SQLite and PostgreSQL: each member's latest in the
team's ISO week (in its time zone), in the two weeks before, and their latest earlier one;
checked against hand-worked cases and, for random histories, against ``weekly.member_week``
working on the same submissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from models.domain.scope import Scope
from models.domain.ssi import Benchmark, Reading
from models.domain.weekly.members import Member, MemberWeek, Sample, member_week
from models.domain.weeks import week_ending
from models.store import teams
from models.store.people import submission_history, submissions
from models.store.tables import Submission
from models.store.weekly import member_weeks as query
from models.store.weekly.member_weeks import member_weeks
from tests.factories import berlin, submit, team

ACME = Scope("T0ACME")
GLOBEX = Scope("T0GLOBEX")
BERLIN = ZoneInfo("Europe/Berlin")
# Monday Nov 16 00:00 to Monday Nov 23 00:00, Berlin time
WEEK = week_ending(
    datetime(2026, 11, 23, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC), "Europe/Berlin"
)
ANA, BEN, CY, DEV, EVE = (Member(f"U{n}", n) for n in ("ana", "ben", "cy", "dev", "eve"))


def weeks_of(engine: Engine, team_ids: list[int], scope: Scope = ACME) -> dict[int, list]:
    with engine.connect() as db:
        return member_weeks(db=db, scope=scope, team_ids=team_ids, week=WEEK)


def sample(total: int, industry: int | None = None) -> Sample:
    return Sample(total, total // 4, total // 4, total // 4, total // 4, industry, None)


def test_latest_per_week_in_the_teams_time_zone(engine: Engine) -> None:
    team_id = team(engine, [ANA, BEN, CY, DEV, EVE])
    # ana: Sunday 23:30 in Berlin is still week 46; Monday 00:10 is week 47.
    submit(engine, ANA.user_id, "60", berlin(15, 23, 30), industry="20")
    submit(engine, ANA.user_id, "64", berlin(16, 0, 10))
    # ben: twice this week (the later counts), and once in week 45
    submit(engine, BEN.user_id, "50", berlin(4, 12))
    submit(engine, BEN.user_id, "70", berlin(16, 9))
    submit(engine, BEN.user_id, "66", berlin(22, 23, 59))
    # cy: only in week 44, before the three weeks read at once: stale, with its date
    submit(engine, CY.user_id, "48", berlin(28, 10, month=10), industry="30")
    # dev: only after the week (Monday 00:00 of week 48): nothing up to this week's end
    submit(engine, DEV.user_id, "80", berlin(23, 0, 0))
    # the same user id in another workspace changes nothing here
    submit(engine, EVE.user_id, "99", berlin(17, 9), scope=GLOBEX)

    (found,) = weeks_of(engine, [team_id]).values()
    by_user = {m.member.user_id: m for m in found}
    assert [m.member for m in found] == [ANA, BEN, CY, DEV, EVE]  # user id order
    assert by_user[ANA.user_id] == MemberWeek(
        ANA, sample(64000, 20000), sample(60000, 20000), None, sample(64000, 20000), None
    )
    assert by_user[BEN.user_id] == MemberWeek(
        BEN, sample(66000), None, sample(50000), sample(66000), None
    )
    assert by_user[CY.user_id] == MemberWeek(
        CY, None, None, None, sample(48000, 30000), berlin(28, 10, month=10)
    )
    assert by_user[DEV.user_id] == MemberWeek(DEV, None, None, None, None, None)
    assert by_user[EVE.user_id] == MemberWeek(EVE, None, None, None, None, None)


def test_stale_from_last_week_keeps_its_date(engine: Engine) -> None:
    team_id = team(engine, [ANA])
    submit(engine, ANA.user_id, "61", berlin(10, 8))
    submit(engine, ANA.user_id, "62", berlin(12, 8))
    ((week,),) = weeks_of(engine, [team_id]).values()
    assert week == MemberWeek(ANA, None, sample(62000), None, sample(62000), berlin(12, 8))


def test_a_member_of_several_teams_is_on_each(engine: Engine) -> None:
    sales = team(engine, [ANA, BEN], channel="C1")
    leads = team(engine, [ANA], channel="C2")
    empty = team(engine, [], channel="C3")
    submit(engine, ANA.user_id, "64", berlin(17, 9))
    submit(engine, BEN.user_id, "40", berlin(1, 9))  # stale, from the earlier-rows query
    found = weeks_of(engine, [sales, leads, empty])
    assert [m.latest for m in found[sales]] == [sample(64000), sample(40000)]
    assert [m.latest for m in found[leads]] == [sample(64000)]
    assert found[empty] == []
    assert weeks_of(engine, [empty]) == {empty: []}
    assert weeks_of(engine, []) == {}


def test_many_teams_take_several_padded_statements(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(query, "CHUNK", 4)
    team_ids = [team(engine, [Member(f"U{i}", f"p{i}")], channel=f"C{i}") for i in range(7)]
    for i in range(7):
        at = berlin(17, 9) if i % 2 else berlin(2, 9)  # odd: this week; even: stale
        submit(engine, f"U{i}", str(40 + i), at)
    found = weeks_of(engine, team_ids)
    assert [found[t][0].latest.total for t in team_ids] == [40000 + 1000 * i for i in range(7)]  # type: ignore[union-attr]
    assert [found[t][0].as_of is None for t in team_ids] == [bool(i % 2) for i in range(7)]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 8, 9])
def test_lists_are_padded_to_a_power_of_two(count: int) -> None:
    (chunk,) = query._padded(list(range(count)))
    assert len(chunk) & (len(chunk) - 1) == 0 and len(chunk) < 2 * count
    assert sorted(set(chunk)) == list(range(count))


# --- against the pure function ----------------------------------------------------------------

SPAN_START = WEEK.previous(4).start
SPAN_HOURS = int((WEEK.end - SPAN_START).total_seconds() // 3600) + 48  # past the week's end
EDGES = [WEEK.previous(k).start for k in range(5)] + [WEEK.end]  # where mistakes hide
instants = st.one_of(
    st.integers(0, SPAN_HOURS).map(lambda h: SPAN_START + timedelta(hours=h)),
    st.tuples(st.sampled_from(EDGES), st.sampled_from([-1, 0, 1])).map(
        lambda e: e[0] + timedelta(microseconds=e[1])
    ),
)
readings = st.tuples(
    st.integers(0, 25_000), st.integers(0, 25_000), st.integers(0, 25_000), st.integers(0, 25_000)
).map(lambda p: Reading(D(sum(p)) / 1000, *(D(v) / 1000 for v in p)))
benchmarks = st.one_of(st.none(), st.integers(0, 100_000).map(lambda v: D(v) / 1000))
history = st.lists(st.tuples(st.sampled_from([ANA, BEN, CY]), instants, readings, benchmarks))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=history)
def test_the_query_agrees_with_member_week(
    engine: Engine, history: list[tuple[Member, datetime, Reading, D | None]]
) -> None:
    with engine.begin() as db:
        db.execute(delete(Submission.__table__))  # type: ignore[arg-type]
    with engine.connect() as db:  # the team stays from one example to the next
        existing = teams.team_for_channel(db=db, scope=ACME, channel_id="C1")
    team_id = existing.id if existing else team(engine, [ANA, BEN, CY])
    # Submitted in time order, as they are in life (equal instants in list order).
    for member, at, typed, industry in sorted(history, key=lambda h: h[1]):
        with engine.begin() as db:
            submissions.record(
                db=db,
                scope=ACME,
                user_id=member.user_id,
                user_name=member.name,
                channel_id="C1",
                reading=typed._replace(industry=Benchmark(industry)),
                source="command",
                at=at,
            )
    with engine.connect() as db:
        stored = {
            m.user_id: submission_history.recent(db=db, scope=ACME, user_id=m.user_id, limit=1000)
            for m in (ANA, BEN, CY)
        }
    expected = [member_week(m, stored[m.user_id], WEEK) for m in (ANA, BEN, CY)]
    assert weeks_of(engine, [team_id])[team_id] == expected
