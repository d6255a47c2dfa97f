"""Queries on teams: set-up, managers and the member cache. Keyword-only functions that
take the connection (``db``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.domain.names import clean_name
from models.domain.weekly import Member
from models.domain.weeks import Schedule
from models.store.prepared import Prepared
from models.store.submissions import Scope
from models.store.tables import MembershipMark, Team, TeamManager, TeamMember

T = Team.__table__  # type: ignore[attr-defined]
M = TeamManager.__table__  # type: ignore[attr-defined]
TM = TeamMember.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class TeamSetup:
    """What a team's set-up says (the modal's and the CLI's fields)."""

    post_weekday: int
    post_minute: int
    timezone: str
    managers: tuple[str, ...]
    reminders: bool = True


@dataclass(frozen=True, slots=True)
class TeamRecord:
    """A team as stored."""

    id: int
    scope: Scope
    channel_id: str
    post_weekday: int
    post_minute: int
    timezone: str
    reminders: bool
    created_at: datetime
    managers: tuple[str, ...]
    members_synced_at: datetime | None = None
    schedule_since: datetime | None = None  # None: since ``created_at``

    @property
    def schedule(self) -> Schedule:
        """When the team posts, and since when."""
        since = self.schedule_since or self.created_at
        return Schedule(self.post_weekday, self.post_minute, self.timezone, since)


_TEAM_COLUMNS = (
    T.c.id,
    T.c.workspace_id,
    T.c.enterprise_id,
    T.c.channel_id,
    T.c.post_weekday,
    T.c.post_minute,
    T.c.timezone,
    T.c.reminders,
    T.c.created_at,
    T.c.members_synced_at,
    T.c.schedule_since,
)


def _team_rows(db: Connection, condition: object) -> list[TeamRecord]:
    """Teams matching ``condition`` with their managers: two queries however many teams
    (every tick reads all of them)."""
    rows = db.execute(
        select(*_TEAM_COLUMNS).where(condition).order_by(T.c.workspace_id, T.c.channel_id)
    ).all()
    managers: dict[int, list[str]] = defaultdict(list)
    if rows:
        for team_id, user_id in db.execute(
            select(M.c.team_id, M.c.user_id)
            .join(T, T.c.id == M.c.team_id)
            .where(condition)
            .order_by(M.c.user_id)
        ):
            managers[team_id].append(user_id)
    scopes: dict[tuple[str, str], Scope] = {}  # one Scope per workspace, shared
    found = []
    for row in rows:
        (
            team_id,
            workspace,
            enterprise,
            channel,
            weekday,
            minute,
            zone,
            remind,
            at,
            synced,
            since,
        ) = row
        scope = scopes.get((workspace, enterprise))
        if scope is None:
            scope = scopes[(workspace, enterprise)] = Scope(workspace, enterprise or None)
        found.append(
            TeamRecord(
                id=team_id,
                scope=scope,
                channel_id=channel,
                post_weekday=weekday,
                post_minute=minute,
                timezone=zone,
                reminders=remind,
                created_at=at,
                managers=tuple(managers[team_id]),
                members_synced_at=synced,
                schedule_since=since,
            )
        )
    return found


def _in_scope(scope: Scope) -> object:
    params = scope.params()
    return and_(
        T.c.workspace_id == params["workspace_id"], T.c.enterprise_id == params["enterprise_id"]
    )


_TEAM_IDS_OF_CHANNEL = Prepared(
    select(T.c.id).where(
        T.c.workspace_id == bindparam("workspace_id"),
        T.c.enterprise_id == bindparam("enterprise_id"),
        T.c.channel_id == bindparam("channel_id"),
    )
)
_TEAM_IDS_OF_MEMBER = (
    select(TM.c.team_id)
    .join(T, T.c.id == TM.c.team_id)
    .where(
        T.c.workspace_id == bindparam("workspace_id"),
        T.c.enterprise_id == bindparam("enterprise_id"),
        TM.c.user_id == bindparam("user_id"),
    )
    .order_by(T.c.channel_id)
)


def team_id_of_channel(*, db: Connection, scope: Scope, channel_id: str) -> int | None:
    """The channel's team, if it is one: one indexed lookup (it runs on every submission)."""
    rows = _TEAM_IDS_OF_CHANNEL.rows(db, {**scope.params(), "channel_id": channel_id})
    return int(rows[0][0]) if rows else None


def teams_of_member(*, db: Connection, scope: Scope, user_id: str) -> list[int]:
    """The teams a person is a member of, by channel id."""
    rows = db.execute(_TEAM_IDS_OF_MEMBER, {**scope.params(), "user_id": user_id})
    return [row[0] for row in rows]


def team_for_channel(*, db: Connection, scope: Scope, channel_id: str) -> TeamRecord | None:
    found = _team_rows(db, and_(_in_scope(scope), T.c.channel_id == channel_id))
    return found[0] if found else None


