"""/ssi setup, membership events and reminder preferences, over signed HTTP."""

from __future__ import annotations

import json

import pytest

from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.store import members as member_cache
from models.store import teams
from models.store.people import preferences
from slackapp.devtools.fake_slack.calls import Fault
from tests.blockkit import assert_valid_view
from tests.conftest import RunningApp

ACME = Scope("T0ACME")
IN_C1 = ["UBOSS", "U1", "U2", "UBOT", "UGONE"]


@pytest.fixture
def people(app: RunningApp) -> RunningApp:
    fake = app.fake
    fake.add_user("UBOSS", name="boss", tz="America/New_York", profile={"display_name": "Bo"})
    fake.add_user("UADMIN", name="admin", is_admin=True, tz="Europe/Berlin")
    fake.add_user("U1", name="ana", profile={"real_name": "Ana Ortiz"})
    fake.add_user("U2", name="ben", profile={"display_name": "Ben"})
    fake.add_user("UBOT", name="bot", is_bot=True)
    fake.add_user("UGONE", name="gone", deleted=True)
    fake.set_channel_members("C1", IN_C1)
    return app


def admin_joins(app: RunningApp) -> None:
    """The admin joins C1 (set-up is for people in the channel, admins too)."""
    app.fake.set_channel_members("C1", [*IN_C1, "UADMIN"])


def open_setup(app: RunningApp, user_id: str, channel_id: str = "C1") -> dict:
    answer, call = app.slack.open_view(user_id=user_id, text="setup", channel_id=channel_id)
    assert (answer.status, answer.body) == (200, "")
    return call.view


def team(app: RunningApp) -> TeamRecord | None:
    with app.engine.connect() as db:
        return teams.team_for_channel(db=db, scope=ACME, channel_id="C1")


def members(app: RunningApp, team_id: int) -> list[str]:
    with app.engine.connect() as db:
        return [m.user_id for m in member_cache.members_of(db=db, team_ids=[team_id])[team_id]]


def test_setup_opens_a_form_with_sensible_defaults(people: RunningApp) -> None:
    view = open_setup(people, "UBOSS")
    assert_valid_view(view)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["timezone"]["initial_value"] == "America/New_York"  # from Slack's profile
    assert inputs["weekday"]["initial_option"]["value"] == "0"
    assert inputs["time"]["initial_time"] == "09:00"
    assert inputs["managers"]["initial_users"] == ["UBOSS"]
    assert json.loads(view["private_metadata"])["channel_id"] == "C1"


def test_saving_makes_the_channel_a_team_with_its_human_members(people: RunningApp) -> None:
    view = open_setup(people, "UBOSS")
    answer = people.slack.submit_view(
        user_id="UBOSS",
        view=view,
        typed={
            "weekday": "4",
            "time": "16:30",
            "timezone": "Europe/Berlin",
            "managers": ["UBOSS", "UADMIN"],
            "reminders": [],
        },
    )
    assert (answer.status, answer.body) == (200, "")
    (confirmation,) = people.fake.wait_for("response_url")
    assert "every Friday at 16:30 (Europe/Berlin)" in confirmation.params["text"]
    assert "Reminders are off. 3 members are on the board." in confirmation.params["text"]
    saved = team(people)
    assert saved is not None
    assert (saved.post_weekday, saved.post_minute, saved.reminders) == (4, 990, False)
    assert saved.managers == ("UADMIN", "UBOSS")
    assert members(people, saved.id) == ["U1", "U2", "UBOSS"]  # no bot, no deactivated
    assert people.fake.calls("conversations.join")


def test_form_errors_are_shown_on_their_fields(people: RunningApp) -> None:
    view = open_setup(people, "UBOSS")
    answer = people.slack.submit_view(
        user_id="UBOSS", view=view, typed={"timezone": "Mars/Olympus", "managers": []}
    )
    errors = answer.json["errors"]
    assert "not a time zone" in errors["timezone"]
    assert "at least one manager" in errors["managers"]
    assert team(people) is None


def test_only_managers_and_admins_may_change_a_team(people: RunningApp) -> None:
    people.slack.submit_view(user_id="UBOSS", view=open_setup(people, "UBOSS"), typed={})
    people.fake.wait_for("response_url")
    people.slack.command(user_id="U1", text="setup", channel_id="C1")
    refusal = people.fake.wait_for("response_url", 2)[-1]
    assert "Only this team's managers or a workspace admin" in refusal.params["text"]
    assert "Ask <@UBOSS>." in refusal.params["text"]  # whom to ask, by mention
    assert len(people.fake.calls("views.open")) == 1
    admin_joins(people)
    view = open_setup(people, "UADMIN")  # an admin may
    people.slack.submit_view(user_id="UADMIN", view=view, typed={"time": "08:00"})
    people.fake.wait_for("response_url", 3)
    saved = team(people)
    assert saved is not None and saved.post_minute == 480


