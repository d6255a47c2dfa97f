"""The app for one process, built once: settings → engine → Bolt app → weekly runner.

``serve`` (the web app, with the tick beside it on a single node), ``tick``, ``scheduler``
and the demo all start here, so there is one place that decides how the parts are made and
joined. Parts are built when first asked for: a ``tick`` never builds Bolt."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import timedelta
from functools import cached_property

from fastapi import FastAPI
from slack_bolt import App
from sqlalchemy import Engine

from models.store.db import DB_WAIT_SECONDS, create_db_engine
from slackapp.clock import Clock, system_clock
from slackapp.language.catalogs import compile_all
from slackapp.ocr import screenshot_text
from slackapp.settings import Settings
from slackapp.slack.bolt_app import create_bolt_app
from slackapp.slack.calls.rate_limits import SlackPace, limits_for
from slackapp.slack.calls.shared_pauses import SharedPauses
from slackapp.slack.pipeline.person_language import PersonLanguage
from slackapp.weekly.posting.pacing import ChannelPacer
from slackapp.weekly.runner import WeeklyRunner


class SsiApp:
    """One process's parts. ``wait``: how long a request may wait for the database (the
    web app's bound); None for jobs, which may wait their turn. ``pacer``: how fast posts
    go into one channel (Slack's pace unless given)."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = system_clock,
        wait: float | None = None,
        pacer: ChannelPacer | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.pacer = pacer  # the demo's runs at full speed
        self.engine: Engine = create_db_engine(settings.database_url, wait=wait)
        # Slack's limits kept by every client of the process, and a 429's Retry-After
        # honoured by every process on the same database.
        self.pace = SlackPace(
            limits_for(distributed=settings.multi_workspace), shared=SharedPauses(self.engine)
        )
        # The catalogs now, not inside the first request's three seconds (and a broken one
        # stops the start rather than a reply).
        compile_all()

    @cached_property
    def languages(self) -> PersonLanguage:
        """Whose language each request is answered in (asking Slack on a thread of its own)."""
        return PersonLanguage(engine=self.engine, clock=self.clock, pace=self.pace)

    @cached_property
    def bolt(self) -> App:
        return create_bolt_app(
            settings=self.settings,
            engine=self.engine,
            clock=self.clock,
            pace=self.pace,
            languages=self.languages,
        )

    @cached_property
    def runner(self) -> WeeklyRunner:
        """The weekly runner as ``serve``, ``scheduler`` and ``tick`` run it."""
        from slackapp.slack.calls.workspaces import workspaces_for  # the OAuth store, when ticking

        return WeeklyRunner(
            engine=self.engine,
            client_for=workspaces_for(self.settings, self.engine, self.pace).client_for,
            clock=self.clock,
            pacer=self.pacer,
            retention=timedelta(days=self.settings.data_retention_days),
            lease=timedelta(seconds=self.settings.post_lease_seconds),
        )

    def web(self, *, scheduler: bool = False) -> FastAPI:
        """Slack's request URL and the health checks; with ``scheduler``, the weekly tick
        in a background thread while the server runs (a single node)."""
        from slackapp.web import SlackReachability, create_web_app

        background = None
        if scheduler:
            from slackapp.weekly.scheduling import start_background

            def background() -> Callable[[], None]:
                return start_background(self.runner)

        socket = None
        if self.settings.slack_app_token is not None:  # Socket Mode: no public address
            from slackapp.slack.pipeline.socket_mode import SocketLine

            socket = SocketLine(
                self.bolt,
                app_token=self.settings.slack_app_token.get_secret_value(),
                api_url=self.settings.slack_api_url,
                timeout=self.settings.slack_timeout_seconds,
            )
        return create_web_app(
            bolt=self.bolt,
            socket=socket,
            engine=self.engine,
            signing_secret=self.settings.slack_signing_secret.get_secret_value(),
            background=background,
            # One workspace: its token must work. Many: each installation's token is
            # checked by Bolt when its requests come in.
            slack=None if self.settings.multi_workspace else SlackReachability(self.bolt.client),
            on_stop=self._stop,
        )

    def _stop(self) -> None:
        """The process is stopping: no more asks of Slack, no more pictures read."""
        self.languages.close()
        screenshot_text.close_all()

    def close(self) -> None:
        self.engine.dispose()


def create_app(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    scheduler: bool = False,
    whole_process: bool = False,
) -> FastAPI:
    """The web app for one process (what ``serve`` runs). ``whole_process``: the app is
    all the process will ever serve (``serve``; not a test's many apps in one process)."""
    app = SsiApp(settings, clock=clock, wait=DB_WAIT_SECONDS).web(scheduler=scheduler)
    if whole_process:
        # What is built by now (modules, the app, its catalogs) lives as long as the process:
        # frozen, it is left out of the collector's sweeps, whose full passes over it were
        # the long tail of /ssi's answers (p99 80 -> 31 ms at 32 connections; gc.freeze).
        gc.collect()
        gc.freeze()
    return app
