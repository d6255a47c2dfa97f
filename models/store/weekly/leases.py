"""Leases on work one process does at a time (``work_lease``): taken by inserting the row
or by taking over one whose lease has run out, renewed while the work goes on, given up
when it is done. Times are the database's clock (``database_clock.DatabaseClock``), as the
post ledger's are."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, or_, update
from sqlalchemy.exc import IntegrityError

from models.store.tables import WorkLease, table_of

_LEASES = table_of(WorkLease)


def take(*, engine: Engine, name: str, worker: str, now: datetime, lease: timedelta) -> bool:
    """Hold ``name`` for ``worker`` until ``now + lease``; False while another holds it."""
    try:
        with engine.begin() as db:
            db.execute(
                insert(_LEASES).values(name=name, claimed_by=worker, lease_until=now + lease)
            )
        return True
    except IntegrityError:
        pass
    with engine.begin() as db:
        taken = db.execute(
            update(_LEASES)
            .where(
                _LEASES.c.name == name,
                or_(_LEASES.c.lease_until < now, _LEASES.c.claimed_by == worker),
            )
            .values(claimed_by=worker, lease_until=now + lease)
        )
    return taken.rowcount == 1


def renew(*, engine: Engine, names: list[str], worker: str, until: datetime) -> None:
    """Extend ``worker``'s leases on ``names`` (those it still holds) to ``until``."""
    if not names:
        return
    with engine.begin() as db:
        db.execute(
            update(_LEASES)
            .where(_LEASES.c.name.in_(names), _LEASES.c.claimed_by == worker)
            .values(lease_until=until)
        )


def give_up(*, engine: Engine, names: list[str], worker: str) -> None:
    """The work is done (or stopped): anyone may take ``names`` now."""
    if not names:
        return
    with engine.begin() as db:
        db.execute(delete(_LEASES).where(_LEASES.c.name.in_(names), _LEASES.c.claimed_by == worker))
