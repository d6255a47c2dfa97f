"""Which message events are a person's own new message to the app: any event reads without
raising, and only those are read."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slackapp.slack.readers.direct_message import DirectMessage

OWN = {
    "type": "message",
    "channel": "DU1",
    "user": "U1",
    "text": "68 21 17 14 16",
    "ts": "1700000000.000100",
    "channel_type": "im",
}


def test_a_persons_own_message_reads() -> None:
    assert DirectMessage.of(OWN) == DirectMessage(
        "U1", "DU1", "1700000000.000100", "68 21 17 14 16"
    )
    with_file = {**OWN, "subtype": "file_share", "files": [{"id": "F1"}]}
    assert DirectMessage.of(with_file) is not None
    # The first message of a thread carries its own ts as thread_ts.
    assert DirectMessage.of({**OWN, "thread_ts": OWN["ts"]}) is not None


@pytest.mark.parametrize(
    "change",
    [
        {"bot_id": "B1"},
        {"subtype": "bot_message"},
        {"subtype": "message_changed"},
        {"subtype": "message_deleted"},
        {"edited": {"user": "U1", "ts": "1.0"}},
        {"thread_ts": "1690000000.000100"},
        {"channel_type": "channel"},
        {"channel_type": "mpim"},
        {"user": None},
        {"user": ""},
        {"channel": None},
        {"ts": None},
        {"type": "app_mention"},
    ],
)
def test_everything_else_is_not_read(change: dict[str, Any]) -> None:
    assert DirectMessage.of({**OWN, **change}) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


@given(
    st.dictionaries(st.sampled_from(sorted({*OWN, "subtype", "bot_id", "thread_ts"})), json_values)
)
def test_any_event_reads_without_raising(changes: dict[str, Any]) -> None:
    found = DirectMessage.of({**OWN, **changes})
    assert found is None or isinstance(found.text, str)
