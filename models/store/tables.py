"""Database tables. Alembic migrations under ``models/migrations`` are the schema's source of
truth; a test checks that they and these classes agree.

Every row that belongs to a workspace carries ``workspace_id`` and ``enterprise_id``
(Slack sends the latter on Enterprise Grid; "" elsewhere): user and channel ids are only
unique inside a workspace. Scores are integer thousandths: 12.275 stays 12.275 on both.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Column, Field, SQLModel

from models.store.columns import SLACK_ID as SLACK_ID
from models.store.columns import UTCDateTime as UTCDateTime  # the migrations import it here
from models.store.installations import installation_tables

# The ledgers live in a module of their own; imported here so the metadata holds every table.
from models.store.ledger_tables import PostLedger as PostLedger
from models.store.ledger_tables import ReminderLedger as ReminderLedger
from models.store.ledger_tables import SlackPause as SlackPause
from models.store.ledger_tables import WorkLease as WorkLease

SOURCES = ("command", "modal")


# ix_submission_shared: unique, and partial (typed readings add nothing on /ssi's hot path).
_SET = text("shared_key IS NOT NULL")
SHARED: dict[str, Any] = {"unique": True, "sqlite_where": _SET, "postgresql_where": _SET}


class Submission(SQLModel, table=True):
    """One SSI reading as a person submitted it. History: never updated, only added or
    removed by the person (``/ssi undo``)."""

    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_person", "workspace_id", "user_id", "submitted_at"),
        Index("ix_submission_channel", "workspace_id", "channel_id", "user_id"),
        Index("ix_submission_shared", "workspace_id", "enterprise_id", "shared_key", **SHARED),
        CheckConstraint("total_thousandths BETWEEN 0 AND 10000", name="ck_submission_total"),
        CheckConstraint(
            "brand_thousandths BETWEEN 0 AND 2500 AND find_thousandths BETWEEN 0 AND 2500 "
            "AND engage_thousandths BETWEEN 0 AND 2500 AND relate_thousandths BETWEEN 0 AND 2500",
            name="ck_submission_pillars",
        ),
        CheckConstraint(
            "source IN ('command', 'modal', 'paste', 'screenshot', 'json')",
            name="ck_submission_source",
        ),
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
    total_thousandths: int
    brand_thousandths: int
    find_thousandths: int
    engage_thousandths: int
    relate_thousandths: int
    industry_average_thousandths: int | None = None
    industry_top_thousandths: int | None = None
    network_average_thousandths: int | None = None
    network_top_thousandths: int | None = None
    # The latest averages as of this row, its own or carried forward (0003): boards read them.
    carried_industry_average_thousandths: int | None = None
    carried_network_average_thousandths: int | None = None
    # From the SSI page: the industry's name, and the preview saved (unique per workspace).
    industry_name: str | None = Field(default=None, max_length=80)
    shared_key: str | None = Field(default=None, max_length=64)


class Team(SQLModel, table=True):
    """A channel set up for the leaderboard, with its weekly rhythm."""

    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("workspace_id", "enterprise_id", "channel_id", name="uq_team_channel"),
        CheckConstraint("post_weekday BETWEEN 0 AND 6", name="ck_team_weekday"),
        CheckConstraint("post_minute BETWEEN 0 AND 1439", name="ck_team_minute"),
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", max_length=SLACK_ID)
    workspace_id: str = Field(max_length=SLACK_ID)
    channel_id: str = Field(max_length=SLACK_ID)
    post_weekday: int  # 0 = Monday, as ISO weeks count
    post_minute: int  # minutes after local midnight
    timezone: str = Field(max_length=64)
    reminders: bool = True
    created_by: str = Field(default="", max_length=SLACK_ID)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Since when day, time and zone hold: earlier slots aren't posted, the next covers all.
    schedule_since: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )  # None: since ``created_at``
    members_synced_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    # The team goal (migration 0009): a target team average by a date.
    goal_thousandths: int | None = None
    goal_date: date | None = Field(default=None, sa_column=Column(Date(), nullable=True))
    # The language of the weekly post and managers' DMs (0010); None: English.
    language: str | None = Field(default=None, max_length=5)


class TeamManager(SQLModel, table=True):
    """Who gets the team's weekly manager DM and may change its set-up."""

    __tablename__ = "team_manager"

    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(primary_key=True, max_length=SLACK_ID)


class TeamMember(SQLModel, table=True):
    """The channel's human members, as last fetched from Slack (a cache kept current by
    member_joined_channel and member_left_channel)."""

    __tablename__ = "team_member"

    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(primary_key=True, max_length=SLACK_ID)
    display_name: str = Field(default="", max_length=128)


