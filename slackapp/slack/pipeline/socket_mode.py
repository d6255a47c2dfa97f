"""The app over Slack's Socket Mode: for a team with no public HTTPS address.

With an app-level token (``SLACK_APP_TOKEN``, ``xapp-...``) the app opens a websocket to
Slack (``apps.connections.open``) and receives its commands, interactions and events over
it: Bolt's Socket Mode handler dispatches each to the same listeners as HTTP and sends the
acknowledgement. Slack closes such sockets routinely (and networks break them); slack-sdk's
client on the ``websocket-client`` library notices a closed connection at once, and
``socket_client`` makes it ask Slack for one new URL each time (Tier 1: about one a minute),
waiting as long as Slack says when refused, so that an outage at start doesn't leave the
process serving nothing either. ``/readyz`` fails while the socket is down, ``/healthz`` once
it has been down for longer than a reconnect takes.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.websocket_client import SocketModeClient

from slackapp.metrics.instruments import observe_request
from slackapp.slack.pipeline.socket_client import ClientClosed, OneDialSocketModeClient

log = logging.getLogger(__name__)

STALE_AFTER = 120.0  # seconds without a socket before the process counts as unhealthy


class _ContextPerEnvelope(SocketModeHandler):
    """Bolt's handler, dispatching each envelope in a context of its own, as the HTTP side
    does: the middleware sets the request's language and workspace there, and the client's
    worker threads would otherwise carry them into the next envelope."""

    def __init__(self, app: App, client: OneDialSocketModeClient) -> None:
        # Bolt's own __init__ would make a stock client; this one runs on ours.
        self.app, self.app_token, self.client = app, client.app_token, client
        client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]

    # Bolt's own handler narrows the client type the same way.
    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        started, status = time.monotonic(), 500
        try:
            contextvars.copy_context().run(super().handle, client, req)
            status = 200  # Bolt's error handler answered any listener's failure
        finally:
            payload = req.payload if isinstance(req.payload, dict) else {}
            observe_request(payload, status, time.monotonic() - started)


class SocketLine:
    """Slack's websocket for one process (``start()`` connects, the returned function
    closes)."""

    def __init__(
        self,
        bolt: App,
        *,
        app_token: str,
        api_url: str,
        timeout: int = 10,
        clock: Callable[[], float] = time.monotonic,
        stale_after: float = STALE_AFTER,
    ) -> None:
        # Its own Web API client: apps.connections.open takes the app-level token. No retry
        # handler waits out a 429 there: the socket client does, and stops when closed.
        web_client = WebClient(base_url=api_url, timeout=timeout)
        self.client = OneDialSocketModeClient(
            app_token=app_token, web_client=web_client, logger=bolt.logger
        )
        self.handler = _ContextPerEnvelope(bolt, self.client)
        self.clock = clock
        self.stale_after = stale_after
        self._down_since: float | None = clock()

    @property
    def connected(self) -> bool:
        return self.client.is_connected()

    def problem(self) -> str | None:
        """None while the socket is open; else what is wrong (for ``/readyz``)."""
        if self.connected:
            self._down_since = None
            return None
        if self._down_since is None:
            self._down_since = self.clock()
        return "not connected to Slack (Socket Mode); reconnecting"

    def stale(self) -> bool:
        """Down for longer than a reconnect takes (``/healthz``: restart the process)."""
        return self.problem() is not None and (
            self._down_since is not None and self.clock() - self._down_since > self.stale_after
        )

    def start(self) -> Callable[[], None]:
        thread = threading.Thread(target=self._connect, name="socket-mode", daemon=True)
        thread.start()

        def close() -> None:
            self.client.closing.set()  # a first connection still waiting for Slack gives up
            thread.join(timeout=5)
            self.handler.close()

        return close

    def _connect(self) -> None:
        try:
            self.handler.connect()  # returns once Slack gave a URL: waits out refusals
        except ClientClosed:
            return
        # Up from here: a later drop counts from when it is first seen, not from when this
        # process started.
        self._down_since = None
        log.info("connected to Slack over Socket Mode")
