"""The one place a Slack Web API client is made."""

from __future__ import annotations

from http.client import RemoteDisconnected
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

# Methods that change something and that Slack can't deduplicate: a retry after Slack may
# have acted (a server error, a connection closed after sending) could do it twice. The
# weekly posts handle an unknown outcome themselves (``slackapp.weekly.delivery``).
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


def retry_handlers() -> list[RetryHandler]:
    return [
        _SafeConnectionErrorRetry(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=5),
        _SafeServerErrorRetry(max_retry_count=2),
    ]


def create_web_client(
    *, token: str | None, base_url: str, timeout: float = 10, patient: bool = True
) -> WebClient:
    """A WebClient that waits out HTTP 429 (as Retry-After says) and retries passing faults
    where a retry can't do something twice. ``patient=False``: slack-sdk's default handlers
    (one retry of a connection error, no waiting out 429), for a call that must answer
    inside a request's few seconds."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,  # type: ignore[arg-type]  # seconds; slack-sdk hints int, takes float
        retry_handlers=retry_handlers() if patient else None,
    )


def within_request(client: WebClient, *, timeout: float) -> WebClient:
    """``client``'s workspace, for a call made inside a request's three seconds: an answer
    within ``timeout`` or an error, never a wait for a 429's Retry-After."""
    return create_web_client(
        token=client.token, base_url=client.base_url, timeout=timeout, patient=False
    )
