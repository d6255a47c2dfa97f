"""The weekly numbers of a team, as pure functions (DESIGN.md section 4).

Input: the team's members, each member's submissions (newest first) as far back as the
numbers need, and the ISO week in the team's time zone. Output: a ``WeeklyBoard`` with the
ranking, deltas, comparisons and everything the channel post and the manager DM show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from models.ranking import competition_ranks, display_key
from models.ssi import Pillar, Reading, pillar_deltas
from models.submissions import StoredSubmission
from models.weeks import IsoWeek

IMPLAUSIBLE_JUMP = Decimal(10)
FIELDS = ("total", *(p.value for p in Pillar))


@dataclass(frozen=True, slots=True)
class Member:
    """A human member of the team's channel."""

    user_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A member on the board: their score for the week (or their latest, stale)."""

    member: Member
    rank: int
    score: StoredSubmission
    stale: bool
    # Strict week over week: this week's score minus last week's, when both exist.
    deltas: dict[str, Decimal] | None
    industry_average: Decimal | None  # the member's own, carried forward
    network_average: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.score.reading.total

    @property
    def industry_gap(self) -> Decimal | None:
        """Total minus the member's own industry average: the fair comparison across
        industries that LinkedIn benchmarks differently."""
        return None if self.industry_average is None else self.total - self.industry_average


@dataclass(frozen=True, slots=True)
class PillarProgress:
    """The team's mean week-over-week change in one pillar, and who gained most in it."""

    pillar: Pillar
    mean_delta: Decimal
    leader: Member
    leader_delta: Decimal


@dataclass(frozen=True, slots=True)
class Drop:
    member: Member
    delta: Decimal


@dataclass(frozen=True, slots=True)
class WeeklyBoard:
    """Everything the weekly post and the manager DM say about one team and week."""

    week: IsoWeek
    entries: list[Entry]  # ranked; stale members included, marked
    missing: list[Member]  # members with no SSI at all
    team_average: Decimal | None
    industry_average: Decimal | None  # mean of members' own industry averages
    network_average: Decimal | None
    beat_industry: int
    with_industry: int
    beat_network: int
    with_network: int
    pillar_progress: list[PillarProgress]  # best first
    most_improved: Entry | None
    dropped: list[Drop] = field(default_factory=list)  # biggest drop first
    fell_twice: list[Member] = field(default_factory=list)
    implausible: list[Drop] = field(default_factory=list)
    weakest_pillar: Pillar | None = None

    @property
    def current(self) -> list[Entry]:
        return [e for e in self.entries if not e.stale]

    @property
    def stale(self) -> list[Entry]:
        return [e for e in self.entries if e.stale]

    @property
    def non_submitters(self) -> list[Member]:
        """Members without a submission this week (stale or never submitted)."""
        return sorted([e.member for e in self.stale] + self.missing, key=_name_order)


def _name_order(member: Member) -> tuple[str, str]:
    return (member.name.casefold(), member.user_id)


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


Bounds = tuple[datetime, datetime]


def _latest_in(history: Sequence[StoredSubmission], bounds: Bounds) -> StoredSubmission | None:
    start, end = bounds
    return next((s for s in history if start <= s.submitted_at < end), None)


def _carried(history: Sequence[StoredSubmission], name: str, week_end: datetime) -> Decimal | None:
    """The member's latest known industry or network average as of the week's end."""
    for submission in history:
        if submission.submitted_at < week_end:
            average = getattr(submission.reading, name).average
            if average is not None:
                return average
    return None


def weekly_board(
    members: Sequence[Member],
    history: Mapping[str, Sequence[StoredSubmission]],
    week: IsoWeek,
) -> WeeklyBoard:
    """Compute a team's board for ``week``. ``history[user_id]`` is newest first and reaches
    back at least two weeks before ``week``, plus the latest submission before that."""
    # Week bounds come from zoneinfo: work them out once, not per submission.
    this = (week.start, week.end)
    last_week, week_before = week.previous(), week.previous(2)
    last, before_last = (last_week.start, last_week.end), (week_before.start, week_before.end)
    scored: list[
        tuple[
            Member,
            StoredSubmission,
            bool,
            dict[str, Decimal] | None,
            Decimal | None,
            Decimal | None,
        ]
    ] = []
    missing: list[Member] = []
    fell_twice: list[Member] = []
    for member in members:
        mine = history.get(member.user_id, ())
        current = _latest_in(mine, this)
        latest = current or next((s for s in mine if s.submitted_at < this[1]), None)
        if latest is None:
            missing.append(member)
            continue
        previous = _latest_in(mine, last) if current else None
        deltas = pillar_deltas(current.reading, previous.reading) if current and previous else None
        if current and previous:
            before = _latest_in(mine, before_last)
            if before and current.reading.total < previous.reading.total < before.reading.total:
                fell_twice.append(member)
        scored.append(
            (
                member,
                latest,
                current is None,
                deltas,
                _carried(mine, "industry", this[1]),
                _carried(mine, "network", this[1]),
            )
        )

    scored.sort(key=lambda s: display_key(s[1].reading.total, s[0].name, s[0].user_id))
    ranks = competition_ranks([s[1].reading.total for s in scored])
    entries = [
        Entry(
            member=m,
            rank=r,
            score=sub,
            stale=stale,
            deltas=d,
            industry_average=ind,
            network_average=net,
        )
        for r, (m, sub, stale, d, ind, net) in zip(ranks, scored, strict=True)
    ]
    return _summarise(
        week, entries, sorted(missing, key=_name_order), sorted(fell_twice, key=_name_order)
    )


