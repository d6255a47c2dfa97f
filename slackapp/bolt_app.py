"""Build the Bolt app: the one client, the listeners, and settings that keep it fast."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from sqlalchemy import Engine

from slackapp.clock import Clock
from slackapp.listeners import register
from slackapp.replay import ReplayGuard
from slackapp.settings import Settings
from slackapp.slack_client import create_web_client


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
) -> App:
    """A Bolt app for one workspace (``SLACK_BOT_TOKEN``).

    ``process_before_response=True``: listeners answer inside the request (parse, store,
    reply), so Bolt needn't poll for ``ack()`` in a sleep loop, which was measured to cap a
    sync app near 90 requests a second. Slow follow-ups go to lazy listeners.
    """
    client = client or create_web_client(
        token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
    )
    logger = logging.getLogger("slackapp.bolt")
    if not any(isinstance(f, _SameTokenNotice) for f in logger.filters):
        logger.addFilter(_SameTokenNotice())
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=True,
        logger=logger,
    )
    app.use(ReplayGuard().middleware)
    register(app, engine=engine, clock=clock)
    return app
