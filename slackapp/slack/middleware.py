"""What every request is read for, once, before any listener runs: the workspace it concerns
(``Scope``), and for ``/ssi`` what was typed (parsed, or the reason it can't be). Listeners and
the router read both from the context; the workspace also names the request's log lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

from models.domain.ssi import InvalidReading
from slackapp.logs import current_workspace
from slackapp.slack.command_text import Request, parse
from slackapp.slack.router import REQUEST_KEY, ROUTE_KEY, SSI, route_of
from slackapp.slack.scope import CONTEXT_KEY, resolve_scope


def understand(req: BoltRequest, resp: BoltResponse, next: Callable[[], Any]) -> Any:
    """Bolt middleware: resolve the scope and parse ``/ssi`` text, then handle the request
    with log lines naming its workspace."""
    body = req.body
    scope = resolve_scope(body)
    req.context[CONTEXT_KEY] = scope
    if body.get("command") == SSI:
        request: Request | InvalidReading
        try:
            request = parse(str(body.get("text") or ""))
        except InvalidReading as problem:
            request = problem
        req.context[REQUEST_KEY] = request
        req.context[ROUTE_KEY] = route_of(request)
    # Bolt runs the listeners after every middleware has returned, so a reset here would
    # come before them; each request is dispatched in a context of its own instead.
    current_workspace.set(scope.workspace_id or scope.enterprise_id)
    return next()
