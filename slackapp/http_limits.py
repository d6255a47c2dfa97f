"""A bound on the size of a request's head (request line and headers), at the server.

uvicorn's httptools protocol keeps reading a header for as long as the client sends it: one
200 MiB header was buffered for 86 s before the app could refuse it, and eight at once took
the process to 890 MB. Slack's requests carry about 1 KiB of headers, so a head that passes
``MAX_HEAD_BYTES`` is answered 431 and the connection closed, before more is buffered.

Fenced here because it subclasses uvicorn's protocol and overrides ``data_received`` and two
of its parser callbacks (``on_headers_complete``, ``on_message_complete``). Checked on
uvicorn 0.54 (pinned in pyproject.toml); ``tests/slackapp/test_http_limits.py`` sends
oversized heads
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
    ``MAX_HEAD_BYTES``. Each read is measured before it reaches the parser, up to the blank
    line that ends the head, so at most one read past the bound is ever held."""

    _in_head = True  # between requests or inside one's head: not in a body
    _head_bytes = 0  # of the current head, in earlier reads
    _tail = b""  # the last bytes of the previous read: an end of head may straddle reads

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            seen = self._tail + data
            end = seen.find(b"\r\n\r\n")
            size = self._head_bytes + (len(data) if end < 0 else end + 4 - len(self._tail))
            if size > MAX_HEAD_BYTES:
                log.warning("refused a request whose head is over %d bytes", MAX_HEAD_BYTES)
                self.transport.write(_REFUSAL)
                self.transport.close()
                return
            self._head_bytes, self._tail = (size, seen[-3:]) if end < 0 else (0, b"")
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head, self._head_bytes, self._tail = True, 0, b""
        super().on_message_complete()
