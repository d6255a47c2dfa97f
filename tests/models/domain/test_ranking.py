"""Ranking: by total, ties share a rank and the next skips, ties shown in name order."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from models.domain.history import StoredSubmission
from models.domain.ranking import rank_by_total
from models.domain.ssi import Reading


def entry(user_id: str, name: str, total: int) -> StoredSubmission:
    reading = Reading(D(total), D(0), D(0), D(0), D(0))
    at = datetime(2026, 11, 16, tzinfo=UTC)
    return StoredSubmission(0, user_id, name, "C1", at, "command", reading)


def test_tied_totals_share_a_rank_and_the_next_rank_skips() -> None:
    standings = rank_by_total(
        [
            entry("U1", "dan", 60),
            entry("U2", "ann", 70),
            entry("U3", "bea", 60),
            entry("U4", "cy", 50),
        ]
    )
    assert [(s.rank, s.submission.user_name) for s in standings] == [
        (1, "ann"),
        (2, "bea"),
        (2, "dan"),
        (4, "cy"),
    ]


def test_ties_are_ordered_by_name_whatever_the_input_order() -> None:
    people = [entry("U1", "Zoe", 60), entry("U2", "adam", 60), entry("U3", "Mia", 60)]
    for ordering in (people, people[::-1], people[1:] + people[:1]):
        assert [s.submission.user_name for s in rank_by_total(ordering)] == ["adam", "Mia", "Zoe"]
        assert {s.rank for s in rank_by_total(ordering)} == {1}


def test_nobody_to_rank() -> None:
    assert rank_by_total([]) == []
