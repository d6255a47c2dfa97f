"""Workspaces that removed the app: recorded when Slack says so, purged after the retention
period unless the app was installed again (the weekly tick checks). Keyword-only functions
that take the connection (``db``).

A purge runs in bounded batches, each its own short transaction (``purge_batch``), so that
requests get the database in between: one statement deleting millions of rows held SQLite's
only connection for tens of seconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from models.store.db import delete_some
from models.store.submissions import Scope
from models.store.tables import (
    MemberPreference,
    MembershipMark,
    PostLedger,
    Submission,
    Team,
    TeamManager,
    TeamMember,
    WorkspaceRemoval,
)

R: Table = WorkspaceRemoval.__table__  # type: ignore[attr-defined]
_TEAM: Table = Team.__table__  # type: ignore[attr-defined]
# Rows that carry the workspace themselves, then the team's own rows, then the teams.
_SCOPED: tuple[Table, ...] = (
    Submission.__table__,  # type: ignore[attr-defined]
    MemberPreference.__table__,  # type: ignore[attr-defined]
)
_OF_TEAMS: tuple[Table, ...] = (
    TeamMember.__table__,  # type: ignore[attr-defined]
    TeamManager.__table__,  # type: ignore[attr-defined]
    MembershipMark.__table__,  # type: ignore[attr-defined]
    PostLedger.__table__,  # type: ignore[attr-defined]
)
PURGE_BATCH = 2000


def _in(table: Table, scope: Scope) -> list[Any]:
    """Rows of the scope. An Enterprise Grid org that removed an org-wide install is recorded
    without a workspace ("") and stands for every workspace of the org."""
    params = scope.params()
    org = table.c.enterprise_id == params["enterprise_id"]
    if table is not R and not params["workspace_id"] and params["enterprise_id"]:
        return [org]
    return [table.c.workspace_id == params["workspace_id"], org]


def record_removal(*, db: Connection, scope: Scope, at: datetime) -> None:
    """The app was removed from the workspace at ``at`` (the latest removal counts)."""
    if db.execute(update(R).where(*_in(R, scope)).values(removed_at=at)).rowcount == 0:
        db.execute(insert(R).values(**scope.params(), removed_at=at))


def expired(*, db: Connection, now: datetime, retention: timedelta) -> list[Scope]:
    """Workspaces (or orgs) removed more than ``retention`` before ``now``."""
    rows = db.execute(
        select(R.c.workspace_id, R.c.enterprise_id).where(R.c.removed_at <= now - retention)
    ).all()
    return [Scope(workspace_id, enterprise_id or None) for workspace_id, enterprise_id in rows]


def workspaces_of_org(*, db: Connection, enterprise_id: str) -> list[Scope]:
    """Every workspace of an Enterprise Grid org that the app holds rows for."""
    found: set[str] = set()
    for table in (*_SCOPED, _TEAM):
        query = select(table.c.workspace_id).where(table.c.enterprise_id == enterprise_id)
        found.update(db.scalars(query.distinct()))
    return [Scope(workspace_id, enterprise_id) for workspace_id in sorted(found)]


def purge_batch(*, db: Connection, scope: Scope, limit: int = PURGE_BATCH) -> int:
    """Delete up to ``limit`` rows of what the app keeps about ``scope`` (a workspace, or
    every workspace of an org): children before parents, the removal record last. Returns
    how many went; 0 when nothing is left."""
    for table in _SCOPED:
        if deleted := delete_some(db, table, *_in(table, scope), limit=limit):
            return deleted
    teams = select(_TEAM.c.id).where(*_in(_TEAM, scope))
    for table in _OF_TEAMS:
        if deleted := delete_some(db, table, table.c.team_id.in_(teams), limit=limit):
            return deleted
    if deleted := delete_some(db, _TEAM, *_in(_TEAM, scope), limit=limit):
        return deleted
    return db.execute(delete(R).where(*_in(R, scope))).rowcount


def forget_removal(*, db: Connection, scope: Scope) -> None:
    """The workspace installed the app again: nothing to purge."""
    db.execute(delete(R).where(*_in(R, scope)))
