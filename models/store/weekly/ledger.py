"""The post ledger: the database, not the scheduler, makes each weekly post happen once.

A post is claimed before it is sent: inserting its row (unique per team, kind, week and
recipient; a reminder DM's per workspace, person and day, in ``reminder_ledger``) succeeds
for exactly one process. The claim carries a lease; a claim whose process
died is taken over once the lease has expired, by a conditional UPDATE that only one process
can win. After Slack answers, the row is marked done with the message's ``ts``. Each step is
its own short transaction, committed before Slack is called.

Leases are measured on the database's clock (``database_clock``), which every replica
shares: never on a tick's ``--now`` or a replica's own, possibly skewed, clock. A claim
taken over from a process that died, or whose last attempt ended without an answer (a
timeout, a cut connection), is ``uncertain``: Slack may have the post already, so the sender
looks for it before sending again. How long reminder rows are kept: ``reminder_retention``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    and_,
    case,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from models.domain.scope import Scope
from models.domain.weeks import week_end_of
from models.store.tables import PostLedger, ReminderLedger, table_of

LEASE = timedelta(minutes=5)
UNKNOWN = "unknown: "  # last_error of an attempt whose outcome Slack never told
IN_FLIGHT = UNKNOWN + "an attempt was under way"


@dataclass(frozen=True, slots=True)
class PostKey:
    """What must be posted once: a team's board (recipient ""), or a DM to someone."""

    team_id: int
    kind: str
    week: str
    recipient: str = ""


@dataclass(frozen=True, slots=True)
class ReminderKey:
    """A person's reminder DM for one day: at most one per person and day, however many of
    their teams post that day (``slackapp.weekly.reminders`` says which day)."""

    scope: Scope
    recipient: str
    day: date
    kind: ClassVar[str] = "reminder"


LedgerKey = PostKey | ReminderKey

_POSTS = table_of(PostLedger)
_REMINDERS = table_of(ReminderLedger)
# What names a row, per table, in the order ``_identity`` gives the values.
_NAMED_BY = {
    _POSTS: ("team_id", "kind", "week", "recipient"),
    _REMINDERS: ("workspace_id", "enterprise_id", "user_id", "day"),
}


def _identity(key: LedgerKey) -> tuple[Table, tuple[Any, ...]]:
    """The key's table and the values of the columns that name its row (``_NAMED_BY``)."""
    if isinstance(key, PostKey):
        return _POSTS, (key.team_id, key.kind, key.week, key.recipient)
    scope = key.scope.params()
    return _REMINDERS, (scope["workspace_id"], scope["enterprise_id"], key.recipient, key.day)


def _row_of(key: LedgerKey) -> tuple[Table, ColumnElement[bool], dict[str, Any]]:
    """The key's table, the condition that finds its row, and its naming columns' values."""
    table, values = _identity(key)
    named = dict(zip(_NAMED_BY[table], values, strict=True))
    where = and_(*(table.c[name] == value for name, value in named.items()))
    if isinstance(key, PostKey):
        named["week_end"] = week_end_of(key.week)
    return table, where, named


@dataclass(frozen=True, slots=True)
class Claim:
    key: LedgerKey
    id: int
    worker: str
    attempts: int
    # Taken over from an attempt that may have reached Slack: look before sending again,
    # in what the conversation got since that attempt began (``since``; None: unknown).
    uncertain: bool = False
    since: datetime | None = None


