"""Bolt's dispatch, off the event loop and inside Slack's three seconds.

Every request is dispatched on a worker thread, so the event loop (and ``/healthz``) never
waits on the database. With SQLite there is one worker, as there is one connection; with
PostgreSQL as many as the pool has connections. A request that waited for a worker longer
than ``QUEUE_SECONDS`` (the database was held up behind it) is answered "busy, nothing
saved" without being run, and a running one waits at most ``DB_WAIT_SECONDS`` for the
database, so Slack always hears back in time.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine

from models.store.db import connections
from slackapp.metrics.instruments import BUSY, QUEUE_WAIT, observe_request, request_kind
from slackapp.render.blocks import Message
from slackapp.render.notices import busy_reply

QUEUE_SECONDS = 0.8


class Dispatcher:
    """Runs ``bolt.dispatch`` on its own workers; ``await dispatcher(request)``."""

    def __init__(self, bolt: App, engine: Engine, verifier: SignatureVerifier) -> None:
        self.bolt = bolt
        self.verifier = verifier  # Bolt checks signatures itself; a busy answer skips Bolt
        self._workers = ThreadPoolExecutor(
            max_workers=connections(engine), thread_name_prefix="dispatch"
        )

    async def __call__(self, request: BoltRequest) -> BoltResponse:
        queued = time.monotonic()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers, self._measured, request, queued)

    def _measured(self, request: BoltRequest, queued: float) -> BoltResponse:
        # Counted here, on the worker, not on the event loop every request passes through.
        response = self._run(request, queued)
        observe_request(request.body, response.status, time.monotonic() - queued)
        return response

    def _run(self, request: BoltRequest, queued: float) -> BoltResponse:
        waited = time.monotonic() - queued
        QUEUE_WAIT.observe(waited)
        if waited > QUEUE_SECONDS:
            headers = request.headers
            signed = self.verifier.is_valid(
                body=request.raw_body,
                timestamp=(headers.get("x-slack-request-timestamp") or [""])[0],
                signature=(headers.get("x-slack-signature") or [""])[0],
            )
            if not signed:
                return BoltResponse(status=401, body="invalid signature")
            return failure_answer(request.body, busy_reply(), busy=True)
        # A context of its own: the middleware sets the request's language in it.
        return contextvars.copy_context().run(self.bolt.dispatch, request)

    def shutdown(self) -> None:
        self._workers.shutdown(wait=False, cancel_futures=True)


def _first_input_block(view: dict[str, Any]) -> str | None:
    for block in view.get("blocks") or []:
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None


def failure_answer(body: dict[str, Any], reply: Message, *, busy: bool = False) -> BoltResponse:
    """What Slack should get when a request could not be handled (nothing was saved).

    A command: the words, visible to its sender. A form: the words under its first input
    (Slack rejects errors on a block the form doesn't have). Anything else, when ``busy``:
    a 503, so Slack retries an event later and shows a button's failure."""
    if busy:
        BUSY.labels(request_kind(body)).inc()
    answer: dict[str, Any] | None = None
    if body.get("command"):
        answer = reply.ephemeral()
    elif body.get("type") == "view_submission":
        block = _first_input_block(body.get("view") or {})
        if block is not None:
            answer = {"response_action": "errors", "errors": {block: reply.text}}
    elif not busy:
        answer = reply.ephemeral()
    if answer is None:
        return BoltResponse(status=503, body=reply.text)
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )
