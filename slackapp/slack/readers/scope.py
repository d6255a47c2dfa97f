"""Which workspace a request from Slack concerns: one resolver for commands, actions, views
and events alike, put into the request's context once by ``middleware.understand``.

Bolt's own ``context.team_id`` is the installation's id, which on an Enterprise Grid
org-wide install is the enterprise's: a modal submitted there has ``team: null`` and
``view.app_installed_team_id`` set to the enterprise id (Bolt then reports that), and an
event's ``authorizations[0].team_id`` is null. The workspace the person acted in is still in
the payload (``view.team_id``, ``user.team_id``, the envelope's ``team_id``); data is kept
under (enterprise, that workspace), as ``Scope`` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import BoltContext

from models.domain.scope import Person, Scope
from slackapp.slack.context_slots import Slot

SCOPE = Slot[Scope]("ssi_scope", Scope)  # put by ``pipeline.understand``


def _id(value: Any) -> str:
    """An id from a field that is a string, an object with an ``id``, or null."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _workspace(body: Mapping[str, Any]) -> str:
    if body.get("type") == "event_callback":
        authorizations = body.get("authorizations") or [{}]
        event = body.get("event") or {}
        # The authorization's team is the workspace unless the install is org-wide (null);
        # then the envelope's team_id, and failing that the event's own.
        return (
            _id(authorizations[0].get("team_id"))
            or _id(body.get("team_id"))
            or _id(body.get("context_team_id"))
            or _id(event.get("team"))
        )
    if "command" in body:  # a slash command's form fields
        return _id(body.get("team_id"))
    view = body.get("view") or {}
    user = body.get("user") or {}
    return _id(body.get("team")) or _id(view.get("team_id")) or _id(user.get("team_id"))


def _enterprise(body: Mapping[str, Any]) -> str | None:
    authorizations = body.get("authorizations") or [{}]
    found = (
        _id(body.get("enterprise_id"))
        or _id(body.get("enterprise"))
        or _id(authorizations[0].get("enterprise_id"))
        or _id(body.get("context_enterprise_id"))
    )
    return found or None


def resolve_scope(body: Mapping[str, Any]) -> Scope:
    """The (enterprise, workspace) a request's data belongs to."""
    return Scope(workspace_id=_workspace(body), enterprise_id=_enterprise(body))


def scope_of(context: BoltContext) -> Scope:
    """The request's scope, as the middleware resolved it."""
    scope = SCOPE.get(context)
    if scope is not None:
        return scope
    return Scope(workspace_id=context.team_id or "", enterprise_id=context.enterprise_id or None)


def person_of(command: Mapping[str, Any], context: BoltContext) -> Person:
    """Who typed a command, in the workspace they typed it in. A command without its
    sender (Slack always names one) is refused: nothing may be stored under no one."""
    user_id = command.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        raise ValueError("a command that names no sender")
    return Person(scope_of(context), user_id, str(command.get("user_name") or ""))
