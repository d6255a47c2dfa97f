"""One pace per workspace and Web API method, shared by every thread of the process.

Slack limits each method per workspace and minute (its tiers: ``PER_MINUTE``) and answers
HTTP 429 with a Retry-After past them. Left to slack-sdk's retry handler alone, each thread
waits out its own 429 while the others keep calling the closed method, and most calls of a
busy method are refused. Here every call first takes a turn: at most the method's limit
within any minute, and none while a Retry-After seen by any thread runs. A 429 that still
comes (another process, Slack counting differently) closes the method for every thread,
and, with ``shared`` (``shared_pauses``), for every process.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

# Calls a minute, per workspace, as ../shared/reference/slack-rate-limits.md gives them:
# Tier 1 = 1, Tier 2 = 20, Tier 3 = 50, Tier 4 = 100. chat.postMessage has no tier: about
# one a second per channel (``weekly.pacing``) and several hundred a minute per workspace.
TIER_1, TIER_2, TIER_3, TIER_4 = 1, 20, 50, 100
PER_MINUTE: Mapping[str, int] = {
    "apps.connections.open": TIER_1,
    "users.list": TIER_2,
    "chat.update": TIER_3,
    "conversations.history": TIER_3,
    "conversations.info": TIER_3,
    "conversations.open": TIER_3,
    "chat.postEphemeral": TIER_4,
    "conversations.members": TIER_4,
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
    "files.info": TIER_4,
    "users.info": TIER_4,
    "views.open": TIER_4,
    "views.update": TIER_4,
    "views.push": TIER_4,
    "views.publish": TIER_4,
    "chat.postMessage": 300,
}


@dataclass
class _Turns:
    """One workspace's method: when its recent calls went, and until when it is closed."""

    calls: deque[float] = field(default_factory=deque)
    closed_until: float = 0.0


# A call is counted by Slack when it arrives, by the pace when it leaves: a minute here is
# a little longer than Slack's, so that a call sent as the window opens, overtaking one
# sent earlier on the way, is not over the limit there.
MARGIN = 0.05
LONGEST_WAIT = 900.0  # seconds: a Retry-After beyond is taken as this


class Shared(Protocol):
    """Where processes tell each other of Slack's pauses (``shared_pauses.SharedPauses``)."""

    every: float  # seconds between reads

    def refused(self, workspace: str, method: str, seconds: float) -> None: ...

    def running(self) -> list[tuple[str, str, float]]: ...


class SlackPace:
    """Turns for calls, per workspace and method (``minute`` is shorter in tests that run
    Slack's limits at a faster clock, the fake Slack's the same)."""

    def __init__(
        self,
        limits: Mapping[str, int] = PER_MINUTE,
        *,
        minute: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        shared: Shared | None = None,
    ) -> None:
        self.limits = limits
        self.minute = minute * (1 + MARGIN)
        self.clock = clock
        self.sleep = sleep
        self.shared = shared
        self._turns: dict[tuple[str, str], _Turns] = {}
        self._lock = threading.Lock()
        self._reading = threading.Lock()  # one thread reads the shared pauses at a time
        self._read_at = -math.inf

    def __deepcopy__(self, memo: dict[int, object]) -> SlackPace:
        # Shared, never copied: Bolt deep-copies a request (its client included) for each
        # lazy listener, and a copy would pace nobody but itself.
        return self

    def take_turn(self, workspace: str, method: str) -> float:
        """Wait until a call of ``method`` may go to ``workspace``; returns the seconds
        waited."""
        waited = self.turn_within(workspace, method, math.inf)
        assert waited is not None
        return waited

    def turn_within(self, workspace: str, method: str, seconds: float) -> float | None:
        """A turn if one comes within ``seconds`` (waited for; returns the seconds waited),
        else None at once, and no turn is taken: for a call not worth a long wait."""
        limit = self.limits.get(method)
        waited = 0.0
        self._read_shared()
        while True:
            with self._lock:
                turns = self._turns.setdefault((workspace, method), _Turns())
                now = self.clock()
                while turns.calls and turns.calls[0] <= now - self.minute:
                    turns.calls.popleft()
                ready = turns.closed_until
                if limit is not None and len(turns.calls) >= limit:
                    ready = max(ready, turns.calls[0] + self.minute)
                if ready <= now:
                    turns.calls.append(now)
                    return waited
            if waited + (ready - now) > seconds:
                return None
            self.sleep(ready - now)
            waited += ready - now

    def refused(self, workspace: str, method: str, retry_after: float) -> None:
        """Slack answered 429: nobody (in this process, and with ``shared`` in any) calls
        ``method`` there for ``retry_after`` seconds."""
        self._close(workspace, method, retry_after)
        if self.shared is not None:
            self.shared.refused(workspace, method, retry_after)

    def _close(self, workspace: str, method: str, seconds: float) -> None:
        with self._lock:
            turns = self._turns.setdefault((workspace, method), _Turns())
            turns.closed_until = max(turns.closed_until, self.clock() + seconds)

    def _read_shared(self) -> None:
        """The pauses other processes saw, read at most once a ``shared.every`` seconds
        (by one thread; the others go on with what is known)."""
        if self.shared is None or self.clock() - self._read_at < self.shared.every:
            return
        if not self._reading.acquire(blocking=False):
            return
        try:
            self._read_at = self.clock()
            for workspace, method, seconds in self.shared.running():
                self._close(workspace, method, min(seconds, LONGEST_WAIT))
        finally:
            self._reading.release()


def retry_after_seconds(headers: Mapping[str, object] | None) -> float:
    """The seconds a 429's Retry-After asks for (headers as a dict of strings, or of lists
    of them), or 1 when it doesn't say."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list) and value else value
            try:
                seconds = float(str(first))
            except ValueError:
                break
            if math.isfinite(seconds):  # not "inf" or "nan": a header we can't trust
                return min(max(seconds, 0.0), LONGEST_WAIT)
            break
    return 1.0


def workspace_key(base_url: str, token: str | None) -> str:
    """What names a workspace's limits: its token (one per workspace, or per org for an
    org-wide install, the stricter reading), with the API's address, hashed so no token is
    kept in the key."""
    return hashlib.sha256(f"{base_url}\n{token or ''}".encode()).hexdigest()[:16]


# Slack's limit since 2025 for commercially distributed apps outside its Marketplace: one
# conversations.history call a minute (of 15 messages). An app installed through OAuth
# (many workspaces) is taken to be one; an app installed in its own workspace keeps Tier 3.
DISTRIBUTED: Mapping[str, int] = {**PER_MINUTE, "conversations.history": 1}


def limits_for(*, distributed: bool) -> Mapping[str, int]:
    """The per-minute limits an app installed this way has."""
    return DISTRIBUTED if distributed else PER_MINUTE


# The process's pace: every patient client shares it.
PROCESS_PACE = SlackPace()
