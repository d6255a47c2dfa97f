"""One reminder per person per day (issue 21): ``reminder_ledger``, keyed by workspace,
person and day, replaces the per-team ``reminder`` rows of ``post_ledger`` for the DMs.

Reminders already sent under the old key for a day still to come are carried over as
done, so that a person reminded for a team at 09:00 before the upgrade is not reminded
again for a team at 17:00 after it. Older ``reminder`` rows stay in ``post_ledger`` as the
record of what was sent.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_team = sa.table(
    "team",
    sa.column("id", sa.Integer()),
    sa.column("workspace_id", sa.String()),
    sa.column("enterprise_id", sa.String()),
    sa.column("timezone", sa.String()),
)
_posts = sa.table(
    "post_ledger",
    sa.column("team_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("recipient", sa.String()),
    sa.column("week_end", UTCDateTime()),
    sa.column("slack_ts", sa.String()),
)


def upgrade() -> None:
    reminders = op.create_table(
        "reminder_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enterprise_id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.UniqueConstraint(
            "workspace_id", "enterprise_id", "user_id", "day", name="uq_reminder_once"
        ),
        sa.CheckConstraint("status IN ('claimed', 'done', 'abandoned')", name="ck_reminder_status"),
    )
    assert reminders is not None
    now = datetime.now(UTC)
    rows = op.get_bind().execute(
        sa.select(
            _team.c.workspace_id,
            _team.c.enterprise_id,
            _team.c.timezone,
            _posts.c.recipient,
            _posts.c.week_end,
            _posts.c.slack_ts,
        )
        .join(_team, _team.c.id == _posts.c.team_id)
        .where(_posts.c.kind == "reminder", _posts.c.week_end >= now - timedelta(days=1))
    )
    carried: dict[tuple[str, str, str, date], dict[str, object]] = {}
    for workspace, enterprise, timezone, user, end, ts in rows:
        # The day as the new code reckons it: the post's date in its team's time zone.
        day = end.astimezone(ZoneInfo(timezone)).date()
        carried.setdefault(
            (workspace, enterprise, user, day),
            {
                "workspace_id": workspace,
                "enterprise_id": enterprise,
                "user_id": user,
                "day": day,
                "status": "done",
                "claimed_by": "migration 0011",
                "lease_until": now,
                "attempts": 1,
                "slack_ts": ts,
                "done_at": now,
            },
        )
    if carried:
        op.bulk_insert(reminders, list(carried.values()))


def downgrade() -> None:
    op.drop_table("reminder_ledger")
