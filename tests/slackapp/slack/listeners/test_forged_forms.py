"""Forms and buttons sent back with forged contents (only someone with the signing secret
could, but the app doesn't take form metadata on trust): each gets a clear answer where the
person sees it, nothing stored changes, and nothing fails. Over signed HTTP, against the
fake Slack."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine, text

from models.domain.teams import MAX_MANAGERS
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.slack_requests import filled_view, slash_command_body
from slackapp.settings import SLACK_API_URL
from slackapp.slack.readers.payloads import is_slack_hook
from tests.conftest import SIGNING_SECRET, RunningApp, wait_until

GRID, WORKSPACE = "E0GRID", "T0ONE"
SHARE = {"brand": "21", "find": "17", "engage": "14", "relate": "16"}


@pytest.fixture
def people(app: RunningApp) -> RunningApp:
    """UBOSS and U1 in #sales (C1) and in the private G1, where the app was invited; UOUT
    is in the workspace but in neither."""
    for user in ("UBOSS", "U1", "UOUT"):
        app.fake.add_user(user, name=user.lower(), tz="Europe/Berlin")
    app.fake.set_channel_members("C1", ["UBOSS", "U1"])
    app.fake.set_private_channel("G1", app_invited=True)
    app.fake.set_channel_members("G1", ["UBOSS", "U1"])
    return app


def rows(app: RunningApp | Engine, table: str) -> int:
    engine = app if isinstance(app, Engine) else app.engine
    with engine.connect() as db:
        return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def open_setup(app: RunningApp, user_id: str, channel_id: str = "C1") -> dict[str, Any]:
    answer, opened = app.slack.open_view(user_id=user_id, text="setup", channel_id=channel_id)
    assert (answer.status, answer.body) == (200, "")
    return opened.view


def with_metadata(view: dict[str, Any], metadata: str) -> dict[str, Any]:
    return {**view, "private_metadata": metadata}


def edited(view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The view with some of its metadata's fields changed, the rest (the seal) kept."""
    return with_metadata(view, json.dumps({**json.loads(view["private_metadata"]), **changes}))


def refusal(answer: Any, block: str = "managers") -> str:
    assert answer.status == 200, answer.body
    errors: dict[str, str] = answer.json["errors"]
    return errors[block]


# --- the set-up form's metadata -------------------------------------------------------


def test_set_up_metadata_that_isnt_the_apps_is_refused_and_creates_no_team(
    people: RunningApp,
) -> None:
    view = open_setup(people, "UBOSS")
    for metadata in (
        "",
        "not json",
        "[]",
        json.dumps({"channel_id": None}),
        json.dumps({"channel_id": "123", "response_url": ""}),
        json.dumps({"channel_id": "C" + "X" * 100_000, "response_url": ""}),
    ):
        answer = people.slack.submit_view(
            user_id="UBOSS", view=with_metadata(view, metadata), typed={}
        )
        assert "wasn't opened by you for this channel" in refusal(answer), metadata[:20]
    assert rows(people, "team") == 0
    assert people.fake.calls("response_url") == []


def test_a_form_opened_for_one_channel_cant_set_up_another(people: RunningApp) -> None:
    view = open_setup(people, "UBOSS")
    answer = people.slack.submit_view(user_id="UBOSS", view=edited(view, channel_id="G1"), typed={})
    assert "wasn't opened by you for this channel" in refusal(answer)
    # Nor is it anyone else's to submit.
    answer = people.slack.submit_view(user_id="U1", view=view, typed={})
    assert "wasn't opened by you for this channel" in refusal(answer)
    assert rows(people, "team") == 0
    # As opened, by the person it was opened for, it saves.
    answer = people.slack.submit_view(user_id="UBOSS", view=view, typed={})
    assert (answer.status, answer.body) == (200, "")
    assert rows(people, "team") == 1


def test_someone_not_in_a_private_channel_cant_make_it_their_team(people: RunningApp) -> None:
    # Slack sends /ssi setup only from a channel the person is in: this one is forged.
    view = open_setup(people, "UOUT", channel_id="G1")
    answer = people.slack.submit_view(user_id="UOUT", view=view, typed={"managers": ["UOUT"]})
    assert "You're not in this channel" in refusal(answer)
    assert rows(people, "team") == rows(people, "team_manager") == 0
    # Someone in it may.
    answer = people.slack.submit_view(
        user_id="U1", view=open_setup(people, "U1", channel_id="G1"), typed={}
    )
    assert (answer.status, answer.body) == (200, "")
    assert rows(people, "team") == 1


