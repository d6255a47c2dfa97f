"""Languages (issue 12): a person's chosen language, the locale Slack reports for them (a
cache of its own), and each team's language.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member_preference") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), nullable=True))
    op.create_table(
        "person_locale",
        sa.Column("enterprise_id", sa.String(length=32), primary_key=True),
        sa.Column("workspace_id", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.String(length=32), primary_key=True),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.drop_column("language")
    op.drop_table("person_locale")
    with op.batch_alter_table("member_preference") as batch:
        batch.drop_column("language")
