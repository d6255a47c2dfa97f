"""Workspaces that removed the app: recorded when Slack says so, purged after the retention
period unless the app was installed again (the weekly tick checks). Keyword-only functions
that take the connection (``db``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from models.submissions import Scope
from models.tables import MemberPreference, Submission, Team, WorkspaceRemoval

R = WorkspaceRemoval.__table__  # type: ignore[attr-defined]
_WORKSPACE_TABLES = (
    Submission.__table__,  # type: ignore[attr-defined]
    MemberPreference.__table__,  # type: ignore[attr-defined]
    Team.__table__,  # type: ignore[attr-defined]  # its managers, members and ledger cascade
)


def _in(table: object, scope: Scope) -> list[object]:
    """Rows of the scope. An Enterprise Grid org that removed an org-wide install is recorded
    without a workspace ("") and stands for every workspace of the org."""
    params = scope.params()
    org = table.c.enterprise_id == params["enterprise_id"]  # type: ignore[attr-defined]
    if table is not R and not params["workspace_id"] and params["enterprise_id"]:
        return [org]
    return [table.c.workspace_id == params["workspace_id"], org]  # type: ignore[attr-defined]


def record_removal(*, db: Connection, scope: Scope, at: datetime) -> None:
    """The app was removed from the workspace at ``at`` (the latest removal counts)."""
    if db.execute(update(R).where(*_in(R, scope)).values(removed_at=at)).rowcount == 0:
        db.execute(insert(R).values(**scope.params(), removed_at=at))


def expired(*, db: Connection, now: datetime, retention: timedelta) -> list[Scope]:
    """Workspaces removed more than ``retention`` before ``now``."""
    rows = db.execute(
        select(R.c.workspace_id, R.c.enterprise_id).where(R.c.removed_at <= now - retention)
    ).all()
    return [Scope(workspace_id, enterprise_id or None) for workspace_id, enterprise_id in rows]


def purge(*, db: Connection, scope: Scope) -> int:
    """Delete everything the app keeps about a workspace; return how many rows went (the
    removal record included)."""
    return sum(
        db.execute(delete(table).where(*_in(table, scope))).rowcount
        for table in (*_WORKSPACE_TABLES, R)
    )


def forget_removal(*, db: Connection, scope: Scope) -> None:
    """The workspace installed the app again: nothing to purge."""
    db.execute(delete(R).where(*_in(R, scope)))
