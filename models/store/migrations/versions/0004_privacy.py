"""A person's privacy on channel boards: public, anonymous or hidden.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member_preference") as batch:
        batch.add_column(
            sa.Column("privacy", sa.String(length=12), nullable=False, server_default="public")
        )
        batch.create_check_constraint(
            "ck_preference_privacy", "privacy IN ('public', 'anonymous', 'hidden')"
        )


def downgrade() -> None:
    with op.batch_alter_table("member_preference") as batch:
        batch.drop_constraint("ck_preference_privacy", type_="check")
        batch.drop_column("privacy")