def all_teams(*, db: Connection) -> list[TeamRecord]:
    return _team_rows(db, True)


def get_team(*, db: Connection, team_id: int) -> TeamRecord | None:
    found = _team_rows(db, T.c.id == team_id)
    return found[0] if found else None


def save_team(
    *, db: Connection, scope: Scope, channel_id: str, setup: TeamSetup, by: str, at: datetime
) -> TeamRecord:
    """Create the channel's team, or update its set-up (managers replaced)."""
    values = {
        "post_weekday": setup.post_weekday,
        "post_minute": setup.post_minute,
        "timezone": setup.timezone,
        "reminders": setup.reminders,
        "updated_at": at,
    }
    existing = team_for_channel(db=db, scope=scope, channel_id=channel_id)
    moved = existing is None or (
        existing.post_weekday,
        existing.post_minute,
        existing.timezone,
    ) != (
        setup.post_weekday,
        setup.post_minute,
        setup.timezone,
    )
    if moved:  # the next post covers everything since the last one (models.weeks)
        values["schedule_since"] = at
    if existing is None:
        try:
            with db.begin_nested():
                team_id = db.execute(
                    insert(T)
                    .values(
                        **scope.params(),
                        channel_id=channel_id,
                        created_by=by,
                        created_at=at,
                        **values,
                    )
                    .returning(T.c.id)
                ).scalar_one()
        except IntegrityError:  # set up at the same moment elsewhere: update that one
            existing = team_for_channel(db=db, scope=scope, channel_id=channel_id)
            assert existing is not None
            team_id = existing.id
    else:
        team_id = existing.id
    if existing is not None:
        db.execute(update(T).where(T.c.id == team_id).values(**values))
    db.execute(delete(M).where(M.c.team_id == team_id))
    managers = sorted(set(setup.managers))
    if managers:
        db.execute(insert(M), [{"team_id": team_id, "user_id": u} for u in managers])
    team = get_team(db=db, team_id=team_id)
    assert team is not None
    return team


def replace_members(
    *, db: Connection, team_id: int, members: Iterable[Member], at: datetime
) -> None:
    """The channel's human members as just fetched from Slack."""
    db.execute(delete(TM).where(TM.c.team_id == team_id))
    rows = [
        {"team_id": team_id, "user_id": m.user_id, "display_name": clean_name(m.name)}
        for m in members
    ]
    if rows:
        db.execute(insert(TM), rows)
    db.execute(update(T).where(T.c.id == team_id).values(members_synced_at=at))


def add_member(*, db: Connection, team_id: int, member: Member) -> None:
    db.execute(delete(TM).where(TM.c.team_id == team_id, TM.c.user_id == member.user_id))
    db.execute(
        insert(TM).values(
            team_id=team_id, user_id=member.user_id, display_name=clean_name(member.name)
        )
    )


def remove_member(*, db: Connection, team_id: int, user_id: str) -> None:
    db.execute(delete(TM).where(TM.c.team_id == team_id, TM.c.user_id == user_id))


def members_of(*, db: Connection, team_ids: Sequence[int]) -> dict[int, list[Member]]:
    found: dict[int, list[Member]] = {t: [] for t in team_ids}
    if team_ids:
        for team_id, user_id, name in db.execute(
            select(TM.c.team_id, TM.c.user_id, TM.c.display_name)
            .where(TM.c.team_id.in_(list(team_ids)))
            .order_by(TM.c.team_id, TM.c.user_id)
        ):
            found[team_id].append(Member(user_id, name or user_id))
    return found


def apply_membership_event(
    *, db: Connection, team_id: int, user_id: str, member: Member | None, event_micros: int
) -> bool:
    """A member_joined_channel (``member``) or member_left_channel (None) event, applied
    only if nothing later was applied for the person: Slack may deliver a retried join
    after the leave that followed it. Returns whether it changed anything."""
    marks = MembershipMark.__table__  # type: ignore[attr-defined]
    latest = db.execute(
        select(marks.c.event_micros)
        .where(marks.c.team_id == team_id, marks.c.user_id == user_id)
        .with_for_update()
    ).scalar_one_or_none()
    if latest is not None and latest > event_micros:
        return False
    mark = {"event_micros": event_micros, "joined": member is not None}
    if latest is None:
        try:
            with db.begin_nested():
                db.execute(insert(marks).values(team_id=team_id, user_id=user_id, **mark))
        except IntegrityError:  # the other event of the pair, at this moment: compare again
            return apply_membership_event(
                db=db, team_id=team_id, user_id=user_id, member=member, event_micros=event_micros
            )
    else:
        db.execute(
            update(marks)
            .where(marks.c.team_id == team_id, marks.c.user_id == user_id)
            .values(**mark)
        )
    if member is None:
        remove_member(db=db, team_id=team_id, user_id=user_id)
    else:
        add_member(db=db, team_id=team_id, member=member)
    return True
