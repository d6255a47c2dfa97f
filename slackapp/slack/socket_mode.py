"""The app over Slack's Socket Mode: for a team with no public HTTPS address.

With an app-level token (``SLACK_APP_TOKEN``, ``xapp-...``) the app opens a websocket to
Slack (``apps.connections.open``) and receives its commands, interactions and events over
it: Bolt's Socket Mode handler dispatches each to the same listeners as HTTP and sends the
acknowledgement. Slack closes such sockets routinely (and networks break them); slack-sdk's
client on the ``websocket-client`` library notices a closed connection at once and
reconnects by itself once it has connected. The first connection is
retried here, with a growing pause, so that a Slack outage at start doesn't leave the
process serving nothing. ``/readyz`` fails while the socket is down, ``/healthz`` once it
has been down for longer than a reconnect takes.
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

log = logging.getLogger(__name__)

STALE_AFTER = 120.0  # seconds without a socket before the process counts as unhealthy
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 30.0  # between attempts at the first connection


class _ContextPerEnvelope(SocketModeHandler):
    """Bolt's handler, dispatching each envelope in a context of its own, as the HTTP side
    does: the middleware sets the request's language and workspace there, and the client's
    worker threads would otherwise carry them into the next envelope."""

    # Bolt's own handler narrows the client type the same way.
    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        contextvars.copy_context().run(super().handle, client, req)


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
        # Its own Web API client: apps.connections.open takes the app-level token.
        web_client = WebClient(base_url=api_url, timeout=timeout)
        self.handler = _ContextPerEnvelope(app=bolt, app_token=app_token, web_client=web_client)
        self.clock = clock
        self.stale_after = stale_after
        self._down_since: float | None = clock()
        self._stop = threading.Event()

    @property
    def connected(self) -> bool:
        return self.handler.client.is_connected()

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
            self._stop.set()
            thread.join(timeout=5)
            self.handler.close()

        return close

    def _connect(self) -> None:
        pause = FIRST_PAUSE
        while not self._stop.is_set():
            try:
                self.handler.connect()
                # Up from here: a later drop counts from when it is first seen, not from
                # when this process started.
                self._down_since = None
                log.info("connected to Slack over Socket Mode")
                return
            except Exception as error:  # Slack unreachable, or the token refused
                log.warning("Socket Mode connection failed (%s); retrying in %.0f s", error, pause)
            self._stop.wait(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
