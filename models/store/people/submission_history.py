"""A person's submission history, read back and removed: their latest submissions, the
channels they submitted in, how many they have, and undoing the latest (``/ssi undo``) or
deleting them all (``/ssi forget-me``). Keyword-only functions that take the connection
(``db``), scoped to a workspace (the row and its shared filters: ``submission_rows``).
"""

from __future__ import annotations

from sqlalchemy import Connection, Integer, bindparam, delete, func, select

from models.domain.history import PersonHistory, StoredSubmission
from models.domain.scope import Scope
from models.store.people.submission_rows import (
    COLUMNS,
    IN_SCOPE,
    NEWEST_FIRST,
    PERSON,
    SUBMISSIONS,
    from_row,
)

# --- statements ------------------------------------------------------------------------------

_RECENT = (
    select(*COLUMNS).where(PERSON).order_by(*NEWEST_FIRST).limit(bindparam("limit", type_=Integer))
)

_CHANNELS_OF = (
    select(SUBMISSIONS.c.channel_id)
    .where(PERSON, SUBMISSIONS.c.channel_id.is_not(None))
    .group_by(SUBMISSIONS.c.channel_id)
    .order_by(func.max(SUBMISSIONS.c.submitted_at).desc())
)

_HISTORY_OF = select(
    func.count(), func.min(SUBMISSIONS.c.submitted_at), func.max(SUBMISSIONS.c.submitted_at)
).where(PERSON)

_DELETE = delete(SUBMISSIONS).where(IN_SCOPE, SUBMISSIONS.c.id == bindparam("submission_id"))


# --- queries ---------------------------------------------------------------------------------


def recent(*, db: Connection, scope: Scope, user_id: str, limit: int = 2) -> list[StoredSubmission]:
    """A person's latest submissions, newest first."""
    rows = db.execute(_RECENT, {**scope.params(), "user_id": user_id, "limit": limit})
    return [from_row(row) for row in rows]


def channels_of(*, db: Connection, scope: Scope, user_id: str) -> list[str]:
    """The channels a person has submitted in, most recent first."""
    rows = db.execute(_CHANNELS_OF, {**scope.params(), "user_id": user_id})
    return [row[0] for row in rows]


def history_of(*, db: Connection, scope: Scope, user_id: str) -> PersonHistory:
    """How many submissions a person has in the workspace, first and last."""
    count, first, last = db.execute(_HISTORY_OF, {**scope.params(), "user_id": user_id}).one()
    return PersonHistory(int(count), first, last)


def delete_latest(*, db: Connection, scope: Scope, user_id: str) -> StoredSubmission | None:
    """Remove a person's latest submission (``/ssi undo``) and return what was removed."""
    latest = recent(db=db, scope=scope, user_id=user_id, limit=1)
    if not latest:
        return None
    db.execute(_DELETE, {**scope.params(), "submission_id": latest[0].id})
    return latest[0]


def delete_person(*, db: Connection, scope: Scope, user_id: str) -> PersonHistory:
    """Delete every submission of a person in the workspace; return what was deleted."""
    deleted = history_of(db=db, scope=scope, user_id=user_id)
    db.execute(delete(SUBMISSIONS).where(PERSON), {**scope.params(), "user_id": user_id})
    return deleted
