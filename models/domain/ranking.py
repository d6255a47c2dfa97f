"""Ranking rules, as pure functions: by total, descending; equal totals share a rank and the
next rank skips (1, 2, 2, 4); ties are displayed in name order, never by chance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from models.domain.history import StoredSubmission


@dataclass(frozen=True, slots=True)
class Standing:
    """A person's place on a board."""

    rank: int
    submission: StoredSubmission
    anonymous: bool = False  # shown without a name (their privacy choice)


def display_key(total: Decimal, name: str, user_id: str) -> tuple[object, ...]:
    """Highest total first; equal totals in name order, then by id so order is total."""
    return (-total, name.casefold(), user_id)


def competition_ranks(totals: Sequence[Decimal] | Sequence[int]) -> list[int]:
    """Ranks for totals already in display order: 1, 2, 2, 4."""
    ranks: list[int] = []
    for position, total in enumerate(totals, start=1):
        shares = position > 1 and totals[position - 2] == total
        ranks.append(ranks[-1] if shares else position)
    return ranks


def rank_by_total(entries: list[StoredSubmission]) -> list[Standing]:
    """Standings in display order with competition ranks."""
    ordered = sorted(entries, key=lambda e: display_key(e.reading.total, e.user_name, e.user_id))
    ranks = competition_ranks([e.reading.total for e in ordered])
    return [Standing(rank=r, submission=e) for r, e in zip(ranks, ordered, strict=True)]
