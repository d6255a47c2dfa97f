"""Queries on SSI submissions. Keyword-only functions that take the session; every one is
scoped to a workspace, because user and channel ids repeat across workspaces.

The hot path (one ``/ssi`` submission) uses SQLAlchemy Core statements on the SQLModel
table: an ORM insert and commit was measured at about 20 times the cost of a plain insert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, delete, func, insert, select
from sqlalchemy.orm import Session

from models.ssi import Benchmark, Reading
from models.tables import Submission

S = Submission.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Scope:
    """A Slack workspace, inside an Enterprise Grid org when ``enterprise_id`` is set."""

    workspace_id: str
    enterprise_id: str | None = None

    def filter(self) -> list[ColumnElement[bool]]:
        enterprise = (
            S.enterprise_id.is_(None)
            if self.enterprise_id is None
            else S.enterprise_id == self.enterprise_id
        )
        return [S.workspace_id == self.workspace_id, enterprise]


@dataclass(frozen=True, slots=True)
class StoredSubmission:
    """A submission as read back: who, when, and the reading."""

    id: int
    user_id: str
    user_name: str
    channel_id: str | None
    submitted_at: datetime
    source: str
    reading: Reading


@dataclass(frozen=True, slots=True)
class KnownBenchmark:
    """The latest industry or network values a person gave, and when."""

    benchmark: Benchmark
    as_of: datetime


def to_hundredths(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def from_hundredths(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


_READ_COLUMNS = (
    S.id, S.user_id, S.user_name, S.channel_id, S.submitted_at, S.source,
    S.total_hundredths, S.brand_hundredths, S.find_hundredths, S.engage_hundredths,
    S.relate_hundredths, S.industry_average_hundredths, S.industry_top_hundredths,
    S.network_average_hundredths, S.network_top_hundredths,
)  # fmt: skip


def _from_row(row: Row[Any]) -> StoredSubmission:
    m = row._mapping
    reading = Reading(
        total=from_hundredths(m["total_hundredths"]),  # type: ignore[arg-type]
        brand=from_hundredths(m["brand_hundredths"]),  # type: ignore[arg-type]
        find=from_hundredths(m["find_hundredths"]),  # type: ignore[arg-type]
        engage=from_hundredths(m["engage_hundredths"]),  # type: ignore[arg-type]
        relate=from_hundredths(m["relate_hundredths"]),  # type: ignore[arg-type]
        industry=Benchmark(
            from_hundredths(m["industry_average_hundredths"]),
            from_hundredths(m["industry_top_hundredths"]),
        ),
        network=Benchmark(
            from_hundredths(m["network_average_hundredths"]),
            from_hundredths(m["network_top_hundredths"]),
        ),
    )
    return StoredSubmission(
        id=m["id"],
        user_id=m["user_id"],
        user_name=m["user_name"],
        channel_id=m["channel_id"],
        submitted_at=m["submitted_at"],
        source=m["source"],
        reading=reading,
    )


def record(
    *,
    session: Session,
    scope: Scope,
    user_id: str,
    user_name: str,
    channel_id: str | None,
    reading: Reading,
    source: str,
    at: datetime,
) -> int:
    """Store a new submission (never overwriting an earlier one) and return its id."""
    result = session.execute(
        insert(Submission).values(
            workspace_id=scope.workspace_id,
            enterprise_id=scope.enterprise_id,
            user_id=user_id,
            user_name=user_name[:128],
            channel_id=channel_id,
            submitted_at=at,
            source=source,
            total_hundredths=to_hundredths(reading.total),
            brand_hundredths=to_hundredths(reading.brand),
            find_hundredths=to_hundredths(reading.find),
            engage_hundredths=to_hundredths(reading.engage),
            relate_hundredths=to_hundredths(reading.relate),
            industry_average_hundredths=to_hundredths(reading.industry.average),
            industry_top_hundredths=to_hundredths(reading.industry.top_percent),
            network_average_hundredths=to_hundredths(reading.network.average),
            network_top_hundredths=to_hundredths(reading.network.top_percent),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def recent(
    *, session: Session, scope: Scope, user_id: str, limit: int = 2
) -> list[StoredSubmission]:
    """A person's latest submissions, newest first."""
    rows = session.execute(
        select(*_READ_COLUMNS)
        .where(*scope.filter(), S.user_id == user_id)
        .order_by(S.submitted_at.desc(), S.id.desc())
        .limit(limit)
    )
    return [_from_row(row) for row in rows]


def known_benchmarks(*, session: Session, scope: Scope, user_id: str) -> dict[str, KnownBenchmark]:
    """The latest industry and network values a person gave, carried forward from whichever
    submission last had them. Keys: ``industry`` and ``network`` where known."""
    known: dict[str, KnownBenchmark] = {}
    for name in ("industry", "network"):
        average, top = S[f"{name}_average_hundredths"], S[f"{name}_top_hundredths"]
        row = session.execute(
            select(average, top, S.submitted_at)
            .where(*scope.filter(), S.user_id == user_id)
            .where((average.is_not(None)) | (top.is_not(None)))
            .order_by(S.submitted_at.desc(), S.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            benchmark = Benchmark(from_hundredths(row[0]), from_hundredths(row[1]))
            known[name] = KnownBenchmark(benchmark=benchmark, as_of=row[2])
    return known


def channel_standings(*, session: Session, scope: Scope, channel_id: str) -> list[StoredSubmission]:
    """The latest submission of everyone who has submitted in ``channel_id``.

    A score belongs to the person, not the channel: their latest submission counts wherever
    they made it.
    """
    in_channel = select(S.user_id).where(*scope.filter(), S.channel_id == channel_id).distinct()
    newest_first = func.row_number().over(
        partition_by=S.user_id, order_by=(S.submitted_at.desc(), S.id.desc())
    )
    latest = (
        select(*_READ_COLUMNS, newest_first.label("newest"))
        .where(*scope.filter(), S.user_id.in_(in_channel))
        .subquery()
    )
    rows = session.execute(select(*latest.c).where(latest.c.newest == 1))
    return [_from_row(row) for row in rows]


def channels_of(*, session: Session, scope: Scope, user_id: str) -> list[str]:
    """The channels a person has submitted in, most recent first."""
    rows = session.execute(
        select(S.channel_id, func.max(S.submitted_at).label("last"))
        .where(*scope.filter(), S.user_id == user_id, S.channel_id.is_not(None))
        .group_by(S.channel_id)
        .order_by(func.max(S.submitted_at).desc())
    )
    return [row[0] for row in rows]


def delete_latest(*, session: Session, scope: Scope, user_id: str) -> StoredSubmission | None:
    """Remove a person's latest submission (``/ssi undo``) and return what was removed."""
    latest = recent(session=session, scope=scope, user_id=user_id, limit=1)
    if not latest:
        return None
    session.execute(delete(Submission).where(*scope.filter(), S.id == latest[0].id))
    return latest[0]
