"""What the app keeps, and for how long: a workspace that removed the app has its data
purged once the retention period is over, unless it installed the app again (batch by
batch, so that requests keep their turn at the database); the rows that took each event
and each day's reminder in once are forgotten when they can no longer matter."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from models.domain.scope import Scope
from models.store import removals
from models.store.db import is_busy
from models.store.inbound import handled_events
from models.store.weekly import reminder_retention


def forget_old_records(*, db: Connection, now: datetime, tick_time: datetime) -> None:
    """Delivered events Slack can no longer redeliver (by the database's ``now``), and
    reminder rows of days long past. Those go by the tick's time, not the database's: a
    replayed tick (``--now``) still finds the rows that guard the days it replays."""
    handled_events.forget_old(db=db, now=now)
    reminder_retention.forget_old_reminders(db=db, now=tick_time)


log = logging.getLogger(__name__)

DEFAULT_RETENTION = timedelta(days=30)  # a removed workspace's data, then purged
PURGE_PAUSE_SECONDS = 0.01  # between purge batches: requests waiting for the database go first


class Purger:
    """Purges removed workspaces' data; stops between batches once ``stopping`` is set."""

    def __init__(self, *, engine: Engine, retention: timedelta, stopping: threading.Event) -> None:
        self.engine = engine
        self.retention = retention
        self._stopping = stopping

    def purge_expired(self, now: datetime, *, installed: Callable[[Scope], bool]) -> None:
        """The data of workspaces that removed the app more than ``retention`` ago, unless
        they installed it again (``installed`` says so). An org-wide removal purges the
        org's workspaces that have no installation of their own left."""
        with self.engine.connect() as db:
            expired = removals.expired(db=db, now=now, retention=self.retention)
        for removed in expired:
            # Asked outside any transaction: the installation store has its own connection.
            if installed(removed):
                with self.engine.begin() as db:
                    removals.forget_removal(db=db, scope=removed)
                continue
            scopes = [removed]
            if not removed.workspace_id and removed.enterprise_id:
                with self.engine.connect() as db:
                    scopes = removals.workspaces_of_org(db=db, enterprise_id=removed.enterprise_id)
                scopes = [s for s in scopes if not installed(s)]
            rows = 0
            for scope in scopes:
                purged, finished = self._purge(scope)
                rows += purged
                if not finished:
                    return  # stopping, or the database is busy: the next tick carries on
            with self.engine.begin() as db:  # an org's record, once its workspaces are done
                removals.forget_removal(db=db, scope=removed)
            log.info(
                "purged a removed workspace's data (%d rows)",
                rows,
                extra={"workspace": removed.workspace_id or removed.enterprise_id},
            )

    def _purge(self, scope: Scope) -> tuple[int, bool]:
        """Purge ``scope`` batch by batch, each a short transaction, pausing between them so
        that requests waiting for the database (SQLite has one connection) go first.
        Returns the rows deleted and whether nothing is left."""
        rows = 0
        while not self._stopping.is_set():
            try:
                with self.engine.begin() as db:
                    deleted = removals.purge_batch(db=db, scope=scope)
            except (OperationalError, PoolTimeout) as error:
                if not is_busy(error):
                    raise
                log.info("purge paused: the database is busy with requests")
                break
            if not deleted:
                return rows, True
            rows += deleted
            time.sleep(PURGE_PAUSE_SECONDS)
        return rows, False
