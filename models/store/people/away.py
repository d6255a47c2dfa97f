"""Away periods (``/ssi away until``, ``/ssi back``) and the submission times a streak
counts. Keyword-only functions that take the connection (``db``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, delete, insert, select, update

from models.domain.scope import Scope
from models.domain.streaks import Away
from models.store.scoped import in_scope
from models.store.tables import AwayPeriod, Submission, table_of

_AWAY = table_of(AwayPeriod)
_SUBMISSIONS = table_of(Submission)


def _theirs(scope: Scope, user_id: str) -> ColumnElement[bool]:
    return and_(in_scope(_AWAY, scope), _AWAY.c.user_id == user_id)


def current(*, db: Connection, scope: Scope, user_id: str, now: datetime) -> Away | None:
    """The person's away period running at ``now``, if any."""
    row = db.execute(
        select(_AWAY.c.starts_at, _AWAY.c.ends_at)
        .where(_theirs(scope, user_id), _AWAY.c.starts_at <= now, _AWAY.c.ends_at > now)
        .order_by(_AWAY.c.ends_at.desc())
        .limit(1)
    ).first()
    return None if row is None else Away(row[0], row[1])


def go_away(*, db: Connection, scope: Scope, user_id: str, away: Away) -> bool:
    """Record ``away``; a period running already is changed to end when this one does.
    True when it replaced one."""
    changed = db.execute(
        update(AwayPeriod)
        .where(
            _theirs(scope, user_id),
            _AWAY.c.starts_at <= away.starts,
            _AWAY.c.ends_at > away.starts,
        )
        .values(ends_at=away.ends)
    ).rowcount
    if not changed:
        db.execute(
            insert(AwayPeriod).values(
                **scope.params(), user_id=user_id, starts_at=away.starts, ends_at=away.ends
            )
        )
    return bool(changed)


def come_back(*, db: Connection, scope: Scope, user_id: str, now: datetime) -> bool:
    """End the running away period at ``now``; False if the person wasn't away."""
    return bool(
        db.execute(
            update(AwayPeriod)
            .where(_theirs(scope, user_id), _AWAY.c.starts_at <= now, _AWAY.c.ends_at > now)
            .values(ends_at=now)
        ).rowcount
    )


def away_at(*, db: Connection, scope: Scope, user_ids: Sequence[str], at: datetime) -> set[str]:
    """Of ``user_ids``, those away at ``at``."""
    if not user_ids:
        return set()
    rows = db.execute(
        select(_AWAY.c.user_id).where(
            in_scope(_AWAY, scope),
            _AWAY.c.user_id.in_(list(user_ids)),
            _AWAY.c.starts_at <= at,
            _AWAY.c.ends_at > at,
        )
    )
    return {row[0] for row in rows}


def periods(
    *, db: Connection, scope: Scope, user_ids: Sequence[str], since: datetime
) -> dict[str, list[Away]]:
    """Each person's away periods that ended after ``since``."""
    found: dict[str, list[Away]] = defaultdict(list)
    if user_ids:
        rows = db.execute(
            select(_AWAY.c.user_id, _AWAY.c.starts_at, _AWAY.c.ends_at)
            .where(
                in_scope(_AWAY, scope),
                _AWAY.c.user_id.in_(list(user_ids)),
                _AWAY.c.ends_at > since,
            )
            .order_by(_AWAY.c.starts_at)
        )
        for user_id, starts, ends in rows:
            found[user_id].append(Away(starts, ends))
    return found


def submission_times(
    *, db: Connection, scope: Scope, user_ids: Sequence[str], since: datetime, until: datetime
) -> dict[str, list[datetime]]:
    """When each person submitted in ``[since, until)``, oldest first."""
    found: dict[str, list[datetime]] = defaultdict(list)
    if user_ids:
        rows = db.execute(
            select(_SUBMISSIONS.c.user_id, _SUBMISSIONS.c.submitted_at)
            .where(
                in_scope(_SUBMISSIONS, scope),
                _SUBMISSIONS.c.user_id.in_(list(user_ids)),
                _SUBMISSIONS.c.submitted_at >= since,
                _SUBMISSIONS.c.submitted_at < until,
            )
            .order_by(_SUBMISSIONS.c.user_id, _SUBMISSIONS.c.submitted_at)
        )
        for user_id, at in rows:
            found[user_id].append(at)
    return found


def forget(*, db: Connection, scope: Scope, user_id: str) -> int:
    """Delete the person's away periods (forget-me)."""
    return db.execute(delete(AwayPeriod).where(_theirs(scope, user_id))).rowcount
