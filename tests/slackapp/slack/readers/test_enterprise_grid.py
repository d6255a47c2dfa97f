"""Enterprise Grid org-wide installs keep one scope, (enterprise, workspace), for every kind
of request, sent in the shapes Slack records for org-wide installs (``team: null`` in modal
submissions, ``authorizations[0].team_id: null`` in events)."""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import text

from slackapp.devtools.slack_requests import filled_view, signature_headers
from slackapp.slack.readers.scope import resolve_scope
from tests.conftest import RunningApp, recorded, wait_until

GRID, WORKSPACE = "E0GRID", "T0ONE"


def stored_scopes(app: RunningApp, table: str) -> set[tuple[str, str]]:
    with app.engine.connect() as db:
        rows = db.execute(text(f"SELECT enterprise_id, workspace_id FROM {table}")).all()
    return {(e, w) for e, w in rows}


def org_wide_view_submission(view: dict[str, Any], typed: dict[str, Any], user: str) -> str:
    """The recorded org-wide view_submission, carrying the app's own view as filled in."""
    payload = recorded("requests/view_submission.org_wide_install.json")
    assert payload["team"] is None  # the shape that matters
    payload["enterprise"] = {"id": GRID, "name": "Grid"}
    payload["user"] = {
        "id": user,
        "username": user.lower(),
        "name": user.lower(),
        "team_id": WORKSPACE,
    }
    filled = filled_view(view, typed)
    payload["view"] |= {
        "team_id": WORKSPACE,
        "app_installed_team_id": GRID,
        "callback_id": filled["callback_id"],
        "blocks": filled["blocks"],
        "private_metadata": filled.get("private_metadata", ""),
        "state": filled["state"],
    }
    return urlencode({"payload": json.dumps(payload)})


def org_wide_event(event: dict[str, Any], event_id: str = "Ev0GRID1") -> str:
    envelope = recorded("events/envelope.org_wide_install.json")
    assert envelope["authorizations"][0]["team_id"] is None
    envelope |= {"team_id": WORKSPACE, "enterprise_id": GRID, "event_id": event_id}
    envelope["authorizations"][0]["enterprise_id"] = GRID
    envelope["event"] = {"event_ts": "1795000000.000100", **event}
    return json.dumps(envelope)


def test_the_resolver_finds_the_workspace_in_every_recorded_shape() -> None:
    view = recorded("requests/view_submission.org_wide_install.json")
    assert resolve_scope(view).workspace_id == "T111"  # not E111, Bolt's installed team
    assert resolve_scope(view).enterprise_id == "E111"
    event = recorded("events/envelope.org_wide_install.json")
    assert (resolve_scope(event).workspace_id, resolve_scope(event).enterprise_id) == (
        "T111",
        "E111",
    )
    single = copy.deepcopy(recorded("events/MemberJoinedChannelPayload.json"))
    single["authorizations"][0]["team_id"] = "T0ACME"
    assert resolve_scope(single).workspace_id == "T0ACME"
    command = recorded("requests/SlashCommandPayload.json") | {
        "team_id": WORKSPACE,
        "enterprise_id": GRID,
    }
    assert (resolve_scope(command).workspace_id, resolve_scope(command).enterprise_id) == (
        WORKSPACE,
        GRID,
    )


def test_a_reading_from_the_form_is_stored_under_the_workspace(app: RunningApp) -> None:
    grid = app.workspace(WORKSPACE, GRID, org_wide=True)
    _, opened = grid.open_view(user_id="W1", channel_id="C1")
    typed = {"brand": "21", "find": "17", "engage": "14", "relate": "16"}
    answer = grid.post(org_wide_view_submission(opened.view, typed, "W1"))
    assert answer.status == 200 and answer.body == ""
    assert stored_scopes(app, "submission") == {(GRID, WORKSPACE)}
    # and it counts with what the person types in the same workspace
    me = grid.command(user_id="W1", text="me")
    assert "68" in me.body


def test_setup_in_an_org_wide_install_makes_the_channels_team(app: RunningApp) -> None:
    app.fake.add_user("W1", name="grace", tz="Europe/Berlin", is_admin=True)
    app.fake.add_user("W2", name="ana", profile={"display_name": "Ana"})
    app.fake.set_channel_members("C1", ["W1", "W2"])
    grid = app.workspace(WORKSPACE, GRID, org_wide=True)
    _, opened = grid.open_view(user_id="W1", text="setup", channel_id="C1")
    before = len(app.fake.calls("response_url"))
    answer = grid.post(org_wide_view_submission(opened.view, {}, "W1"))
    assert answer.status == 200 and answer.body == ""
    app.fake.wait_for("response_url", before + 1)
    assert stored_scopes(app, "team") == {(GRID, WORKSPACE)}
    grid.command(user_id="W2", text="68 21 17 14 16", channel_id="C1")
    board = grid.command(user_id="W2", text="board", channel_id="C1")
    assert "SSI leaderboard so far" in board.text and "1 shared" in board.text


def test_membership_events_of_an_org_wide_install_reach_the_team(app: RunningApp) -> None:
    app.fake.add_user("W1", name="grace", tz="Europe/Berlin", is_admin=True)
    app.fake.add_user("W3", name="ben", profile={"display_name": "Ben"})
    app.fake.set_channel_members("C1", ["W1"])
    grid = app.workspace(WORKSPACE, GRID, org_wide=True)
    _, opened = grid.open_view(user_id="W1", text="setup", channel_id="C1")
    before = len(app.fake.calls("response_url"))
    grid.post(org_wide_view_submission(opened.view, {}, "W1"))
    app.fake.wait_for("response_url", before + 1)

    def members() -> set[str]:
        with app.engine.connect() as db:
            return set(db.execute(text("SELECT user_id FROM team_member")).scalars())

    joined = org_wide_event(
        {"type": "member_joined_channel", "user": "W3", "channel": "C1", "team": WORKSPACE},
        "Ev0JOIN",
    )
    body = joined
    assert (
        grid.post(
            body,
            headers=signature_headers(grid.signing_secret, body),
            content_type="application/json",
        ).status
        == 200
    )
    wait_until(lambda: "W3" in members())
    left = org_wide_event(
        {
            "type": "member_left_channel",
            "user": "W3",
            "channel": "C1",
            "event_ts": "1795000001.000100",
        },
        "Ev0LEFT",
    )
    grid.post(
        left, headers=signature_headers(grid.signing_secret, left), content_type="application/json"
    )
    assert members() == {"W1"}
