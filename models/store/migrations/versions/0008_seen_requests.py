"""Signed requests already taken in, shared by every replica (the replay guard).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_request",
        sa.Column("signature", sa.String(length=80), primary_key=True),
        sa.Column("slack_ts", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_seen_request_slack_ts", "seen_request", ["slack_ts"])


def downgrade() -> None:
    op.drop_index("ix_seen_request_slack_ts", table_name="seen_request")
    op.drop_table("seen_request")
