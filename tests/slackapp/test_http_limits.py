"""Heads nobody signed cost next to nothing: the server refuses a request line or headers over
16 KiB as they arrive, before buffering more (slackapp/http_limits.py)."""

from __future__ import annotations

import socket
import time

import uvicorn

from slackapp.http_limits import MAX_HEAD_BYTES
from tests.conftest import RunningApp

CHUNK = 64 * 1024


def _connect(app: RunningApp) -> socket.socket:
    host, port = app.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _send_until_refused(connection: socket.socket, head: bytes, filler: bytes) -> tuple[str, int]:
    """Send ``head`` then ``filler`` for up to 200 MiB; return the answer and bytes sent."""
    sent = 0
    connection.sendall(head)
    sent += len(head)
    try:
        for _ in range(200 * 1024 * 1024 // CHUNK):
            connection.sendall(filler)
            sent += len(filler)
            connection.settimeout(0.0)
            try:
                if connection.recv(1, socket.MSG_PEEK):
                    break
            except BlockingIOError:
                pass
            finally:
                connection.settimeout(5)
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        answer = connection.recv(4096).decode(errors="replace")
    except ConnectionResetError:
        answer = ""
    return answer, sent


def test_uvicorn_is_the_version_the_fence_was_checked_on() -> None:
    assert uvicorn.__version__.startswith("0.54.")


def test_a_huge_header_is_refused_after_a_few_kilobytes(app: RunningApp) -> None:
    started = time.monotonic()
    with _connect(app) as connection:
        head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Big: "
        answer, sent = _send_until_refused(connection, head, b"a" * CHUNK)
    assert answer.startswith("HTTP/1.1 431"), answer
    # Refused within a few reads of the bound (the kernel's buffers hold the rest in flight),
    # not after 200 MiB, and in well under a second.
    assert sent < 64 * 1024 * 1024
    assert time.monotonic() - started < 5
    assert app.submission_count() == 0


def test_a_huge_request_line_is_refused(app: RunningApp) -> None:
    with _connect(app) as connection:
        answer, _ = _send_until_refused(connection, b"GET /healthz?", b"q" * CHUNK)
    assert answer.startswith("HTTP/1.1 431"), answer


def test_many_headers_adding_up_past_the_bound_are_refused(app: RunningApp) -> None:
    many = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(400))  # about 44 KiB
    assert len(many) > MAX_HEAD_BYTES
    with _connect(app) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
        answer = connection.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 431")


def test_heads_under_the_bound_are_served_and_keep_alive_counts_per_request(
    app: RunningApp,
) -> None:
    # Slack's own heads are about 1 KiB; 12 KiB each, three on one connection, all served.
    padding = b"X-Pad: " + b"p" * (12 * 1024) + b"\r\n"
    with _connect(app) as connection:
        for _ in range(3):
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + padding + b"\r\n")
            answer = connection.recv(4096).decode()
            assert answer.startswith("HTTP/1.1 200"), answer


def test_signed_requests_stay_fast_while_a_huge_header_uploads(app: RunningApp) -> None:
    with _connect(app) as slow:
        slow.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8000)
        started = time.monotonic()
        assert app.slack.command(user_id="U1", text="68 21 17 14 16").status == 200
        assert time.monotonic() - started < 1.0
        answer, _ = _send_until_refused(slow, b"", b"a" * CHUNK)
    assert answer.startswith("HTTP/1.1 431")


def test_a_large_body_in_one_read_with_its_head_is_not_mistaken_for_a_head(
    app: RunningApp,
) -> None:
    """Head and a 40 KiB body arriving in one read (Slack's big message shortcuts do)."""
    body = b"payload=" + b"x" * (40 * 1024)
    with _connect(app) as connection:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slack-Request-Timestamp: 1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        answer = connection.recv(4096).decode()
    assert not answer.startswith("HTTP/1.1 431"), answer


def test_an_end_of_head_split_across_reads_is_found(app: RunningApp) -> None:
    padding = b"X-Pad: " + b"p" * (12 * 1024) + b"\r\n"
    with _connect(app) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + padding + b"\r")
        time.sleep(0.1)
        connection.sendall(b"\n")
        assert connection.recv(4096).decode().startswith("HTTP/1.1 200")
