"""Away periods, team goals, posted weeks' averages, uploaded charts and who opened the
App Home (issue 11).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "away_period",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_away_period_person", "away_period", ["workspace_id", "user_id", "ends_at"])
    with op.batch_alter_table("member_preference") as batch:
        batch.add_column(sa.Column("home_opened_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("goal_hundredths", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("goal_date", sa.Date(), nullable=True))
    op.create_table(
        "team_week_average",
        sa.Column(
            "team_id",
            sa.Integer(),
            sa.ForeignKey("team.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("week_end", UTCDateTime(), primary_key=True),
        sa.Column("average_hundredths", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
    )
    op.create_table(
        "chart_file",
        sa.Column("enterprise_id", sa.String(length=32), primary_key=True),
        sa.Column("workspace_id", sa.String(length=32), primary_key=True),
        sa.Column("fingerprint", sa.String(length=64), primary_key=True),
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_chart_file_created", "chart_file", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_chart_file_created", table_name="chart_file")
    op.drop_table("chart_file")
    op.drop_table("team_week_average")
    with op.batch_alter_table("team") as batch:
        batch.drop_column("goal_date")
        batch.drop_column("goal_hundredths")
    with op.batch_alter_table("member_preference") as batch:
        batch.drop_column("home_opened_at")
    op.drop_index("ix_away_period_person", table_name="away_period")
    op.drop_table("away_period")
