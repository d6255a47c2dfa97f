"""A person's own settings in a workspace: weekly reminders and privacy on channel boards.
Keyword-only functions that take the connection (``db``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, delete, insert, select, update

from models.store.submissions import Scope
from models.store.tables import MemberPreference

P = MemberPreference.__table__  # type: ignore[attr-defined]


class Privacy(StrEnum):
    """How a person appears on channel boards (never in their managers' DMs)."""

    PUBLIC = "public"  # named
    ANONYMOUS = "anonymous"  # shown, without a name
    HIDDEN = "hidden"  # left off; still counted in the team's averages


@dataclass(frozen=True, slots=True)
class Preferences:
    reminders: bool = True
    privacy: Privacy = Privacy.PUBLIC


def _key(scope: Scope, user_id: str) -> list[object]:
    params = scope.params()
    return [
        P.c.workspace_id == params["workspace_id"],
        P.c.enterprise_id == params["enterprise_id"],
        P.c.user_id == user_id,
    ]


def preferences_of(*, db: Connection, scope: Scope, user_id: str) -> Preferences:
    row = db.execute(select(P.c.reminders, P.c.privacy).where(*_key(scope, user_id))).first()
    return Preferences() if row is None else Preferences(bool(row[0]), Privacy(row[1]))


def _set(db: Connection, scope: Scope, user_id: str, **values: object) -> None:
    """Change some settings, leaving the others as they were."""
    changed = db.execute(update(P).where(*_key(scope, user_id)).values(**values))
    if changed.rowcount == 0:
        db.execute(insert(P).values(**scope.params(), user_id=user_id, **values))


def set_reminders(*, db: Connection, scope: Scope, user_id: str, on: bool) -> None:
    _set(db, scope, user_id, reminders=on)


def set_privacy(*, db: Connection, scope: Scope, user_id: str, privacy: Privacy) -> None:
    _set(db, scope, user_id, privacy=privacy.value)


def reminders_off(*, db: Connection, scope: Scope, user_ids: Sequence[str]) -> set[str]:
    """Of ``user_ids``, those who turned reminders off."""
    if not user_ids:
        return set()
    params = scope.params()
    rows = db.execute(
        select(P.c.user_id).where(
            P.c.workspace_id == params["workspace_id"],
            P.c.enterprise_id == params["enterprise_id"],
            P.c.user_id.in_(list(user_ids)),
            P.c.reminders.is_(False),
        )
    )
    return {row[0] for row in rows}


def not_public(*, db: Connection, scope: Scope) -> dict[str, Privacy]:
    """Everyone in the workspace who is anonymous or hidden on channel boards (few people,
    read once per workspace instead of once per member)."""
    params = scope.params()
    rows = db.execute(
        select(P.c.user_id, P.c.privacy).where(
            P.c.workspace_id == params["workspace_id"],
            P.c.enterprise_id == params["enterprise_id"],
            P.c.privacy != Privacy.PUBLIC.value,
        )
    )
    return {user_id: Privacy(privacy) for user_id, privacy in rows}


def forget(*, db: Connection, scope: Scope, user_id: str) -> bool:
    """Delete the person's settings; True if there were any."""
    return bool(db.execute(delete(P).where(*_key(scope, user_id))).rowcount)
