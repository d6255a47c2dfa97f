"""Member lists made ready before a team's slot, so that no weekly post waits on Slack for
them: each tick lists, ahead of time, the members of teams posting within ``AHEAD`` whose
list is missing or over a day old, ``PER_TICK`` teams at a time (conversations.members
allows 100 a minute per workspace). A workspace of 1,000 teams never listed (the first run
after install, or after a roll-out) is ready in about 13 minutes of ticks; at the slot its
posts go out from the cache."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.domain.weeks import next_slot
from slackapp.slack.calls.membership import (
    DIRECTORY_AFTER,
    MEMBERS_MAX_AGE,
    Directory,
    first_listing,
    read_directory,
)

AHEAD = timedelta(hours=3)
PER_TICK = 80
# A workspace's directory, read once for the ticks that warm it (not once a tick).
DIRECTORY_KEPT = timedelta(minutes=30)


def to_warm(teams: list[TeamRecord], now: datetime) -> list[TeamRecord]:
    """Teams posting within ``AHEAD`` of ``now`` whose members need listing, soonest slot
    first."""
    waiting: list[tuple[datetime, TeamRecord]] = []
    for team in teams:
        slot = next_slot(now, team.post_weekday, team.post_minute, team.timezone)
        synced = team.members_synced_at
        if slot - now <= AHEAD and (synced is None or now - synced >= MEMBERS_MAX_AGE):
            waiting.append((slot, team))
    return [team for _slot, team in sorted(waiting, key=lambda pair: (pair[0], pair[1].id))]


class Warming:
    """Lists members ahead of their teams' slots, keeping each workspace's directory for
    ``DIRECTORY_KEPT``."""

    def __init__(self, engine: Engine, client_for: Callable[[Scope], WebClient | None]) -> None:
        self.engine = engine
        self.client_for = client_for
        self._directories: dict[Scope, tuple[float, Directory | None]] = {}

    def warm(self, teams: list[TeamRecord], now: datetime) -> int:
        """List the members of ``teams`` (``to_warm``'s), workspace by workspace; returns
        how many teams were listed."""
        by_scope: dict[Scope, list[TeamRecord]] = defaultdict(list)
        for team in teams:
            by_scope[team.scope].append(team)
        listed = 0
        for scope, scoped in by_scope.items():
            client = self.client_for(scope)
            if client is None:
                continue
            directory = (
                self._directory(scope, client, now) if len(scoped) > DIRECTORY_AFTER else None
            )
            first_listing(
                engine=self.engine, client=client, teams=scoped, now=now, directory=directory
            )
            listed += len(scoped)
        return listed

    def _directory(self, scope: Scope, client: WebClient, now: datetime) -> Directory | None:
        read_at, directory = self._directories.get(scope, (0.0, None))
        if directory is None or time.monotonic() - read_at > DIRECTORY_KEPT.total_seconds():
            directory = read_directory(engine=self.engine, client=client, scope=scope, now=now)
            self._directories[scope] = (time.monotonic(), directory)
        return directory
