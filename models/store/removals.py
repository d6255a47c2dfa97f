"""Workspaces that removed the app: recorded when Slack says so, purged after the retention
period unless the app was installed again (the weekly tick checks). Keyword-only functions
that take the connection (``db``).

A purge runs in bounded batches, each its own short transaction (``purge_batch``), so that
requests get the database in between: one statement deleting millions of rows held SQLite's
only connection for tens of seconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Table, delete, insert, update
from sqlmodel import col, select

from models.domain.scope import Scope
from models.store.db import delete_some
from models.store.scoped import in_org, in_scope
from models.store.tables import (
    AwayPeriod,
    ChartFile,
    MemberPreference,
    MembershipMark,
    PersonLocale,
    PostLedger,
    ReminderLedger,
    Submission,
    Team,
    TeamManager,
    TeamMember,
    TeamWeekAverage,
    WorkspaceRemoval,
    table_of,
)

# Purged table by table, whatever the table: rows that carry the workspace themselves,
# then the teams' own rows, then the teams.
_TEAMS = table_of(Team)
_SCOPED = tuple(
    table_of(m)
    for m in (Submission, MemberPreference, AwayPeriod, PersonLocale, ChartFile, ReminderLedger)
)
_OF_TEAMS = tuple(
    table_of(m) for m in (TeamMember, TeamManager, MembershipMark, PostLedger, TeamWeekAverage)
)
PURGE_BATCH = 2000


def _in(table: Table, scope: Scope) -> ColumnElement[bool]:
    """Rows of the scope. An Enterprise Grid org that removed an org-wide install is recorded
    without a workspace ("") and stands for every workspace of the org."""
    if not scope.workspace_id and scope.enterprise_id:
        return in_org(table, scope.enterprise_id)
    return in_scope(table, scope)


def record_removal(*, db: Connection, scope: Scope, at: datetime) -> None:
    """The app was removed from the workspace at ``at`` (the latest removal counts)."""
    if (
        db.execute(
            update(WorkspaceRemoval).where(in_scope(WorkspaceRemoval, scope)).values(removed_at=at)
        ).rowcount
        == 0
    ):
        db.execute(insert(WorkspaceRemoval).values(**scope.params(), removed_at=at))


def expired(*, db: Connection, now: datetime, retention: timedelta) -> list[Scope]:
    """Workspaces (or orgs) removed more than ``retention`` before ``now``."""
    rows = db.execute(
        select(WorkspaceRemoval.workspace_id, WorkspaceRemoval.enterprise_id).where(
            col(WorkspaceRemoval.removed_at) <= now - retention
        )
    ).all()
    return [Scope(workspace_id, enterprise_id or None) for workspace_id, enterprise_id in rows]


def workspaces_of_org(*, db: Connection, enterprise_id: str) -> list[Scope]:
    """Every workspace of an Enterprise Grid org that the app holds rows for."""
    found: set[str] = set()
    for table in (*_SCOPED, _TEAMS):
        query = select(table.c.workspace_id).where(in_org(table, enterprise_id))
        found.update(db.scalars(query.distinct()))
    return [Scope(workspace_id, enterprise_id) for workspace_id in sorted(found)]


def purge_batch(*, db: Connection, scope: Scope, limit: int = PURGE_BATCH) -> int:
    """Delete up to ``limit`` rows of what the app keeps about ``scope`` (a workspace, or
    every workspace of an org): children before parents, the removal record last. Returns
    how many went; 0 when nothing is left."""
    for table in _SCOPED:
        if deleted := delete_some(db, table, _in(table, scope), limit=limit):
            return deleted
    teams = select(_TEAMS.c.id).where(_in(_TEAMS, scope))
    for table in _OF_TEAMS:
        if deleted := delete_some(db, table, table.c.team_id.in_(teams), limit=limit):
            return deleted
    if deleted := delete_some(db, _TEAMS, _in(_TEAMS, scope), limit=limit):
        return deleted
    return db.execute(delete(WorkspaceRemoval).where(in_scope(WorkspaceRemoval, scope))).rowcount


def forget_removal(*, db: Connection, scope: Scope) -> None:
    """The workspace installed the app again: nothing to purge."""
    db.execute(delete(WorkspaceRemoval).where(in_scope(WorkspaceRemoval, scope)))
