"""What the fake Slack records and how it can be scripted: each call it received, and the
faults (429, 500, ``ok: false``, delays) it answers with when told to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Call:
    """One request the fake received: a Web API method or a post to a response_url."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.params.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    @property
    def view(self) -> dict[str, Any]:
        view = self.params.get("view") or {}
        return json.loads(view) if isinstance(view, str) else view


@dataclass(frozen=True)
class Fault:
    """A scripted answer: an HTTP status (429 with ``retry_after``, 500), an ``ok: false``
    ``error``, and/or a ``delay`` in seconds before answering."""

    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0


def parse_body(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {"_": parsed}
    return {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}
