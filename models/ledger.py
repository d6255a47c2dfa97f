"""The post ledger: the database, not the scheduler, makes each weekly post happen once.

A post is claimed before it is sent: inserting its row (unique per team, kind, week and
recipient) succeeds for exactly one process. The claim carries a lease; a claim whose process
died is taken over once the lease has expired, by a conditional UPDATE that only one process
can win. After Slack answers, the row is marked done with the message's ``ts``. Each step is
its own short transaction, committed before Slack is called.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from models.tables import PostLedger

L = PostLedger.__table__  # type: ignore[attr-defined]
LEASE = timedelta(minutes=5)


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


def claim(
    *, engine: Engine, key: PostKey, worker: str, now: datetime, lease: timedelta = LEASE
) -> Claim | None:
    """Claim ``key`` for ``worker``; None when it is done, or claimed by a live process."""
    try:
        with engine.begin() as db:
            row_id = db.execute(
                insert(L)
                .values(
                    team_id=key.team_id,
                    kind=key.kind,
                    week=key.week,
                    recipient=key.recipient,
                    status="claimed",
                    claimed_by=worker,
                    lease_until=now + lease,
                    attempts=1,
                )
                .returning(L.c.id)
            ).scalar_one()
        return Claim(key, row_id, worker, 1)
    except IntegrityError:
        pass
    with engine.begin() as db:
        taken = db.execute(
            update(L)
            .where(
                L.c.team_id == key.team_id,
                L.c.kind == key.kind,
                L.c.week == key.week,
                L.c.recipient == key.recipient,
                L.c.status == "claimed",
                L.c.lease_until < now,
            )
            .values(claimed_by=worker, lease_until=now + lease, attempts=L.c.attempts + 1)
            .returning(L.c.id, L.c.attempts)
        ).first()
    return None if taken is None else Claim(key, taken[0], worker, taken[1])


def complete(*, engine: Engine, claim: Claim, slack_ts: str | None, now: datetime) -> bool:
    """Mark the post done. False if the claim was lost meanwhile (lease expired and taken)."""
    with engine.begin() as db:
        result = db.execute(
            update(L)
            .where(L.c.id == claim.id, L.c.claimed_by == claim.worker, L.c.status == "claimed")
            .values(status="done", slack_ts=slack_ts, done_at=now, last_error=None)
        )
    return result.rowcount == 1


def retry_later(*, engine: Engine, claim: Claim, error: str, retry_at: datetime) -> None:
    """Sending failed: keep the claim but let a later tick take it over from ``retry_at``."""
    with engine.begin() as db:
        db.execute(
            update(L)
            .where(L.c.id == claim.id, L.c.claimed_by == claim.worker)
            .values(lease_until=retry_at, last_error=error[:200])
        )


def abandon(*, engine: Engine, claim: Claim, error: str, now: datetime) -> None:
    """Never to be sent (the channel is gone): remembered so it is not tried again."""
    with engine.begin() as db:
        db.execute(
            update(L)
            .where(L.c.id == claim.id, L.c.claimed_by == claim.worker)
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


def _select_chunk(engine: Engine, chunk: list[tuple[int, str, str, str]]) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as db:
        return [
            tuple(row)
            for row in db.execute(
                select(
                    L.c.team_id, L.c.kind, L.c.week, L.c.recipient, L.c.status, L.c.lease_until
                ).where(tuple_(L.c.team_id, L.c.kind, L.c.week, L.c.recipient).in_(chunk))
            )
        ]
