"""Tallying a team's week (DESIGN.md section 4): its ``WeeklyBoard`` from one ``MemberWeek``
per member, as pure functions: the ranking, then the team's sums and who moved how."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from models.domain.ranking import competition_ranks
from models.domain.ssi import Pillar
from models.domain.weekly.board import Drop, Entry, PillarProgress, WeeklyBoard
from models.domain.weekly.members import PILLAR_INDEX, Member, MemberWeek, name_order
from models.domain.weeks import TeamWeek

IMPLAUSIBLE_JUMP = 10_000  # thousandths: more than 10 points in a week is worth a second look
PILLARS = tuple(Pillar)


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
    missing.sort(key=name_order)
    fell_twice.sort(key=name_order)
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
