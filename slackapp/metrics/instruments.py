"""Every metric the app exports, in one place, with the labels each may carry.

Labels are bounded by construction: a request's kind, an outcome from a fixed list, a
Slack method's name (Slack's own few dozen), a post's kind. Never a person's or a
workspace's id, a name or a score: a label is a new time series per value, and an
operator's Prometheus must not learn who shared what.

Each process keeps its own (the web process and the scheduler run one uvicorn worker or
one loop each), so Prometheus' default single-process registry is right; several workers
in one process group would need its multiprocess mode instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

# Slack's answer must come within 3 s: the buckets are finest below that.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
SLOW_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

REQUESTS = Histogram(
    "ssi_slack_requests_seconds",
    "Slack's requests to the app (HTTP or Socket Mode), by kind and outcome, from the "
    "moment they were taken in to the answer",
    ["kind", "outcome"],
    buckets=REQUEST_BUCKETS,
)
BUSY = Counter(
    "ssi_slack_requests_busy_total",
    "Requests answered 'busy, nothing saved' (the database held up; no worker in time)",
    ["kind"],
)
LISTENER_ERRORS = Counter(
    "ssi_listener_errors_total",
    "Listeners that failed with an error other than a busy database (answered 'sorry')",
    ["kind"],
)
QUEUE_WAIT = Histogram(
    "ssi_dispatch_wait_seconds",
    "How long a request waited for a dispatch worker, that is for a database connection "
    "(one worker per pooled connection)",
    buckets=REQUEST_BUCKETS,
)

POSTS = Counter(
    "ssi_weekly_posts_total",
    "Weekly posts by kind (board, manager, reminder) and outcome: sent; found (looked up "
    "after an unknown outcome and there already); failed (to be sent again); abandoned; "
    "settled (another process had it); stopped (the process was stopping)",
    ["kind", "outcome"],
)
LOOKUPS = Counter(
    "ssi_weekly_post_lookups_total",
    "Posts whose earlier attempt had an unknown outcome, looked for in their conversation",
    ["found"],
)
TICK_SECONDS = Histogram("ssi_tick_seconds", "How long a scheduler tick took", buckets=SLOW_BUCKETS)
TICK_DUE = Gauge(
    "ssi_tick_due_teams", "Teams whose post or reminder round was due at the last tick"
)
LAST_TICK = Gauge(
    "ssi_tick_last_finished_timestamp_seconds",
    "When the last tick finished (Unix time): ticks late or stopped show here",
)

SLACK_CALLS = Histogram(
    "ssi_slack_api_calls_seconds",
    "Calls to Slack's Web API by method and outcome (ok, a Slack error, an HTTP status, "
    "no answer), retries and waits included",
    ["method", "outcome"],
    buckets=SLOW_BUCKETS,
)
RATE_LIMITED = Counter(
    "ssi_slack_rate_limited_total", "HTTP 429 answers from Slack, by method", ["method"]
)
RATE_LIMIT_WAIT = Counter(
    "ssi_slack_rate_limit_wait_seconds_total",
    "Seconds spent waiting out Slack's Retry-After, by method",
    ["method"],
)

CHART_DRAW = Histogram(
    "ssi_chart_draw_seconds", "Drawing a chart (in a worker process)", buckets=SLOW_BUCKETS
)
CHART_UPLOAD = Histogram(
    "ssi_chart_upload_seconds",
    "Uploading a chart to Slack, by outcome",
    ["outcome"],
    buckets=SLOW_BUCKETS,
)
READY = Gauge(
    "ssi_ready", "1 when the last /readyz found the process ready, else 0 (its changes: flapping)"
)
SCREENSHOTS = Histogram(
    "ssi_screenshot_read_seconds",
    "Reading a shared screenshot with Tesseract, by outcome (read, or why not)",
    ["outcome"],
    buckets=SLOW_BUCKETS,
)

# Slack's request types, by the words an operator uses; anything else is "other".
_KINDS = {
    "view_submission": "form",
    "view_closed": "form",
    "block_actions": "button",
    "block_suggestion": "options",
    "event_callback": "event",
    "url_verification": "event",
    "shortcut": "shortcut",
    "message_action": "shortcut",
}


def request_kind(body: Mapping[str, Any]) -> str:
    """command, form, button, options, event, shortcut or other."""
    if body.get("command"):
        return "command"
    return _KINDS.get(str(body.get("type") or ""), "other")


def request_outcome(status: int) -> str:
    """ok, refused (a bad signature or request), busy (503) or error."""
    if status < 400:
        return "ok"
    if status == 503:
        return "busy"
    return "refused" if status < 500 else "error"


def observe_request(body: Mapping[str, Any], status: int, seconds: float) -> None:
    """One of Slack's requests answered with ``status`` after ``seconds``."""
    REQUESTS.labels(request_kind(body), request_outcome(status)).observe(seconds)
