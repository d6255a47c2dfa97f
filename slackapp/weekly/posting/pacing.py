"""How fast the tick writes into one channel: Slack allows about one message a second there."""

from __future__ import annotations

import threading
import time


class ChannelPacer:
    """At most one message per ``interval`` seconds into any one channel (Slack's pace)."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        with self._lock:
            now = time.monotonic()
            turn = max(now, self._next.get(channel, 0.0))
            self._next[channel] = turn + self.interval
        if turn > now:
            time.sleep(turn - now)