def claim(
    *, engine: Engine, key: LedgerKey, worker: str, now: datetime, lease: timedelta = LEASE
) -> Claim | None:
    """Claim ``key`` for ``worker``; None when it is done, or claimed by a live process."""
    table, where, named = _row_of(key)
    try:
        with engine.begin() as db:
            row_id = db.execute(
                insert(table)
                .values(
                    **named,
                    status="claimed",
                    claimed_by=worker,
                    lease_until=now + lease,
                    attempts=1,
                    attempted_at=now,
                )
                .returning(table.c.id)
            ).scalar_one()
        assert row_id is not None  # a primary key
        return Claim(key, row_id, worker, 1)
    except IntegrityError:
        pass
    with engine.begin() as db:
        before = db.execute(select(table.c.last_error, table.c.attempted_at).where(where)).first()
        taken = db.execute(
            update(table)
            .where(where, table.c.status == "claimed", table.c.lease_until < now)
            # Until this attempt says otherwise, its outcome is unknown: if this process dies
            # too, the next one looks before sending.
            .values(
                claimed_by=worker,
                lease_until=now + lease,
                attempts=table.c.attempts + 1,
                last_error=IN_FLIGHT,
                # After an attempt of unknown outcome the post may be in Slack from when it
                # began: the look-up's window keeps that start, however many attempts since.
                attempted_at=case(
                    (
                        or_(table.c.last_error.is_(None), table.c.last_error.startswith(UNKNOWN)),
                        table.c.attempted_at,
                    ),
                    else_=now,
                ),
            )
            .returning(table.c.id, table.c.attempts)
        ).first()
    if taken is None or before is None:
        return None
    # No error recorded: the claimant died mid-attempt. An unknown outcome: it timed out.
    error, since = before
    uncertain = error is None or str(error).startswith(UNKNOWN)
    claimed_id, attempts = taken
    assert claimed_id is not None  # a primary key
    return Claim(key, claimed_id, worker, attempts, uncertain=uncertain, since=since)


def _held(claim: Claim) -> tuple[Table, ColumnElement[bool]]:
    """The claim's table, and its row while this worker still holds it."""
    table = _identity(claim.key)[0]
    return table, and_(table.c.id == claim.id, table.c.claimed_by == claim.worker)


def complete(*, engine: Engine, claim: Claim, slack_ts: str | None, now: datetime) -> bool:
    """Mark the post done. False if the claim was lost meanwhile (lease expired and taken)."""
    table, held = _held(claim)
    with engine.begin() as db:
        result = db.execute(
            update(table)
            .where(held, table.c.status == "claimed")
            .values(status="done", slack_ts=slack_ts, done_at=now, last_error=None)
        )
    return result.rowcount == 1


def retry_later(*, engine: Engine, claim: Claim, error: str, retry_at: datetime) -> None:
    """Sending failed: keep the claim but let a later tick take it over from ``retry_at``.
    An ``error`` starting with ``UNKNOWN`` says Slack may have the post all the same."""
    table, held = _held(claim)
    with engine.begin() as db:
        db.execute(update(table).where(held).values(lease_until=retry_at, last_error=error[:200]))


def abandon(*, engine: Engine, claim: Claim, error: str, now: datetime) -> None:
    """Never to be sent (the channel is gone): remembered so it is not tried again."""
    table, held = _held(claim)
    with engine.begin() as db:
        db.execute(
            update(table)
            .where(held)
            .values(status="abandoned", last_error=error[:200], done_at=now)
        )


def settled(*, engine: Engine, keys: Sequence[LedgerKey], now: datetime) -> set[LedgerKey]:
    """Of ``keys``, those that need nothing now: done, abandoned, or claimed under a live
    lease. One query per table and 500 keys, so a tick over many teams doesn't try to claim
    what is finished."""
    found: set[LedgerKey] = set()
    wanted: dict[Table, dict[tuple[Any, ...], LedgerKey]] = defaultdict(dict)
    for key in keys:
        table, values = _identity(key)
        wanted[table][values] = key
    for table, named in wanted.items():
        items = list(named)
        for start in range(0, len(items), 500):
            rows = _select_chunk(engine, table, items[start : start + 500])
            for row in rows:
                status, lease_until = row[-2:]
                if status != "claimed" or lease_until >= now:
                    found.add(named[row[:-2]])
    return found


def _select_chunk(
    engine: Engine, table: Table, chunk: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    columns = [table.c[name] for name in _NAMED_BY[table]]
    with engine.connect() as db:
        return [
            tuple(row)
            for row in db.execute(
                select(*columns, table.c.status, table.c.lease_until).where(
                    tuple_(*columns).in_(chunk)
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
