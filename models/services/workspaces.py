"""What happens to a workspace as a whole: the app removed from it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from models.domain.scope import Scope
from models.store import removals


def app_removed(*, db: Connection, scope: Scope, at: datetime) -> None:
    """The app was removed at ``at``: the workspace's data is purged after the retention
    period unless the app is installed again (the weekly tick checks, ``retention``)."""
    removals.record_removal(db=db, scope=scope, at=at)
