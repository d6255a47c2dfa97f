"""The post ledger: the database, not the scheduler, makes each weekly post happen once.

A post is claimed before it is sent: inserting its row (unique per team, kind, week and
recipient) succeeds for exactly one process. The claim carries a lease; a claim whose process
died is taken over once the lease has expired, by a conditional UPDATE that only one process
can win. After Slack answers, the row is marked done with the message's ``ts``. Each step is
its own short transaction, committed before Slack is called.

Leases are measured on the database's clock (``DatabaseClock``), which every replica
shares: never on a tick's ``--now`` or a replica's own, possibly skewed, clock. A claim
taken over from a process that died, or whose last attempt ended without an answer (a
timeout, a cut connection), is ``uncertain``: Slack may have the post already, so the sender
looks for it before sending again.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from models.domain.weeks import week_end_of
from models.store.tables import PostLedger

LEASE = timedelta(minutes=5)
UNKNOWN = "unknown: "  # last_error of an attempt whose outcome Slack never told
IN_FLIGHT = UNKNOWN + "an attempt was under way"


class DatabaseClock:
    """Now, by the database server's clock. Read once, then carried forward on this
    process's monotonic clock (no query per claim) and read again every ``resync``."""

    def __init__(self, engine: Engine, resync: timedelta = timedelta(minutes=1)) -> None:
        self.engine = engine
        self.resync = resync.total_seconds()
        self._lock = threading.Lock()
        self._read: tuple[datetime, float] | None = None

    def _query(self) -> datetime:
        value: datetime
        with self.engine.connect() as db:
            if db.dialect.name == "postgresql":
                value = db.execute(text("SELECT clock_timestamp()")).scalar_one()
            else:  # SQLite: the one machine's clock, which is the database's
                stamp = db.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
                value = datetime.fromisoformat(stamp)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def __call__(self) -> datetime:
        with self._lock:
            ticks = time.monotonic()
            if self._read is None or ticks - self._read[1] > self.resync:
                self._read = (self._query(), time.monotonic())
            at, read_ticks = self._read
            return at + timedelta(seconds=ticks - read_ticks)


@dataclass(frozen=True, slots=True)
class PostKey:
    """What must be posted once: a team's board (recipient ""), or a DM to someone."""

    team_id: int
    kind: str
    week: str
    recipient: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    key: PostKey
    id: int
    worker: str
    attempts: int
    # Taken over from an attempt that may have reached Slack: look before sending again.
    uncertain: bool = False


def claim(
    *, engine: Engine, key: PostKey, worker: str, now: datetime, lease: timedelta = LEASE
) -> Claim | None:
    """Claim ``key`` for ``worker``; None when it is done, or claimed by a live process."""
    try:
        with engine.begin() as db:
            row_id = db.execute(
                insert(PostLedger)
                .values(
                    team_id=key.team_id,
                    kind=key.kind,
                    week=key.week,
                    recipient=key.recipient,
                    week_end=week_end_of(key.week),
                    status="claimed",
                    claimed_by=worker,
                    lease_until=now + lease,
                    attempts=1,
                )
                .returning(col(PostLedger.id))
            ).scalar_one()
        assert row_id is not None  # a primary key
        return Claim(key, row_id, worker, 1)
    except IntegrityError:
        pass
    with engine.begin() as db:
        before = db.execute(
            select(col(PostLedger.last_error)).where(
                col(PostLedger.team_id) == key.team_id,
                col(PostLedger.kind) == key.kind,
                col(PostLedger.week) == key.week,
                col(PostLedger.recipient) == key.recipient,
            )
        ).first()
        taken = db.execute(
            update(PostLedger)
            .where(
                col(PostLedger.team_id) == key.team_id,
                col(PostLedger.kind) == key.kind,
                col(PostLedger.week) == key.week,
                col(PostLedger.recipient) == key.recipient,
                col(PostLedger.status) == "claimed",
                col(PostLedger.lease_until) < now,
            )
            # Until this attempt says otherwise, its outcome is unknown: if this process dies
            # too, the next one looks before sending.
            .values(
                claimed_by=worker,
                lease_until=now + lease,
                attempts=col(PostLedger.attempts) + 1,
                last_error=IN_FLIGHT,
            )
            .returning(col(PostLedger.id), col(PostLedger.attempts))
        ).first()
    if taken is None or before is None:
        return None
    # No error recorded: the claimant died mid-attempt. An unknown outcome: it timed out.
    error = before[0]
    uncertain = error is None or str(error).startswith(UNKNOWN)
    claimed_id, attempts = taken
    assert claimed_id is not None  # a primary key
    return Claim(key, claimed_id, worker, attempts, uncertain=uncertain)