def test_setup_in_a_direct_message_is_explained(people: RunningApp) -> None:
    people.slack.command(user_id="UBOSS", text="setup", channel_id="D0DM")
    (reply,) = people.fake.wait_for("response_url")
    assert "in the channel you want as a team" in reply.params["text"]


def test_members_joining_and_leaving_keep_the_board_current(people: RunningApp) -> None:
    people.slack.submit_view(user_id="UBOSS", view=open_setup(people, "UBOSS"), typed={})
    people.fake.wait_for("response_url")
    team_id = team(people).id  # type: ignore[union-attr]
    people.fake.add_user("U3", name="cy")
    people.slack.event({"type": "member_joined_channel", "user": "U3", "channel": "C1"})
    people.slack.event({"type": "member_joined_channel", "user": "UBOT", "channel": "C1"})
    people.fake.wait_for("users.info", 2)
    import time

    deadline = time.monotonic() + 5
    while "U3" not in members(people, team_id) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "U3" in members(people, team_id) and "UBOT" not in members(people, team_id)
    answer = people.slack.event({"type": "member_left_channel", "user": "U1", "channel": "C1"})
    assert answer.status == 200
    assert "U1" not in members(people, team_id)


def test_reminders_can_be_turned_off_and_on(app: RunningApp) -> None:
    assert "Reminders are off" in app.slack.command(user_id="U1", text="remind off").text
    with app.engine.connect() as db:
        assert preferences.reminders_off(db=db, scope=ACME, user_ids=["U1", "U2"]) == {"U1"}
    assert "Reminders are on" in app.slack.command(user_id="U1", text="remind on").text
    with app.engine.connect() as db:
        assert preferences.reminders_off(db=db, scope=ACME, user_ids=["U1", "U2"]) == set()
    assert "`/ssi remind off`" in app.slack.command(user_id="U1", text="remind maybe").text


def _forged(view: dict) -> dict:
    """The form as an attacker would send it back: claiming to be an admin's."""
    metadata = {**json.loads(view["private_metadata"]), "admin": True}
    return {**view, "private_metadata": json.dumps(metadata)}


def test_the_form_checks_rights_afresh_when_it_is_submitted(people: RunningApp) -> None:
    people.slack.submit_view(user_id="UBOSS", view=open_setup(people, "UBOSS"), typed={})
    people.fake.wait_for("response_url")
    admin_joins(people)
    view = open_setup(people, "UADMIN")  # opened while an admin...
    people.fake.add_user("UADMIN", name="admin", is_admin=False)  # ...no longer one
    answer = people.slack.submit_view(user_id="UADMIN", view=view, typed={"time": "07:00"})
    errors = json.loads(answer.body)["errors"]
    assert "Only this team's managers or a workspace admin" in errors["managers"]
    # A form whose metadata claims admin rights is not believed either.
    answer = people.slack.submit_view(user_id="U1", view=_forged(view), typed={"time": "07:00"})
    assert "managers" in json.loads(answer.body)["errors"]
    saved = team(people)
    assert saved is not None and saved.post_minute == 540


def test_slack_not_confirming_rights_in_time_saves_nothing(people: RunningApp) -> None:
    people.slack.submit_view(user_id="UBOSS", view=open_setup(people, "UBOSS"), typed={})
    people.fake.wait_for("response_url")
    admin_joins(people)
    view = open_setup(people, "UADMIN")
    people.fake.script("users.info", Fault(delay=2.5))
    answer = people.slack.submit_view(user_id="UADMIN", view=view, typed={"time": "07:00"})
    assert "didn't confirm your rights in time" in json.loads(answer.body)["errors"]["managers"]
    assert team(people).post_minute == 540  # type: ignore[union-attr]


def test_a_failure_while_saving_the_form_shows_on_one_of_its_own_blocks(
    people: RunningApp, database_url: str
) -> None:
    from tests.factories import outside_writer

    view = open_setup(people, "UBOSS")
    with outside_writer(database_url):
        answer = people.slack.submit_view(user_id="UBOSS", view=view, typed={})
    errors = json.loads(answer.body)["errors"]
    blocks = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    assert set(errors) <= blocks and "nothing was saved" in next(iter(errors.values()))
    assert team(people) is None
