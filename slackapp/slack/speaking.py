"""Whose language a request is answered in, set before any listener runs.

A person's replies, forms and App Home follow the language they chose (``/ssi language``)
or else the locale Slack reports for them (``users.info`` with ``include_locale``, asked once
and then kept for ``LOCALE_FRESH``). The ask happens inside the request's three seconds, so
Slack gets ``ASK_SECONDS`` to answer; when it can't, the locale known before (or English) is
used and Slack is asked again after ``RETRY_AFTER``. Bolt runs the listeners after its
middleware has returned, so the language is set for the rest of the request's context
(``speech.use``; the dispatcher gives each request a context of its own), and listeners that
Bolt runs later, on its own threads, inherit it (``ContextExecutor``).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

from slack_bolt import BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine

from models.domain.languages import DEFAULT, Language, language_of
from models.domain.scope import Scope
from models.store import languages
from slackapp.clock import Clock
from slackapp.language.speech import use
from slackapp.slack.client import within_request
from slackapp.slack.scope import CONTEXT_KEY

log = logging.getLogger(__name__)
LOCALE_FRESH = timedelta(days=7)  # people rarely switch Slack's language; a week is recent
RETRY_AFTER = timedelta(hours=1)  # after Slack couldn't say
# A slow or rate-limited Slack costs the request at most this long: no retries, no waiting
# out a 429 (Retry-After is often tens of seconds), where the patient client would.
ASK_SECONDS = 1.0
T = TypeVar("T")


def requester(body: dict[str, Any]) -> str | None:
    """The person a request comes from, for the surfaces that answer a person."""
    if body.get("command"):
        return str(body.get("user_id") or "") or None
    if body.get("type") in ("block_actions", "view_submission", "view_closed"):
        user = body.get("user") or {}
        return str(user.get("id") or "") or None
    event = body.get("event") or {}
    if event.get("type") == "app_home_opened":
        return str(event.get("user") or "") or None
    return None


class PersonLanguage:
    """Finds the language to answer a person in; also Bolt middleware (``middleware``)."""

    def __init__(self, *, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def of(self, client: WebClient, scope: Scope, user_id: str) -> Language:
        with self.engine.connect() as db:
            spoken = languages.spoken_by(db=db, scope=scope, user_id=user_id)
        if spoken.chosen is not None:
            return spoken.chosen
        now = self.clock()
        if spoken.seen_at is not None and now - spoken.seen_at < LOCALE_FRESH:
            return spoken.language or DEFAULT
        locale = self._ask_slack(client, user_id)
        seen_at = now if locale else now - LOCALE_FRESH + RETRY_AFTER
        with self.engine.begin() as db:
            languages.remember_locale(
                db=db, scope=scope, user_id=user_id, locale=locale, seen_at=seen_at
            )
        return language_of(locale or spoken.slack_locale) or DEFAULT

    @staticmethod
    def _ask_slack(client: WebClient, user_id: str) -> str | None:
        quick = within_request(client, timeout=ASK_SECONDS)
        try:
            user = quick.users_info(user=user_id, include_locale=True)["user"]
        except (SlackApiError, SlackClientError, OSError) as error:
            log.warning("users.info for a locale failed: %s", type(error).__name__)
            return None
        locale = user.get("locale") if isinstance(user, dict) else None
        return str(locale) if locale else None

    def middleware(self, req: BoltRequest, resp: BoltResponse, next: Callable[[], Any]) -> Any:
        user_id = requester(req.body)
        scope = req.context.get(CONTEXT_KEY)
        client = req.context.client
        if user_id is None or not isinstance(scope, Scope) or client is None:
            use(DEFAULT)  # nobody's in particular: a team's surfaces set the team's
        else:
            use(self.of(client, scope, user_id))
        return next()


class ContextExecutor(ThreadPoolExecutor):
    """Bolt's executor for lazy listeners, carrying the submitter's context variables (the
    language being spoken, the workspace in log lines) into the worker thread."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        context = contextvars.copy_context()
        return super().submit(context.run, fn, *args, **kwargs)
