"""The FastAPI app: Slack's request URL and health checks. The glue is short on purpose."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine

from models.store.inbound import seen_requests
from models.store.installations import TooManyInstallAttempts
from models.store.revision import behind
from slackapp.metrics.instruments import READY
from slackapp.slack.pipeline.bolt_request import SlackRequest
from slackapp.slack.pipeline.dispatch import Dispatcher

if TYPE_CHECKING:
    from slackapp.slack.pipeline.socket_mode import SocketLine

log = logging.getLogger(__name__)

# Slack's requests are a few kilobytes (a modal's state at most some tens); anything far
# bigger is refused before it is read into memory.
MAX_BODY_BYTES = 1 << 20


async def _limited_body(request: Request) -> bytes | None:
    """The body, or None when it is over ``MAX_BODY_BYTES`` (declared or as it streams)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class SlackReachability:
    """Whether Slack answers the app's token (single-workspace mode): asked with auth.test,
    a success remembered, a failure for ``retry_after`` seconds so that probes don't flood
    Slack."""

    def __init__(self, client: WebClient, retry_after: float = 10.0) -> None:
        self.client = client
        self.retry_after = retry_after
        self._ok = False
        self._failed_at = -retry_after
        self._problem = "not checked yet"
        self._lock = threading.Lock()

    def problem(self) -> str | None:
        """None when Slack answered; else what went wrong, in a few words."""
        with self._lock:
            if self._ok:
                return None
            if time.monotonic() - self._failed_at < self.retry_after:
                return self._problem
            try:
                self.client.auth_test()
            except SlackApiError as error:
                self._problem = f"Slack refused the token ({error.response.get('error')})"
            except Exception as error:
                self._problem = f"Slack can't be reached ({type(error).__name__})"
            else:
                self._ok = True
                return None
            self._failed_at = time.monotonic()
            return self._problem


def create_web_app(
    *,
    bolt: App,
    engine: Engine,
    signing_secret: str,
    background: Callable[[], Callable[[], None]] | None = None,
    slack: SlackReachability | None = None,
    socket: SocketLine | None = None,
    on_stop: Callable[[], None] | None = None,
) -> FastAPI:
    """``/slack/events`` for commands, interactivity and events; ``/healthz``, ``/readyz``.

    With ``socket`` (Socket Mode), Slack's requests come over its websocket instead, and the
    health checks say whether it is open. Listeners only touch the database before
    answering; anything that calls Slack runs in a lazy listener afterwards. Dispatch runs
    on worker threads (``Dispatcher``), so the event loop, and with it ``/healthz``, never
    waits on the database.
    """
    verifier = SignatureVerifier(signing_secret)
    dispatch = Dispatcher(bolt, engine, verifier)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # ``background`` starts work beside the server (the weekly tick) and returns how
        # to stop it; it runs only while the server does.
        if slack is not None and (problem := slack.problem()) is not None:
            log.warning(
                "%s at start: serving anyway; /readyz says not ready until it answers", problem
            )
        stop = background() if background is not None else None
        close_socket = socket.start() if socket is not None else None
        try:
            yield
        finally:
            if close_socket is not None:
                close_socket()
            if stop is not None:
                stop()
            if on_stop is not None:  # threads of the app's own (asking Slack for locales)
                on_stop()
            dispatch.shutdown()
            engine.dispose()

    api = FastAPI(
        title="SSI Leaderboard",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )

    async def slack_events(request: Request) -> Response:
        # A timestamp that isn't a whole number makes the signature check raise instead of
        # refuse; nobody but an attacker sends one, so it is refused here like a bad signature.
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        if not (timestamp.isascii() and timestamp.isdigit()):
            log.warning("refused a request whose X-Slack-Request-Timestamp isn't a number")
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        body = await _limited_body(request)
        if body is None:
            return JSONResponse(
                {"error": f"Request body over {MAX_BODY_BYTES} bytes; Slack never sends one."},
                status_code=413,
            )
        # Slack always sends UTF-8; anything else fails the signature check below (401).
        decoded = body.decode("utf-8", errors="replace")
        headers = dict(request.headers)
        try:
            bolt_request = SlackRequest(body=decoded, query=request.url.query, headers=headers)
            bolt_response = await dispatch(bolt_request)
        except Exception as error:
            # Listeners' failures are answered by Bolt's error handler; what reaches here is
            # a body Bolt couldn't read (a payload that isn't JSON, or not the right shape).
            if not verifier.is_valid_request(decoded, headers):
                return JSONResponse({"error": "invalid signature"}, status_code=401)
            log.warning("unreadable Slack request: %s", type(error).__name__)
            return JSONResponse({"error": "malformed request"}, status_code=400)
        return to_starlette_response(bolt_response)

    # A plain Starlette route: FastAPI's dependency solving has nothing to do for a raw
    # signed body, and skipping it is measurably faster on the hot path.
    api.add_route("/slack/events", slack_events, methods=["POST"])

    oauth = bolt.oauth_flow
    if oauth is not None:  # many workspaces: Slack's OAuth v2 flow, run by Bolt

        def as_bolt(request: Request) -> BoltRequest:
            return BoltRequest(body="", query=request.url.query, headers=dict(request.headers))

        @api.get(oauth.install_path)
        def install(request: Request) -> Response:
            try:
                return to_starlette_response(oauth.handle_installation(as_bolt(request)))
            except TooManyInstallAttempts as flood:
                log.warning("install page refused: %s", flood)
                return PlainTextResponse(
                    "Too many installs are in progress. Please try again in a few minutes.",
                    status_code=503,
                    headers={"Retry-After": "60"},
                )

        @api.get(oauth.redirect_uri_path)
        def oauth_redirect(request: Request) -> Response:
            return to_starlette_response(oauth.handle_callback(as_bolt(request)))

    @api.get("/healthz")
    async def healthz(response: Response) -> dict[str, str]:
        if socket is not None and socket.stale():  # reconnecting failed for minutes
            response.status_code = 503
            return {"status": "Socket Mode disconnected"}
        return {"status": "ok"}

    @api.get("/readyz")
    def readyz(response: Response) -> dict[str, str]:
        """Ready when the database answers, its schema is the one this code expects, and it
        takes a write (and Slack, or its socket, answers)."""
        problem = _not_ready()
        READY.set(0 if problem else 1)  # flapping readiness shows in its changes
        if problem:
            response.status_code = 503
            return {"status": problem}
        return {"status": "ready"}

    def _not_ready() -> str | None:
        try:
            out_of_date = behind(engine)
        except Exception:
            return "database unreachable"
        if out_of_date:
            return "database migrations pending: run `ssi-leaderboard db upgrade`"
        try:
            with engine.begin() as db:
                seen_requests.write_probe(db=db)
        except Exception as error:
            log.warning("readiness: the database refused a write: %s", type(error).__name__)
            return "database refuses writes (disk full or read-only?)"
        for link in (slack, socket):
            if link is not None and (problem := link.problem()) is not None:
                return problem
        return None

    return api
