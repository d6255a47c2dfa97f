"""Workspaces that removed the app, for purging their data after the retention period.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_removal",
        sa.Column("enterprise_id", sa.String(length=32), primary_key=True),
        sa.Column("workspace_id", sa.String(length=32), primary_key=True),
        sa.Column("removed_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workspace_removal")
