"""Queries on SSI submissions. Keyword-only functions that take the connection (``db``);
every one is scoped to a workspace, because user and channel ids repeat across workspaces.

Statements are built once, at import, with bind parameters, against the table (not the ORM
class). A ``/ssi`` submission runs three of them plus the commit, as ``Prepared`` statements:
building them per request through the ORM cost four times as much as running them, and
SQLAlchemy's execution layer twice as much again (measured: see bench/load.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    union_all,
)

from models.domain.history import (
    KnownBenchmark,
    PersonHistory,
    StoredSubmission,
    from_hundredths,
    to_hundredths,
)
from models.domain.names import clean_name
from models.domain.scope import Scope
from models.domain.ssi import Benchmark, Reading
from models.store.prepared import Prepared
from models.store.scoped import in_scope
from models.store.tables import Submission, table_of

SUBMISSIONS = table_of(Submission)


@dataclass(frozen=True, slots=True)
class PersonContext:
    """What a reply needs about a person: their latest submissions (newest first) and the
    benchmarks carried forward from whichever submission last had them."""

    latest: list[StoredSubmission]
    benchmarks: dict[str, KnownBenchmark]


# --- statements ------------------------------------------------------------------------------

_IN_SCOPE = in_scope(SUBMISSIONS)
_PERSON = and_(_IN_SCOPE, SUBMISSIONS.c.user_id == bindparam("user_id"))
_NEWEST_FIRST = (SUBMISSIONS.c.submitted_at.desc(), SUBMISSIONS.c.id.desc())
COLUMN_NAMES = (
    "id", "user_id", "user_name", "channel_id", "submitted_at", "source",
    "total_hundredths", "brand_hundredths", "find_hundredths", "engage_hundredths",
    "relate_hundredths", "industry_average_hundredths", "industry_top_hundredths",
    "network_average_hundredths", "network_top_hundredths",
)  # fmt: skip
COLUMNS = tuple(SUBMISSIONS.c[name] for name in COLUMN_NAMES)
_HAS_INDUSTRY = or_(
    SUBMISSIONS.c.industry_average_hundredths.is_not(None),
    SUBMISSIONS.c.industry_top_hundredths.is_not(None),
)
_HAS_NETWORK = or_(
    SUBMISSIONS.c.network_average_hundredths.is_not(None),
    SUBMISSIONS.c.network_top_hundredths.is_not(None),
)

_GIVEN = {
    c.name: bindparam(c.name, type_=c.type)
    for c in SUBMISSIONS.c
    if not c.name.startswith(("id", "carried_"))
}


def _carried(carried: str, given: str) -> Any:
    """The value given, or else the person's latest known one as of this submission."""
    prior = SUBMISSIONS.alias("prior")
    latest_known = (
        select(prior.c[carried])
        .where(
            *(prior.c[k] == _GIVEN[k] for k in ("workspace_id", "enterprise_id", "user_id")),
            prior.c.submitted_at <= _GIVEN["submitted_at"],
        )
        .order_by(prior.c.submitted_at.desc(), prior.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(_GIVEN[given], latest_known)


_INSERT = Prepared(
    insert(SUBMISSIONS)
    .values(
        {
            **_GIVEN,
            "carried_industry_average_hundredths": _carried(
                "carried_industry_average_hundredths", "industry_average_hundredths"
            ),
            "carried_network_average_hundredths": _carried(
                "carried_network_average_hundredths", "network_average_hundredths"
            ),
        }
    )
    .returning(SUBMISSIONS.c.id)
)

_RECENT = (
    select(*COLUMNS)
    .where(_PERSON)
    .order_by(*_NEWEST_FIRST)
    .limit(bindparam("limit", type_=Integer))
)


def _newest_ids(condition: Any, count: int) -> Select[Any]:
    newest = (
        select(SUBMISSIONS.c.id).where(_PERSON, condition).order_by(*_NEWEST_FIRST).limit(count)
    )
    return select(newest.subquery().c.id)


# The last two submissions and the latest that had industry or network values, in one trip.
_PERSON_CONTEXT = Prepared(
    select(*COLUMNS).where(
        SUBMISSIONS.c.id.in_(
            union_all(
                _newest_ids(True, 2), _newest_ids(_HAS_INDUSTRY, 1), _newest_ids(_HAS_NETWORK, 1)
            )
        )
    )
)

_newest_per_person = func.row_number().over(
    partition_by=SUBMISSIONS.c.user_id, order_by=_NEWEST_FIRST
)
_latest_per_person = (
    select(*COLUMNS, _newest_per_person.label("newest"))
    .where(
        _IN_SCOPE,
        SUBMISSIONS.c.user_id.in_(
            select(SUBMISSIONS.c.user_id)
            .where(_IN_SCOPE, SUBMISSIONS.c.channel_id == bindparam("channel_id"))
            .distinct()
        ),
    )
    .subquery()
)
_CHANNEL_STANDINGS = select(*(_latest_per_person.c[c.name] for c in COLUMNS)).where(
    _latest_per_person.c.newest == 1
)


@dataclass(frozen=True, slots=True)
class ChannelPlace:
    """Where a total stands among the latest totals in a channel: rank is 1 + the number of
    people above (ties share a rank and the next skips, as on the board)."""

    above: int
    same: int
    people: int

    @property
    def rank(self) -> int:
        return self.above + 1


# The channel's rank runs on every submission, so it finds each person's latest row by
# its id, one index lookup a person (``ix_submission_person``, newest first), instead of
# numbering all their rows with a window as the standings do: 139 -> 38 us for a channel
# of 25 people on SQLite (tests/models/store/people/test_submissions.py compares the two).
_channel_people = (
    select(SUBMISSIONS.c.user_id)
    .where(_IN_SCOPE, SUBMISSIONS.c.channel_id == bindparam("channel_id"))
    .distinct()
    .subquery("channel_people")
)
_theirs = SUBMISSIONS.alias("theirs")
_latest_id = (
    select(_theirs.c.id)
    .where(in_scope(_theirs), _theirs.c.user_id == _channel_people.c.user_id)
    .order_by(_theirs.c.submitted_at.desc(), _theirs.c.id.desc())
    .limit(1)
    .scalar_subquery()
)
_total = bindparam("total_hundredths", type_=Integer)
_CHANNEL_PLACE = Prepared(
    select(
        func.coalesce(func.sum(case((SUBMISSIONS.c.total_hundredths > _total, 1), else_=0)), 0),
        func.coalesce(func.sum(case((SUBMISSIONS.c.total_hundredths == _total, 1), else_=0)), 0),
        func.count(),
    ).where(SUBMISSIONS.c.id.in_(select(_latest_id).select_from(_channel_people)))
)

_CHANNELS_OF = (
    select(SUBMISSIONS.c.channel_id)
    .where(_PERSON, SUBMISSIONS.c.channel_id.is_not(None))
    .group_by(SUBMISSIONS.c.channel_id)
    .order_by(func.max(SUBMISSIONS.c.submitted_at).desc())
)

_DELETE = delete(SUBMISSIONS).where(_IN_SCOPE, SUBMISSIONS.c.id == bindparam("submission_id"))


# --- rows ------------------------------------------------------------------------------------


def from_row(row: Sequence[Any]) -> StoredSubmission:
    """A row of ``COLUMNS``. Unpacked by name in ``COLUMN_NAMES``' order: a column added
    there and not here fails at once (too many values), never shifts a score."""
    (
        id_, user_id, user_name, channel_id, submitted_at, source,
        total, brand, find, engage, relate,
        industry_average, industry_top, network_average, network_top,
    ) = row  # fmt: skip
    h = from_hundredths
    reading = Reading(
        total=h(total),
        brand=h(brand),
        find=h(find),
        engage=h(engage),
        relate=h(relate),
        industry=Benchmark(h(industry_average), h(industry_top)),
        network=Benchmark(h(network_average), h(network_top)),
    )
    return StoredSubmission(id_, user_id, user_name, channel_id, submitted_at, source, reading)


def _newest_first(rows: list[StoredSubmission]) -> list[StoredSubmission]:
    return sorted(rows, key=lambda s: (s.submitted_at, s.id), reverse=True)


def _benchmarks_from(newest_first: list[StoredSubmission]) -> dict[str, KnownBenchmark]:
    known: dict[str, KnownBenchmark] = {}
    for submission in newest_first:
        for name, benchmark in (
            ("industry", submission.reading.industry),
            ("network", submission.reading.network),
        ):
            if benchmark.known and name not in known:
                known[name] = KnownBenchmark(benchmark, submission.submitted_at)
    return known


# --- queries ---------------------------------------------------------------------------------


def record(
    *,
    db: Connection,
    scope: Scope,
    user_id: str,
    user_name: str,
    channel_id: str | None,
    reading: Reading,
    source: str,
    at: datetime,
) -> int:
    """Store a new submission (never overwriting an earlier one) and return its id."""
    ((new_id,),) = _INSERT.rows(
        db,
        {
            **scope.params(),
            "user_id": user_id,
            "user_name": clean_name(user_name),
            "channel_id": channel_id,
            "submitted_at": at,
            "source": source,
            "total_hundredths": to_hundredths(reading.total),
            "brand_hundredths": to_hundredths(reading.brand),
            "find_hundredths": to_hundredths(reading.find),
            "engage_hundredths": to_hundredths(reading.engage),
            "relate_hundredths": to_hundredths(reading.relate),
            "industry_average_hundredths": to_hundredths(reading.industry.average),
            "industry_top_hundredths": to_hundredths(reading.industry.top_percent),
            "network_average_hundredths": to_hundredths(reading.network.average),
            "network_top_hundredths": to_hundredths(reading.network.top_percent),
        },
    )
    return int(new_id)


def recent(*, db: Connection, scope: Scope, user_id: str, limit: int = 2) -> list[StoredSubmission]:
    """A person's latest submissions, newest first."""
    rows = db.execute(_RECENT, {**scope.params(), "user_id": user_id, "limit": limit})
    return [from_row(row) for row in rows]


def person_context(*, db: Connection, scope: Scope, user_id: str) -> PersonContext:
    """The last two submissions and the benchmarks carried forward, in one query."""
    rows = _PERSON_CONTEXT.rows(db, {**scope.params(), "user_id": user_id})
    everything = _newest_first([from_row(row) for row in rows])
    # Rows found only for their benchmarks may be older than the second-newest: the two
    # newest of the set are still the person's two newest submissions.
    return PersonContext(latest=everything[:2], benchmarks=_benchmarks_from(everything))


def known_benchmarks(*, db: Connection, scope: Scope, user_id: str) -> dict[str, KnownBenchmark]:
    """The latest industry and network values a person gave. Keys: ``industry`` and
    ``network`` where known."""
    return person_context(db=db, scope=scope, user_id=user_id).benchmarks


def channel_standings(*, db: Connection, scope: Scope, channel_id: str) -> list[StoredSubmission]:
    """The latest submission of everyone who has submitted in ``channel_id``.

    A score belongs to the person, not the channel: their latest submission counts wherever
    they made it.
    """
    rows = db.execute(_CHANNEL_STANDINGS, {**scope.params(), "channel_id": channel_id})
    return [from_row(row) for row in rows]


def channel_place(*, db: Connection, scope: Scope, channel_id: str, total: Decimal) -> ChannelPlace:
    """Rank a total among everyone's latest in a channel with one aggregate query (no rows
    come back: this runs on every submission)."""
    ((above, same, people),) = _CHANNEL_PLACE.rows(
        db,
        {**scope.params(), "channel_id": channel_id, "total_hundredths": to_hundredths(total)},
    )
    return ChannelPlace(above=int(above), same=int(same), people=int(people))


def channels_of(*, db: Connection, scope: Scope, user_id: str) -> list[str]:
    """The channels a person has submitted in, most recent first."""
    rows = db.execute(_CHANNELS_OF, {**scope.params(), "user_id": user_id})
    return [row[0] for row in rows]


def delete_latest(*, db: Connection, scope: Scope, user_id: str) -> StoredSubmission | None:
    """Remove a person's latest submission (``/ssi undo``) and return what was removed."""
    latest = recent(db=db, scope=scope, user_id=user_id, limit=1)
    if not latest:
        return None
    db.execute(_DELETE, {**scope.params(), "submission_id": latest[0].id})
    return latest[0]


_HISTORY_OF = select(
    func.count(), func.min(SUBMISSIONS.c.submitted_at), func.max(SUBMISSIONS.c.submitted_at)
).where(_PERSON)


def history_of(*, db: Connection, scope: Scope, user_id: str) -> PersonHistory:
    """How many submissions a person has in the workspace, first and last."""
    count, first, last = db.execute(_HISTORY_OF, {**scope.params(), "user_id": user_id}).one()
    return PersonHistory(int(count), first, last)


def delete_person(*, db: Connection, scope: Scope, user_id: str) -> PersonHistory:
    """Delete every submission of a person in the workspace; return what was deleted."""
    deleted = history_of(db=db, scope=scope, user_id=user_id)
    db.execute(delete(SUBMISSIONS).where(_PERSON), {**scope.params(), "user_id": user_id})
    return deleted
