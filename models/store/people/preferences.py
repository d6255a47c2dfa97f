"""A person's own settings in a workspace: weekly reminders and privacy on channel boards.
Keyword-only functions that take the connection (``db``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, bindparam, delete, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from models.domain.privacy import Preferences, Privacy
from models.domain.scope import Scope
from models.store.prepared import Prepared
from models.store.scoped import in_scope
from models.store.tables import MemberPreference, table_of


def _key(scope: Scope, user_id: str) -> ColumnElement[bool]:
    return and_(in_scope(MemberPreference, scope), col(MemberPreference.user_id) == user_id)


def preferences_of(*, db: Connection, scope: Scope, user_id: str) -> Preferences:
    query = select(MemberPreference.reminders, MemberPreference.privacy)
    row = db.execute(query.where(_key(scope, user_id))).first()
    return Preferences() if row is None else Preferences(bool(row[0]), Privacy(row[1]))


def update_settings(db: Connection, scope: Scope, user_id: str, **values: object) -> None:
    """Change some settings, leaving the others as they were."""
    query = update(MemberPreference).where(_key(scope, user_id))
    changed = db.execute(query.values(**values))
    if changed.rowcount == 0:
        db.execute(insert(MemberPreference).values(**scope.params(), user_id=user_id, **values))


def set_reminders(*, db: Connection, scope: Scope, user_id: str, on: bool) -> None:
    update_settings(db, scope, user_id, reminders=on)


def set_privacy(*, db: Connection, scope: Scope, user_id: str, privacy: Privacy) -> None:
    update_settings(db, scope, user_id, privacy=privacy.value)


def home_opened(*, db: Connection, scope: Scope, user_id: str, at: datetime) -> None:
    """The person opened the App Home (the latest opening counts)."""
    update_settings(db, scope, user_id, home_opened_at=at)


# Asked after every submission (is their Home on screen?): prepared, as /ssi's others.
_HOME_OPENED = Prepared(
    sa_select(col(MemberPreference.home_opened_at)).where(
        in_scope(MemberPreference), col(MemberPreference.user_id) == bindparam("user_id")
    )
)


def home_open_since(*, db: Connection, scope: Scope, user_id: str, since: datetime) -> bool:
    """Whether the person opened the App Home at ``since`` or later (Slack says when a Home
    is opened, never when it is left: one opened lately is taken as still on screen)."""
    rows = _HOME_OPENED.rows(db, {**scope.params(), "user_id": user_id})
    return bool(rows) and rows[0][0] is not None and rows[0][0] >= since


def reminders_off(*, db: Connection, scope: Scope, user_ids: Sequence[str]) -> set[str]:
    """Of ``user_ids``, those who turned reminders off."""
    if not user_ids:
        return set()
    rows = db.execute(
        select(MemberPreference.user_id).where(
            in_scope(MemberPreference, scope),
            col(MemberPreference.user_id).in_(list(user_ids)),
            col(MemberPreference.reminders).is_(False),
        )
    )
    return {row[0] for row in rows}


# On the measured path (every board, in the tick and for /ssi board): a Core statement over
# the table, built once with the scope bound at execution (an ORM-enabled one built per
# call made one PostgreSQL board a third slower in bench/weekly.py).
_PREFERENCES = table_of(MemberPreference)
_NOT_PUBLIC = sa_select(_PREFERENCES.c.user_id, _PREFERENCES.c.privacy).where(
    in_scope(_PREFERENCES), _PREFERENCES.c.privacy != Privacy.PUBLIC.value
)


def not_public(*, db: Connection, scope: Scope) -> dict[str, Privacy]:
    """Everyone in the workspace who is anonymous or hidden on channel boards (few people,
    read once per workspace instead of once per member)."""
    rows = db.execute(_NOT_PUBLIC, scope.params())
    return {user_id: Privacy(privacy) for user_id, privacy in rows}


def forget(*, db: Connection, scope: Scope, user_id: str) -> bool:
    """Delete the person's settings; True if there were any."""
    return bool(db.execute(delete(MemberPreference).where(_key(scope, user_id))).rowcount)
