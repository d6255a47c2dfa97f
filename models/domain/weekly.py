"""The weekly numbers of a team, as pure functions (DESIGN.md section 4).

Input: one ``MemberWeek`` per member of the team: their latest submission in the team's
week, in the week before and in the one before that, and their latest up to the week's end.
The database builds these in one query (``teams.member_weeks``); ``member_week`` builds one
from a plain history, for tests and anything that has the history in hand. Output: a
``WeeklyBoard`` with the ranking, deltas, comparisons and everything the channel post and the
manager DM show.

Scores stay integer hundredths, as stored, until they are shown: a tick computes boards for
thousands of teams, and integer arithmetic is exact and much cheaper than Decimal. The
Decimal values that messages show are properties, worked out on access.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from models.domain.history import StoredSubmission, from_hundredths, to_hundredths
from models.domain.privacy import Privacy
from models.domain.ranking import competition_ranks
from models.domain.ssi import Pillar
from models.domain.weeks import TeamWeek

IMPLAUSIBLE_JUMP = 1000  # hundredths: more than 10 points in a week is worth a second look
FIELDS = ("total", *(p.value for p in Pillar))
# A pillar's position in a ``Sample`` (and in an entry's ``changes``).
PILLAR_INDEX = {pillar: FIELDS.index(pillar.value) for pillar in Pillar}
PILLARS = tuple(Pillar)


class Member(NamedTuple):
    """A human member of the team's channel."""

    user_id: str
    name: str
    privacy: Privacy = Privacy.PUBLIC  # how channel boards show them (managers see all)


class Sample(NamedTuple):
    """One submission's numbers in hundredths, with the person's industry and network
    averages as of that submission (carried forward from earlier ones when not given)."""

    total: int
    brand: int
    find: int
    engage: int
    relate: int
    industry: int | None
    network: int | None
    # Their "top N %" in their industry, from this submission only (a rank isn't carried).
    industry_top: int | None = None


class MemberWeek(NamedTuple):
    """What a board needs to know about one member for one week."""

    member: Member
    this_week: Sample | None  # their latest submission in the week
    last_week: Sample | None  # their latest in the week before
    week_before: Sample | None  # their latest in the week before that
    latest: Sample | None  # their latest up to the week's end: this week's, or older (stale)
    as_of: datetime | None  # when ``latest`` was submitted, if before this week (stale)


def _name_order(member: Member) -> tuple[str, str]:
    return (member.name.casefold(), member.user_id)


def member_week(member: Member, history: Sequence[StoredSubmission], week: TeamWeek) -> MemberWeek:
    """A member's ``MemberWeek`` from their submissions (any order), as the query builds it."""
    edges = (week.previous(2).start, week.previous().start, week.start, week.end)
    buckets: list[Sample | None] = [None, None, None]  # week before, last week, this week
    latest: Sample | None = None
    latest_at: datetime | None = None
    industry = network = None
    for s in sorted(history, key=lambda s: (s.submitted_at, s.id)):
        if s.submitted_at >= edges[3]:
            break
        r = s.reading
        industry = to_hundredths(r.industry.average) if r.industry.average is not None else industry
        network = to_hundredths(r.network.average) if r.network.average is not None else network
        scores = [to_hundredths(v) for v in (r.total, r.brand, r.find, r.engage, r.relate)]
        top = to_hundredths(r.industry.top_percent)
        latest = Sample._make((*scores, industry, network, top))
        latest_at = s.submitted_at
        for bucket in range(3):
            if edges[bucket] <= s.submitted_at < edges[bucket + 1]:
                buckets[bucket] = latest
    stale_at = latest_at if buckets[2] is None else None
    return MemberWeek(member, buckets[2], buckets[1], buckets[0], latest, stale_at)


def _mean(total: int, count: int) -> Decimal | None:
    """The mean of ``count`` values in hundredths that sum to ``total``, as a Decimal."""
    return (Decimal(total) / count).scaleb(-2) if count else None