def test_someone_who_left_the_channel_since_opening_the_form_cant_save_it(
    people: RunningApp,
) -> None:
    view = open_setup(people, "U1")
    people.fake.set_channel_members("C1", ["UBOSS"])
    answer = people.slack.submit_view(user_id="U1", view=view, typed={})
    assert "You're not in this channel" in refusal(answer)
    assert rows(people, "team") == 0


# --- response_url: only Slack's own hooks ------------------------------------------------


@pytest.fixture
def internal() -> Any:
    """A server standing for an address inside the app's network: it records what it gets."""
    with FakeSlack() as server:
        yield server


def internal_posts(server: FakeSlack) -> list[Any]:
    return server.calls()


def test_the_set_up_confirmation_goes_to_slack_only(
    people: RunningApp, internal: FakeSlack
) -> None:
    body = slash_command_body(
        team_id="T0ACME",
        user_id="UBOSS",
        user_name="boss",
        channel_id="C1",
        text="setup",
        response_url=internal.base_url + "/internal/admin",
    )
    people.slack.post(body)
    view = people.fake.wait_for("views.open")[-1].view
    answer = people.slack.submit_view(user_id="UBOSS", view=view, typed={})
    assert (answer.status, answer.body) == (200, "")
    (dm,) = people.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "UBOSS")
    assert "is an SSI team" in dm.params["text"]  # the confirmation reaches them by DM
    assert internal_posts(internal) == []


def test_the_forms_answer_goes_to_slack_only(people: RunningApp, internal: FakeSlack) -> None:
    _, opened = people.slack.open_view(user_id="U1", channel_id="C1")
    view = edited(opened.view, response_url=internal.base_url + "/internal/admin")
    answer = people.slack.submit_view(user_id="U1", view=view, typed=SHARE)
    assert (answer.status, answer.body) == (200, "")
    (dm,) = people.fake.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "U1")
    assert "68" in dm.params["text"]
    assert people.submission_count() == 1  # the reading is the person's own: kept
    assert internal_posts(internal) == []


@pytest.mark.parametrize("channel", ["123", "C" * 100_001, "D0DIRECT", ""])
def test_the_share_forms_channel_counts_only_when_it_is_a_channel_id(
    people: RunningApp, channel: str
) -> None:
    _, opened = people.slack.open_view(user_id="U1", channel_id="C1")
    view = edited(opened.view, channel_id=channel)
    answer = people.slack.submit_view(user_id="U1", view=view, typed=SHARE)
    assert (answer.status, answer.body) == (200, "")
    with people.engine.connect() as db:
        stored = db.execute(text("SELECT channel_id FROM submission")).scalars().all()
    assert stored == [None]  # the reading is kept, counted for no channel


@pytest.mark.parametrize(
    ("url", "api_url", "allowed"),
    [
        ("https://hooks.slack.com/commands/T1/2/abc", SLACK_API_URL, True),
        ("https://hooks.slack.com:443/actions/T1/2/abc", SLACK_API_URL, True),
        ("http://hooks.slack.com/commands/T1/2/abc", SLACK_API_URL, False),
        ("https://hooks.slack.com.example.com/commands", SLACK_API_URL, False),
        ("https://hooks.slack.com@example.com/commands", SLACK_API_URL, False),
        ("https://example.com/?https://hooks.slack.com/", SLACK_API_URL, False),
        ("http://127.0.0.1:8080/response/1", SLACK_API_URL, False),
        ("http://169.254.169.254/latest/meta-data", SLACK_API_URL, False),
        ("http://127.0.0.1:8080/response/1", "http://127.0.0.1:8080/api/", True),
        ("http://127.0.0.1:9090/internal/admin", "http://127.0.0.1:8080/api/", False),
        ("http://[::1", SLACK_API_URL, False),
    ],
)
def test_a_response_url_is_one_of_slacks_hooks(url: str, api_url: str, allowed: bool) -> None:
    assert is_slack_hook(url, api_url=api_url) is allowed


# --- an org-wide interaction must name its workspace -----------------------------------


def org_wide(payload: dict[str, Any]) -> str:
    """An interaction from an org-wide install (``team: null``) whose user names no
    workspace."""
    payload |= {
        "team": None,
        "enterprise": {"id": GRID, "name": "Grid"},
        "is_enterprise_install": True,
        "user": {"id": "W1", "username": "grace", "name": "grace"},
        "api_app_id": "A0SSI",
        "token": "deprecated-verification-token",
        "trigger_id": "1.2",
    }
    return urlencode({"payload": json.dumps(payload)})


