"""A bound on the size of a request's head (request line and headers), at the server.

uvicorn's httptools protocol keeps reading a header for as long as the client sends it: one
200 MiB header was buffered for 86 s before the app could refuse it, and eight at once took
the process to 890 MB. Slack's requests carry about 1 KiB of headers, so a head that passes
``MAX_HEAD_BYTES`` is answered 431 and the connection closed, before more is buffered.

Fenced here because it subclasses uvicorn's protocol and overrides three of its parser
callbacks (``data_received``, ``on_headers_complete``, ``on_message_complete``). Checked on
uvicorn 0.54 (pinned in pyproject.toml); ``tests/test_http_limits.py`` sends oversized heads
through a real server, so an upgrade that changes these hooks fails there.
"""

from __future__ import annotations

import logging

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Slack's own heads are about 1 KiB; proxies in front add a few hundred bytes. nginx's
# default for a whole head is 8 KiB per header line and 32 KiB in all; 16 KiB is ample.
MAX_HEAD_BYTES = 16 * 1024

log = logging.getLogger(__name__)

_MESSAGE = b"Request head over 16 KiB: refused.\r\n"
_REFUSAL = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\n"
    b"content-length: " + str(len(_MESSAGE)).encode() + b"\r\n\r\n" + _MESSAGE
)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a request line plus headers over
    ``MAX_HEAD_BYTES`` (counted as bytes arrive, so at most one read past the bound is
    ever held)."""

    _head_bytes = 0
    _in_head = True

    def data_received(self, data: bytes) -> None:
        in_head_before = self._in_head
        super().data_received(data)
        if in_head_before and self._in_head and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                log.warning("refused a request whose head is over %d bytes", MAX_HEAD_BYTES)
                self.transport.write(_REFUSAL)
                self.transport.close()

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        super().on_message_complete()
