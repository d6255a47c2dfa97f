"""Slack's rate limits, faked: each method's calls per minute and workspace, and the HTTP 429
with ``Retry-After`` the fake answers past them (``fake.limits``)."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

# Slack's limits per workspace and minute (../shared/reference/slack-rate-limits.md), for
# tests that post at scale: ``fake.limits.per_minute.update(SLACK_TIERS)``. The fake's own
# table, not the app's: it stands for Slack.
SLACK_TIERS: dict[str, int] = {
    "apps.connections.open": 1,
    "users.list": 20,
    **dict.fromkeys(
        ("chat.update", "conversations.history", "conversations.info", "conversations.open"), 50
    ),
    **dict.fromkeys(
        (
            "chat.postEphemeral",
            "conversations.members",
            "files.getUploadURLExternal",
            "files.completeUploadExternal",
            "files.info",
            "users.info",
            "views.open",
            "views.update",
            "views.publish",
        ),
        100,
    ),
    "chat.postMessage": 300,  # "several hundred a minute" per workspace
}


@dataclass
class MethodLimits:
    """Slack's per-method rate limits, per workspace (told apart by token): more than
    ``per_minute`` calls within a ``minute`` are answered with HTTP 429 and a Retry-After.
    ``minute`` is shorter for a test run at a faster clock (Retry-After is whole seconds,
    as Slack sends it, at least 1)."""

    per_minute: dict[str, int] = field(default_factory=dict)
    minute: float = 60.0
    seen: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    limited: dict[str, int] = field(default_factory=dict)  # 429s answered, by method
    lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, method: str, workspace: str = "") -> int | None:
        """Seconds to wait if this call is over the limit (then it isn't counted), else
        None."""
        limit = self.per_minute.get(method)
        if limit is None:
            return None
        now = time.monotonic()
        key = (workspace, method)
        with self.lock:
            recent = [t for t in self.seen.get(key, []) if now - t < self.minute]
            if len(recent) >= limit:
                self.seen[key] = recent
                self.limited[method] = self.limited.get(method, 0) + 1
                return max(1, math.ceil(self.minute - (now - recent[0])))
            recent.append(now)
            self.seen[key] = recent
            return None
