"""Storing an SSI submission, and what its reply reads about the person: their latest
submissions and the benchmarks carried forward. Keyword-only functions that take the
connection (``db``), scoped to a workspace (the row and its shared filters:
``submission_rows``).

This is the ``/ssi`` hot path. A submission runs three statements plus the commit, as
``Prepared`` statements (the insert and the person's context here, its place in the channel
in ``channel_standings``): building them per request through the ORM cost four times as
much as running them, and SQLAlchemy's execution layer twice as much again (measured: see
bench/load.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, insert, or_, select, union_all
from sqlalchemy.exc import IntegrityError

from models.domain.history import KnownBenchmark, StoredSubmission, to_thousandths
from models.domain.names import clean_name
from models.domain.scope import Scope
from models.domain.ssi import Reading
from models.domain.ssi_page.page_reading import AlreadySaved
from models.store.people.submission_rows import (
    COLUMNS,
    NEWEST_FIRST,
    PERSON,
    SUBMISSIONS,
    from_row,
)
from models.store.prepared import Prepared


@dataclass(frozen=True, slots=True)
class PersonContext:
    """What a reply needs about a person: their latest submissions (newest first) and the
    benchmarks carried forward from whichever submission last had them."""

    latest: list[StoredSubmission]
    benchmarks: dict[str, KnownBenchmark]


# --- statements ------------------------------------------------------------------------------

_HAS_INDUSTRY = or_(
    SUBMISSIONS.c.industry_average_thousandths.is_not(None),
    SUBMISSIONS.c.industry_top_thousandths.is_not(None),
)
_HAS_NETWORK = or_(
    SUBMISSIONS.c.network_average_thousandths.is_not(None),
    SUBMISSIONS.c.network_top_thousandths.is_not(None),
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
            "carried_industry_average_thousandths": _carried(
                "carried_industry_average_thousandths", "industry_average_thousandths"
            ),
            "carried_network_average_thousandths": _carried(
                "carried_network_average_thousandths", "network_average_thousandths"
            ),
        }
    )
    .returning(SUBMISSIONS.c.id)
)


def _newest_ids(condition: Any, count: int) -> Select[Any]:
    newest = select(SUBMISSIONS.c.id).where(PERSON, condition).order_by(*NEWEST_FIRST).limit(count)
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


# --- rows ------------------------------------------------------------------------------------


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
    industry_name: str | None = None,
    shared_key: str | None = None,
) -> int:
    """Store a new submission (never overwriting an earlier one) and return its id.
    ``industry_name``: as LinkedIn's SSI page named it, when the reading came from there;
    ``shared_key``: the preview it was saved from, stored once (else ``AlreadySaved``,
    and the caller's transaction must be rolled back)."""
    params = {
        **scope.params(),
        "user_id": user_id,
        "user_name": clean_name(user_name),
        "channel_id": channel_id,
        "submitted_at": at,
        "source": source,
        "total_thousandths": to_thousandths(reading.total),
        "brand_thousandths": to_thousandths(reading.brand),
        "find_thousandths": to_thousandths(reading.find),
        "engage_thousandths": to_thousandths(reading.engage),
        "relate_thousandths": to_thousandths(reading.relate),
        "industry_average_thousandths": to_thousandths(reading.industry.average),
        "industry_top_thousandths": to_thousandths(reading.industry.top_percent),
        "network_average_thousandths": to_thousandths(reading.network.average),
        "network_top_thousandths": to_thousandths(reading.network.top_percent),
        "industry_name": industry_name,
        "shared_key": shared_key,
    }
    try:
        ((new_id,),) = _INSERT.rows(db, params)
    except IntegrityError as error:
        # ix_submission_shared: this preview is stored already. The transaction is spoilt
        # (no savepoint: SQLite's would commit the insert early); the caller rolls it back.
        if shared_key is not None and "shared" in str(error.orig):
            raise AlreadySaved(shared_key) from None
        raise
    return int(new_id)


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
