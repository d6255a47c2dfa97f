"""A fake Slack Web API that speaks real HTTP on 127.0.0.1, for tests, the demo and benchmarks.

Point the app's ``WebClient`` at ``fake.api_url`` (``SLACK_API_URL``). The fake records every
call (method, parameters, blocks) and every post to a ``response_url`` it handed out, answers
like Slack for the methods the app uses, and plays scripted faults: HTTP 429 with
``Retry-After``, server errors, ``ok: false`` errors and delays.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from slackapp.devtools.fake_calls import Call, Fault, parse_body
from slackapp.devtools.fake_files import FileStore, MethodLimits
from slackapp.devtools.fake_messages import history, post_ephemeral, post_message
from slackapp.devtools.fake_people import conversation_members, users_info, users_list

if TYPE_CHECKING:
    from slackapp.devtools.fake_socket import SocketLink

__all__ = ["Call", "FakeSlack", "Fault"]

UPLOAD_PATH = "/upload/"
RESPONSE_URL_PATH = "/response/"


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
        self.team_id = team_id
        self.team_name = team_name
        self._state = _State()
        self.files = FileStore()  # uploads; ``files.processing``: seconds until usable
        self.limits = MethodLimits()  # ``limits.per_minute["views.publish"] = 100``
        # Messages per conversations.history call: Slack gives an app outside its
        # Marketplace 15, whatever ``limit`` asks (None: as asked).
        self.history_page_max: int | None = None
        self._socket: SocketLink | None = None  # Socket Mode's websocket, once asked for
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._response_ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
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
                from slackapp.devtools.fake_socket import SocketLink

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

    def _issue_token(self, grant: dict[str, Any]) -> dict[str, Any]:
        owner = (grant["team"] or grant["enterprise"])["id"]
        token = f"xoxb-{owner}-{secrets.token_hex(12)}"
        self._state.tokens[token] = grant
        issued: dict[str, Any] = {"access_token": token}
        if grant.get("expires_in"):
            refresh = f"xoxe-1-{secrets.token_hex(40)}"
            self._state.refresh_tokens[refresh] = grant
            issued |= {"refresh_token": refresh, "expires_in": grant["expires_in"]}
        return issued

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

    def messages_in(self, conversation: str) -> list[dict[str, Any]]:
        """What a conversation holds, oldest first (a person's DM: ``"D" + user id``)."""
        with self._lock:
            return list(self._state.history.get(conversation, []))

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        handler = _ANSWERS.get(method)
        body: dict[str, Any] = {"ok": True}
        # An image of a file that isn't processed yet is refused.
        if method in _SHOWING_BLOCKS and (
            refused := self.files.check_blocks(_blocks_of(method, params))
        ):
            return refused
        if handler is not None:
            body.update(handler(self, {**params, "_token": token}))
        return body

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: object) -> None:  # keep test output clean
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                path = urlparse(self.path).path
                uploading = path.startswith(UPLOAD_PATH)
                raw = "" if uploading else body.decode("utf-8")
                params = parse_body(raw, self.headers.get("Content-Type") or "")
                auth = self.headers.get("Authorization") or ""
                token = auth.removeprefix("Bearer ") if auth else params.get("token")
                if path.startswith(RESPONSE_URL_PATH):
                    method = "response_url"
                    params["response_url"] = fake.base_url + path
                elif uploading:  # a file's bytes, files_upload_v2 step 2
                    method = "file.upload"
                    params = {
                        "file_id": path.removeprefix(UPLOAD_PATH),
                        "length": len(body),
                        "content": _text_or_empty(body),  # a CSV, readably; a PNG not
                    }
                    fake.files.receive(params["file_id"], body)
                else:
                    method = path.removeprefix("/api/")
                fake._record(Call(method=method, params=params, token=token, at=time.time()))
                fault = fake._next_fault(method, params.get("channel"))
                if (
                    fault is None
                    and (wait := fake.limits.retry_after(method, token or "")) is not None
                ):
                    fault = Fault(status=429, retry_after=wait)
                answer = None
                if not (fault and (fault.status != 200 or fault.error)) and method not in (
                    "response_url",
                    "file.upload",
                ):
                    # Slack acts before it answers: a slow answer still posted the message.
                    answer = fake._answer(method, params, token)
                delay = fake._state.latency + (fault.delay if fault else 0.0)
                if delay:
                    time.sleep(delay)
                try:
                    if fault and fault.status != 200:
                        retry = fault.retry_after
                        headers = {"Retry-After": str(retry)} if retry else {}
                        error = fault.error or ("ratelimited" if fault.status == 429 else "fatal")
                        self._send(fault.status, {"ok": False, "error": error}, headers)
                    elif fault and fault.error:
                        self._send(200, {"ok": False, "error": fault.error})
                    else:
                        self._send(200, answer)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up waiting (its timeout)

            def _send(
                self,
                status: int,
                body: dict[str, Any] | None,
                headers: dict[str, str] | None = None,
            ) -> None:
                payload = b"ok" if body is None else json.dumps(body).encode()
                self.send_response(status)
                content_type = "text/plain" if body is None else "application/json"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler


