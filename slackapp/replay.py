"""Refuse a signed Slack request that has been seen before.

Slack's signature covers the body and a timestamp, and Bolt refuses timestamps more than five
minutes off; inside those five minutes a captured request could be sent again and, for a
submission, stored twice. Slack never sends the same signed request twice (retries are signed
anew), so a signature seen in the window is a replay. The memory is per process: with several
replicas a replay sent to another one is not caught (the window stays five minutes).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

WINDOW_SECONDS = 5 * 60
# At most this many signatures are kept (about 20 MB); past it the oldest are forgotten
# early. Slack sends a workspace far fewer requests than that in five minutes.
MAX_REMEMBERED = 100_000


class ReplayGuard:
    """Remembers the signatures of verified requests for the signature window."""

    def __init__(
        self, *, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = window
        self.clock = clock
        self._seen: set[str] = set()
        self._order: deque[tuple[float, str]] = deque()
        self._lock = threading.Lock()

    def first_time(self, signature: str) -> bool:
        """True the first time ``signature`` is seen in the window, False after."""
        now = self.clock()
        with self._lock:
            while self._order and (
                self._order[0][0] <= now - self.window or len(self._order) >= MAX_REMEMBERED
            ):
                self._seen.discard(self._order.popleft()[1])
            if signature in self._seen:
                return False
            self._seen.add(signature)
            self._order.append((now, signature))
            return True

    def middleware(self, req: BoltRequest, resp: BoltResponse, next: Callable[[], Any]) -> Any:
        """Bolt middleware: runs after Bolt has verified the signature."""
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        if signature and not self.first_time(signature):
            return BoltResponse(status=401, body="This request was already received.")
        return next()
