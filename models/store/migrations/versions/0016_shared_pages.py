"""Readings shared from LinkedIn's SSI page (issue 25): a submission records where it came
from beyond a command or the form (a pasted page, a screenshot, the page's JSON), the
industry's name the page gave, and the preview it was saved from (``shared_key``, unique in
its workspace: a second Save of one preview stores nothing more, whichever replica takes
it). Every existing row keeps its values.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = "source IN ('command', 'modal', 'paste', 'screenshot', 'json')"


def upgrade() -> None:
    # SQLite changes a CHECK only by copying the table (batch mode); PostgreSQL in place.
    with op.batch_alter_table("submission") as batch:
        batch.drop_constraint("ck_submission_source", type_="check")
        batch.create_check_constraint("ck_submission_source", SOURCES)
        batch.add_column(sa.Column("industry_name", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("shared_key", sa.String(length=64), nullable=True))
    # Partial: typed readings (no shared_key) add nothing to it on /ssi's hot path.
    op.create_index(
        "ix_submission_shared",
        "submission",
        ["workspace_id", "enterprise_id", "shared_key"],
        unique=True,
        sqlite_where=sa.text("shared_key IS NOT NULL"),
        postgresql_where=sa.text("shared_key IS NOT NULL"),
    )


def downgrade() -> None:
    # Readings shared from the page read as typed ones after a downgrade: nothing is lost.
    op.execute("UPDATE submission SET source = 'command' WHERE source NOT IN ('command', 'modal')")
    op.drop_index("ix_submission_shared", table_name="submission")
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("shared_key")
        batch.drop_column("industry_name")
        batch.drop_constraint("ck_submission_source", type_="check")
        batch.create_check_constraint("ck_submission_source", "source IN ('command', 'modal')")
