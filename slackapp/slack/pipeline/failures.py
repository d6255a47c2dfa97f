"""What Slack gets when a listener fails: one answer for every surface, in one place.
Never a 500 or a stack trace for the person; the listener's transaction has rolled back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from models.store.db import is_busy
from slackapp.metrics.instruments import LISTENER_ERRORS, request_kind
from slackapp.render.notices import busy_reply, internal_error_reply
from slackapp.slack.pipeline.dispatch import failure_answer

log = logging.getLogger(__name__)


def register_failures(
    app: App, on_slack_error: Callable[[Exception, BoltContext], None] | None
) -> None:
    """Never a 500 or a stack trace for the user; the transaction has rolled back.
    ``on_slack_error``: told of every listener's failure, to drop a token Slack says is
    gone."""

    @app.error
    def on_error(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse:
        if on_slack_error is not None:
            on_slack_error(error, context)
        workspace = body.get("team_id") or (body.get("team") or {}).get("id")
        if is_busy(error):
            log.warning(
                "database busy: answered busy, nothing saved", extra={"workspace": workspace}
            )
            return failure_answer(body, busy_reply(), busy=True)
        LISTENER_ERRORS.labels(request_kind(body)).inc()
        log.exception("listener failed", extra={"workspace": workspace})
        return failure_answer(body, internal_error_reply())
