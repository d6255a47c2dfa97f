"""Submissions carry the person's latest known industry and network averages.

LinkedIn shows the averages beside the SSI, but people often paste them once and then only
their own numbers. The weekly board compares each member with their latest known averages,
so every submission now stores them, carried forward from the person's earlier submissions
when not given. The weekly run then reads them off the latest row instead of searching each
member's history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CARRIED = {
    "carried_industry_average_hundredths": "industry_average_hundredths",
    "carried_network_average_hundredths": "network_average_hundredths",
}


def upgrade() -> None:
    for carried in CARRIED:
        op.add_column("submission", sa.Column(carried, sa.Integer(), nullable=True))
    # Backfill: each row takes the latest value given at or before it by the same person.
    for carried, given in CARRIED.items():
        op.execute(
            f"""
            UPDATE submission SET {carried} = (
                SELECT earlier.{given} FROM submission AS earlier
                WHERE earlier.workspace_id = submission.workspace_id
                  AND earlier.enterprise_id = submission.enterprise_id
                  AND earlier.user_id = submission.user_id
                  AND earlier.{given} IS NOT NULL
                  AND (earlier.submitted_at < submission.submitted_at
                       OR (earlier.submitted_at = submission.submitted_at
                           AND earlier.id <= submission.id))
                ORDER BY earlier.submitted_at DESC, earlier.id DESC
                LIMIT 1
            )
            """
        )


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        for carried in CARRIED:
            batch.drop_column(carried)
