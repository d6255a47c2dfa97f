"""Slack's Retry-After shared by every process (issue 22): a method closed for a workspace
stays closed for all until it reopens.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_pause",
        sa.Column("workspace_key", sa.String(length=16), primary_key=True),
        sa.Column("method", sa.String(length=64), primary_key=True),
        sa.Column("until", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("slack_pause")
