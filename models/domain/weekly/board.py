"""A team's weekly board (DESIGN.md section 4): the ranking, deltas, comparisons and
everything the channel post and the manager DM show. ``weekly.tally`` works one out from the
members' ``MemberWeek``s.

Scores stay integer thousandths, as stored, until they are shown: a tick computes boards for
thousands of teams, and integer arithmetic is exact and much cheaper than Decimal. The
Decimal values that messages show are properties, worked out on access.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from models.domain.history import from_thousandths
from models.domain.ssi import Pillar
from models.domain.weekly.members import FIELDS, Member, Sample, name_order
from models.domain.weeks import TeamWeek


def _mean(total: int, count: int) -> Decimal | None:
    """The mean of ``count`` values in thousandths that sum to ``total``, as a Decimal."""
    return (Decimal(total) / count).scaleb(-3) if count else None


class Entry(NamedTuple):
    """A member on the board: their score for the week (or their latest, stale)."""

    member: Member
    rank: int
    scores: Sample
    stale: bool
    as_of: datetime | None  # when a stale score was submitted
    # Strict week over week, in thousandths, total then pillars: this week's score minus last
    # week's, when both exist.
    changes: tuple[int, int, int, int, int] | None

    @property
    def total(self) -> Decimal:
        return from_thousandths(self.scores.total)

    @property
    def total_delta(self) -> Decimal | None:
        return None if self.changes is None else from_thousandths(self.changes[0])

    @property
    def deltas(self) -> dict[str, Decimal] | None:
        """The week-over-week changes by field name (``total`` and each pillar)."""
        if self.changes is None:
            return None
        return {name: from_thousandths(c) for name, c in zip(FIELDS, self.changes, strict=True)}

    @property
    def industry_average(self) -> Decimal | None:
        """The member's own industry average, carried forward."""
        return from_thousandths(self.scores.industry)

    @property
    def network_average(self) -> Decimal | None:
        return from_thousandths(self.scores.network)

    @property
    def industry_gap(self) -> Decimal | None:
        """Total minus the member's own industry average: the fair comparison across
        industries that LinkedIn benchmarks differently."""
        industry = self.scores.industry
        return None if industry is None else from_thousandths(self.scores.total - industry)


class PillarProgress(NamedTuple):
    """The team's mean week-over-week change in one pillar, and who gained most in it."""

    pillar: Pillar
    change_sum: int  # thousandths, over ``members``
    members: int  # with a change this week
    leader: Member
    leader_change: int  # thousandths

    @property
    def mean_delta(self) -> Decimal:
        mean = _mean(self.change_sum, self.members)
        assert mean is not None  # a pillar's progress is over at least its leader
        return mean

    @property
    def leader_delta(self) -> Decimal:
        return from_thousandths(self.leader_change)


class Drop(NamedTuple):
    """A member's week-over-week change in total (thousandths)."""

    member: Member
    change: int

    @property
    def delta(self) -> Decimal:
        return from_thousandths(self.change)


class WeeklyBoard(NamedTuple):
    """Everything the weekly post and the manager DM say about one team and week. Sums are
    integer thousandths; the averages messages show are properties."""

    week: TeamWeek
    entries: list[Entry]  # ranked: this week's first, then the stale (marked), ranked after
    missing: list[Member]  # members with no SSI at all
    total_sum: int  # of the entries' totals
    industry_sum: int  # of the ``with_industry`` members' own industry averages
    with_industry: int
    beat_industry: int  # members above their own industry average
    network_sum: int
    with_network: int
    beat_network: int
    pillar_progress: list[PillarProgress]  # best first
    most_improved: Entry | None
    dropped: list[Drop]  # biggest drop first
    fell_twice: list[Member]
    implausible: list[Drop]  # biggest jump first
    weakest_pillar: Pillar | None

    @property
    def team_average(self) -> Decimal | None:
        return _mean(self.total_sum, len(self.entries))

    @property
    def industry_average(self) -> Decimal | None:
        """The mean of members' own industry averages (carried forward)."""
        return _mean(self.industry_sum, self.with_industry)

    @property
    def network_average(self) -> Decimal | None:
        return _mean(self.network_sum, self.with_network)

    @property
    def current(self) -> list[Entry]:
        return [e for e in self.entries if not e.stale]

    @property
    def stale(self) -> list[Entry]:
        return [e for e in self.entries if e.stale]

    @property
    def non_submitters(self) -> list[Member]:
        """Members without a submission this week (stale or never submitted)."""
        return sorted([e.member for e in self.stale] + self.missing, key=name_order)
