"""The typed reader of an interaction's payload, and the typed slots that carry values
through a request's context (to its lazy listeners too)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_bolt import BoltContext

from slackapp.render.blocks import Message
from slackapp.slack.context_slots import Slot
from slackapp.slack.readers.interaction import Interaction
from tests.conftest import recorded


def _filled(payload: dict[str, Any]) -> dict[str, Any]:
    """Slack's recorded block_actions shape, with the values a real click carries."""
    body = copy.deepcopy(payload)
    body["user"].update(id="U0CLICKER", username="ana", name="ana.l")
    body["channel"]["id"] = "C0SALES"
    body["trigger_id"] = "1337.42.abcd"
    body["response_url"] = "https://hooks.slack.com/actions/T0/1/x"
    body["view"] = {"id": "V0HOME"}
    body["actions"][0].update(action_id="share_ssi", value="C0TEAM")
    return body


def test_a_recorded_click_is_read_whole() -> None:
    clicked = Interaction.of(_filled(recorded("requests/BlockActionPayload.json")))
    assert clicked == Interaction(
        user_id="U0CLICKER",
        user_name="ana",
        channel_id="C0SALES",
        trigger_id="1337.42.abcd",
        action_id="share_ssi",
        value="C0TEAM",
        response_url="https://hooks.slack.com/actions/T0/1/x",
        view_id="V0HOME",
    )


def test_a_select_menu_gives_its_selected_option() -> None:
    body = _filled(recorded("requests/BlockActionPayload.json"))
    action = body["actions"][0]
    action["value"] = ""
    action["selected_option"]["value"] = "private"
    assert Interaction.of(body).value == "private"


def test_nulls_where_ids_are_expected_read_as_empty() -> None:
    """The App Home sends ``channel: null``; a modal has no ``response_url``."""
    body = {
        "type": "block_actions",
        "user": None,
        "channel": None,
        "trigger_id": None,
        "response_url": None,
        "view": None,
        "actions": None,
    }
    assert Interaction.of(body) == Interaction("", "", "", "", "", "", "", "")
    assert Interaction.of({"actions": [None], "user": {"id": 7}}).user_id == ""


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "user",
                "channel",
                "trigger_id",
                "response_url",
                "view",
                "actions",
                "type",
                "container",
                "message",
            ]
        ),
        json_values,
    )
)
def test_any_payload_reads_as_strings_without_raising(body: dict[str, Any]) -> None:
    clicked = Interaction.of(body)
    texts = [name for name in clicked.__slots__ if name != "ephemeral"]
    assert all(isinstance(getattr(clicked, name), str) for name in texts)
    assert isinstance(clicked.ephemeral, bool)


@dataclass(frozen=True, slots=True)
class _Handed:
    reply: Message
    files: tuple[str, ...]


HANDED = Slot[_Handed]("test_handed", _Handed)


def test_a_slot_gives_back_only_what_it_was_declared_with() -> None:
    context = BoltContext()
    assert HANDED.get(context) is None
    with pytest.raises(LookupError):
        HANDED.of(context)
    context["test_handed"] = {"reply": "not a _Handed"}  # written around the slot
    assert HANDED.get(context) is None
    handed = _Handed(Message(text="saved", blocks=[]), ("F1", "F2"))
    HANDED.put(context, handed)
    assert HANDED.of(context) is handed


def test_a_hand_off_reaches_the_lazy_listener() -> None:
    """Bolt gives a lazy listener a copy of the request's context (``to_copyable``)."""
    context = BoltContext()
    HANDED.put(context, _Handed(Message(text="saved", blocks=[{"type": "divider"}]), ("F1",)))
    copied = context.to_copyable()
    assert HANDED.of(copied) == HANDED.of(context)
