"""Work one process does at a time under a renewed lease (issue 22): a workspace's weekly
run, so that processes ticking together split the workspaces.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "work_lease",
        sa.Column("name", sa.String(length=120), primary_key=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("work_lease")
