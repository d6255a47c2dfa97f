"""Each Events API event is handled once, whichever replica Slack's redelivery reaches."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import Engine

from models.store.inbound import handled_events

log = logging.getLogger(__name__)


def once_per_event(engine: Engine) -> Callable[[BoltRequest, BoltResponse, Callable[[], Any]], Any]:
    """Bolt middleware: an event whose ``event_id`` was taken in already is acknowledged and
    dropped; one whose handling fails is released, so Slack's next redelivery may retry it.
    Time is the real clock's: it is about Slack's real retry timing."""

    def middleware(req: BoltRequest, resp: BoltResponse, next: Callable[[], Any]) -> Any:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if not isinstance(event_id, str) or not event_id:
            return next()
        with engine.begin() as db:
            first = handled_events.take(db=db, event_id=event_id, at=datetime.now(UTC))
        if not first:
            retry = req.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("event %s redelivered (retry %s): handled already", event_id, retry)
            return BoltResponse(status=200, body="")
        try:
            return next()
        except Exception:
            with engine.begin() as db:
                handled_events.release(db=db, event_id=event_id)
            raise

    return middleware
