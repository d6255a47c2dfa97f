"""The replay guard's memory keyed on (time, signature) instead of the signature alone
(issue 23): inserts land together at the index's end instead of on random pages of ten
minutes' traffic (SQLite, 600,000 rows: 40 -> 16 us an insert and its commit). The rows are
copied, so replay protection holds through the upgrade.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _set_aside() -> None:
    """Rename the table out of the way; PostgreSQL keeps its key's index name, so rename
    that too (index names are per schema, and the new table wants it)."""
    op.rename_table("seen_request", "seen_request_old")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE seen_request_old RENAME CONSTRAINT seen_request_pkey "
            "TO seen_request_old_pkey"
        )


def _copy_and_drop_old() -> None:
    op.execute(
        "INSERT INTO seen_request (slack_ts, signature) "
        "SELECT slack_ts, signature FROM seen_request_old"
    )
    op.drop_table("seen_request_old")


def upgrade() -> None:
    op.drop_index("ix_seen_request_slack_ts", table_name="seen_request")
    _set_aside()
    op.create_table(
        "seen_request",
        sa.Column("slack_ts", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("signature", sa.String(length=80), primary_key=True),
        sqlite_with_rowid=False,
    )
    _copy_and_drop_old()


def downgrade() -> None:
    _set_aside()
    op.create_table(
        "seen_request",
        sa.Column("signature", sa.String(length=80), primary_key=True),
        sa.Column("slack_ts", sa.BigInteger(), nullable=False),
    )
    _copy_and_drop_old()
    op.create_index("ix_seen_request_slack_ts", "seen_request", ["slack_ts"])
