"""Where people stand in a channel: everyone's latest submission (the standings), and where a
total ranks among them (asked on every submission, as a ``Prepared`` statement). A score
belongs to the person, not the channel: their latest submission counts wherever they made
it. Keyword-only functions that take the connection (``db``), scoped to a workspace (the row
and its shared filters: ``submission_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, Integer, bindparam, case, func, select

from models.domain.history import StoredSubmission, to_thousandths
from models.domain.scope import Scope
from models.store.people.submission_rows import (
    COLUMNS,
    IN_SCOPE,
    NEWEST_FIRST,
    SUBMISSIONS,
    from_row,
)
from models.store.prepared import Prepared
from models.store.scoped import in_scope


@dataclass(frozen=True, slots=True)
class ChannelPlace:
    """Where a total stands among the latest totals in a channel: rank is 1 + the number of
    people above (ties share a rank and the next skips, as on the board)."""

    above: int
    same: int
    people: int

    @property
    def rank(self) -> int:
        return self.above + 1


# --- statements ------------------------------------------------------------------------------

_newest_per_person = func.row_number().over(
    partition_by=SUBMISSIONS.c.user_id, order_by=NEWEST_FIRST
)
_latest_per_person = (
    select(*COLUMNS, _newest_per_person.label("newest"))
    .where(
        IN_SCOPE,
        SUBMISSIONS.c.user_id.in_(
            select(SUBMISSIONS.c.user_id)
            .where(IN_SCOPE, SUBMISSIONS.c.channel_id == bindparam("channel_id"))
            .distinct()
        ),
    )
    .subquery()
)
_CHANNEL_STANDINGS = select(*(_latest_per_person.c[c.name] for c in COLUMNS)).where(
    _latest_per_person.c.newest == 1
)


# The channel's rank runs on every submission, so it finds each person's latest row by
# its id, one index lookup a person (``ix_submission_person``, newest first), instead of
# numbering all their rows with a window as the standings do: 139 -> 38 us for a channel
# of 25 people on SQLite (tests/models/store/people/test_submissions.py compares the two).
_channel_people = (
    select(SUBMISSIONS.c.user_id)
    .where(IN_SCOPE, SUBMISSIONS.c.channel_id == bindparam("channel_id"))
    .distinct()
    .subquery("channel_people")
)
_theirs = SUBMISSIONS.alias("theirs")
_latest_id = (
    select(_theirs.c.id)
    .where(in_scope(_theirs), _theirs.c.user_id == _channel_people.c.user_id)
    .order_by(_theirs.c.submitted_at.desc(), _theirs.c.id.desc())
    .limit(1)
    .scalar_subquery()
)
_total = bindparam("total_thousandths", type_=Integer)
_CHANNEL_PLACE = Prepared(
    select(
        func.coalesce(func.sum(case((SUBMISSIONS.c.total_thousandths > _total, 1), else_=0)), 0),
        func.coalesce(func.sum(case((SUBMISSIONS.c.total_thousandths == _total, 1), else_=0)), 0),
        func.count(),
    ).where(SUBMISSIONS.c.id.in_(select(_latest_id).select_from(_channel_people)))
)


# --- queries ---------------------------------------------------------------------------------


def channel_standings(*, db: Connection, scope: Scope, channel_id: str) -> list[StoredSubmission]:
    """The latest submission of everyone who has submitted in ``channel_id``.

    A score belongs to the person, not the channel: their latest submission counts wherever
    they made it.
    """
    rows = db.execute(_CHANNEL_STANDINGS, {**scope.params(), "channel_id": channel_id})
    return [from_row(row) for row in rows]


def channel_place(*, db: Connection, scope: Scope, channel_id: str, total: Decimal) -> ChannelPlace:
    """Rank a total among everyone's latest in a channel with one aggregate query (no rows
    come back: this runs on every submission)."""
    ((above, same, people),) = _CHANNEL_PLACE.rows(
        db,
        {**scope.params(), "channel_id": channel_id, "total_thousandths": to_thousandths(total)},
    )
    return ChannelPlace(above=int(above), same=int(same), people=int(people))
