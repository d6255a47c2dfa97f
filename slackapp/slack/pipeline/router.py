"""``/ssi``: one table from what was typed to the listener that answers it.

``middleware.understand`` parses the text once; ``route_of`` names the route; each route is
registered with a matcher for its own name only, so exactly one listener matches any
``/ssi`` request and nothing depends on the order listeners were registered in."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext

from models.domain.ssi import InvalidReading
from slackapp.slack.context_slots import Slot
from slackapp.slack.readers.command_text import (
    SUBCOMMANDS,
    OpenModal,
    PastedPage,
    Request,
    Subcommand,
    Submit,
)

SSI = "/ssi"
# In a /ssi request's context: what was typed, parsed; and the route it takes.
SSI_REQUEST = Slot[Request | InvalidReading](
    "ssi_request", (OpenModal, Submit, Subcommand, PastedPage, InvalidReading)
)
SSI_ROUTE = Slot[str]("ssi_route", str)
Listener = Callable[..., Any]
# Every route a parsed /ssi request can take: a wrong text, the bare command (the form), a
# reading, a pasted SSI page, and each subcommand.
ROUTES = frozenset({"invalid", "form", "submit", "page", *SUBCOMMANDS})


@dataclass(frozen=True, slots=True)
class Route:
    """``answer`` acknowledges within Slack's 3 seconds (touching the database at most);
    ``later`` run after the answer has gone (Bolt's lazy listeners), free to call Slack."""

    answer: Listener
    later: Sequence[Listener] = ()


def route_of(request: Request | InvalidReading) -> str:
    """The name of the route a parsed ``/ssi`` request takes."""
    match request:
        case InvalidReading():
            return "invalid"
        case OpenModal():
            return "form"
        case Submit():
            return "submit"
        case PastedPage():
            return "page"
        case Subcommand(name=name):
            return name
    raise AssertionError(f"unrouted /ssi request: {request!r}")


def request_of(context: BoltContext) -> Request | InvalidReading:
    """What a ``/ssi`` command asked for, as ``middleware.understand`` parsed it."""
    return SSI_REQUEST.of(context)


def _routed_to(name: str) -> Callable[[BoltContext], bool]:
    def matches(context: BoltContext) -> bool:
        return SSI_ROUTE.get(context) == name

    return matches


def register(app: App, table: Mapping[str, Route]) -> None:
    """Attach ``/ssi``'s listeners: ``table`` must name a route for every request."""
    if set(table) != ROUTES:
        missing, unknown = sorted(ROUTES - set(table)), sorted(set(table) - ROUTES)
        raise ValueError(f"/ssi routes: missing {missing}, unknown {unknown}")
    # Bolt tries listeners in the order they were registered, building each one's matcher
    # arguments: readings, most of /ssi's traffic, are tried first (the answer is the same
    # in any order, as exactly one route matches).
    for name in sorted(table, key=lambda name: name != "submit"):
        route = table[name]
        app.command(SSI, matchers=[_routed_to(name)])(ack=route.answer, lazy=list(route.later))
