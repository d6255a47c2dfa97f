"""``/ssi``'s typed forms sent as messages in the app's Messages tab, over signed HTTP against
the fake Slack: answered as the command answers them, in the DM; a form that only a command
can open is pointed to the command; text that is neither a command nor a page gets the
page's answer; a redelivered event is answered once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from models.store.tables import Submission
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.slack.pipeline.router import Route
from slackapp.slack.pipeline.typed_in_dm import TypedInDm
from slackapp.slack.readers.command_text import Subcommand
from slackapp.slack.readers.direct_message import DirectMessage
from tests.blockkit import assert_valid_message
from tests.conftest import RunningApp

DM = "DU1"


def _said(app: RunningApp, count: int = 1) -> list[str]:
    """What the app posted in the DM so far (after ``count`` posts), as text and blocks."""
    app.fake.wait_for("chat.postMessage", count)
    messages = app.fake.messages_in(DM)
    for message in messages:
        assert_valid_message(message)
    return [json.dumps(m, ensure_ascii=False) for m in messages]


def _stored(app: RunningApp) -> list[Any]:
    with app.engine.connect() as db:
        return list(db.execute(select(Submission.__table__)))  # type: ignore[attr-defined]


def test_a_typed_reading_is_saved_as_the_command_saves_it(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text="68 21 17 14 16")
    (answer,) = _said(app)
    assert "*68* / 100" in answer
    (row,) = _stored(app)
    assert (row.source, row.total_thousandths, row.channel_id) == ("command", 68000, DM)
    # As /ssi typed in the same DM stores it: the same row, bar its time and id.
    app.slack.command(user_id="U2", text="68 21 17 14 16", channel_id="DU2")
    typed = _stored(app)[1]
    assert (typed.source, typed.total_thousandths, typed.channel_id) == ("command", 68000, "DU2")


def test_three_decimals_as_the_page_shows_them(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text="23 12.275 6 3.1 1.948")
    (answer,) = _said(app)
    assert "*23* / 100" in answer
    (row,) = _stored(app)
    assert (row.brand_thousandths, row.relate_thousandths) == (12275, 1948)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("help", "/ssi 68 21 17 14 16"),
        ("me", "haven't shared"),
        ("Me", "haven't shared"),  # as the command reads it: any case
        ("board", "type `/ssi board` there"),
        ("remind off", "Reminders are off"),
    ],
)
def test_subcommands_answer_in_the_dm(app: RunningApp, text: str, expected: str) -> None:
    app.slack.direct_message(user_id="U1", text=text)
    (answer,) = _said(app)
    assert expected in answer, answer
    assert _stored(app) == []


def test_the_help_says_the_messages_tab_takes_the_typed_forms(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text="help")
    assert "everything works without `/ssi` too" in answer.body


def test_a_wrong_reading_gets_the_commands_refusal_and_stores_nothing(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text="68 21 17 14 99")
    (answer,) = _said(app)
    assert "25" in answer and "/ssi 68 21 17 14 16" in answer
    assert _stored(app) == []


def test_setup_points_to_the_command(app: RunningApp) -> None:
    """A form opens only for a command (a message carries no trigger_id)."""
    app.slack.direct_message(user_id="U1", text="setup")
    (answer,) = _said(app)
    assert "type `/ssi setup`" in answer
    assert app.fake.calls("views.open") == []


def test_text_that_is_neither_gets_the_pages_answer(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text="thanks, see you monday")
    (answer,) = _said(app)
    assert "doesn't read as your SSI page" in answer
    assert _stored(app) == []


def test_undo_in_the_dm_takes_back_the_latest(app: RunningApp) -> None:
    app.slack.direct_message(user_id="U1", text="68 21 17 14 16")
    _said(app)
    app.slack.direct_message(user_id="U1", text="undo")
    _said(app, 2)
    assert _stored(app) == []


def test_a_redelivered_typed_reading_is_saved_once(app: RunningApp) -> None:
    event = {
        "type": "message",
        "channel": DM,
        "user": "U1",
        "text": "68 21 17 14 16",
        "ts": "1700000000.000200",
        "channel_type": "im",
    }
    app.slack.event(event, event_id="Ev0TYPED")
    app.slack.event(event, event_id="Ev0TYPED", retry=1)
    _said(app)
    assert len(_stored(app)) == 1
    assert len(app.fake.calls("chat.postMessage")) == 1


def test_a_route_asking_for_what_a_message_cant_give_is_refused_at_start() -> None:
    def wants_say(ack: Any, say: Any) -> None: ...

    with pytest.raises(ValueError, match="say"):
        TypedInDm({"me": Route(wants_say)})


def test_a_failing_route_answers_sorry_in_the_dm_and_a_busy_database_busy(
    fake_slack: FakeSlack,
) -> None:
    def fails(ack: Any) -> None:
        raise RuntimeError("a bug")

    def busy(ack: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    client = WebClient(token="xoxb-1", base_url=fake_slack.api_url)
    message = DirectMessage("U1", DM, "1.0", "me")
    for listener, says in ((fails, "something went wrong"), (busy, "busy right now")):
        TypedInDm({"me": Route(listener)}).run(message, Subcommand("me"), BoltContext(), client)
        (posted,) = fake_slack.calls("chat.postMessage")[-1:]
        assert says in posted.params["text"]