class MemberPreference(SQLModel, table=True):
    """A person's own settings in a workspace."""

    __tablename__ = "member_preference"
    __table_args__ = (
        CheckConstraint(
            "privacy IN ('public', 'anonymous', 'hidden')", name="ck_preference_privacy"
        ),
    )

    enterprise_id: str = Field(default="", primary_key=True, max_length=SLACK_ID)
    workspace_id: str = Field(primary_key=True, max_length=SLACK_ID)
    user_id: str = Field(primary_key=True, max_length=SLACK_ID)
    reminders: bool = True
    # On channel boards: public (named), anonymous (shown without a name) or hidden (left
    # off). Team averages count everyone; managers' DMs name everyone.
    privacy: str = Field(
        default="public", sa_column=Column(String(12), nullable=False, server_default="public")
    )
    # First opened the App Home (0009): only then is it kept current after their changes.
    home_opened_at: datetime | None = Field(sa_column=Column(UTCDateTime(), nullable=True))
    # The language they chose with /ssi language (0010); None: follow Slack's locale.
    language: str | None = Field(default=None, max_length=5)


class PersonLocale(SQLModel, table=True):
    """The locale Slack reports for a person (``users.info`` with ``include_locale``), kept
    like their name: a cache, asked again after a week, deleted with their data (0010)."""

    __tablename__ = "person_locale"

    enterprise_id: str = Field(default="", primary_key=True, max_length=SLACK_ID)
    workspace_id: str = Field(primary_key=True, max_length=SLACK_ID)
    user_id: str = Field(primary_key=True, max_length=SLACK_ID)
    locale: str = Field(default="", max_length=16)  # "": Slack couldn't say
    seen_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AwayPeriod(SQLModel, table=True):
    """A time a person said they are away (``/ssi away until``): no reminders, not counted
    as "hasn't shared", their streak paused. ``/ssi back`` ends it early. Kept after it
    ends, because a streak looks back over weeks that were away."""

    __tablename__ = "away_period"
    __table_args__ = (Index("ix_away_period_person", "workspace_id", "user_id", "ends_at"),)

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str = Field(default="", max_length=SLACK_ID)
    workspace_id: str = Field(max_length=SLACK_ID)
    user_id: str = Field(max_length=SLACK_ID)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class TeamWeekAverage(SQLModel, table=True):
    """A team's average for a week that was posted: the trend a goal's forecast and the
    team chart read, without recomputing past boards."""

    __tablename__ = "team_week_average"

    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )
    week_end: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))
    average_thousandths: int
    members: int


class ChartFile(SQLModel, table=True):
    """A chart already uploaded to a workspace, by the fingerprint of what it draws: the
    same chart is shown again by its file id instead of being drawn and uploaded again."""

    __tablename__ = "chart_file"
    __table_args__ = (Index("ix_chart_file_created", "created_at"),)

    enterprise_id: str = Field(default="", primary_key=True, max_length=SLACK_ID)
    workspace_id: str = Field(primary_key=True, max_length=SLACK_ID)
    fingerprint: str = Field(primary_key=True, max_length=64)
    file_id: str = Field(max_length=SLACK_ID)
    # Whose personal chart it is ("" for a team's): forget-me deletes theirs from Slack too.
    user_id: str = Field(default="", max_length=SLACK_ID)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class WorkspaceRemoval(SQLModel, table=True):
    """A workspace that uninstalled the app (or revoked its bot token), and when: its data is
    purged once the retention period has passed, unless the app is installed again."""

    __tablename__ = "workspace_removal"

    enterprise_id: str = Field(default="", primary_key=True, max_length=SLACK_ID)
    workspace_id: str = Field(primary_key=True, max_length=SLACK_ID)
    removed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class HandledEvent(SQLModel, table=True):
    """An Events API delivery already taken in (Slack retries with the same ``event_id``
    when an answer is slow): shared by every replica, forgotten after an hour."""

    __tablename__ = "handled_event"
    __table_args__ = (Index("ix_handled_event_received", "received_at"),)

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class MembershipMark(SQLModel, table=True):
    """The latest channel membership event applied for a person on a team (joined or left,
    and Slack's ``event_ts`` in microseconds): an older event that arrives later, such as a
    retried join after the leave, changes nothing."""

    __tablename__ = "membership_mark"

    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(primary_key=True, max_length=SLACK_ID)
    event_micros: int = Field(sa_column=Column(BigInteger, nullable=False))
    joined: bool


class SeenRequest(SQLModel, table=True):
    """A signed request already taken in, by its signature, with the timestamp Slack signed
    (seconds): a replay to any replica, or after a restart, is refused. Kept ten minutes,
    twice the five in which Bolt accepts a timestamp."""

    __tablename__ = "seen_request"
    # Keyed on the time first (0015): inserts land at the b-tree's right edge, the purge cuts
    # the left (on the signature alone, each insert touched a random page). A replay repeats
    # both, so the pair still names one request. SQLite stores it as the table itself.
    __table_args__ = ({"sqlite_with_rowid": False},)

    slack_ts: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    signature: str = Field(primary_key=True, max_length=80)


# slack-sdk's installation and OAuth state tables (multi-workspace mode), in the same
# metadata so that the migrations (0005) and the schema check cover them too.
SLACK_TABLES = installation_tables(SQLModel.metadata)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for the statements on the measured hot path (compiled
    once, run on the driver's cursor). SQLModel sets ``__table__`` without declaring it."""
    table = sa_inspect(model).local_table
    assert isinstance(table, Table)
    return table
