"""The FastAPI app: Slack's request URL and health checks. The glue is short on purpose."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.starlette.handler import to_starlette_response
from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool

from models.db import create_db_engine, session_factory
from slackapp.bolt_app import create_bolt_app
from slackapp.clock import Clock, system_clock
from slackapp.settings import Settings


def create_web_app(*, bolt: App, engine: Engine) -> FastAPI:
    """``/slack/events`` for commands, interactivity and events; ``/healthz``."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    api = FastAPI(
        title="SSI Leaderboard",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )

    @api.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        # Slack always sends UTF-8; anything else fails the signature check below (401).
        bolt_request = BoltRequest(
            body=body.decode("utf-8", errors="replace"),
            query=request.url.query,
            headers=dict(request.headers),
        )
        # Bolt's dispatch is synchronous (database, Web API calls): keep it off the event
        # loop so one slow request never stalls the others.
        bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

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


def create_app(settings: Settings, *, clock: Clock = system_clock) -> FastAPI:
    """The whole app for one process: engine, sessions, Bolt, routes."""
    engine = create_db_engine(settings.database_url)
    bolt = create_bolt_app(settings=settings, sessions=session_factory(engine), clock=clock)
    return create_web_app(bolt=bolt, engine=engine)
