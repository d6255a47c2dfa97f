"""``/metrics`` for Prometheus, on a port of its own beside the app's.

A port of its own, not a path on Slack's: the Service and the Ingress that route Slack's
requests to the app never route this one, so the metrics are not reachable from the
internet unless an operator chooses to expose them, and Prometheus scrapes the pods
directly. By default it listens on 127.0.0.1 only (``METRICS_HOST``); a container sets
0.0.0.0 for its cluster's Prometheus, which a NetworkPolicy admits alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from prometheus_client import start_http_server

log = logging.getLogger(__name__)


def serve_metrics(host: str, port: int) -> Callable[[], None]:
    """Serve ``/metrics`` on ``host:port`` on a thread of its own (``port`` 0: not at all);
    returns how to stop it. A port already taken (a second process on one host) is logged
    and skipped: the app runs on without its metrics rather than not at all."""
    if not port:
        return lambda: None
    try:
        server, thread = start_http_server(port, addr=host)
    except OSError as error:
        log.warning("metrics not served on %s:%d: %s", host, port, error.strerror or error)
        return lambda: None
    log.info("metrics served on http://%s:%d/metrics", host, port)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
