"""slack-sdk's installation, bot and OAuth state tables, for multi-workspace mode.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.store.installations import installation_tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # slack-sdk's own definitions (with room for encrypted tokens), indexes included.
    for table in installation_tables(sa.MetaData()):
        table.create(op.get_bind())


def downgrade() -> None:
    for table in reversed(installation_tables(sa.MetaData())):
        table.drop(op.get_bind())