def complete(*, engine: Engine, claim: Claim, slack_ts: str | None, now: datetime) -> bool:
    """Mark the post done. False if the claim was lost meanwhile (lease expired and taken)."""
    with engine.begin() as db:
        result = db.execute(
            update(PostLedger)
            .where(
                col(PostLedger.id) == claim.id,
                col(PostLedger.claimed_by) == claim.worker,
                col(PostLedger.status) == "claimed",
            )
            .values(status="done", slack_ts=slack_ts, done_at=now, last_error=None)
        )
    return result.rowcount == 1


def retry_later(*, engine: Engine, claim: Claim, error: str, retry_at: datetime) -> None:
    """Sending failed: keep the claim but let a later tick take it over from ``retry_at``.
    An ``error`` starting with ``UNKNOWN`` says Slack may have the post all the same."""
    with engine.begin() as db:
        db.execute(
            update(PostLedger)
            .where(col(PostLedger.id) == claim.id, col(PostLedger.claimed_by) == claim.worker)
            .values(lease_until=retry_at, last_error=error[:200])
        )


def abandon(*, engine: Engine, claim: Claim, error: str, now: datetime) -> None:
    """Never to be sent (the channel is gone): remembered so it is not tried again."""
    with engine.begin() as db:
        db.execute(
            update(PostLedger)
            .where(col(PostLedger.id) == claim.id, col(PostLedger.claimed_by) == claim.worker)
            .values(status="abandoned", last_error=error[:200], done_at=now)
        )


def settled(*, engine: Engine, keys: Sequence[PostKey], now: datetime) -> set[PostKey]:
    """Of ``keys``, those that need nothing now: done, abandoned, or claimed under a live
    lease. One query, so a tick over many teams doesn't try to claim what is finished."""
    found: set[PostKey] = set()
    wanted = {(k.team_id, k.kind, k.week, k.recipient): k for k in keys}
    items = list(wanted)
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        rows = _select_chunk(engine, chunk)
        for team_id, kind, week, recipient, status, lease_until in rows:
            if status != "claimed" or lease_until >= now:
                found.add(wanted[(team_id, kind, week, recipient)])
    return found


def _select_chunk(engine: Engine, chunk: list[tuple[int, str, str, str]]) -> list[tuple[Any, ...]]:
    with engine.connect() as db:
        return [
            tuple(row)
            for row in db.execute(
                select(
                    col(PostLedger.team_id),
                    col(PostLedger.kind),
                    col(PostLedger.week),
                    col(PostLedger.recipient),
                    col(PostLedger.status),
                    col(PostLedger.lease_until),
                ).where(
                    tuple_(
                        col(PostLedger.team_id),
                        col(PostLedger.kind),
                        col(PostLedger.week),
                        col(PostLedger.recipient),
                    ).in_(chunk)
                )
            )
        ]


def posted_week_ends(
    *, db: Connection, team_ids: Iterable[int] | None = None, since: datetime
) -> dict[int, list[datetime]]:
    """The ends of the weeks each team's board was posted for (or claimed, or given up on)
    from ``since`` on, oldest first: where the week after a change of schedule starts."""
    condition = (col(PostLedger.kind) == "board") & (col(PostLedger.week_end) >= since)
    if team_ids is not None:
        condition &= col(PostLedger.team_id).in_(list(team_ids))
    found: dict[int, list[datetime]] = defaultdict(list)
    for team_id, end in db.execute(
        select(col(PostLedger.team_id), col(PostLedger.week_end))
        .where(condition)
        .order_by(col(PostLedger.week_end))
    ):
        if end is not None:  # always, by the condition (the column allows NULL for "once")
            found[team_id].append(end)
    return found
