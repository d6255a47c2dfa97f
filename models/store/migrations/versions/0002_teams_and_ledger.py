"""Teams, their managers and members, personal preferences, and the post ledger.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("post_weekday", sa.Integer(), nullable=False),
        sa.Column("post_minute", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("members_synced_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("workspace_id", "enterprise_id", "channel_id", name="uq_team_channel"),
        sa.CheckConstraint("post_weekday BETWEEN 0 AND 6", name="ck_team_weekday"),
        sa.CheckConstraint("post_minute BETWEEN 0 AND 1439", name="ck_team_minute"),
    )
    op.create_table(
        "team_manager",
        sa.Column(
            "team_id",
            sa.Integer(),
            sa.ForeignKey("team.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_id", sa.String(length=32), primary_key=True),
    )
    op.create_table(
        "team_member",
        sa.Column(
            "team_id",
            sa.Integer(),
            sa.ForeignKey("team.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_id", sa.String(length=32), primary_key=True),
        sa.Column("display_name", sa.String(length=128), nullable=False),
    )
    op.create_table(
        "member_preference",
        sa.Column("enterprise_id", sa.String(length=32), primary_key=True),
        sa.Column("workspace_id", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.String(length=32), primary_key=True),
        sa.Column("reminders", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "post_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "team_id",
            sa.Integer(),
            sa.ForeignKey("team.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.UniqueConstraint("team_id", "kind", "week", "recipient", name="uq_post_once"),
        sa.CheckConstraint("status IN ('claimed', 'done', 'abandoned')", name="ck_post_status"),
    )
    op.create_index("ix_post_ledger_status", "post_ledger", ["status", "lease_until"])


def downgrade() -> None:
    op.drop_index("ix_post_ledger_status", table_name="post_ledger")
    op.drop_table("post_ledger")
    op.drop_table("member_preference")
    op.drop_table("team_member")
    op.drop_table("team_manager")
    op.drop_table("team")
