"""Alembic environment. Run through ``ssi-leaderboard db upgrade`` (or ``models.store.migrate``),
which passes the connection in; ``alembic`` on the command line uses DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel

import models.store.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from models.store.db import create_db_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = os.environ.get("DATABASE_URL", "sqlite:///ssi-leaderboard.db")
    with create_db_engine(url).connect() as conn:
        run_migrations(conn)
