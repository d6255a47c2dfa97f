"""/ssi over real, signed HTTP: what a person sees, and what is stored."""

from __future__ import annotations

import time

import pytest

from slackapp.devtools.slack_requests import signature_headers, slash_command_body
from tests.blockkit import assert_valid_message
from tests.conftest import SIGNING_SECRET, RunningApp


def all_text(answer_json: dict) -> str:
    """Everything a person reads in a reply: fallback and block texts."""
    parts = [answer_json.get("text", "")]
    for block in answer_json.get("blocks", []):
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [f["text"] for f in block.get("fields", [])]
        for element in block.get("elements", []):
            text = element.get("text", "")  # a button's is a text object
            parts.append(text["text"] if isinstance(text, dict) else text)
    return "\n".join(parts)


def test_submission_is_stored_and_answered_privately(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text="68 21 17 14 16")
    assert answer.status == 200
    body = answer.json
    assert body["response_type"] == "ephemeral"
    assert_valid_message(body)
    text = all_text(body)
    assert "*68* / 100" in text
    assert "*Establish your professional brand*\n21 / 25" in text
    assert "*Engage with insights*\n14 / 25" in text
    assert "Weakest pillar: *Engage with insights*" in text
    assert "#1* of 1" in text or "#1 of 1" in text
    assert app.submission_count() == 1


def test_reply_shows_change_since_previous_with_one_decimal(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="52.6 13 13 13 13.6")
    app.clock.advance(days=7)
    answer = app.slack.command(user_id="U1", text="53 13.1 13.1 13.2 13.6")
    text = all_text(answer.json)
    assert "total *+0.4* ▲" in text
    assert "brand +0.1" in text
    assert "relate 0.0" in text


def test_rank_in_channel_counts_people_who_submitted_there(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="70 20 17 16 17", channel_id="C1")
    app.slack.command(user_id="U2", text="60 15 15 15 15", channel_id="C1")
    app.slack.command(user_id="U3", text="80 20 20 20 20", channel_id="C2")
    answer = app.slack.command(user_id="U4", text="65 17 16 16 16", channel_id="C1")
    assert "#2 of 3 in <#C1>" in all_text(answer.json)


def test_industry_and_network_are_compared_and_carried_forward(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="68 21 17 14 16 industry 22 top 5% network 37 top 14%")
    app.clock.advance(days=7)
    text = all_text(app.slack.command(user_id="U1", text="70 21 18 15 16").json)
    assert "Industry: average 22, you're 48 above; you're in the top 5% (as of" in text
    assert "Network: average 37, you're 33 above; you're in the top 14% (as of" in text


def test_comma_decimals_are_kept_to_two_places(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text="72 21,4 17,66 13,78 19,4")
    text = all_text(answer.json)
    assert "*72* / 100" in text
    assert "17.66 / 25" in text and "21.4 / 25" in text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("68 26 17 14 16", "is 26, but it can be at most 25"),
        ("101 25 25 25 25", "total SSI is 101, but it can be at most 100"),
        ("68 -21 17 14 16", "can't be negative"),
        ("sixty-eight 21 17 14 16", "I didn't understand “sixty-eight”"),
        ("68 21 17", "I got 3 numbers"),
        ("68 21 17 14 16 3 4", "I got 7 numbers"),
        ("86 21 17 14 16", "add up to 68 (21 + 17 + 14 + 16), but the total says 86"),
        ("68 21 17 14 16 industry 22 top 120%", "top 120%, but a rank must be between"),
        ("68 21 17 14 16 &lt;!channel&gt;", "I didn't understand “&lt;!channel&gt;”"),
        ("&amp;&amp; 21 17 14 16", "I didn't understand “&amp;&amp;”"),
    ],
)
def test_bad_input_gets_a_specific_answer_and_stores_nothing(
    app: RunningApp, typed: str, expected: str
) -> None:
    app.slack.command(user_id="U1", text="60 15 15 15 15")
    answer = app.slack.command(user_id="U1", text=typed)
    assert answer.status == 200
    body = answer.json
    assert body["response_type"] == "ephemeral"
    assert_valid_message(body)
    text = all_text(body)
    assert expected in text
    assert "Example: `/ssi 68 21 17 14 16`" in text
    assert "<!channel>" not in text  # user text can never ping
    assert app.submission_count() == 1


def test_help_lists_every_form(app: RunningApp) -> None:
    text = all_text(app.slack.command(user_id="U1", text="help").json)
    for form in (
        "/ssi 68 21 17 14 16",
        "/ssi 21 17 14 16",
        "21,4",
        "industry 22 network 37",
        "top 5%",
        "/ssi me",
        "/ssi board",
        "/ssi undo",
    ):
        assert form in text


def test_me_shows_latest_trend_deltas_rank_and_tip(app: RunningApp) -> None:
    for total in ("50 12 12 12 14", "52 13 12 13 14", "53.5 13 13 13.5 14"):
        app.slack.command(user_id="U1", text=total, channel_id="C1")
        app.clock.advance(days=7)
    app.slack.command(user_id="U2", text="70 20 17 16 17", channel_id="C1")
    body = app.slack.command(user_id="U1", text="me").json
    assert_valid_message(body)
    text = all_text(body)
    assert "*Your SSI: 53.5* / 100" in text
    assert "Trend: 50 → 52 → 53.5" in text
    assert "total *+1.5* ▲" in text
    assert "#2 of 2 in <#C1>" in text
    assert "Weakest pillar: *Establish your professional brand*" in text
    assert "days old" in text  # the latest is a week old now: stale


