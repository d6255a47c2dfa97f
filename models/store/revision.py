"""Which migration this code expects, and whether a database has it, read without Alembic.

The web process never migrates itself (``serve`` runs ``db upgrade`` in a child process), so
Alembic, Mako and Pygments, loaded by any Alembic import, stay out of the process that
answers Slack: about 10 MB of its peak memory. Its readiness check reads the version here.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

# The newest migration (models/store/migrations/versions).
# tests/models/store/test_migrations.py checks
# it against Alembic's own head, so a new migration without this line fails the suite.
HEAD = "0017"


def behind(engine: Engine) -> bool:
    """True when the database's schema is not at ``HEAD`` (never migrated included)."""
    with engine.connect() as db:
        if not engine.dialect.has_table(db, "alembic_version"):  # never migrated
            return True
        current = db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return current != HEAD
