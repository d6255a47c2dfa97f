"""A fake Slack Web API that speaks real HTTP on 127.0.0.1, for tests, the demo and benchmarks.

Point the app's ``WebClient`` at ``fake.api_url`` (``SLACK_API_URL``). The fake records every
call (method, parameters, blocks) and every post to a ``response_url`` it handed out, answers
like Slack for the methods the app uses, and plays scripted faults: HTTP 429 with
``Retry-After``, server errors, ``ok: false`` errors and delays. Here: the server and what a
test scripts and reads of it; each request is handled in ``handler``, answered in ``answers``.
"""

from __future__ import annotations

import copy
import itertools
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from slackapp.devtools.fake_slack.calls import Call, Fault
from slackapp.devtools.fake_slack.files import FileStore
from slackapp.devtools.fake_slack.handler import RESPONSE_URL_PATH, handler_class
from slackapp.devtools.fake_slack.rate_limits import MethodLimits
from slackapp.devtools.fake_slack.shared_files import SharedFiles

if TYPE_CHECKING:
    from slackapp.devtools.fake_slack.socket_mode import SocketLink


@dataclass
class _State:
    calls: list[Call] = field(default_factory=list)
    faults: dict[tuple[str, str | None], deque[Fault]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, list[str]] = field(default_factory=dict)
    latency: float = 0.0
    # The OAuth flow: approved installs by code, and which workspace each token is for.
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    refresh_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Private channels, and whether the app was invited to each.
    private: dict[str, bool] = field(default_factory=dict)
    # Messages posted, newest last, by conversation id (a DM to a person under "D" + id).
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    # Slack takes many connections at once; the standard backlog of 5 resets the rest
    # when a tick's threads all call together.
    request_queue_size = 128


class FakeSlack:
    """The fake server. Use as a context manager, or ``start()`` and ``stop()``."""

    def __init__(self, *, team_id: str = "T0DEMO", team_name: str = "Demo Co") -> None:
        # Typed here, not inferred: answers.py reads them in an import cycle (for mypy).
        self.team_id: str = team_id
        self.team_name: str = team_name
        self._state = _State()
        self.files: FileStore = FileStore()  # uploads; ``files.processing``: seconds until usable
        self.shared_files = SharedFiles()  # what people share in a conversation
        self.limits: MethodLimits = MethodLimits()  # ``limits.per_minute["views.publish"] = 100``
        # Messages per conversations.history call: Slack gives an app outside its
        # Marketplace 15, whatever ``limit`` asks (None: as asked).
        self.history_page_max: int | None = None
        self._socket: SocketLink | None = None  # Socket Mode's websocket, once asked for
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._response_ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), handler_class(self))
        self._server.daemon_threads = True
        # A short poll interval: stop() waits for the serving loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an AF_INET server
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What ``SLACK_API_URL`` / ``WebClient(base_url=...)`` should be."""
        return f"{self.base_url}/api/"

    @property
    def socket(self) -> SocketLink:
        """Socket Mode's websocket server (started when first needed): send envelopes over
        it and read the app's acknowledgements."""
        with self._lock:
            if self._socket is None:
                from slackapp.devtools.fake_slack.socket_mode import SocketLink

                self._socket = SocketLink()
            return self._socket

    # --- scripting ----------------------------------------------------------------------

    def new_response_url(self) -> str:
        """A response_url like the one Slack puts in each command and interaction."""
        return f"{self.base_url}{RESPONSE_URL_PATH}{next(self._response_ids)}"

    def script(self, method: str, *faults: Fault, channel: str | None = None) -> None:
        """Answer the next calls of ``method`` with these faults, in order, then normally;
        with ``channel``, only calls for that channel (Slack's errors are per channel)."""
        with self._lock:
            self._state.faults.setdefault((method, channel), deque()).extend(faults)

    def set_latency(self, seconds: float) -> None:
        """Delay every answer, like a distant Slack."""
        self._state.latency = seconds

    def add_user(self, user_id: str, **profile: Any) -> None:
        """Make ``users.info`` know a person (``name``, ``tz``, ``is_bot``, ``deleted``...)."""
        self._state.users[user_id] = {"id": user_id, "team_id": self.team_id, **profile}

    def approve_install(
        self,
        *,
        team_id: str,
        team_name: str = "",
        enterprise_id: str | None = None,
        installer: str = "UINSTALLER",
        expires_in: int | None = None,
        org_wide: bool = False,
    ) -> str:
        """Someone approves installing the app in a workspace on Slack's page: returns the
        ``code`` that Slack then sends to the app's redirect URL. With ``expires_in``, the
        app has token rotation on: the bot token expires and comes with a refresh token."""
        code = f"code-{secrets.token_hex(6)}"
        self._state.codes[code] = {
            # An org-wide install on Enterprise Grid is for the org, not one workspace.
            "team": None if org_wide else {"id": team_id, "name": team_name or team_id},
            "enterprise": {"id": enterprise_id, "name": "Grid"} if enterprise_id else None,
            "is_enterprise_install": org_wide,
            "authed_user": {"id": installer},
            "expires_in": expires_in,
        }
        return code

    def set_private_channel(self, channel_id: str, *, app_invited: bool) -> None:
        """A private channel: the app sees it (conversations.info) only once invited."""
        self._state.private[channel_id] = app_invited

    def set_channel_members(self, channel_id: str, user_ids: list[str]) -> None:
        """What ``conversations.members`` answers for a channel (paginated like Slack)."""
        self._state.channels[channel_id] = list(user_ids)

    # --- what was received --------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._state.calls if method is None or c.method == method]

    def clear(self) -> None:
        with self._lock:
            self._state.calls.clear()

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] = lambda _: True,
    ) -> list[Call]:
        """Wait until ``count`` calls of ``method`` (those ``where`` accepts) arrived (lazy
        listeners answer later)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while (
                len(found := [c for c in self._state.calls if c.method == method and where(c)])
                < count
            ):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"expected {count} {method} call(s), got {len(found)}")
                self._lock.wait(remaining)
            return found

    # --- answering ----------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._lock:
            self._state.calls.append(call)
            self._lock.notify_all()

    def _next_fault(self, method: str, channel: str | None) -> Fault | None:
        with self._lock:
            for key in ((method, channel), (method, None)):
                queue = self._state.faults.get(key)
                if queue:
                    return queue.popleft()
            return None

    def share_file(self, *, user: str, name: str, content: bytes, mimetype: str) -> dict[str, Any]:
        """A file ``user`` shares: the file object for a message event, its bytes served at
        its ``url_private_download``."""
        return self.shared_files.share(
            self.base_url, self.team_id, user=user, name=name, content=content, mimetype=mimetype
        )

    def messages_in(self, conversation: str) -> list[dict[str, Any]]:
        """What a conversation holds, oldest first (a person's DM: ``"D" + user id``); copies,
        as Slack's client would hold them: a later chat.update doesn't change them."""
        with self._lock:
            return copy.deepcopy(self._state.history.get(conversation, []))
