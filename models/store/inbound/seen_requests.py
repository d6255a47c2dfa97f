"""Signed requests already taken in: the replay guard's memory, shared by every replica
through the database and kept across restarts. Keyword-only functions that take the
connection (``db``)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, delete, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from models.store.db import delete_some
from models.store.prepared import Prepared
from models.store.tables import SeenRequest, table_of

# Bolt accepts a timestamp up to five minutes off the replica's clock; rows are kept twice
# that, so replicas whose clocks differ by a few minutes still share what they have seen.
KEPT_SECONDS = 10 * 60
PURGE_BATCH = 5000


_SEEN = table_of(SeenRequest)
# On every request's path: prepared, one for each dialect's "insert unless there".
_FIRST_TIME = {
    name: Prepared(
        dialect_insert(_SEEN)
        .values(signature=bindparam("signature"), slack_ts=bindparam("slack_ts"))
        .on_conflict_do_nothing(index_elements=["slack_ts", "signature"])
        .returning(_SEEN.c.signature)  # psycopg reports no rowcount for this statement
    )
    for name, dialect_insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


# PostgreSQL: this transaction's commit doesn't wait for the write-ahead log to reach the
# disk. A server crash may then lose the last fraction of a second of these rows (never a
# half-written one), which reopens only those requests to a replay for the rest of their five
# minutes; in exchange a disk flush leaves every request's path (+16 % /ssi on PostgreSQL).
_NO_FLUSH_WAIT = text("SET LOCAL synchronous_commit TO OFF")


def first_time(*, db: Connection, signature: str, slack_ts: int) -> bool:
    """Record ``signature`` in the transaction ``db`` holds, which should hold only the
    replay guard's own rows (its commit isn't flushed on PostgreSQL); False when it was
    already recorded (a replay)."""
    if db.dialect.name == "postgresql":
        db.execute(_NO_FLUSH_WAIT)
    statement = _FIRST_TIME[db.dialect.name]
    return bool(statement.rows(db, {"signature": signature, "slack_ts": slack_ts}))


def forget_old(*, db: Connection, now_ts: float) -> int:
    """Delete (a bounded batch of) rows signed more than ``KEPT_SECONDS`` before
    ``now_ts``; returns how many went."""
    table = table_of(SeenRequest)
    old = table.c.slack_ts < int(now_ts) - KEPT_SECONDS
    return delete_some(db, table, old, limit=PURGE_BATCH)


PROBE = "readiness probe"  # never a signature (those start "v0=")
PROBE_TS = 0  # at the key's start, where the probe finds its row without a scan


def write_probe(*, db: Connection) -> None:
    """A real, committed write (the readiness check's): fails when the database can't take
    one (disk full, a read-only file or server)."""
    probe = (col(SeenRequest.slack_ts) == PROBE_TS) & (col(SeenRequest.signature) == PROBE)
    db.execute(delete(SeenRequest).where(probe))
    db.execute(insert(SeenRequest).values(signature=PROBE, slack_ts=PROBE_TS))
