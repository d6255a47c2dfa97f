"""Refuse a signed Slack request that has been seen before.

Slack's signature covers the body and a timestamp, and Bolt refuses timestamps more than five
minutes off; inside those minutes a captured request could be sent again and, for a
submission, stored twice (or a captured ``/ssi undo`` delete twice). Slack never sends the
same signed request twice (its retries are signed anew), so a signature seen before is a
replay. The memory is the database (``models.seen_requests``), so it holds across replicas
and restarts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import Engine

from models.store.inbound import seen_requests

PURGE_EVERY_SECONDS = 60.0


class ReplayGuard:
    """Bolt middleware (after Bolt has verified the signature): one row per request."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock
        self._purged_at = 0.0
        self._lock = threading.Lock()

    def _purge_due(self, now: float) -> bool:
        # Once a minute per process, one bounded batch: the processes answering Slack are
        # the only ones that purge this table (the tick forgets handled events, not these).
        with self._lock:
            if now - self._purged_at < PURGE_EVERY_SECONDS:
                return False
            self._purged_at = now
            return True

    def first_time(self, signature: str, slack_ts: int) -> bool:
        """True the first time ``signature`` is seen, False after."""
        now = self.clock()
        with self.engine.begin() as db:
            if self._purge_due(now):
                seen_requests.forget_old(db=db, now_ts=now)
            return seen_requests.first_time(db=db, signature=signature, slack_ts=slack_ts)

    def middleware(self, req: BoltRequest, resp: BoltResponse, next: Callable[[], Any]) -> Any:
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        timestamp = (req.headers.get("x-slack-request-timestamp") or ["0"])[0]
        if signature and not self.first_time(signature, int(timestamp)):
            return BoltResponse(status=401, body="This request was already received.")
        return next()
