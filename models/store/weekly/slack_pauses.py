"""Methods Slack closed for a workspace (``slack_pause``): written by the process that got
the 429, read by every process. Times are the database's clock, the same for every replica
whatever their own clocks say."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.store.tables import SlackPause, table_of

_PAUSES = table_of(SlackPause)


def pause(*, engine: Engine, workspace_key: str, method: str, until: datetime) -> None:
    """``method`` is closed for the workspace until ``until`` (a later pause already
    written stands); pauses long over are cleared on the way."""
    where = (_PAUSES.c.workspace_key == workspace_key) & (_PAUSES.c.method == method)
    with engine.begin() as db:
        # A pause lasts 15 minutes at most: a day before this one's end, all are over.
        db.execute(delete(_PAUSES).where(_PAUSES.c.until < until - timedelta(days=1)))
        later = update(_PAUSES).where(where, _PAUSES.c.until < until).values(until=until)
        db.execute(later)
        if db.execute(select(_PAUSES.c.until).where(where)).first() is not None:
            return  # moved later, or already later
    try:
        with engine.begin() as db:
            db.execute(
                insert(_PAUSES).values(workspace_key=workspace_key, method=method, until=until)
            )
    except IntegrityError:  # another process wrote it meanwhile: keep the later
        with engine.begin() as db:
            db.execute(later)


def open_pauses(*, engine: Engine, now: datetime) -> list[tuple[str, str, datetime]]:
    """The pauses still running at ``now``: (workspace key, method, until)."""
    with engine.connect() as db:
        rows = db.execute(
            select(_PAUSES.c.workspace_key, _PAUSES.c.method, _PAUSES.c.until).where(
                _PAUSES.c.until > now
            )
        ).all()
    return [(r.workspace_key, r.method, r.until) for r in rows]
