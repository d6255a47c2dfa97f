"""Fair ranking (DESIGN.md section 4): who does best for their own field.

LinkedIn benchmarks each industry differently, so a 45 in recruiting can beat a 60 in
software sales. Beside the raw ranking, members are ranked by their gap to their own
industry average (total minus it); a member's "top N %" in their industry is shown where
they gave it. Members without an industry average are listed as such, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models.domain.history import from_thousandths
from models.domain.ranking import competition_ranks
from models.domain.weekly.board import Entry
from models.domain.weekly.members import Member


@dataclass(frozen=True, slots=True)
class FairRow:
    rank: int
    member: Member
    gap: Decimal  # total minus their own industry average
    industry_top: Decimal | None  # "top N %" in their industry, when given
    stale: bool = False  # from an earlier week: ranked after this week's


@dataclass(frozen=True, slots=True)
class FairRanking:
    rows: list[FairRow]
    without_industry: list[Member]  # no industry average known: not ranked here


def fair_ranking(entries: list[Entry]) -> FairRanking:
    """Rank ``entries`` (a board's) by their gap to their own industry average, largest
    first; equal gaps share a rank and are shown by name. As on the board, this week's
    readings rank first and stale ones after them."""
    known = [
        (e.scores.total - e.scores.industry, e) for e in entries if e.scores.industry is not None
    ]
    known.sort(key=lambda g: (g[1].stale, -g[0], g[1].member.name.casefold(), g[1].member.user_id))
    current = sum(1 for _, e in known if not e.stale)
    ranks = competition_ranks([gap for gap, _ in known[:current]])
    ranks += [current + r for r in competition_ranks([gap for gap, _ in known[current:]])]
    rows = [
        FairRow(
            rank, e.member, from_thousandths(gap), from_thousandths(e.scores.industry_top), e.stale
        )
        for rank, (gap, e) in zip(ranks, known, strict=True)
    ]
    without = sorted(
        (e.member for e in entries if e.scores.industry is None),
        key=lambda m: (m.name.casefold(), m.user_id),
    )
    return FairRanking(rows, without)
