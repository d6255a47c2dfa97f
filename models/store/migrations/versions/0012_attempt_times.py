"""When each post's latest attempt began (issue 22): an attempt whose outcome is unknown
is looked for in its conversation from then on, not from the week's slot, so that the
look-up reads minutes of a channel rather than days, within Slack's history limits.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGERS = ("post_ledger", "reminder_ledger")


def upgrade() -> None:
    for table in LEDGERS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("attempted_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    for table in LEDGERS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("attempted_at")
