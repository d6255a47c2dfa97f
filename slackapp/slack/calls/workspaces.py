"""Which Slack client speaks for a workspace, in either mode.

One workspace: the bot token from the environment, for every scope. Many workspaces: the
installation's bot token from the encrypted store; when Slack's token rotation is on and the
token expires soon, it is refreshed first (Bolt does that only for incoming requests, and
the weekly tick has none). A workspace that uninstalled the app has no client.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.store.installations import EncryptedInstallationStore, TokenCipher
from slackapp.settings import Settings
from slackapp.slack.calls.client import create_web_client
from slackapp.slack.calls.rate_limits import PROCESS_PACE, SlackPace

log = logging.getLogger(__name__)

REFRESH_MINUTES_BEFORE_EXPIRY = 30


class Workspaces(Protocol):
    def client_for(self, scope: Scope) -> WebClient | None: ...


class SingleWorkspace:
    """The one workspace whose bot token is configured."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def client_for(self, scope: Scope) -> WebClient | None:
        return self.client


class InstalledWorkspaces:
    """Every workspace that installed the app through the OAuth flow."""

    def __init__(
        self,
        *,
        store: EncryptedInstallationStore,
        client_id: str,
        client_secret: str,
        base_url: str,
        timeout: int = 10,
        pace: SlackPace = PROCESS_PACE,
    ) -> None:
        self.store = store
        self.base_url = base_url
        self.timeout = timeout
        self.pace = pace
        self.rotator = TokenRotator(
            client_id=client_id,
            client_secret=client_secret,
            client=create_web_client(token=None, base_url=base_url, pace=pace),
        )
        self._clients: dict[Scope, WebClient] = {}  # the latest token's client each
        self._lock = threading.Lock()

    def client_for(self, scope: Scope) -> WebClient | None:
        # One at a time in this process: the tick's senders share a workspace's token, and
        # two refreshing it at once would both spend the refresh token.
        with self._lock:
            return self._client_for(scope)

    def _client_for(self, scope: Scope) -> WebClient | None:
        bot = self.store.find_bot(enterprise_id=scope.enterprise_id, team_id=scope.workspace_id)
        if bot is None:  # an org-wide install on Enterprise Grid covers every workspace
            bot = self.store.find_bot(
                enterprise_id=scope.enterprise_id, team_id=None, is_enterprise_install=True
            )
        if bot is None or not bot.bot_token:
            return None
        if bot.bot_refresh_token:
            try:
                refreshed = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=REFRESH_MINUTES_BEFORE_EXPIRY
                )
            except SlackApiError as error:
                log.warning(
                    "token refresh failed: %s",
                    error.response.get("error"),
                    extra={"workspace": scope.workspace_id},
                )
                refreshed = None
            if refreshed is not None:
                self.store.save_bot(refreshed)
                bot = refreshed
        client = self._clients.get(scope)
        if client is None or client.token != bot.bot_token:
            client = self._clients[scope] = create_web_client(
                token=bot.bot_token, base_url=self.base_url, timeout=self.timeout, pace=self.pace
            )
        return client


def installation_store(settings: Settings, engine: Engine) -> EncryptedInstallationStore:
    assert settings.slack_client_id is not None
    return EncryptedInstallationStore(
        client_id=settings.slack_client_id,
        engine=engine,
        cipher=TokenCipher(settings.token_keys),
    )


def workspaces_for(
    settings: Settings, engine: Engine, pace: SlackPace = PROCESS_PACE
) -> Workspaces:
    """The clients for the configured mode, keeping to ``pace``."""
    if settings.multi_workspace:
        assert settings.slack_client_secret is not None
        return InstalledWorkspaces(
            store=installation_store(settings, engine),
            client_id=settings.slack_client_id or "",
            client_secret=settings.slack_client_secret.get_secret_value(),
            base_url=settings.slack_api_url,
            timeout=settings.slack_timeout_seconds,
            pace=pace,
        )
    assert settings.slack_bot_token is not None
    return SingleWorkspace(
        create_web_client(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            timeout=settings.slack_timeout_seconds,
            pace=pace,
        )
    )