def test_an_org_wide_button_naming_no_workspace_changes_nothing(app: RunningApp) -> None:
    button = {
        "type": "block_actions",
        "container": {"type": "view", "view_id": "V1"},
        "actions": [{"type": "button", "action_id": "ssi_home_reminders", "value": "off"}],
    }
    answer = app.slack.post(org_wide(button))
    assert answer.status == 200
    assert rows(app, "member_preference") == 0


def test_an_org_wide_form_naming_no_workspace_is_refused_on_its_first_field(
    app: RunningApp,
) -> None:
    _, opened = app.slack.open_view(user_id="U1", channel_id="C1")
    filled = filled_view(opened.view, SHARE)
    answer = app.slack.post(org_wide({"type": "view_submission", "view": filled}))
    first = next(b["block_id"] for b in opened.view["blocks"] if b["type"] == "input")
    assert "didn't say which workspace" in refusal(answer, first)
    assert app.submission_count() == 0


# --- values that aren't what the form offers ---------------------------------------------


@pytest.mark.parametrize("value", ["1" * 23, "²"])
def test_a_nudge_for_no_team_is_ignored_without_a_failure(
    app: RunningApp, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    caplog.set_level(logging.INFO)
    nudge = {"type": "button", "action_id": "ssi_nudge", "value": value, "text": "Nudge"}
    message = {"blocks": [{"type": "actions", "elements": [nudge]}]}
    app.slack.click(user_id="U1", message=message, action_id="ssi_nudge")
    wait_until(
        lambda: any(
            "a nudge for no team" in r.getMessage() or r.levelno >= logging.ERROR
            for r in caplog.records
        )
    )
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert app.fake.calls("chat.postMessage") == []


def test_wrong_field_values_get_short_answers_on_their_fields(people: RunningApp) -> None:
    view = open_setup(people, "UBOSS")
    # A day the form doesn't offer, as a forged request could choose it.
    weekday = next(b["element"] for b in view["blocks"] if b.get("block_id") == "weekday")
    weekday["options"].append({"text": {"type": "plain_text", "text": "²"}, "value": "²"})
    typed = {
        "goal_average": "x" * 100_000,
        "goal_date": "2027-03-31",
        "timezone": "x" * 100_000,
        "weekday": "²",
    }
    answer = people.slack.submit_view(user_id="UBOSS", view=view, typed=typed)
    assert answer.status == 200, answer.body
    errors = answer.json["errors"]
    assert set(errors) == {"goal_average", "timezone", "weekday"}
    assert "“xxxxxxxxxxxxxxxxxxxx…”" in errors["goal_average"]
    assert all(len(error) < 200 for error in errors.values())
    assert rows(people, "team") == 0


def test_a_team_has_at_most_twenty_managers(people: RunningApp) -> None:
    view = open_setup(people, "UBOSS")
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["managers"]["max_selected_items"] == MAX_MANAGERS == 20
    for count in (MAX_MANAGERS + 1, 3000):
        managers = [f"U{n:05d}" for n in range(count)]
        answer = people.slack.submit_view(user_id="UBOSS", view=view, typed={"managers": managers})
        assert "at most 20 managers" in refusal(answer)
    answer = people.slack.submit_view(user_id="UBOSS", view=view, typed={"managers": ["123"]})
    assert "from the list of people" in refusal(answer)
    assert rows(people, "team") == rows(people, "team_manager") == 0
    managers = [f"U{n:05d}" for n in range(MAX_MANAGERS)]
    answer = people.slack.submit_view(user_id="UBOSS", view=view, typed={"managers": managers})
    assert (answer.status, answer.body) == (200, "")
    assert rows(people, "team_manager") == MAX_MANAGERS


def test_the_cli_sets_up_a_team_with_at_most_twenty_managers(
    database_url: str,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from slackapp.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    command = ["team", "set", "--workspace", "T0ACME", "--channel", "C1", "--day", "monday"]
    command += ["--time", "09:00", "--tz", "Europe/Berlin"]
    managers = [arg for n in range(MAX_MANAGERS + 1) for arg in ("--manager", f"U{n:05d}")]
    assert main([*command, *managers]) == 2
    assert "at most 20 managers, not 21" in capsys.readouterr().err
    assert rows(engine, "team") == 0
    assert main([*command, *managers[:-2]]) == 0
    assert rows(engine, "team_manager") == MAX_MANAGERS
