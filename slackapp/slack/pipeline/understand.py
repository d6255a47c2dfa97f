"""What every request is read for, once, before any listener runs: the workspace it concerns
(``Scope``), and for ``/ssi`` what was typed (parsed, or the reason it can't be). Listeners and
the router read both from the context; the workspace also names the request's log lines.
A command or an interaction that names no workspace is answered here, and goes no further."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from models.domain.ssi import InvalidReading
from slackapp.logs import current_workspace
from slackapp.render.notices import no_workspace_reply
from slackapp.slack.pipeline.dispatch import failure_answer
from slackapp.slack.pipeline.router import SSI, SSI_REQUEST, SSI_ROUTE, route_of
from slackapp.slack.readers.command_text import Request, parse
from slackapp.slack.readers.scope import SCOPE, resolve_scope

log = logging.getLogger(__name__)

# What people send from Slack besides commands: each is done in a workspace, and names it
# (on an org-wide install, in ``user.team_id``).
INTERACTIONS = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "message_action",
        "shortcut",
        "view_closed",
        "view_submission",
    }
)


def from_a_person(body: Mapping[str, Any]) -> bool:
    """A command or an interaction: something a person did in a workspace."""
    return "command" in body or body.get("type") in INTERACTIONS


def _refused(body: dict[str, Any]) -> BoltResponse:
    """A request that names no workspace: its data would belong to none. Refused with
    words the person sees where Slack shows them (a command's reply, a form's first
    field), else a plain acknowledgement; nothing runs, nothing is stored."""
    answer = failure_answer(body, no_workspace_reply())
    return answer if answer.status == 200 else BoltResponse(status=200, body="")


def understand(req: BoltRequest, resp: BoltResponse, next: Callable[[], Any]) -> Any:
    """Bolt middleware: resolve the scope and parse ``/ssi`` text, then handle the request
    with log lines naming its workspace."""
    body = req.body
    scope = resolve_scope(body)
    if not scope.workspace_id and from_a_person(body):
        log.warning("a %s naming no workspace: refused", body.get("type") or "command")
        return _refused(body)
    SCOPE.put(req.context, scope)
    if body.get("command") == SSI:
        request: Request | InvalidReading
        try:
            request = parse(str(body.get("text") or ""))
        except InvalidReading as problem:
            request = problem
        SSI_REQUEST.put(req.context, request)
        SSI_ROUTE.put(req.context, route_of(request))
    # Bolt runs the listeners after every middleware has returned, so a reset here would
    # come before them; each request is dispatched in a context of its own instead.
    current_workspace.set(scope.workspace_id or scope.enterprise_id)
    return next()
