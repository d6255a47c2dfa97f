"""Queries on teams: set-up, managers and the member cache. Keyword-only functions that
take the connection (``db``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from models.domain.history import from_thousandths, to_thousandths
from models.domain.languages import DEFAULT, Language, language_of
from models.domain.scope import Scope
from models.domain.teams import Goal, TeamRecord, TeamSetup
from models.store.prepared import Prepared
from models.store.scoped import in_scope
from models.store.tables import Team, TeamManager, TeamMember

_TEAM_COLUMNS = (
    col(Team.id),
    col(Team.workspace_id),
    col(Team.enterprise_id),
    col(Team.channel_id),
    col(Team.post_weekday),
    col(Team.post_minute),
    col(Team.timezone),
    col(Team.reminders),
    col(Team.created_at),
    col(Team.members_synced_at),
    col(Team.schedule_since),
    col(Team.goal_thousandths),
    col(Team.goal_date),
    col(Team.language),
)


def _team_rows(db: Connection, condition: ColumnElement[bool]) -> list[TeamRecord]:
    """Teams matching ``condition`` with their managers: two queries however many teams
    (every tick reads all of them)."""
    rows = db.execute(
        select(*_TEAM_COLUMNS)
        .where(condition)
        .order_by(col(Team.workspace_id), col(Team.channel_id))
    ).all()
    managers: dict[int, list[str]] = defaultdict(list)
    if rows:
        for manager_of, user_id in db.execute(
            select(col(TeamManager.team_id), col(TeamManager.user_id))
            .join(Team, col(Team.id) == col(TeamManager.team_id))
            .where(condition)
            .order_by(col(TeamManager.user_id))
        ):
            managers[manager_of].append(user_id)
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
            goal_thousandths,
            goal_date,
            language,
        ) = row
        assert team_id is not None  # a primary key
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
                goal=(
                    Goal(from_thousandths(goal_thousandths), goal_date)
                    if goal_thousandths is not None and goal_date is not None
                    else None
                ),
                language=language_of(language) or DEFAULT,
            )
        )
    return found


_TEAM_OF_CHANNEL = Prepared(
    select(col(Team.id), col(Team.language)).where(
        in_scope(Team),
        col(Team.channel_id) == bindparam("channel_id"),
    )
)
_TEAM_IDS_OF_MEMBER = (
    select(col(TeamMember.team_id))
    .join(Team, col(Team.id) == col(TeamMember.team_id))
    .where(
        in_scope(Team),
        col(TeamMember.user_id) == bindparam("user_id"),
    )
    .order_by(col(Team.channel_id))
)


def team_id_of_channel(*, db: Connection, scope: Scope, channel_id: str) -> int | None:
    """The channel's team, if it is one: one indexed lookup (it runs on every submission)."""
    rows = _TEAM_OF_CHANNEL.rows(db, {**scope.params(), "channel_id": channel_id})
    return int(rows[0][0]) if rows else None


def language_of_channel(*, db: Connection, scope: Scope, channel_id: str) -> Language | None:
    """The language of the channel's team, if it is one."""
    rows = _TEAM_OF_CHANNEL.rows(db, {**scope.params(), "channel_id": channel_id})
    return language_of(rows[0][1] or "") if rows else None


def teams_of_member(*, db: Connection, scope: Scope, user_id: str) -> list[int]:
    """The teams a person is a member of, by channel id."""
    rows = db.execute(_TEAM_IDS_OF_MEMBER, {**scope.params(), "user_id": user_id})
    return [row[0] for row in rows]


def team_for_channel(*, db: Connection, scope: Scope, channel_id: str) -> TeamRecord | None:
    found = _team_rows(db, and_(in_scope(Team, scope), col(Team.channel_id) == channel_id))
    return found[0] if found else None


def teams_of_workspace(*, db: Connection, scope: Scope) -> list[TeamRecord]:
    return _team_rows(db, in_scope(Team, scope))


def all_teams(*, db: Connection) -> list[TeamRecord]:
    return _team_rows(db, true())


def get_team(*, db: Connection, team_id: int) -> TeamRecord | None:
    found = _team_rows(db, col(Team.id) == team_id)
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
        "goal_thousandths": to_thousandths(setup.goal.target) if setup.goal else None,
        "goal_date": setup.goal.by if setup.goal else None,
    }
    if setup.language is not None:  # a set-up that doesn't say (the CLI's) keeps it
        values["language"] = setup.language.value
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
    if moved:  # the next post covers everything since the last one (models.domain.weeks)
        values["schedule_since"] = at
    if existing is None:
        try:
            with db.begin_nested():
                team_id = db.execute(
                    insert(Team)
                    .values(
                        **scope.params(),
                        channel_id=channel_id,
                        created_by=by,
                        created_at=at,
                        **values,
                    )
                    .returning(col(Team.id))
                ).scalar_one()
        except IntegrityError:  # set up at the same moment elsewhere: update that one
            existing = team_for_channel(db=db, scope=scope, channel_id=channel_id)
            assert existing is not None
            team_id = existing.id
    else:
        team_id = existing.id
    if existing is not None:
        db.execute(update(Team).where(col(Team.id) == team_id).values(**values))
    db.execute(delete(TeamManager).where(col(TeamManager.team_id) == team_id))
    managers = sorted(set(setup.managers))
    if managers:
        db.execute(insert(TeamManager), [{"team_id": team_id, "user_id": u} for u in managers])
    assert team_id is not None  # a primary key
    team = get_team(db=db, team_id=team_id)
    assert team is not None
    return team
