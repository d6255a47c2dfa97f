"""Fetching a file a person shared with the app (``url_private_download``, with the bot's
token, as Slack requires): bounded in size before and while it is read, never from a host
other than Slack's file servers, never following a redirect (it would carry the token
elsewhere), and never taking Slack's sign-in page for the file."""

from __future__ import annotations

import http.client
import urllib.request
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from slack_sdk import WebClient

SLACK_FILES = "files.slack.com"
TIMEOUT_SECONDS = 10


class NotFetched(Exception):
    """The file wasn't fetched: too large, not Slack's, or Slack didn't hand it over."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: object, **__: object) -> None:
        return None  # a 3xx becomes an error: the Authorization header goes nowhere else


_OPENER = urllib.request.build_opener(_NoRedirects)


def _slacks(url: str, api_url: str) -> bool:
    """Slack's file servers over https; or, for a Slack that isn't slack.com (the tests'
    fake), that server's own origin."""
    target, api = urlsplit(url), urlsplit(api_url)
    if target.scheme == "https" and target.hostname == SLACK_FILES:
        return True
    return api.hostname != "slack.com" and (target.scheme, target.netloc) == (
        api.scheme,
        api.netloc,
    )


def fetch(client: WebClient, url: str, *, size: int, limit: int) -> bytes:
    """The bytes at ``url`` (a shared file's ``url_private_download``; ``size``: what Slack
    says it holds), at most ``limit`` of them. Raises ``NotFetched``."""
    if size > limit:
        raise NotFetched(f"{size} bytes, over {limit}")
    if not _slacks(url, client.base_url):
        raise NotFetched("not a Slack file address")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            if response.headers.get_content_type() == "text/html":
                raise NotFetched("Slack answered a page, not the file (files:read missing?)")
            content: bytes = response.read(limit + 1)
    except HTTPError as error:  # a refused redirect, a 404: its socket closed here
        error.close()
        raise NotFetched(f"HTTP {error.code}") from None
    except (URLError, OSError, ValueError, http.client.HTTPException) as error:
        raise NotFetched(type(error).__name__) from error
    if len(content) > limit:
        raise NotFetched(f"more than {limit} bytes")
    return content