class Entry(NamedTuple):
    """A member on the board: their score for the week (or their latest, stale)."""

    member: Member
    rank: int
    scores: Sample
    stale: bool
    as_of: datetime | None  # when a stale score was submitted
    # Strict week over week, in hundredths, total then pillars: this week's score minus last
    # week's, when both exist.
    changes: tuple[int, int, int, int, int] | None

    @property
    def total(self) -> Decimal:
        return from_hundredths(self.scores.total)

    @property
    def total_delta(self) -> Decimal | None:
        return None if self.changes is None else from_hundredths(self.changes[0])

    @property
    def deltas(self) -> dict[str, Decimal] | None:
        """The week-over-week changes by field name (``total`` and each pillar)."""
        if self.changes is None:
            return None
        return {name: from_hundredths(c) for name, c in zip(FIELDS, self.changes, strict=True)}

    @property
    def industry_average(self) -> Decimal | None:
        """The member's own industry average, carried forward."""
        return from_hundredths(self.scores.industry)

    @property
    def network_average(self) -> Decimal | None:
        return from_hundredths(self.scores.network)

    @property
    def industry_gap(self) -> Decimal | None:
        """Total minus the member's own industry average: the fair comparison across
        industries that LinkedIn benchmarks differently."""
        industry = self.scores.industry
        return None if industry is None else from_hundredths(self.scores.total - industry)


class PillarProgress(NamedTuple):
    """The team's mean week-over-week change in one pillar, and who gained most in it."""

    pillar: Pillar
    change_sum: int  # hundredths, over ``members``
    members: int  # with a change this week
    leader: Member
    leader_change: int  # hundredths

    @property
    def mean_delta(self) -> Decimal:
        mean = _mean(self.change_sum, self.members)
        assert mean is not None  # a pillar's progress is over at least its leader
        return mean

    @property
    def leader_delta(self) -> Decimal:
        return from_hundredths(self.leader_change)


class Drop(NamedTuple):
    """A member's week-over-week change in total (hundredths)."""

    member: Member
    change: int

    @property
    def delta(self) -> Decimal:
        return from_hundredths(self.change)


class WeeklyBoard(NamedTuple):
    """Everything the weekly post and the manager DM say about one team and week. Sums are
    integer hundredths; the averages messages show are properties."""

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
        return sorted([e.member for e in self.stale] + self.missing, key=_name_order)


def weekly_board(members: Sequence[MemberWeek], week: TeamWeek) -> WeeklyBoard:
    """Compute a team's board for ``week`` from its members' ``MemberWeek``s."""
    scored = []
    missing: list[Member] = []
    fell_twice: list[Member] = []
    for m in members:
        member, this, last, before, latest, _ = m
        if latest is None:
            missing.append(member)
            continue
        changes = None
        if this is not None and last is not None:
            changes = (
                this[0] - last[0],  # total, then the pillars (positions as in Sample)
                this[1] - last[1],
                this[2] - last[2],
                this[3] - last[3],
                this[4] - last[4],
            )
            if before is not None and this[0] < last[0] < before[0]:
                fell_twice.append(member)
        # Display order: this week's scores before stale ones (a reading from weeks ago is
        # never ranked above this week's as if current), then highest total, name, user id
        # (unique, so the tuples never compare further).
        scored.append(
            (this is None, -latest[0], member[1].casefold(), member[0], m, latest, this, changes)
        )
    scored.sort()
    current = sum(1 for s in scored if not s[0])
    ranks = competition_ranks([s[1] for s in scored[:current]])
    ranks += [current + r for r in competition_ranks([s[1] for s in scored[current:]])]
    entries: list[Entry] = []
    moved = []  # (name order, entry) of members with a change this week
    for rank, (_, _, name, user_id, m, latest, this, changes) in zip(ranks, scored, strict=True):
        # _make: the constructor without keyword handling (one per member in a tick),
        # still refusing a tuple of the wrong length.
        entry = Entry._make((m.member, rank, latest, this is None, m.as_of, changes))
        entries.append(entry)
        if changes is not None:
            moved.append((name, user_id, entry))
    moved.sort()
    missing.sort(key=_name_order)
    fell_twice.sort(key=_name_order)
    return _summarise(week, entries, [e for _, _, e in moved], missing, fell_twice)


