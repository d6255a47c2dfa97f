"""slack-sdk's Socket Mode client (on ``websocket-client``), asking Slack for one URL per
connection it needs.

``apps.connections.open`` is a Tier 1 method: about one call a minute per app, HTTP 429
with a Retry-After beyond. slack-sdk's client has three ways of reconnecting that don't
know of each other, and each sees a session that is made but not yet open (its one
receiving thread starts a new session only after the old one has ended) as a dead one:

- its monitor runs at once when the first session is made, and every ``ping_interval``;
- the end of every session, the replaced one included, reconnects (``on_close``);
- Slack's ``disconnect`` message reconnects.

So start asked for two URLs and each refresh for two more. Here the first two are off
(``auto_reconnect_enabled=False``) and one rule takes their place: when the current session
ends, and Slack didn't ask it to go (the third way dials for those), dial once. Meanwhile
there is no current session, which slack-sdk's receiving thread would otherwise run again
on its old URL. Dialing waits out a 429 as Retry-After says and other failures with a
growing pause, and ends when the client closes.

Two things about ending a session, each of which cost 10 s:
- From outside its receiving thread (on a refresh, on close), it is ended by shutting its
  socket down and letting that thread close it. slack-sdk closes it from outside: the socket
  leaves the thread's ``select`` before the thread has seen it wake, and the thread sleeps
  out websocket-client's 10 s, which ``close()`` waits for.
- When Slack closes a session, websocket-client answers the close but leaves the TCP
  connection open (until garbage collection) while Slack waits for it to end: it is closed
  here once the session has ended.

Checked on slack-sdk 3.47 and websocket-client 1.9: only public names are used, but the
behaviour above is theirs; tests/slackapp/slack/pipeline/test_socket_mode.py counts the calls
and times the closing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.websocket_client import SocketModeClient
from websocket import WebSocket, WebSocketApp

from slackapp.slack.calls.rate_limits import retry_after_seconds

log = logging.getLogger(__name__)

FIRST_PAUSE, LONGEST_PAUSE = 1.0, 30.0  # seconds between failed dials, Retry-After aside
LET_GO = 2.0  # seconds a receiving thread gets to close its socket before it is closed for it


class ClientClosed(Exception):
    """The client was closed while it waited to dial Slack."""


class OneDialSocketModeClient(SocketModeClient):
    """The websocket-client Socket Mode client, dialing Slack once per connection needed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(auto_reconnect_enabled=False, **kwargs)
        self.closing = threading.Event()
        self._asked_to_go: WebSocketApp | None = None
        self._open: tuple[WebSocketApp, WebSocket] | None = None  # a session and its socket
        self.on_open_listeners.append(self._opened)
        self.on_message_listeners.append(self._note_disconnect)
        self.on_close_listeners.append(self._ended)

    def issue_new_wss_url(self) -> str:
        """A new URL from ``apps.connections.open``, however long Slack takes to give one."""
        pause = FIRST_PAUSE
        while not self.closing.is_set():
            try:
                url = self.web_client.apps_connections_open(app_token=self.app_token)["url"]
                return str(url)
            except SlackApiError as error:
                if error.response.status_code == 429:
                    wait = retry_after_seconds(error.response.headers)
                else:
                    wait, pause = pause, min(pause * 2, LONGEST_PAUSE)
                reason = error.response.get("error")
            except Exception as error:  # Slack unreachable, or a garbled answer
                wait, pause, reason = pause, min(pause * 2, LONGEST_PAUSE), str(error)
            log.warning("apps.connections.open failed (%s); again in %.0f s", reason, wait)
            self.closing.wait(wait)
        raise ClientClosed

    def connect_to_new_endpoint(self, force: bool = False) -> None:
        with contextlib.suppress(ClientClosed):  # closed while waiting for Slack
            super().connect_to_new_endpoint(force)

    def connect(self) -> None:
        if self.current_session is not None:
            self._let_go(self.current_session)
        super().connect()

    def close(self) -> None:
        self.closing.set()
        if self.current_session is not None:
            self._let_go(self.current_session)
        # The message thread stops once closed, but waits up to a second for a message
        # first: an empty one (which slack-sdk skips) wakes it.
        self.closed = True
        self.message_queue.put(None)
        super().close()

    # The listeners below run on the thread receiving on ``session``, in this order.

    def _opened(self, session: WebSocketApp) -> None:
        if session.sock is not None:
            self._open = (session, session.sock)

    def _note_disconnect(self, session: WebSocketApp, message: str) -> None:
        if '"disconnect"' in message and json.loads(message).get("type") == "disconnect":
            self._asked_to_go = session

    def _ended(self, session: WebSocketApp) -> None:
        """Close the session's TCP connection; if it was the current session, replace it
        (on this thread, which has nothing else to run)."""
        if self._open is not None and self._open[0] is session:
            self._open[1].shutdown()
            self._open = None
        with self.connect_operation_lock:  # not while a new session is being made
            if session is not self.current_session:
                return  # replaced already (a refresh)
            # slack-sdk's receiving thread would run it again, on its old URL.
            self.current_session = None
        if not self.closing.is_set() and session is not self._asked_to_go:
            # (Slack's disconnect message is answered with a new session where it is read.)
            self.connect_to_new_endpoint(force=True)

    def _let_go(self, session: WebSocketApp) -> None:
        """End ``session`` from another thread: shut its socket down, which wakes the thread
        receiving on it, and give that thread a moment to close it."""
        sock = session.sock
        if sock is None:
            return  # not running
        session.keep_running = False  # the thread ends quietly once it wakes
        sock.abort()
        deadline = time.monotonic() + LET_GO
        while session.sock is not None and time.monotonic() < deadline:
            time.sleep(0.01)
