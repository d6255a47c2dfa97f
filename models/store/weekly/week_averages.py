"""Teams' posted weekly averages: written when a week's board is posted, read for a goal's
forecast and the team chart. Keyword-only functions that take the connection (``db``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from models.domain.history import from_thousandths
from models.store.tables import TeamWeekAverage, table_of

_AVERAGES = table_of(TeamWeekAverage)


def record(
    *, db: Connection, team_id: int, week_end: datetime, average_thousandths: int, members: int
) -> None:
    """Keep the team's average for the week ending ``week_end`` (the latest figure wins: a
    week is posted once, but its board may be computed again before that, by any number
    of replicas at the same moment)."""
    figures = {"average_thousandths": average_thousandths, "members": members}
    where = (_AVERAGES.c.team_id == team_id, _AVERAGES.c.week_end == week_end)
    if db.execute(update(_AVERAGES).where(*where).values(**figures)).rowcount:
        return
    try:
        with db.begin_nested():
            db.execute(insert(_AVERAGES).values(team_id=team_id, week_end=week_end, **figures))
    except IntegrityError:  # another replica recorded it just now: the same figures
        db.execute(update(_AVERAGES).where(*where).values(**figures))


def recent(
    *, db: Connection, team_ids: Sequence[int], before: datetime, weeks: int
) -> dict[int, list[tuple[datetime, Decimal]]]:
    """Each team's latest ``weeks`` averages of weeks ending before ``before``, oldest
    first."""
    found: dict[int, list[tuple[datetime, Decimal]]] = defaultdict(list)
    if not team_ids:
        return found
    rows = db.execute(
        select(_AVERAGES.c.team_id, _AVERAGES.c.week_end, _AVERAGES.c.average_thousandths)
        .where(
            _AVERAGES.c.team_id.in_(list(team_ids)),
            _AVERAGES.c.week_end < before,
            # A week is seven days; a schedule change makes one up to two weeks long.
            _AVERAGES.c.week_end >= before - timedelta(weeks=2 * weeks + 2),
        )
        .order_by(_AVERAGES.c.team_id, _AVERAGES.c.week_end.desc())
    )
    for team_id, end, average in rows:
        if len(found[team_id]) < weeks:
            found[team_id].append((end, from_thousandths(average)))
    return {team_id: list(reversed(points)) for team_id, points in found.items()}
