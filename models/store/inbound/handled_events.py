"""Events API deliveries already taken in. Slack redelivers an event (same ``event_id``, an
``X-Slack-Retry-Num`` header) when the first answer was slow or failed; the row, shared by
every replica through the database, makes the redelivery a no-op. Rows are kept for an
hour, well past Slack's last retry (about five minutes after the first attempt)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from models.store.db import delete_some
from models.store.tables import HandledEvent, table_of

KEPT = timedelta(hours=1)
PURGE_BATCH = 5000


def take(*, db: Connection, event_id: str, at: datetime) -> bool:
    """Record ``event_id`` as handled; False if it already was (a redelivery)."""
    try:
        with db.begin_nested():
            db.execute(insert(HandledEvent).values(event_id=event_id, received_at=at))
    except IntegrityError:
        return False
    return True


def release(*, db: Connection, event_id: str) -> None:
    """Handling failed: let Slack's redelivery try again."""
    db.execute(delete(HandledEvent).where(col(HandledEvent.event_id) == event_id))


def forget_old(*, db: Connection, now: datetime) -> int:
    """Delete (a bounded batch of) rows older than ``KEPT``; returns how many went."""
    table = table_of(HandledEvent)
    return delete_some(db, table, table.c.received_at < now - KEPT, limit=PURGE_BATCH)