def _summarise(
    week: TeamWeek,
    entries: list[Entry],
    moved: list[Entry],
    missing: list[Member],
    fell_twice: list[Member],
) -> WeeklyBoard:
    """The team's figures. ``moved`` (members with a week-over-week change) is in name order,
    so that where changes are equal, max() and stable sorts settle them by name."""
    industry_sum = with_industry = beat_industry = 0
    network_sum = with_network = beat_network = 0
    weakest = None
    total_sum = 0
    if entries:
        # Column by column: total, brand, find, engage, relate, industry, network, top.
        columns = list(zip(*[e.scores for e in entries], strict=True))
        total_sum = sum(columns[0])
        for total, industry in zip(columns[0], columns[5], strict=True):
            if industry is not None:
                with_industry += 1
                industry_sum += industry
                beat_industry += total > industry
        for total, network in zip(columns[0], columns[6], strict=True):
            if network is not None:
                with_network += 1
                network_sum += network
                beat_network += total > network
        pillar_sums = [sum(columns[PILLAR_INDEX[p]]) for p in PILLARS]
        weakest = PILLARS[pillar_sums.index(min(pillar_sums))]  # the first among equals
    changes = list(zip(*[e.changes for e in moved], strict=True))
    totals: tuple[int, ...] = changes[0] if changes else ()
    return WeeklyBoard._make(
        (
            week,
            entries,
            missing,
            total_sum,
            industry_sum,
            with_industry,
            beat_industry,
            network_sum,
            with_network,
            beat_network,
            _pillar_progress(moved, changes),
            _most_improved(moved, totals),
            _drops(moved, [i for i, c in enumerate(totals) if c < 0], order=lambda c: c),
            fell_twice,
            _drops(
                moved,
                [i for i, c in enumerate(totals) if abs(c) > IMPLAUSIBLE_JUMP],
                order=lambda c: -abs(c),
            ),
            weakest,
        ),
    )


def _total_change(entry: Entry) -> int:
    """The total's change of a member who moved (``moved`` holds only those)."""
    assert entry.changes is not None
    return entry.changes[0]


def _drops(moved: list[Entry], positions: list[int], *, order: Callable[[int], int]) -> list[Drop]:
    """The total changes of ``moved[i]`` for each position, sorted by ``order`` of the change
    (equal ones stay in name order)."""
    chosen = [Drop(moved[i].member, _total_change(moved[i])) for i in positions]
    return sorted(chosen, key=lambda d: order(d.change))


def _first_best(column: Sequence[int]) -> int:
    """The position of the highest value; the first one (in name order) among equals."""
    return column.index(max(column))


def _pillar_progress(moved: list[Entry], changes: list[tuple[int, ...]]) -> list[PillarProgress]:
    if not moved:
        return []
    progress = []
    for pillar in PILLARS:
        column = changes[PILLAR_INDEX[pillar]]
        best = _first_best(column)
        progress.append(
            PillarProgress(pillar, sum(column), len(column), moved[best].member, column[best])
        )
    # Best mean first (all over the same members, so sums order as means do); equal ones in
    # pillar order (sorted() is stable).
    return sorted(progress, key=lambda p: -p.change_sum)


def _most_improved(moved: list[Entry], totals: tuple[int, ...]) -> Entry | None:
    if not moved:
        return None
    best = _first_best(totals)
    return moved[best] if totals[best] > 0 else None


class TeamStanding(NamedTuple):
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
