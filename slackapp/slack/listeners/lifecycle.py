"""The app's own life in a workspace: being removed (``app_uninstalled``,
``tokens_revoked``), and whatever else Slack sends that nothing here handles."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.services import workspaces
from slackapp.clock import Clock
from slackapp.render.notices import unknown_command_reply
from slackapp.slack.pipeline.router import SSI
from slackapp.slack.readers.payloads import ack_only
from slackapp.slack.readers.scope import scope_of

log = logging.getLogger(__name__)
REMOVAL_EVENTS = ("app_uninstalled", "tokens_revoked")


def anything_but(names: Iterable[str]) -> re.Pattern[str]:
    """Matches any id except ``names``: a catch-all that never competes with the listeners
    for those ids, whatever order they were registered in."""
    return re.compile(rf"^(?!(?:{'|'.join(re.escape(n) for n in names)})$)")


def removed_scope(context: BoltContext) -> Scope:
    """What an uninstall removes: the workspace, or with an org-wide install every workspace
    of the org (recorded without a workspace)."""
    scope = scope_of(context)
    if context.is_enterprise_install and scope.enterprise_id:
        return Scope(workspace_id="", enterprise_id=scope.enterprise_id)
    return scope


class Removal:
    """``app_uninstalled`` and ``tokens_revoked``: the workspace's tokens deleted, and its
    data purged after the retention period unless it installs the app again."""

    def __init__(self, *, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def register(self, app: App) -> None:
        if app.oauth_flow is None:
            for name in REMOVAL_EVENTS:
                app.event(name)(self.lost_access)
            return
        # Bolt's own handlers delete the workspace's tokens, so nothing is posted there any
        # more.
        self.revocation = TokenRevocationListeners(app.oauth_flow.settings.installation_store)
        for name in REMOVAL_EVENTS:
            app.event(name)(self.uninstalled)

    @staticmethod
    def lost_access(event: dict[str, Any]) -> None:
        # Single-workspace mode keeps its token in the environment, so there is nothing to
        # delete here; say so loudly, because every Web API call fails from now on.
        log.warning("Slack says the app lost access: %s", event.get("type"))

    def uninstalled(self, event: dict[str, Any], context: BoltContext) -> None:
        if event.get("type") == "app_uninstalled":
            self.revocation.handle_app_uninstalled_events(context)
        else:
            self.revocation.handle_tokens_revoked_events(event, context)
            if not (event.get("tokens") or {}).get("bot"):
                return  # only people's own tokens: the workspace keeps the app
            # Bolt deletes the bot's row alone; the installation's row keeps its own copy of
            # the (now dead) token: every token of the workspace goes, as on an uninstall.
            self.revocation.handle_app_uninstalled_events(context)
        with self.engine.begin() as db:
            workspaces.app_removed(db=db, scope=removed_scope(context), at=self.clock())
        log.info("app removed: tokens deleted")


class Leftovers:
    """Everything the other listeners don't handle (``actions``, ``views``, ``events``: the
    ids they do): another command pointed at this app by mistake gets a clear answer; a
    stray button, form, event or shortcut a plain acknowledgement (a 200, never a 404 that
    Slack would retry)."""

    def __init__(
        self, *, actions: Iterable[str], views: Iterable[str], events: Iterable[str]
    ) -> None:
        self.actions = list(actions)
        self.views = list(views)
        self.events = list(events)

    @staticmethod
    def other_command(ack: Ack, command: dict[str, Any]) -> None:
        ack(**unknown_command_reply(str(command.get("command", ""))).ephemeral())

    def register(self, app: App) -> None:
        app.command(anything_but([SSI]))(self.other_command)
        app.action(anything_but(self.actions))(ack_only)
        app.view(anything_but(self.views))(ack_only)
        app.event(anything_but(self.events))(ack_only)
        app.shortcut(re.compile(r".*"))(ack_only)
