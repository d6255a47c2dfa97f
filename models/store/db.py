"""The one way to reach the database: an engine per process. A unit of work is a Connection
in a transaction (``with engine.begin() as db``): every query here is SQLAlchemy Core, so the
ORM session would only add bookkeeping (measured: a quarter of the database time)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, event, make_url, select, tuple_
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry


def normalise_url(url: str) -> URL:
    """Accept the URLs operators paste (``postgres://``, ``postgresql://``) and use psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


# Slack gives up on an answer after 3 s. A request never waits longer than this for the
# database (a pooled connection, SQLite's write lock, a PostgreSQL row lock): past it, the
# request answers "busy, nothing saved" instead of timing out in Slack's eyes.
DB_WAIT_SECONDS = 2.0
POOL_SIZE, POOL_OVERFLOW = 10, 10  # PostgreSQL; SQLite has one connection


def connections(engine: Engine) -> int:
    """How many connections the engine may have open at once."""
    return 1 if engine.dialect.name == "sqlite" else POOL_SIZE + POOL_OVERFLOW


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the board be read while a submission is written; NORMAL is durable in WAL mode
    # except for the last transactions on power loss, which is the usual trade for an app DB.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_db_engine(url: str, *, wait: float | None = None) -> Engine:
    """An engine for SQLite (a local file, WAL) or PostgreSQL (psycopg 3). ``wait`` bounds
    how long a statement waits for a connection or a lock (the web app's engine, with
    ``DB_WAIT_SECONDS``); ``None`` for work that may wait its turn (migrations, which queue
    behind each other on PostgreSQL, the command line)."""
    from sqlalchemy import create_engine

    parsed = normalise_url(url)
    patience = 30.0 if wait is None else wait
    if parsed.get_backend_name() == "sqlite":
        # One connection, handed from thread to thread: SQLite has a single writer, and
        # threads that collide inside SQLite wait in its busy handler, which sleeps in steps
        # of up to 100 ms (measured: p99 551 ms at 32 concurrent submissions). Waiting for
        # the pool instead is a cheap in-process queue. ``timeout`` is SQLite's busy
        # timeout: how long a write waits for another process's lock.
        engine = create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": patience},
            pool_size=1,
            max_overflow=0,
            pool_timeout=patience,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, object] = {}
    if wait is not None:
        milliseconds = int(wait * 1000)
        connect_args = {"options": f"-c lock_timeout={milliseconds}", "connect_timeout": 2}
    return create_engine(
        parsed,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_pre_ping=True,
        pool_timeout=patience,
        connect_args=connect_args,
    )


def is_busy(error: BaseException) -> bool:
    """The database was too busy to answer within ``DB_WAIT_SECONDS``: no free connection,
    SQLite's write lock held elsewhere, or a PostgreSQL lock wait timed out."""
    if isinstance(error, sa_exc.TimeoutError):  # the pool had no connection to give
        return True
    if not isinstance(error, sa_exc.OperationalError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in ("55P03", "57014"):  # lock_not_available, canceled
        return True
    message = str(original).lower()
    return "database is locked" in message or "database is busy" in message


def sqlite_file_problem(url: str) -> str | None:
    """Why a SQLite database file can't be used, in a sentence; None when it can (or the
    URL isn't SQLite's, or is in memory)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database or "").resolve()
    folder = path.parent
    if not folder.is_dir():
        return f"the folder {folder} for the SQLite database doesn't exist"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"the SQLite database {path} is read-only"
    # SQLite writes its -wal and -shm files beside the database.
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} holding the SQLite database is read-only"
    return None


def delete_some(db: Connection, table: Table, *where: Any, limit: int) -> int:
    """Delete up to ``limit`` rows of ``table`` matching ``where``, chosen by primary key:
    purges go in bounded batches, each a short transaction. Returns how many went."""
    key = list(table.primary_key.columns)
    column = key[0] if len(key) == 1 else tuple_(*key)
    chosen = [
        row[0] if len(key) == 1 else tuple(row)
        for row in db.execute(select(*key).where(*where).limit(limit))
    ]
    if chosen:
        db.execute(delete(table).where(column.in_(chosen)))
    return len(chosen)
