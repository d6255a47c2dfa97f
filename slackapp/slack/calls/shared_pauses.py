"""A Retry-After seen by one process, honoured by all: the pace (``rate_limits.SlackPace``)
writes each 429's pause to the database, and reads the pauses other processes wrote at
most once a ``every`` seconds, so a method Slack closed stays closed for every replica,
scheduler and web alike. The database's clock measures the pauses: replicas' clocks may
differ, their database's does not."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from models.store.weekly import slack_pauses
from models.store.weekly.database_clock import DatabaseClock

log = logging.getLogger(__name__)


class SharedPauses:
    """The pace's link to the other processes (``SlackPace(shared=...)``)."""

    def __init__(self, engine: Engine, *, every: float = 1.0) -> None:
        self.engine = engine
        self.every = every  # seconds between reads of the other processes' pauses
        self.now = DatabaseClock(engine)

    def refused(self, workspace: str, method: str, seconds: float) -> None:
        """Slack closed ``method`` for ``workspace`` for ``seconds``: tell the others."""
        try:
            until = self.now() + timedelta(seconds=seconds)
            slack_pauses.pause(
                engine=self.engine, workspace_key=workspace, method=method, until=until
            )
        except SQLAlchemyError as error:  # the pause still holds in this process
            log.warning("could not share a Slack pause: %s", type(error).__name__)

    def running(self) -> list[tuple[str, str, float]]:
        """Every pause still running: (workspace, method, seconds left)."""
        try:
            now = self.now()
            pauses = slack_pauses.open_pauses(engine=self.engine, now=now)
        except SQLAlchemyError as error:  # none known for now; the next read may work
            log.debug("could not read Slack pauses: %s", type(error).__name__)
            return []
        return [(w, m, (until - now).total_seconds()) for w, m, until in pauses]