def _summarise(
    week: IsoWeek, entries: list[Entry], missing: list[Member], fell_twice: list[Member]
) -> WeeklyBoard:
    with_industry = [e for e in entries if e.industry_average is not None]
    with_network = [e for e in entries if e.network_average is not None]
    moved = [e for e in entries if e.deltas is not None]
    drops = sorted(
        (Drop(e.member, e.deltas["total"]) for e in moved if e.deltas and e.deltas["total"] < 0),
        key=lambda d: (d.delta, _name_order(d.member)),
    )
    implausible = sorted(
        (
            Drop(e.member, e.deltas["total"])
            for e in moved
            if e.deltas and abs(e.deltas["total"]) > IMPLAUSIBLE_JUMP
        ),
        key=lambda d: (-abs(d.delta), _name_order(d.member)),
    )
    return WeeklyBoard(
        week=week,
        entries=entries,
        missing=missing,
        team_average=_mean([e.total for e in entries]),
        industry_average=_mean([e.industry_average for e in with_industry]),  # type: ignore[misc]
        network_average=_mean([e.network_average for e in with_network]),  # type: ignore[misc]
        beat_industry=sum(e.total > e.industry_average for e in with_industry),  # type: ignore[operator]
        with_industry=len(with_industry),
        beat_network=sum(e.total > e.network_average for e in with_network),  # type: ignore[operator]
        with_network=len(with_network),
        pillar_progress=_pillar_progress(moved),
        most_improved=_most_improved(moved),
        dropped=drops,
        fell_twice=fell_twice,
        implausible=implausible,
        weakest_pillar=_weakest_pillar([e.score.reading for e in entries]),
    )


def _pillar_progress(moved: list[Entry]) -> list[PillarProgress]:
    progress = []
    for pillar in Pillar:
        deltas = [(e.deltas[pillar.value], e.member) for e in moved if e.deltas]
        if not deltas:
            return []
        mean = _mean([d for d, _ in deltas])
        best_delta, best = min(deltas, key=lambda d: (-d[0], _name_order(d[1])))
        progress.append(PillarProgress(pillar, mean, best, best_delta))  # type: ignore[arg-type]
    order = list(Pillar)
    return sorted(progress, key=lambda p: (-p.mean_delta, order.index(p.pillar)))


def _most_improved(moved: list[Entry]) -> Entry | None:
    gains = [e for e in moved if e.deltas and e.deltas["total"] > 0]
    if not gains:
        return None
    return min(gains, key=lambda e: (-e.deltas["total"], _name_order(e.member)))  # type: ignore[index]


def _weakest_pillar(readings: list[Reading]) -> Pillar | None:
    if not readings:
        return None
    means = {p: _mean([r.pillar(p) for r in readings]) for p in Pillar}
    return min(Pillar, key=lambda p: (means[p], list(Pillar).index(p)))


@dataclass(frozen=True, slots=True)
class TeamStanding:
    """A team among the workspace's teams, by average SSI."""

    rank: int
    team_id: int
    channel_id: str
    average: Decimal


def rank_teams(averages: Sequence[tuple[int, str, Decimal | None]]) -> list[TeamStanding]:
    """Every team with an average, highest first; ties share a rank, shown by channel id."""
    known = sorted(
        ((t, c, a) for t, c, a in averages if a is not None), key=lambda x: (-x[2], x[1])
    )
    ranks = competition_ranks([a for _, _, a in known])
    return [TeamStanding(r, t, c, a) for r, (t, c, a) in zip(ranks, known, strict=True)]
