"""Bare /ssi opens a form prefilled from the last submission; its errors show on the fields."""

from __future__ import annotations

import json

from sqlalchemy import select

from models.store.tables import Submission
from slackapp.devtools.fake_slack.calls import Fault
from tests.blockkit import assert_valid_message, assert_valid_view
from tests.conftest import RunningApp


def open_form(app: RunningApp, user_id: str = "U1") -> dict:
    answer, call = app.slack.open_view(user_id=user_id, channel_id="C1")
    assert (answer.status, answer.body) == (200, "")  # acked at once; the form follows
    assert call.params["trigger_id"]
    return call.view


def initial_values(view: dict) -> dict[str, str | None]:
    return {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input"
    }


def test_bare_command_opens_a_valid_empty_form_for_a_newcomer(app: RunningApp) -> None:
    view = open_form(app)
    assert_valid_view(view)
    assert view["callback_id"] == "ssi_submission"
    assert set(initial_values(view).values()) == {None}
    assert json.loads(view["private_metadata"])["channel_id"] == "C1"


def test_form_is_prefilled_from_the_last_submission(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="72 21,4 17,66 13,78 19,4 industry 22 top 5%")
    values = initial_values(open_form(app))
    assert values["total"] == "72"
    assert values["find"] == "17.66"
    assert values["industry_average"] == "22"
    assert values["industry_top"] == "5"
    assert values["network_average"] is None


def test_form_errors_are_shown_on_their_fields_and_nothing_is_stored(app: RunningApp) -> None:
    view = open_form(app)
    answer = app.slack.submit_view(
        user_id="U1",
        view=view,
        typed={
            "brand": "30",
            "find": "lots",
            "engage": "14",
            "relate": "16",
            "industry_top": "120",
        },
    )
    assert answer.status == 200
    errors = answer.json["errors"]
    assert answer.json["response_action"] == "errors"
    assert "at most 25" in errors["brand"]
    assert "should be a number" in errors["find"]
    assert "top 120%" in errors["industry_top"]
    assert app.submission_count() == 0


def test_form_total_that_disagrees_with_pillars_is_flagged_on_total(app: RunningApp) -> None:
    view = open_form(app)
    typed = {"total": "86", "brand": "21", "find": "17", "engage": "14", "relate": "16"}
    answer = app.slack.submit_view(user_id="U1", view=view, typed=typed)
    assert "but the total says 86" in answer.json["errors"]["total"]
    assert app.submission_count() == 0


def test_saving_the_form_stores_and_confirms_in_the_channel(app: RunningApp) -> None:
    view = open_form(app)
    typed = {"brand": "21,5", "find": "17", "engage": "14", "relate": "16"}
    answer = app.slack.submit_view(user_id="U1", view=view, typed=typed)
    assert answer.status == 200
    assert answer.body == ""  # an empty 200 closes the modal
    confirmation = app.fake.wait_for("response_url")[0]
    assert confirmation.params["response_type"] == "ephemeral"
    assert_valid_message(confirmation.params)
    assert "Saved your SSI 68.5" in confirmation.params["text"]
    with app.engine.connect() as db:
        stored = db.execute(select(Submission)).one()
    assert (stored.source, stored.channel_id, stored.brand_thousandths) == ("modal", "C1", 21500)


def test_form_that_cannot_open_gets_a_friendly_answer(app: RunningApp) -> None:
    app.fake.script("views.open", Fault(error="expired_trigger_id"))
    answer = app.slack.command(user_id="U1", text="  ")
    assert answer.status == 200
    (reply,) = app.fake.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert "couldn't open the form" in reply.params["text"]


def test_form_without_a_command_to_answer_confirms_by_dm(app: RunningApp) -> None:
    view = open_form(app)
    view["private_metadata"] = json.dumps({"channel_id": "", "response_url": ""})
    typed = {"brand": "21", "find": "17", "engage": "14", "relate": "16"}
    app.slack.submit_view(user_id="U7", view=view, typed=typed)
    (dm,) = app.fake.wait_for("chat.postMessage")
    assert dm.params["channel"] == "U7"
    assert "Saved your SSI 68" in dm.params["text"]
    assert_valid_message({"text": dm.params["text"], "blocks": dm.blocks})
