"""Apply and inspect migrations from code (``ssi-leaderboard db upgrade``, ``serve``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# Any fixed number: the PostgreSQL advisory lock that serialises upgrades.
_UPGRADE_LOCK = 0x551_1EAD


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``. Safe to run on every start: a no-op when current.
    On PostgreSQL several processes may start at once (replicas, a scheduler): they take
    turns under an advisory lock. SQLite is for a single node."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def pending(engine: Engine) -> bool:
    """True when the database is behind the newest migration."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current != head


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` (``base``: nothing)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
