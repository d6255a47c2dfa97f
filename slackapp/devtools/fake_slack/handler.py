"""The fake Slack's HTTP side: each POST (a Web API method, a file's bytes, a post to a
response_url) recorded, checked against the scripted faults and the rate limits, delayed by
the latency, and answered as Slack answers it."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from slackapp.devtools.fake_slack.answers import answer_call
from slackapp.devtools.fake_slack.calls import Call, Fault, parse_body
from slackapp.devtools.fake_slack.files import UPLOAD_PATH

if TYPE_CHECKING:
    from slackapp.devtools.fake_slack.server import FakeSlack

RESPONSE_URL_PATH = "/response/"


def handler_class(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    """The request handler of ``fake``'s HTTP server."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: object) -> None:  # keep test output clean
            return

        def do_GET(self) -> None:
            """A shared file's bytes (``url_private_download``), for a bot token."""
            path = urlparse(self.path).path
            auth = self.headers.get("Authorization") or ""
            token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
            fake._record(
                Call(method="file.download", params={"path": path}, token=token, at=time.time())
            )
            status, content, content_type = fake.shared_files.serve(path, token)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            try:
                self.wfile.write(content)
            except (BrokenPipeError, ConnectionResetError):
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
            call = Call(method=method, params=params, token=token, at=time.time())
            fault = fake._next_fault(method, params.get("channel"))
            if fault is None and (wait := fake.limits.retry_after(method, token or "")) is not None:
                fault = Fault(status=429, retry_after=wait)
            answer = None
            if not (fault and (fault.status != 200 or fault.error)) and method not in (
                "response_url",
                "file.upload",
            ):
                # Slack acts before it answers: a slow answer still posted the message.
                answer = answer_call(fake, method, params, token)
            # Recorded once acted on: a test woken by the call finds the message it posted.
            fake._record(call)
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


def _text_or_empty(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return ""