def test_me_without_history_explains_how_to_start(app: RunningApp) -> None:
    assert "haven't shared your SSI yet" in app.slack.command(user_id="U1", text="me").text


def test_board_ranks_ties_together_in_name_order(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="60 15 15 15 15", user_name="zoe")
    app.slack.command(user_id="U2", text="70 20 17 16 17", user_name="bob")
    app.slack.command(user_id="U3", text="60 15 15 15 15", user_name="anna")
    app.slack.command(user_id="U4", text="50 10 10 15 15", user_name="carl")
    body = app.slack.command(user_id="U4", text="board").json
    assert_valid_message(body)
    text = all_text(body)
    rows = [line for line in text.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")]
    assert rows == ["1. <@U2> *70*", "2. <@U3> *60*", "2. <@U1> *60*", "4. <@U4> *50*"]


def test_undo_removes_only_the_latest(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="60 15 15 15 15")
    app.clock.advance(days=7)
    app.slack.command(user_id="U1", text="62 16 15 15 16")
    text = all_text(app.slack.command(user_id="U1", text="undo").json)
    assert "Removed your SSI 62" in text and "Your latest is now 60" in text
    assert app.submission_count() == 1
    app.slack.command(user_id="U1", text="undo")
    assert "nothing to undo" in app.slack.command(user_id="U1", text="undo").text
    assert app.submission_count() == 0


def test_workspaces_reusing_ids_never_see_each_other(app: RunningApp) -> None:
    acme, globex = app.workspace("T0ACME"), app.workspace("T0GLOBEX")
    grid = app.workspace("T0GLOBEX", enterprise_id="E0GRID")
    acme.command(user_id="U1", text="70 20 17 16 17", channel_id="C1")
    globex.command(user_id="U2", text="40 10 10 10 10", channel_id="C1")
    grid.command(user_id="U1", text="30 5 5 10 10", channel_id="C1")
    board = all_text(globex.command(user_id="U2", text="board", channel_id="C1").json)
    assert "<@U2>" in board and "<@U1>" not in board
    me = all_text(grid.command(user_id="U1", text="me").json)
    assert "Your SSI: 30" in me and "Trend" not in me
    globex.command(user_id="U1", text="undo")
    assert "Your SSI: 70" in all_text(acme.command(user_id="U1", text="me").json)


def test_unsigned_or_stale_requests_get_401_and_store_nothing(app: RunningApp) -> None:
    body = slash_command_body(
        team_id="T0ACME",
        user_id="U1",
        user_name="u1",
        channel_id="C1",
        text="68 21 17 14 16",
        response_url=app.fake.new_response_url(),
    )
    forged = signature_headers("not-the-secret-at-all-123456", body)
    stale = signature_headers(SIGNING_SECRET, body, timestamp=int(time.time()) - 6 * 60)
    tampered = signature_headers(SIGNING_SECRET, body.replace("68", "98"))
    assert app.slack.post(body, headers=forged).status == 401
    assert app.slack.post(body, headers=stale).status == 401
    assert (
        app.slack.post(
            body.replace("68", "98"), headers=signature_headers(SIGNING_SECRET, body)
        ).status
        == 401
    )
    assert app.slack.post(body, headers=tampered).status == 401
    assert app.slack.post(body, headers={}).status == 401
    assert app.submission_count() == 0
    assert app.slack.post(body).status == 200  # the same body, signed properly
    assert app.submission_count() == 1


def test_a_failure_inside_is_a_friendly_reply_not_a_500(
    app: RunningApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.services import readings

    def broken(**_: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(readings, "submit_reading", broken)
    answer = app.slack.command(user_id="U1", text="68 21 17 14 16")
    assert answer.status == 200
    assert "something went wrong on our side and nothing was saved" in answer.text
    assert "database on fire" not in answer.body
    assert app.submission_count() == 0


def test_separators_without_numbers_are_explained(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text=" , ; ")
    assert "I need your SSI numbers" in answer.text
    assert app.submission_count() == 0


def test_whitespace_only_opens_the_form(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text="   ")
    assert (answer.status, answer.body) == (200, "")
    assert app.fake.wait_for("views.open")


def test_in_a_team_channel_the_rank_is_on_the_team(app: RunningApp) -> None:
    from tests.factories import make_team

    make_team(app.engine, channel="C1")  # members U1, U2, U3
    app.slack.command(user_id="U1", text="60 15 15 15 15", channel_id="C2")  # not a team
    reply = app.slack.command(user_id="U1", text="61 16 15 15 15", channel_id="C1")
    assert "Rank: #1 of 1 on the team in <#C1>" in reply.body
    assert "among those who shared here" not in reply.body
    app.slack.command(user_id="U2", text="70 20 20 15 15", channel_id="C1")
    outsider = app.slack.command(user_id="U9", text="90 25 25 20 20", channel_id="C1")
    assert "Rank:" not in outsider.body  # not on the team's board
    me = app.slack.command(user_id="U1", text="me").body
    assert "#2 of 2 on the team in <#C1>" in me
    assert "#1 of 1 in <#C2>" in me
