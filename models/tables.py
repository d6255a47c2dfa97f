"""Database tables. Alembic migrations under ``models/migrations`` are the schema's source of
truth; a test checks that they and these classes agree.

Every row that belongs to a workspace carries ``workspace_id`` and ``enterprise_id``
(Slack sends the latter on Enterprise Grid; "" elsewhere): user and channel ids are only
unique inside a workspace.
Scores are stored as integer hundredths so that 17.66 stays 17.66 on SQLite and PostgreSQL
alike.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, Index, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Column, Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


SLACK_ID = 32
SOURCES = ("command", "modal")


class Submission(SQLModel, table=True):
    """One SSI reading as a person submitted it. History: never updated, only added or
    removed by the person (``/ssi undo``)."""

    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_person", "workspace_id", "user_id", "submitted_at"),
        Index("ix_submission_channel", "workspace_id", "channel_id", "user_id"),
        CheckConstraint("total_hundredths BETWEEN 0 AND 10000", name="ck_submission_total"),
        CheckConstraint(
            "brand_hundredths BETWEEN 0 AND 2500 AND find_hundredths BETWEEN 0 AND 2500 "
            "AND engage_hundredths BETWEEN 0 AND 2500 AND relate_hundredths BETWEEN 0 AND 2500",
            name="ck_submission_pillars",
        ),
        CheckConstraint("source IN ('command', 'modal')", name="ck_submission_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # "" outside Enterprise Grid: see ``Scope.params``.
    enterprise_id: str = Field(default="", max_length=SLACK_ID)
    workspace_id: str = Field(max_length=SLACK_ID)
    user_id: str = Field(max_length=SLACK_ID)
    # The Slack handle at the time, used to order ties on boards without a users.info call.
    user_name: str = Field(default="", max_length=128)
    channel_id: str | None = Field(default=None, max_length=SLACK_ID)
    submitted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    source: str = Field(sa_column=Column(String(16), nullable=False))
    total_hundredths: int
    brand_hundredths: int
    find_hundredths: int
    engage_hundredths: int
    relate_hundredths: int
    industry_average_hundredths: int | None = None
    industry_top_hundredths: int | None = None
    network_average_hundredths: int | None = None
    network_top_hundredths: int | None = None
