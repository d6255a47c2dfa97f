"""What a person did in Slack (a button, a menu, a form), read once from its payload: who,
where, the button's value and the addresses to answer at. Slack sends ``null`` for what a
surface hasn't (no channel on the App Home, no ``response_url`` in a modal), and each reads
as an empty string here, never as a ``KeyError`` or ``"None"``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _field(value: Any, name: str) -> str:
    return _text(value.get(name)) if isinstance(value, Mapping) else ""


@dataclass(frozen=True, slots=True)
class Interaction:
    """A ``block_actions`` or ``view_submission`` payload, read."""

    user_id: str
    user_name: str  # the Slack handle, or "" (Slack dropped it from newer payloads)
    channel_id: str  # where the button was; "" on the App Home and in modals
    trigger_id: str  # opens a modal, for three seconds
    action_id: str  # the first action's; "" for a form's submission
    value: str  # the first action's value, or its selected option's
    response_url: str  # where the message the button is in can be answered
    view_id: str  # the view the button is in (App Home, modal), or ""
    message_ts: str = ""  # the message the button is in, or ""
    ephemeral: bool = False  # that message is seen by the person alone (a command's answer)

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> Interaction:
        user = body.get("user")
        actions = body.get("actions")
        first = actions[0] if isinstance(actions, list) and actions else None
        action: Mapping[str, Any] = first if isinstance(first, Mapping) else {}
        value = _field(action, "value") or _field(action.get("selected_option"), "value")
        return cls(
            user_id=_field(user, "id"),
            user_name=_field(user, "username") or _field(user, "name"),
            channel_id=_field(body.get("channel"), "id"),
            trigger_id=_text(body.get("trigger_id")),
            action_id=_field(action, "action_id"),
            value=value,
            response_url=_text(body.get("response_url")),
            view_id=_field(body.get("view"), "id"),
            message_ts=_field(body.get("container"), "message_ts")
            or _field(body.get("message"), "ts"),
            ephemeral=_flag(body.get("container"), "is_ephemeral"),
        )


def _flag(container: object, key: str) -> bool:
    return isinstance(container, Mapping) and container.get(key) is True
