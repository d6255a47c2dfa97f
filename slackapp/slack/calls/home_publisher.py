"""Publishing App Homes without outrunning Slack.

``views.publish`` is rate limited per workspace (Tier 4: about 100 a minute, with bursts),
and many people may open the Home at once (a weekly post's button, the start of a day).
Requests go into a queue that keeps one entry per person (opening it three times while
waiting publishes once, the latest), worker threads build each view off the request path,
a token bucket per workspace keeps the pace under the limit, and a view equal to the one
Slack says is published already is not sent again. A 429 that still comes is waited out
by the client's RateLimitErrorRetryHandler. Slow work a Home waits for (a new chart's
upload and Slack's processing of it) runs on a lane of its own (``meanwhile``), so it never
holds up another person's Home.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models.domain.scope import Scope

log = logging.getLogger(__name__)

SLACK_PER_MINUTE = 100  # views.publish per workspace (Slack's Tier 4)
# A token bucket lets ``BURST + PER_MINUTE`` through in a minute's window: together they
# stay within Slack's figure.
BURST = 10
PER_MINUTE = SLACK_PER_MINUTE - BURST
WORKERS = 4
SLOW_WORKERS = 4  # uploads for Homes (Tier 4, as views.publish): the pace keeps them in line

# The view for a person (``opened``: they just opened the Home); None: nothing to publish.
Build = Callable[[WebClient, Scope, str, bool], dict[str, Any] | None]
# What a listener calls after a person's change: their App Home, published anew if open.
Refresh = Callable[[WebClient, Scope, str], None]
_PUBLISHERS: weakref.WeakSet[HomePublisher] = weakref.WeakSet()


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class PublishCounts:
    published: int = 0
    unchanged: int = 0  # built, equal to what Slack shows: not sent
    merged: int = 0  # asked again while waiting: one publish served both
    unopened: int = 0  # a change by someone who never opened the Home: nothing to keep
    # When the latest publishes went out (the publisher's clock), for measuring the pace.
    published_at: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    failed: int = 0


@dataclass
class _Wanted:
    client: WebClient
    seen: str | None  # the fingerprint Slack says is published, if it said
    opened: bool  # asked by app_home_opened, not by a change


@dataclass
class HomePublisher:
    """Publishes Homes from a queue; ``request`` never waits on Slack."""

    build: Build
    fingerprint_of: Callable[[dict[str, Any]], str | None]
    per_minute: float = PER_MINUTE
    burst: float = BURST
    workers: int = WORKERS
    clock: Callable[[], float] = time.monotonic
    wait: Callable[[float], None] = time.sleep
    counts: PublishCounts = field(default_factory=PublishCounts)
    _queue: OrderedDict[tuple[Scope, str], _Wanted] = field(default_factory=OrderedDict)
    _buckets: dict[Scope, _Bucket] = field(default_factory=dict)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _threads: list[threading.Thread] = field(default_factory=list)
    _busy: int = 0
    _slow: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            max_workers=SLOW_WORKERS, thread_name_prefix="home-slow"
        )
    )

    def __post_init__(self) -> None:
        _PUBLISHERS.add(self)

    def __hash__(self) -> int:  # kept in a WeakSet by identity
        return id(self)

    def request(
        self,
        client: WebClient,
        scope: Scope,
        user_id: str,
        *,
        opened: bool = False,
        seen: str | None = None,
    ) -> None:
        """Publish the person's Home soon (``opened``: by ``app_home_opened``, whose view
        fingerprint is ``seen``)."""
        with self._lock:
            key = (scope, user_id)
            if (earlier := self._queue.get(key)) is not None:
                self.counts.merged += 1
                opened = opened or earlier.opened
                seen = None  # asked twice: publish even if it looked current once
            self._queue[key] = _Wanted(client, seen, opened)
            while len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, name="home-publisher", daemon=True)
                self._threads.append(thread)
                thread.start()
            self._lock.notify()

    def idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is queued or being published (tests, the demo, benchmarks)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._queue or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
        return True

    def meanwhile(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the slow lane, away from the publishing workers; ``idle`` waits
        for it too."""

        def run() -> None:
            try:
                work()
            except Exception:
                log.exception("slow work for a Home failed")
            finally:
                with self._lock:
                    self._busy -= 1
                    self._lock.notify_all()

        with self._lock:
            self._busy += 1
        self._slow.submit(run)

    @staticmethod
    def instances() -> list[HomePublisher]:
        """Every publisher alive in this process (for benchmarks)."""
        return list(_PUBLISHERS)

    @staticmethod
    def all_idle(timeout: float = 10.0) -> bool:
        """Wait until every publisher in the process is idle (a test's or the demo's end:
        nothing still writing to a database or a Slack about to go away)."""
        deadline = time.monotonic() + timeout
        return all(p.idle(max(0.0, deadline - time.monotonic())) for p in HomePublisher.instances())

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue:
                    self._lock.wait()
                (scope, user_id), wanted = self._queue.popitem(last=False)
                self._busy += 1
            try:
                self._publish(scope, user_id, wanted)
            except Exception:  # one person's Home must not stop the others'
                log.exception("publishing a Home failed")
                self._count("failed")
            finally:
                with self._lock:
                    self._busy -= 1
                    self._lock.notify_all()

    def _publish(self, scope: Scope, user_id: str, wanted: _Wanted) -> None:
        view = self.build(wanted.client, scope, user_id, wanted.opened)
        if view is None:
            self._count("unopened")
            return
        if wanted.seen is not None and self.fingerprint_of(view) == wanted.seen:
            self._count("unchanged")
            return
        self._take(scope)
        try:
            wanted.client.views_publish(user_id=user_id, view=view)
            self._count("published")
            self.counts.published_at.append(self.clock())
        except SlackApiError as error:
            self._count("failed")
            log.warning("views.publish failed: %s", error.response.get("error"))

    def _count(self, outcome: str) -> None:
        with self._lock:
            setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)

    def _take(self, scope: Scope) -> None:
        """Wait for the workspace's next publish slot (a token bucket)."""
        rate = self.per_minute / 60.0
        while True:
            with self._lock:
                now = self.clock()
                bucket = self._buckets.setdefault(scope, _Bucket(self.burst, now))
                bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * rate)
                bucket.at = now
                if bucket.tokens >= 1 - 1e-9:  # refilled exactly (floats round just short)
                    bucket.tokens = max(0.0, bucket.tokens - 1)
                    return
                pause = (1 - bucket.tokens) / rate
            self.wait(pause)
