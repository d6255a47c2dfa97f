"""Ranking rules, as pure functions: by total, descending; equal totals share a rank and the
next rank skips (1, 2, 2, 4); ties are displayed in name order, never by chance."""

from __future__ import annotations

from dataclasses import dataclass

from models.submissions import StoredSubmission


@dataclass(frozen=True, slots=True)
class Standing:
    """A person's place on a board."""

    rank: int
    submission: StoredSubmission


def display_key(entry: StoredSubmission) -> tuple[object, ...]:
    return (-entry.reading.total, entry.user_name.casefold(), entry.user_id)


def rank_by_total(entries: list[StoredSubmission]) -> list[Standing]:
    """Standings in display order with competition ranks."""
    ordered = sorted(entries, key=display_key)
    standings: list[Standing] = []
    for position, entry in enumerate(ordered, start=1):
        shares_rank = standings and standings[-1].submission.reading.total == entry.reading.total
        rank = standings[-1].rank if shares_rank else position
        standings.append(Standing(rank=rank, submission=entry))
    return standings


def rank_of(user_id: str, standings: list[Standing]) -> Standing | None:
    return next((s for s in standings if s.submission.user_id == user_id), None)
