"""A team's week ends at its weekly post; events are handled once.

- ``team.schedule_since``: when the current day, time and time zone took effect (existing
  teams: their creation). Nullable (read as ``created_at``): making it NOT NULL would make
  SQLite rebuild the team table, and dropping it would cascade into every table that
  references it.
- ``post_ledger.week`` names a week by its end (the post's slot, UTC) instead of the ISO week
  the post went out in, and ``week_end`` holds that instant. Existing rows are rewritten to
  the slot of their team's schedule in that ISO week: the post that went out then is the
  post for the week ending at that slot, so no week that already went out is posted again.
- ``handled_event``: Events API deliveries taken in, so Slack's retries are not handled twice.
- ``membership_mark``: the latest membership event applied per person and team.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from models.store.tables import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_team = sa.table(
    "team",
    sa.column("id", sa.Integer()),
    sa.column("post_weekday", sa.Integer()),
    sa.column("post_minute", sa.Integer()),
    sa.column("timezone", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("schedule_since", UTCDateTime()),
)
_ledger = sa.table(
    "post_ledger",
    sa.column("id", sa.Integer()),
    sa.column("team_id", sa.Integer()),
    sa.column("week", sa.String()),
    sa.column("week_end", UTCDateTime()),
)
_UTC = ZoneInfo("UTC")


def _slot_of_iso_week(key: str, weekday: int, minute: int, timezone: str) -> datetime:
    """The team's slot in ISO week ``2026-W47`` (this revision's own copy of the rule, so
    later changes to the code can't change what it did)."""
    year, number = key.split("-W")
    day = date.fromisocalendar(int(year), int(number), 1) + timedelta(days=weekday)
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(timezone))
    return local.astimezone(_UTC)


def _iso_week_of(end: datetime, timezone: str) -> str:
    year, number, _ = end.astimezone(ZoneInfo(timezone)).date().isocalendar()
    return f"{year}-W{number:02d}"


def upgrade() -> None:
    op.add_column("team", sa.Column("schedule_since", UTCDateTime(), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.update(_team).values(schedule_since=_team.c.created_at))

    with op.batch_alter_table("post_ledger") as batch:
        batch.alter_column("week", existing_type=sa.String(length=8), type_=sa.String(length=20))
        batch.add_column(sa.Column("week_end", UTCDateTime(), nullable=True))
        batch.create_index("ix_post_ledger_week_end", ["kind", "week_end"])
    schedules = {
        row.id: row
        for row in bind.execute(
            sa.select(_team.c.id, _team.c.post_weekday, _team.c.post_minute, _team.c.timezone)
        )
    }
    rows = bind.execute(
        sa.select(_ledger.c.id, _ledger.c.team_id, _ledger.c.week).where(
            _ledger.c.week.like("%-W%")
        )
    ).all()
    for row_id, team_id, key in rows:
        team = schedules[team_id]
        end = _slot_of_iso_week(key, team.post_weekday, team.post_minute, team.timezone)
        bind.execute(
            sa.update(_ledger)
            .where(_ledger.c.id == row_id)
            .values(week=end.strftime("%Y-%m-%dT%H:%MZ"), week_end=end)
        )

    op.create_table(
        "handled_event",
        sa.Column("event_id", sa.String(length=64), primary_key=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_handled_event_received", "handled_event", ["received_at"])
    op.create_table(
        "membership_mark",
        sa.Column(
            "team_id", sa.Integer(), sa.ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("user_id", sa.String(length=32), primary_key=True),
        sa.Column("event_micros", sa.BigInteger(), nullable=False),
        sa.Column("joined", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("membership_mark")
    op.drop_index("ix_handled_event_received", table_name="handled_event")
    op.drop_table("handled_event")
    bind = op.get_bind()
    schedules = {row.id: row for row in bind.execute(sa.select(_team.c.id, _team.c.timezone))}
    rows = bind.execute(
        sa.select(_ledger.c.id, _ledger.c.team_id, _ledger.c.week_end).where(
            _ledger.c.week_end.is_not(None)
        )
    ).all()
    for row_id, team_id, end in rows:
        team = schedules[team_id]
        bind.execute(
            sa.update(_ledger)
            .where(_ledger.c.id == row_id)
            .values(week=_iso_week_of(end, team.timezone))
        )
    with op.batch_alter_table("post_ledger") as batch:
        batch.drop_index("ix_post_ledger_week_end")
        batch.drop_column("week_end")
        batch.alter_column("week", existing_type=sa.String(length=20), type_=sa.String(length=8))
    # Not in batch mode: rebuilding the team table on SQLite would cascade deletes into the
    # tables that reference it. SQLite drops a column in place since 3.35.
    op.drop_column("team", "schedule_since")
