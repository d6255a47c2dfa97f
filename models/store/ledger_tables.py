"""The ledgers that make each weekly post and each day's reminder happen once (claimed,
leased, marked done): ``models.store.weekly.ledger`` works them, ``tables`` holds them with the
rest of the schema."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from models.store.columns import SLACK_ID, UTCDateTime


class Claim(SQLModel):
    """The columns both ledgers share: who claimed the send, until when, how it ended."""

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(max_length=10)
    claimed_by: str = Field(default="", max_length=64)
    lease_until: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # When the latest attempt began (migration 0012): an uncertain post is looked for
    # from then on.
    attempted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    attempts: int = 1
    slack_ts: str | None = Field(default=None, max_length=32)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_error: str | None = Field(default=None, max_length=200)


class PostLedger(Claim, table=True):
    """One row per post that must happen exactly once: the channel board, each manager's DM,
    each reminder, per team and week. Claimed (with a lease) before posting, marked done
    with Slack's ts after; the unique key is what makes it once."""

    __tablename__ = "post_ledger"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "week", "recipient", name="uq_post_once"),
        CheckConstraint("status IN ('claimed', 'done', 'abandoned')", name="ck_post_status"),
        Index("ix_post_ledger_status", "status", "lease_until"),
        Index("ix_post_ledger_week_end", "kind", "week_end"),
    )

    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(max_length=16)  # board, manager, reminder, removed
    # The week's end (the post's slot) in UTC, 2026-11-23T08:00Z; "once" for one-off notes.
    week: str = Field(max_length=20)
    week_end: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    recipient: str = Field(default="", max_length=SLACK_ID)  # "" for the channel


class ReminderLedger(Claim, table=True):
    """One row per person and day that a reminder DM goes out (migration 0011): the unique
    key makes it one a day, however many of the person's teams post that day (which day:
    ``slackapp.weekly.reminders``). Claimed, leased and marked done as ``PostLedger``'s rows
    are; a person belongs to a workspace, not a team, so the row carries the workspace."""

    __tablename__ = "reminder_ledger"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id", "enterprise_id", "user_id", "day", name="uq_reminder_once"
        ),
        CheckConstraint("status IN ('claimed', 'done', 'abandoned')", name="ck_reminder_status"),
    )

    enterprise_id: str = Field(default="", max_length=SLACK_ID)
    workspace_id: str = Field(max_length=SLACK_ID)
    user_id: str = Field(max_length=SLACK_ID)
    day: date = Field(sa_column=Column(Date(), nullable=False))  # the posts' local date


class WorkLease(SQLModel, table=True):
    """Work that one process does at a time, held under a lease it renews while working
    (migration 0013): a workspace's weekly run, so that processes ticking together split
    workspaces instead of each uploading every chart and re-listing every channel."""

    __tablename__ = "work_lease"

    name: str = Field(primary_key=True, max_length=120)  # weekly-run:<enterprise>:<workspace>
    claimed_by: str = Field(max_length=64)
    lease_until: datetime = Field(sa_type=UTCDateTime, nullable=False)


class SlackPause(SQLModel, table=True):
    """A Web API method Slack closed for a workspace (HTTP 429, Retry-After), kept until
    it reopens so that every process waits, not only the one refused (migration 0014). The
    workspace is named as the pace names it: a hash of its token and API address."""

    __tablename__ = "slack_pause"

    workspace_key: str = Field(primary_key=True, max_length=16)
    method: str = Field(primary_key=True, max_length=64)
    until: datetime = Field(sa_type=UTCDateTime, nullable=False)  # the database's clock
