"""The FastAPI app: Slack's request URL and health checks. The glue is short on purpose."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool

from models.db import create_db_engine
from slackapp.bolt_app import create_bolt_app
from slackapp.clock import Clock, system_clock
from slackapp.settings import Settings


def create_web_app(
    *, bolt: App, engine: Engine, background: Callable[[], Callable[[], None]] | None = None
) -> FastAPI:
    """``/slack/events`` for commands, interactivity and events; ``/healthz``, ``/readyz``.

    Listeners only touch the database before answering; anything that calls Slack runs in
    a lazy listener afterwards. So with SQLite, whose calls are in-process and take
    microseconds, Bolt's synchronous dispatch runs right on the event loop: a thread hand-off
    per request cost more than the work (measured 746 against 1,323 requests a second). With
    PostgreSQL, queries wait on the network, so dispatch goes to the thread pool.
    """
    dispatch_inline = engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # ``background`` starts work beside the server (the weekly tick) and returns how
        # to stop it; it runs only while the server does.
        stop = background() if background is not None else None
        try:
            yield
        finally:
            if stop is not None:
                stop()
            engine.dispose()

    api = FastAPI(
        title="SSI Leaderboard",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )

    async def slack_events(request: Request) -> Response:
        body = await request.body()
        # Slack always sends UTF-8; anything else fails the signature check below (401).
        bolt_request = BoltRequest(
            body=body.decode("utf-8", errors="replace"),
            query=request.url.query,
            headers=dict(request.headers),
        )
        if dispatch_inline:
            bolt_response = bolt.dispatch(bolt_request)
        else:
            bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    # A plain Starlette route: FastAPI's dependency solving has nothing to do for a raw
    # signed body, and skipping it is measurably faster on the hot path.
    api.add_route("/slack/events", slack_events, methods=["POST"])

    @api.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/readyz")
    def readyz(response: Response) -> dict[str, str]:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            response.status_code = 503
            return {"status": "database unreachable"}
        return {"status": "ready"}

    return api


def create_app(
    settings: Settings, *, clock: Clock = system_clock, scheduler: bool = False
) -> FastAPI:
    """The whole app for one process: engine, Bolt, routes, and the weekly tick in a
    background thread when ``scheduler`` is set (a single node)."""
    engine = create_db_engine(settings.database_url)
    bolt = create_bolt_app(settings=settings, engine=engine, clock=clock)
    background = None
    if scheduler:
        from slackapp.scheduling import start_background
        from slackapp.weekly_run import WeeklyRunner

        def background() -> Callable[[], None]:
            runner = WeeklyRunner(engine=engine, client_for=lambda _: bolt.client, clock=clock)
            return start_background(runner).shutdown

    return create_web_app(bolt=bolt, engine=engine, background=background)
