"""Events are handled once (Slack's redeliveries keep the ``event_id``) and membership
events apply in the order Slack says they happened, not the order they arrive in."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from tests.conftest import RunningApp, wait_until
from tests.factories import make_team


def members(app: RunningApp) -> set[str]:
    with app.engine.connect() as db:
        return set(db.execute(text("SELECT user_id FROM team_member")).scalars())


def left(user: str, ts: str) -> dict[str, str]:
    return {"type": "member_left_channel", "user": user, "channel": "C1", "event_ts": ts}


def joined(user: str, ts: str) -> dict[str, str]:
    return {"type": "member_joined_channel", "user": user, "channel": "C1", "event_ts": ts}


def test_a_redelivered_event_is_not_handled_again(app: RunningApp) -> None:
    make_team(app.engine)  # members U1, U2, U3
    app.fake.add_user("U1", name="ana", profile={"display_name": "Ana"})
    assert app.slack.event(left("U1", "1795000000.000100"), event_id="Ev1").status == 200
    assert members(app) == {"U2", "U3"}
    before = len(app.fake.calls("users.info"))
    app.slack.event(joined("U1", "1795000005.000100"), event_id="Ev2")
    wait_until(lambda: "U1" in members(app))
    assert len(app.fake.calls("users.info")) == before + 1
    # Slack thought the first answer was slow and sends it again, same event_id.
    answer = app.slack.event(left("U1", "1795000000.000100"), event_id="Ev1", retry=1)
    assert answer.status == 200
    assert members(app) == {"U1", "U2", "U3"}
    app.slack.event(joined("U1", "1795000005.000100"), event_id="Ev2", retry=2)
    assert len(app.fake.calls("users.info")) == before + 1  # not looked up again


def test_a_late_join_after_the_leave_does_not_put_the_person_back(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    make_team(app.engine)
    app.fake.add_user("U4", name="dev", profile={"display_name": "Dev"})
    app.slack.event(joined("U4", "1795000000.000100"), event_id="EvJoin")
    wait_until(lambda: "U4" in members(app))
    app.slack.event(left("U4", "1795000060.000100"), event_id="EvLeave")
    assert "U4" not in members(app)
    # A join that happened before the leave arrives late (a new delivery id, as when Slack
    # redelivers after the leave was taken): it is older than what was applied.
    app.slack.event(joined("U4", "1795000030.000100"), event_id="EvLateJoin")
    wait_until(lambda: any("join older than" in r.getMessage() for r in caplog.records))
    assert "U4" not in members(app)
    # A leave older than the latest join is ignored the same way.
    app.slack.event(joined("U4", "1795000090.000100"), event_id="EvJoinAgain")
    wait_until(lambda: "U4" in members(app))
    app.slack.event(left("U4", "1795000070.000100"), event_id="EvOldLeave")
    assert "U4" in members(app)
