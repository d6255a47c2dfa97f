"""Migrations are the schema's source of truth: they build what the models describe, on
SQLite and PostgreSQL, and go down and up again without loss."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.migrate import downgrade, pending, upgrade


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    assert not pending(engine)


def test_upgrade_is_idempotent_and_downgrade_reverses(engine: Engine) -> None:
    upgrade(engine)  # already at head: a no-op
    downgrade(engine, "base")
    assert "submission" not in inspect(engine).get_table_names()
    assert pending(engine)
    upgrade(engine)
    assert "submission" in inspect(engine).get_table_names()
    assert not pending(engine)
