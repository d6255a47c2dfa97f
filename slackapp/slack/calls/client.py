"""The one place a Slack Web API client is made."""

from __future__ import annotations

import time
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web import SlackResponse

from slackapp.metrics.instruments import RATE_LIMIT_WAIT, RATE_LIMITED, SLACK_CALLS
from slackapp.slack.calls.rate_limits import (
    PROCESS_PACE,
    SlackPace,
    retry_after_seconds,
    workspace_key,
)

RATE_LIMIT_RETRIES = 30
# Methods that change something and that Slack can't deduplicate: a retry after Slack may
# have acted (a server error, a connection closed after sending) could do it twice. The
# weekly posts handle an unknown outcome themselves (``slackapp.weekly.posting.delivery``).
NOT_IDEMPOTENT = ("chat.postMessage", "files.completeUploadExternal", "views.publish")


def _not_idempotent(request: HttpRequest) -> bool:
    return request.url.rstrip("/").endswith(NOT_IDEMPOTENT)


class _SafeServerErrorRetry(ServerErrorRetryHandler):
    """Retries HTTP 500 and 503, except for methods that may have acted already."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _not_idempotent(request):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


class _SafeConnectionErrorRetry(ConnectionErrorRetryHandler):
    """Retries a request that could not be sent (``URLError``: refused, reset while
    sending); a connection dropped after sending is retried only for methods that change
    nothing, since Slack may have acted on it."""

    def __init__(self, max_retry_count: int) -> None:
        super().__init__(
            max_retry_count=max_retry_count,
            error_types=[URLError, ConnectionResetError, RemoteDisconnected],
        )

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if _not_idempotent(request) and not isinstance(error, URLError):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


class _SharedRateLimitRetry(RateLimitErrorRetryHandler):
    """Waits out HTTP 429 as Retry-After says, and tells the process's pace, so that no
    other thread calls the closed method meanwhile; the retry then takes its turn."""

    def __init__(self, pace: SlackPace, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pace = pace

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            return super().prepare_for_next_attempt(state=state, request=request, error=error)
        workspace, method = _called(request)
        wait = retry_after_seconds(response.headers)
        RATE_LIMITED.labels(method).inc()
        RATE_LIMIT_WAIT.labels(method).inc(wait)
        self.pace.refused(workspace, method, wait)
        self.pace.take_turn(workspace, method)
        state.next_attempt_requested = True
        state.increment_current_attempt()


def _called(request: HttpRequest) -> tuple[str, str]:
    """The workspace key and method of a request (``https://slack.com/api/users.info``)."""
    base, _, method = request.url.split("?")[0].rpartition("/")
    token = next(
        (v[0] for k, v in request.headers.items() if k.lower() == "authorization" and v), ""
    )
    return workspace_key(base + "/", token.removeprefix("Bearer ") or None), method


def retry_handlers(
    pace: SlackPace = PROCESS_PACE, rate_limit_retries: int = RATE_LIMIT_RETRIES
) -> list[RetryHandler]:
    return [
        _SafeConnectionErrorRetry(max_retry_count=2),
        # Refused for its rate, a call waits its turn again: it is never given up for
        # that (a chart dropped, a post parked) unless Slack keeps refusing for long.
        _SharedRateLimitRetry(pace, max_retry_count=rate_limit_retries),
        _SafeServerErrorRetry(max_retry_count=2),
    ]


class ObservedWebClient(WebClient):
    """A WebClient whose every call is counted and timed, by method and outcome."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        started, outcome = time.monotonic(), "no_answer"
        try:
            response = super().api_call(api_method, **kwargs)
            outcome = "ok"
            return response
        except SlackApiError as error:
            status = getattr(error.response, "status_code", 200)
            outcome = "slack_error" if status == 200 else f"http_{status}"
            raise
        finally:
            SLACK_CALLS.labels(api_method, outcome).observe(time.monotonic() - started)


class PacedWebClient(ObservedWebClient):
    """A WebClient whose every call takes its turn in the process's pace first."""

    def __init__(self, *, pace: SlackPace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pace = pace

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        self.pace.take_turn(workspace_key(self.base_url, self.token), api_method)
        return super().api_call(api_method, **kwargs)


def create_web_client(
    *,
    token: str | None,
    base_url: str,
    timeout: float = 10,
    patient: bool = True,
    pace: SlackPace = PROCESS_PACE,
    rate_limit_retries: int = RATE_LIMIT_RETRIES,
) -> WebClient:
    """A WebClient that keeps to Slack's per-method limits with every other client of the
    process (``pace``), waits out HTTP 429 (as Retry-After says) and retries passing faults
    where a retry can't do something twice. ``patient=False``: slack-sdk's default handlers
    (one retry of a connection error, no waiting out 429, no waiting for a turn), for a
    call that must answer inside a request's few seconds."""
    if not patient:
        return ObservedWebClient(token=token, base_url=base_url, timeout=timeout)  # type: ignore[arg-type]
    return PacedWebClient(
        pace=pace,
        token=token,
        base_url=base_url,
        timeout=timeout,  # seconds; slack-sdk hints int, takes float
        retry_handlers=retry_handlers(pace, rate_limit_retries),
    )


def within_request(client: WebClient, *, timeout: float) -> WebClient:
    """``client``'s workspace, for a call made inside a request's three seconds: an answer
    within ``timeout`` or an error, never a wait for a 429's Retry-After."""
    return create_web_client(
        token=client.token, base_url=client.base_url, timeout=timeout, patient=False
    )
