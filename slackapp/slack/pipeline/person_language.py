"""Whose language a request is answered in, set before any listener runs.

A person's replies, forms and App Home follow the language they chose (``/ssi language``)
or else the locale Slack reports for them (``users.info`` with ``include_locale``, kept for
``LOCALE_FRESH``). Team members' locales come with the weekly listing of their team
(``membership``), so most people's are known before they first type ``/ssi``. Slack is never
asked on a request's path: a person whose locale isn't known (or is old) is answered in what
is known (else their team's language, where they typed in a team's channel, else English)
and Slack is asked on a thread of its own, for their next answer; when it can't answer, it
is asked again after ``RETRY_AFTER``. Bolt runs the listeners after its
middleware has returned, so the language is set for the rest of the request's context
(``speech.use``; the dispatcher gives each request a context of its own), and listeners that
Bolt runs later, on its own threads, inherit it (``ContextExecutor``).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

from slack_bolt import BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine

from models.domain.languages import DEFAULT, Language
from models.domain.scope import Scope
from models.store import teams
from models.store.people import languages
from slackapp.clock import Clock
from slackapp.language.speech import use
from slackapp.slack.calls.client import within_request
from slackapp.slack.calls.rate_limits import SlackPace, workspace_key
from slackapp.slack.readers.scope import SCOPE

log = logging.getLogger(__name__)
LOCALE_FRESH = timedelta(days=7)  # people rarely switch Slack's language; a week is recent
RETRY_AFTER = timedelta(hours=1)  # after Slack couldn't say
# Asked off the request's path, one at a time: a slow Slack holds the next ask this long at
# most; a 429 is not waited out (the person is asked again after RETRY_AFTER), nor is a
# turn in Slack's limit further off than this (the person is asked on a later request).
ASK_SECONDS = 3.0
# People waiting for Slack's answer about their locale: past this many (a burst of people
# never seen), the others are asked on a later request of theirs.
ASKS_WAITING = 500
T = TypeVar("T")
_ASKERS: weakref.WeakSet[PersonLanguage] = weakref.WeakSet()


def requester(body: dict[str, Any]) -> str | None:
    """The person a request comes from, for the surfaces that answer a person."""
    if body.get("command"):
        return str(body.get("user_id") or "") or None
    if body.get("type") in ("block_actions", "view_submission", "view_closed"):
        user = body.get("user") or {}
        return str(user.get("id") or "") or None
    event = body.get("event") or {}
    if event.get("type") == "app_home_opened" or event.get("channel_type") == "im":
        return str(event.get("user") or "") or None
    return None


class PersonLanguage:
    """Finds the language to answer a person in; also Bolt middleware (``middleware``)."""

    def __init__(self, *, engine: Engine, clock: Clock, pace: SlackPace) -> None:
        self.engine = engine
        self.clock = clock
        self.pace = pace  # the process's: Bolt's per-request client keeps none
        self._asking: set[tuple[Scope, str]] = set()  # asked of Slack, not answered yet
        self._lock = threading.Lock()
        self._closed = False
        # Carries the request's context: its log lines name the workspace.
        self._asker = ContextExecutor(max_workers=1, thread_name_prefix="locale")
        _ASKERS.add(self)

    def of(
        self, client: WebClient, scope: Scope, user_id: str, channel_id: str | None = None
    ) -> Language:
        """The person's language now, from what is known; Slack asked (off this thread)
        when their locale isn't known or is older than ``LOCALE_FRESH``."""
        with self.engine.connect() as db:
            spoken = languages.spoken_by(db=db, scope=scope, user_id=user_id)
            if spoken.chosen is not None:
                return spoken.chosen
            known = spoken.language
            if known is None and channel_id:
                known = teams.language_of_channel(db=db, scope=scope, channel_id=channel_id)
        if spoken.seen_at is None or self.clock() - spoken.seen_at >= LOCALE_FRESH:
            self._ask_later(client, scope, user_id, spoken.slack_locale)
        return known or DEFAULT

    def _ask_later(self, client: WebClient, scope: Scope, user_id: str, known: str) -> None:
        key = (scope, user_id)
        with self._lock:  # held while submitting: nothing is submitted after ``close``
            if self._closed or key in self._asking or len(self._asking) >= ASKS_WAITING:
                return
            self._asking.add(key)
            self._asker.submit(self._ask, client, scope, user_id, known)

    def _ask(self, client: WebClient, scope: Scope, user_id: str, known: str) -> None:
        """Slack's locale for the person, kept (a failure keeps what was known, and Slack
        is asked again after ``RETRY_AFTER``). Without a turn in Slack's limit soon (a
        burst of people never seen), nothing is kept: they are asked on a later request."""
        try:
            # Within Slack's limit, with the weekly run's calls and other processes' 429s.
            workspace = workspace_key(client.base_url, client.token)
            if self._closed or self.pace.turn_within(workspace, "users.info", ASK_SECONDS) is None:
                return
            locale = self._ask_slack(client, user_id)
            now = self.clock()
            seen_at = now if locale else now - LOCALE_FRESH + RETRY_AFTER
            with self.engine.begin() as db:
                languages.remember_locale(
                    db=db, scope=scope, user_id=user_id, locale=locale or known, seen_at=seen_at
                )
        except Exception as error:  # a busy database, say: the next answer asks again
            log.warning("keeping a locale failed: %r", error)
        finally:
            with self._lock:
                self._asking.discard((scope, user_id))

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

    def close(self) -> None:
        """Ask nothing more: the asks waiting are dropped (the process is stopping)."""
        with self._lock:
            self._closed = True
            self._asking.clear()
        self._asker.shutdown(wait=False, cancel_futures=True)

    def idle(self, timeout: float = 10.0) -> bool:
        """Wait until no ask of Slack is under way (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._asking:
                    return True
            time.sleep(0.01)
        return False

    @staticmethod
    def all_idle(timeout: float = 10.0) -> bool:
        """Wait until no instance in the process is asking Slack (a test's end: nothing
        still writing to a database or calling a Slack about to go away)."""
        deadline = time.monotonic() + timeout
        return all(p.idle(max(0.0, deadline - time.monotonic())) for p in list(_ASKERS))

    def middleware(self, req: BoltRequest, resp: BoltResponse, next: Callable[[], Any]) -> Any:
        user_id = requester(req.body)
        scope = SCOPE.get(req.context)
        client = req.context.client
        if user_id is None or scope is None or client is None:
            use(DEFAULT)  # nobody's in particular: a team's surfaces set the team's
        else:
            channel = req.body.get("channel_id") or (req.body.get("channel") or {}).get("id")
            use(self.of(client, scope, user_id, channel if isinstance(channel, str) else None))
        return next()


class ContextExecutor(ThreadPoolExecutor):
    """Bolt's executor for lazy listeners, carrying the submitter's context variables (the
    language being spoken, the workspace in log lines) into the worker thread."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        context = contextvars.copy_context()
        return super().submit(context.run, fn, *args, **kwargs)
