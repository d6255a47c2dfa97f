"""Submissions: the SSI history.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("user_name", sa.String(length=128), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("total_hundredths", sa.Integer(), nullable=False),
        sa.Column("brand_hundredths", sa.Integer(), nullable=False),
        sa.Column("find_hundredths", sa.Integer(), nullable=False),
        sa.Column("engage_hundredths", sa.Integer(), nullable=False),
        sa.Column("relate_hundredths", sa.Integer(), nullable=False),
        sa.Column("industry_average_hundredths", sa.Integer(), nullable=True),
        sa.Column("industry_top_hundredths", sa.Integer(), nullable=True),
        sa.Column("network_average_hundredths", sa.Integer(), nullable=True),
        sa.Column("network_top_hundredths", sa.Integer(), nullable=True),
        sa.CheckConstraint("total_hundredths BETWEEN 0 AND 10000", name="ck_submission_total"),
        sa.CheckConstraint(
            "brand_hundredths BETWEEN 0 AND 2500 AND find_hundredths BETWEEN 0 AND 2500 "
            "AND engage_hundredths BETWEEN 0 AND 2500 AND relate_hundredths BETWEEN 0 AND 2500",
            name="ck_submission_pillars",
        ),
        sa.CheckConstraint("source IN ('command', 'modal')", name="ck_submission_source"),
    )
    op.create_index(
        "ix_submission_person", "submission", ["workspace_id", "user_id", "submitted_at"]
    )
    op.create_index(
        "ix_submission_channel", "submission", ["workspace_id", "channel_id", "user_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_submission_channel", table_name="submission")
    op.drop_index("ix_submission_person", table_name="submission")
    op.drop_table("submission")
