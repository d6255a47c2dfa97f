"""How long the reminder ledger keeps its rows: each guards one person's reminder for one
day (``ledger.ReminderKey``), so rows for days long past are pruned, batch by batch, and a
person's go with ``/ssi forget-me``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete

from models.domain.scope import Scope
from models.store.db import delete_some
from models.store.scoped import in_scope
from models.store.tables import ReminderLedger, table_of

_REMINDERS = table_of(ReminderLedger)

# A reminder's row only has to outlive the day it guards; a week more keeps it for anyone
# looking into what went out.
REMINDERS_KEPT = timedelta(days=8)
PRUNE_BATCH = 5000


def forget_old_reminders(*, db: Connection, now: datetime) -> int:
    """Delete (a bounded batch of) reminder rows for days long past; returns how many."""
    table = _REMINDERS
    return delete_some(db, table, table.c.day < (now - REMINDERS_KEPT).date(), limit=PRUNE_BATCH)


def forget_reminders_of(*, db: Connection, scope: Scope, user_id: str) -> int:
    """Delete the person's reminder rows (``/ssi forget-me``); returns how many went."""
    table = _REMINDERS
    result = db.execute(delete(table).where(in_scope(table, scope), table.c.user_id == user_id))
    return result.rowcount or 0
