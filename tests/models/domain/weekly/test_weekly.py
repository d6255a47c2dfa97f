"""The weekly numbers, each checked against figures worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

from models.domain.history import StoredSubmission
from models.domain.ssi import Pillar
from models.domain.weekly.members import Member
from models.domain.weekly.standings import rank_teams
from models.domain.weeks import week_ending
from slackapp.render.weekly.board import channel_board
from tests.factories import compute, sub

TZ = "Europe/Berlin"
# Monday Nov 16 00:00 to Monday Nov 23 00:00, Berlin time
WEEK = week_ending(datetime(2026, 11, 23, tzinfo=ZoneInfo(TZ)).astimezone(UTC), TZ)
ANA, BEN, CY, DEV, EVE = (Member(f"U{n}", n) for n in ("ana", "ben", "cy", "dev", "eve"))


def newest_first(*subs: StoredSubmission) -> list[StoredSubmission]:
    return sorted(subs, key=lambda s: s.submitted_at, reverse=True)


def board():
    history = {
        # ana: 60 → 64 (+4: brand +1, find +2, engage +1, relate 0); industry 20
        ANA.user_id: newest_first(
            sub(1, ("15", "15", "15", "15"), industry="20"), sub(0, ("16", "17", "16", "15"))
        ),
        # ben: 70 → 66.5 (-3.5); two submissions this week: the later counts
        BEN.user_id: newest_first(
            sub(1, ("18", "18", "17", "17"), network="40"),
            sub(0, ("10", "10", "10", "10"), day=0),
            sub(0, ("17", "17", "16", "16.5"), day=4),
        ),
        # cy: only two weeks ago: stale at 50 (as of then), no delta
        CY.user_id: [sub(2, ("12.5", "12.5", "12.5", "12.5"), industry="30")],
        # dev: 64 this week, nothing last week: no delta; ties ana at 64
        DEV.user_id: [sub(0, ("16", "16", "16", "16"), network="60")],
        # eve: never submitted
    }
    return compute([ANA, BEN, CY, DEV, EVE], history)


def test_ranking_shares_ties_and_orders_them_by_name() -> None:
    b = board()
    assert [(e.rank, e.member.name, e.total) for e in b.entries] == [
        (1, "ben", D("66.5")),
        (2, "ana", D(64)),
        (2, "dev", D(64)),
        (4, "cy", D(50)),
    ]


def test_stale_and_missing_members() -> None:
    b = board()
    assert [e.member.name for e in b.stale] == ["cy"]
    assert b.stale[0].deltas is None
    assert b.stale[0].as_of == WEEK.previous(2).start + timedelta(days=2, hours=10)
    assert all(e.as_of is None for e in b.current)
    assert b.missing == [EVE]
    assert [m.name for m in b.non_submitters] == ["cy", "eve"]


def test_a_stale_date_is_the_teams_calendar_date() -> None:
    # 23:30 UTC on Tuesday Nov 3 is already Wednesday Nov 4 in Berlin.
    late = sub(2, ("12", "12", "12", "12"), day=1)._replace(
        submitted_at=datetime(2026, 11, 3, 23, 30, tzinfo=UTC)
    )
    b = compute([CY], {CY.user_id: [late]})
    message = channel_board(b, team_id=1, standings=[])
    assert "(stale, as of Nov 4)" in json.dumps(message.blocks)


def test_deltas_are_strict_week_over_week() -> None:
    entries = {e.member.name: e for e in board().entries}
    assert entries["ana"].deltas == {
        "total": D(4),
        "brand": D(1),
        "find": D(2),
        "engage": D(1),
        "relate": D(0),
    }
    assert entries["ben"].deltas["total"] == D("-3.5")  # type: ignore[index]
    assert entries["dev"].deltas is None  # no submission last week


def test_team_against_industry_and_network() -> None:
    b = board()
    assert b.team_average == (D("66.5") + 64 + 64 + 50) / 4  # 61.125
    assert b.industry_average == D(25)  # ana 20 (carried forward), cy 30
    assert b.network_average == D(50)  # ben 40, dev 60
    assert (b.beat_industry, b.with_industry) == (2, 2)
    assert (b.beat_network, b.with_network) == (2, 2)
    entries = {e.member.name: e for e in b.entries}
    assert entries["ana"].industry_gap == D(44)
    assert entries["cy"].industry_gap == D(20)
    assert entries["dev"].industry_gap is None


def test_pillars_that_improved_most_and_who_led_them() -> None:
    b = board()
    # Mean deltas over ana and ben: brand (1-1)/2=0, find (2-1)/2=0.5, engage (1-1)/2=0,
    # relate (0-0.5)/2=-0.25.
    assert [(p.pillar, p.mean_delta) for p in b.pillar_progress] == [
        (Pillar.FIND, D("0.5")),
        (Pillar.BRAND, D(0)),
        (Pillar.ENGAGE, D(0)),
        (Pillar.RELATE, D("-0.25")),
    ]
    assert (b.pillar_progress[0].leader, b.pillar_progress[0].leader_delta) == (ANA, D(2))
    assert b.most_improved is not None and b.most_improved.member == ANA


def test_manager_signals() -> None:
    history = {
        ANA.user_id: newest_first(
            sub(2, ("20", "20", "20", "20")),
            sub(1, ("19", "19", "19", "19")),
            sub(0, ("18", "18", "18", "18")),
        ),  # 80 → 76 → 72
        BEN.user_id: newest_first(
            sub(1, ("10", "10", "10", "10")), sub(0, ("13", "13", "13", "13"))
        ),
    }
    b = compute([ANA, BEN], history)
    assert b.fell_twice == [ANA]
    assert [(d.member, d.delta) for d in b.dropped] == [(ANA, D(-4))]
    assert [(d.member, d.delta) for d in b.implausible] == [(BEN, D(12))]
    assert b.most_improved is not None and b.most_improved.member == BEN


def test_weakest_pillar_of_the_team() -> None:
    b = board()
    # Means over ben, ana, dev, cy: brand 15.375, find 15.625, engage 15.125,
    # relate (16.5+15+16+12.5)/4 = 15.0, the lowest.
    assert b.weakest_pillar is Pillar.RELATE


def test_empty_team() -> None:
    b = compute([ANA], {})
    assert b.entries == [] and b.missing == [ANA]
    assert b.team_average is None and b.pillar_progress == [] and b.most_improved is None


def test_submission_after_the_week_does_not_count() -> None:
    later = sub(0, ("20", "20", "20", "20"), day=8)  # the next week
    b = compute([ANA], {ANA.user_id: [later]})
    assert b.missing == [ANA]


def test_teams_are_ranked_by_average_with_shared_ranks() -> None:
    standings = rank_teams([(1, "C1", D(60)), (2, "C2", D(70)), (3, "C3", D(60)), (4, "C4", None)])
    assert [(s.rank, s.channel_id) for s in standings] == [(1, "C2"), (2, "C1"), (2, "C3")]
