"""Build the Bolt app: the one client, the listeners, and settings that keep it fast."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.middleware import Middleware
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine

from models.store.installations import state_store
from slackapp.clock import Clock
from slackapp.settings import Settings
from slackapp.slack.calls.client import create_web_client
from slackapp.slack.calls.rate_limits import PROCESS_PACE, SlackPace
from slackapp.slack.calls.workspaces import installation_store
from slackapp.slack.pipeline.events_once import once_per_event
from slackapp.slack.pipeline.person_language import ContextExecutor, PersonLanguage
from slackapp.slack.pipeline.replay import ReplayGuard
from slackapp.slack.pipeline.understand import understand
from slackapp.slack.routes import register

# The bot scopes the OAuth flow asks for: the same as manifest.yml's (a test checks).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "channels:read",
    "groups:read",
    "channels:join",
    "users:read",
    "im:write",
    "files:write",
    "files:read",
    "channels:history",
    "groups:history",
    "im:history",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class _SameTokenNotice(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN from the environment and then warns that the client's
    token wins; it is the same token, so the warning would only mislead operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def create_bolt_app(
    *,
    settings: Settings,
    engine: Engine,
    clock: Clock,
    client: WebClient | None = None,
    pace: SlackPace = PROCESS_PACE,
    languages: PersonLanguage | None = None,
) -> App:
    """A Bolt app for one workspace (``SLACK_BOT_TOKEN``) or, with ``SLACK_CLIENT_ID``, for
    every workspace that installs it through Slack's OAuth flow.

    ``process_before_response=True``: listeners answer inside the request (parse, store,
    reply), so Bolt needn't poll for ``ack()`` in a sleep loop, which was measured to cap a
    sync app near 90 requests a second. Slow follow-ups go to lazy listeners.
    """
    logger = logging.getLogger("slackapp.bolt")
    if not any(isinstance(f, _SameTokenNotice) for f in logger.filters):
        logger.addFilter(_SameTokenNotice())
    if settings.multi_workspace:
        # Bolt finds each request's workspace in the store; this client (no token) is the
        # one Bolt's OAuth flow calls oauth.v2.access and auth.test with.
        assert settings.slack_client_id and settings.slack_client_secret
        oauth_client = client or create_web_client(
            token=None, base_url=settings.slack_api_url, pace=pace
        )
        store = installation_store(settings, engine)
        authorize = InstallationStoreAuthorize(
            installation_store=store,
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret.get_secret_value(),
            logger=logger,
            bot_only=True,
            client=oauth_client,
            cache_enabled=True,
        )
        on_slack_error = token_forgetter(authorize)
        app = App(
            client=oauth_client,
            signing_secret=settings.slack_signing_secret.get_secret_value(),
            process_before_response=True,
            logger=logger,
            listener_executor=ContextExecutor(max_workers=5),
            # Bolt's own authorize, with its auth.test result cached per token: a known
            # installation costs no Slack call on the request path. A token Slack reports
            # gone is dropped from the cache (``token_forgetter``).
            authorize=authorize,  # type: ignore[arg-type]  # a callable; the hint names functions
            user_facing_authorize_error_message=(
                ":warning: SSI Leaderboard isn't installed in this workspace (or was removed), "
                "so nothing was saved. Ask a workspace admin to install it again."
            ),
            oauth_settings=OAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret.get_secret_value(),
                scopes=list(BOT_SCOPES),
                installation_store=store,
                installation_store_bot_only=True,
                state_store=state_store(engine),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
            ),
        )
    else:
        assert settings.slack_bot_token is not None
        on_slack_error = None
        app = App(
            client=client
            or create_web_client(
                token=settings.slack_bot_token.get_secret_value(),
                base_url=settings.slack_api_url,
                pace=pace,
            ),
            signing_secret=settings.slack_signing_secret.get_secret_value(),
            process_before_response=True,
            logger=logger,
            listener_executor=ContextExecutor(max_workers=5),
            # No auth.test at start: a Slack that can't be reached at boot must not stop the
            # server (under restart: unless-stopped that is a crash loop). Bolt asks once, on
            # the first request, and /readyz says whether Slack answers.
            token_verification_enabled=False,
        )
    app.use(Step(ReplayGuard(engine).middleware))
    app.use(Step(understand))  # the workspace and /ssi's text, before anything needs them
    app.use(Step(once_per_event(engine)))
    # After: a retry asks nothing.
    # One per app: its asks of Slack wait in one queue, whoever needed the language.
    languages = languages or PersonLanguage(engine=engine, clock=clock, pace=pace)
    app.use(Step(languages.middleware))
    register(app, engine=engine, clock=clock, languages=languages, on_slack_error=on_slack_error)
    return app


class Step(Middleware):
    """One of our middleware functions ``(req, resp, next)`` as Bolt's class-based
    middleware, which Bolt calls with those three directly: a function given to ``app.use``
    has every keyword argument Bolt knows built for it on each request (a tenth of
    ``/ssi``'s time for our four)."""

    def __init__(self, step: Callable[[BoltRequest, BoltResponse, Callable[[], Any]], Any]):
        self.step = step

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        response: BoltResponse | None = self.step(req, resp, next)
        return response

    @property
    def name(self) -> str:  # in Bolt's debug log lines
        return getattr(self.step, "__qualname__", type(self).__name__)


GONE_TOKEN_ERRORS = {"invalid_auth", "token_revoked", "token_expired", "account_inactive"}


def token_forgetter(
    authorize: InstallationStoreAuthorize,
) -> Callable[[Exception, BoltContext], None]:
    """What the error handler calls: when Slack says a token no longer works, drop the
    cached authorization for it, so the next request asks the store (and Slack) afresh."""

    def forget(error: Exception, context: BoltContext) -> None:
        if not isinstance(error, SlackApiError) or not isinstance(error.response, SlackResponse):
            return
        if error.response.get("error") in GONE_TOKEN_ERRORS and context.bot_token:
            authorize.authorize_result_cache.pop(context.bot_token, None)

    return forget
