"""Which workspaces' weekly runs a process does in a tick: those whose lease it holds.

Slack's limits are per workspace, so two processes posting into one workspace split its
budget and both upload its charts and re-list its channels. Instead each workspace's run
is leased (``models.store.weekly.leases``) to one process for as long as its tick works on it,
renewed by a thread meanwhile; others ticking at the same time take the other
workspaces, and take over a workspace whose process died once its lease has run out.
The post ledger still makes each post happen once, whatever the leases do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import Engine

from models.domain.scope import Scope
from models.store.weekly import leases
from slackapp.clock import Clock


def lease_name(scope: Scope) -> str:
    return f"weekly-run:{scope.enterprise_id or ''}:{scope.workspace_id}"


class WorkspaceShares:
    """Leases on workspaces' weekly runs for one process (``worker``), on the database's
    clock, each ``lease`` long and renewed every third of it."""

    def __init__(self, engine: Engine, worker: str, clock: Clock, lease: timedelta) -> None:
        self.engine = engine
        self.worker = worker
        self.clock = clock
        self.lease = lease
        self._held: set[str] = set()  # names this process holds now
        self._lock = threading.Lock()

    @contextmanager
    def holding(self, scopes: set[Scope]) -> Iterator[set[Scope]]:
        """The workspaces of ``scopes`` this process may run now, held (and renewed)
        until the block ends."""
        held = {
            scope
            for scope in scopes
            if leases.take(
                engine=self.engine,
                name=lease_name(scope),
                worker=self.worker,
                now=self.clock(),
                lease=self.lease,
            )
        }
        names = [lease_name(s) for s in held]
        with self._lock:
            self._held.update(names)
        done = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(names, done), daemon=True)
        if names:
            renewer.start()
        try:
            yield held
        finally:
            done.set()
            if names:
                renewer.join()
                self._give_up(names)

    def give_up_all(self) -> None:
        """Give up every lease held now (the process is stopping; the posts in flight are
        each claimed in the post ledger, which keeps them once)."""
        with self._lock:
            names = list(self._held)
        self._give_up(names)

    def _give_up(self, names: list[str]) -> None:
        leases.give_up(engine=self.engine, names=names, worker=self.worker)
        with self._lock:
            self._held.difference_update(names)

    def _renew(self, names: list[str], done: threading.Event) -> None:
        while not done.wait(self.lease.total_seconds() / 3):
            leases.renew(
                engine=self.engine,
                names=names,
                worker=self.worker,
                until=self.clock() + self.lease,
            )