def _auth_test(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    grant = fake._state.tokens.get(params.get("_token") or "")
    team = (grant["team"] or {"id": None, "name": None}) if grant else None
    team = team or {"id": fake.team_id, "name": fake.team_name}
    enterprise = (grant or {}).get("enterprise") or {}
    return {
        "enterprise_id": enterprise.get("id"),
        "is_enterprise_install": bool((grant or {}).get("is_enterprise_install")),
        "url": "https://demo.slack.com/",
        "team": team["name"],
        "team_id": team["id"],
        "user": "ssi",
        "user_id": "U0BOT",
        "bot_id": "B0BOT",
    }


def _oauth_access(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """oauth.v2.access: a code from an approved install, or a refresh token."""
    if params.get("grant_type") == "refresh_token":
        grant = fake._state.refresh_tokens.pop(params.get("refresh_token", ""), None)
        if grant is None:
            return {"ok": False, "error": "invalid_refresh_token"}
        return {"token_type": "bot", **fake._issue_token(grant), "team": grant["team"]}
    grant = fake._state.codes.pop(params.get("code", ""), None)
    if grant is None:
        return {"ok": False, "error": "invalid_code"}
    return {
        "app_id": "A0SSI",
        "authed_user": grant["authed_user"],
        "scope": "commands,chat:write,channels:read,groups:read,channels:join,users:read,"
        "im:write,files:write,files:read,channels:history,groups:history,im:history",
        "token_type": "bot",
        "bot_user_id": "U0BOT",
        "team": grant["team"],
        "enterprise": grant["enterprise"],
        "is_enterprise_install": grant["is_enterprise_install"],
        **fake._issue_token(grant),
    }


def connections_open(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """apps.connections.open: Socket Mode's URL, for an app-level token only."""
    if not str(params.get("_token") or "").startswith("xapp-"):
        return {"ok": False, "error": "not_allowed_token_type"}
    return {"url": fake.socket.url()}


def _view(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    view = params.get("view") or {}
    view = json.loads(view) if isinstance(view, str) else view
    return {"view": {"id": f"V{next(fake._ts):08d}", **view}}


def _conversation_info(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = str(params.get("channel") or "")
    invited = fake._state.private.get(channel)
    if invited is False:  # Slack hides a private channel from an app that isn't in it
        return {"ok": False, "error": "channel_not_found"}
    return {
        "channel": {
            "id": channel,
            "is_channel": invited is None,
            "is_group": invited is not None,
            "is_private": invited is not None,
            "is_member": True,
        }
    }


def _open_conversation(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    return {"channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}


def _upload_url(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    file_id = f"F{next(fake._ts):08d}"
    return fake.files.upload_url(file_id, fake.base_url + UPLOAD_PATH + file_id, params)


def _text_or_empty(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return ""


def _blocks_of(method: str, params: dict[str, Any]) -> Any:
    if method.startswith("views."):
        view = params.get("view") or {}
        return (json.loads(view) if isinstance(view, str) else view).get("blocks") or []
    return params.get("blocks") or []


_SHOWING_BLOCKS = {"chat.postMessage", "chat.update", "views.open", "views.update", "views.publish"}


_ANSWERS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "conversations.open": _open_conversation,
    "conversations.info": _conversation_info,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": lambda f, p: f.files.complete(p, team_id=f.team_id),
    "files.info": lambda f, p: f.files.info(p, team_id=f.team_id),
    "files.delete": lambda f, p: f.files.delete(p),
    "auth.test": _auth_test,
    "oauth.v2.access": _oauth_access,
    "chat.postMessage": post_message,
    "conversations.history": history,
    "chat.postEphemeral": post_ephemeral,
    "apps.connections.open": connections_open,
    "views.open": _view,
    "views.update": _view,
    "views.publish": _view,
    "users.info": users_info,
    "users.list": users_list,
    "conversations.members": conversation_members,
}
