"""Now, by the database server's clock: the one clock every replica shares. Leases are
measured on it (the post ledger's, work leases, Slack's shared pauses), never on a tick's
``--now`` or a replica's own, possibly skewed, clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text


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
