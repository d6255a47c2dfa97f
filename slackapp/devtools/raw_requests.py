"""Signed requests as raw HTTP/1.1 bytes, for loads that write straight to a socket (the
benchmarks, the burst test): no HTTP client between the load and the app."""

from __future__ import annotations

from slackapp.devtools.slack_requests import FORM, signature_headers


def signed_http_post(
    host: str, body: str, signing_secret: str, *, keep_alive: bool = True
) -> bytes:
    """``body`` signed and framed as the raw HTTP/1.1 POST to ``/slack/events`` Slack sends,
    for a load that writes requests straight to a socket. Without ``keep_alive`` the server
    closes the connection after answering (one connection per request, as a burst from
    Slack's many senders arrives)."""
    head = ["POST /slack/events HTTP/1.1", f"Host: {host}", f"Content-Type: {FORM}"]
    head += [f"Content-Length: {len(body.encode())}"]
    head += [] if keep_alive else ["Connection: close"]
    head += [f"{k}: {v}" for k, v in signature_headers(signing_secret, body).items()]
    return ("\r\n".join(head) + "\r\n\r\n" + body).encode()
