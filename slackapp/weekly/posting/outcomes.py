"""What a tick's posts came to: the report, and the workspaces whose posts are under way
(one is being sent while the next is computed)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from models.store.weekly import ledger


@dataclass
class TickReport:
    """What one tick did."""

    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: int = 0
    abandoned: int = 0

    def __str__(self) -> str:
        sent = ", ".join(f"{kind} {count}" for kind, count in sorted(self.sent.items()))
        return f"sent: {sent or 'nothing'}; failed {self.failed}; abandoned {self.abandoned}"


@dataclass
class Sending:
    """A workspace's posts under way (kind, outcome to come) and its reminder rounds."""

    posts: list[tuple[str, Future[str]]]
    rounds: list[ledger.Claim]


@dataclass
class Pipeline:
    """A tick's workspaces in flight: one is being sent while the next is computed."""

    finish: Callable[[Sending, TickReport], None]
    report: TickReport
    under_way: Sending | None = None

    def add(self, started: Sending) -> None:
        """Keep ``started`` under way; count the workspace before it once all are in."""
        self.drain()
        self.under_way = started

    def drain(self) -> None:
        if self.under_way is not None:
            self.finish(self.under_way, self.report)
            self.under_way = None
