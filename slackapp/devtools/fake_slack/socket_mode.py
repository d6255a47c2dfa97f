"""Slack's Socket Mode, faked: the websocket that ``apps.connections.open`` hands out.

A websocket server on 127.0.0.1 (the ``websockets`` library). Each connection is greeted
with Slack's ``hello``; ``request()`` sends an envelope (``slash_commands``, ``interactive``
or ``events_api``, the payload exactly as Slack would POST it over HTTP) and waits for the
app's acknowledgement, which it returns and records. ``refresh()`` asks the app to reconnect
as Slack does routinely (a ``disconnect`` message, then the socket closes); ``drop()`` cuts
the connection without a word, as a network does. ``SocketSide`` plays Slack's requests
over it as ``SlackSide`` plays them over HTTP.
"""

from __future__ import annotations

import itertools
import json
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from slackapp.devtools.slack_requests import FORM, Answer
from slackapp.devtools.slack_side import SlackSide

APP_ID = "A0SSI"


@dataclass(frozen=True)
class Ack:
    """What the app sent back for an envelope: its id and, where the app answers in the
    acknowledgement (a slash command's reply, a modal's errors), that payload."""

    envelope_id: str
    payload: dict[str, Any] | None
    at: float


class SocketLink:
    """The fake Socket Mode server. ``url()`` gives a new connection URL, as each
    ``apps.connections.open`` does."""

    def __init__(self) -> None:
        self._server: Server = serve(self._serve, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._lock = threading.Condition()
        self._current: ServerConnection | None = None
        self._ids = itertools.count(1)
        self.connections = 0  # how many times the app connected
        self.acks: list[Ack] = []
        self.envelopes: list[dict[str, Any]] = []  # what was sent, in order

    @property
    def port(self) -> int:
        return int(self._server.socket.getsockname()[1])

    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={secrets.token_hex(8)}&app_id={APP_ID}"

    def close(self) -> None:
        self._server.shutdown()

    # --- the app's side of the line ------------------------------------------------------

    def _serve(self, connection: ServerConnection) -> None:
        with self._lock:
            self.connections += 1
            self._current = connection
            self._lock.notify_all()
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
            "connection_info": {"app_id": APP_ID},
        }
        try:
            connection.send(json.dumps(hello))
            for message in connection:
                answer = json.loads(message)
                with self._lock:
                    self.acks.append(Ack(answer["envelope_id"], answer.get("payload"), time.time()))
                    self._lock.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                if self._current is connection:
                    self._current = None
                self._lock.notify_all()

    # --- scripting -------------------------------------------------------------------------

    def wait_connected(self, connections: int = 1, timeout: float = 10.0) -> None:
        """Until the app has connected ``connections`` times in all and is connected now."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.connections < connections or self._current is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"the app connected {self.connections} time(s)")
                self._lock.wait(remaining)

    @property
    def connected(self) -> bool:
        with self._lock:
            return self._current is not None

    def send(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0) -> str:
        """Send an envelope of ``kind`` on the current connection; its envelope id."""
        envelope_id = f"{next(self._ids):04d}-{secrets.token_hex(6)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        with self._lock:
            connection = self._current
            self.envelopes.append(envelope)
        if connection is None:
            raise ConnectionError("the app is not connected")
        connection.send(json.dumps(envelope))
        return envelope_id

    def ack_of(self, envelope_id: str, timeout: float = 10.0) -> Ack:
        """The app's acknowledgement of an envelope, once it came."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not (found := [a for a in self.acks if a.envelope_id == envelope_id]):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no acknowledgement of envelope {envelope_id}")
                self._lock.wait(remaining)
            return found[0]

    def request(self, kind: str, payload: dict[str, Any], timeout: float = 10.0) -> Ack:
        """Send an envelope and wait for its acknowledgement."""
        return self.ack_of(self.send(kind, payload), timeout)

    def refresh(self) -> None:
        """Slack's routine reconnect: a ``disconnect`` message, then the socket closes."""
        with self._lock:
            connection = self._current
        if connection is not None:
            notice = {"type": "disconnect", "reason": "refresh_requested", "debug_info": {}}
            connection.send(json.dumps(notice))
            connection.close()

    def drop(self) -> None:
        """The connection breaks without a word (the network, a load balancer)."""
        with self._lock:
            connection = self._current
        if connection is not None:  # no closing handshake: the TCP connection just ends
            connection.socket.shutdown(socket.SHUT_RDWR)
            connection.socket.close()


class SocketSide(SlackSide):
    """Plays Slack over Socket Mode: each request ``SlackSide`` would POST goes instead as
    an envelope on the fake's websocket (a command's form as a ``slash_commands`` payload,
    an interaction's ``payload`` as ``interactive``, an event as ``events_api``), and the
    app's acknowledgement is the answer. Nothing is signed: the socket is the app's own."""

    def post(
        self,
        body: str,
        *,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
        content_type: str = FORM,
    ) -> Answer:
        retry = int((headers or {}).get("X-Slack-Retry-Num") or 0)
        if content_type == "application/json":
            kind, payload = "events_api", json.loads(body)
        else:
            form = dict(parse_qsl(body, keep_blank_values=True))
            if "payload" in form:
                kind, payload = "interactive", json.loads(form["payload"])
            else:
                kind, payload = "slash_commands", form
        envelope_id = self.fake.socket.send(kind, payload, retry_attempt=retry)
        ack = self.fake.socket.ack_of(envelope_id)
        return Answer(200, "" if ack.payload is None else json.dumps(ack.payload))
