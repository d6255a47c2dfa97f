"""People control their data, over signed HTTP against the fake Slack: /ssi privacy on
channel boards (and not in managers' DMs), /ssi forget-me with its confirmation buttons."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from models.domain.privacy import Preferences, Privacy
from models.domain.scope import Scope
from models.domain.weekly.members import Member
from models.store.people import preferences
from models.store.tables import MemberPreference, Submission
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.render import privacy
from slackapp.render.weekly.board import channel_board
from slackapp.render.weekly.coaching import manager_summary
from tests.blockkit import assert_valid_message
from tests.conftest import RunningApp
from tests.factories import SLOT, channel_posts, compute, make_team, runner, sub, submit

ACME = Scope("T0ACME")


def rows(engine: Engine, table: type, user_id: str, workspace: str = "T0ACME") -> int:
    t = table.__table__  # type: ignore[attr-defined]
    with engine.connect() as db:
        return db.scalar(
            select(func.count())
            .select_from(t)
            .where(t.c.user_id == user_id, t.c.workspace_id == workspace)
        )


def shown(answer: object) -> str:
    """Everything in an answer, blocks included, as one string."""
    return json.dumps(answer.json, ensure_ascii=False)  # type: ignore[attr-defined]


def ssi(total: int) -> str:
    """``/ssi`` text for ``total`` with four equal pillars."""
    return f"{total} " + " ".join([str(total / 4)] * 4)


def test_privacy_choice_is_stored_and_shown_on_me(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text=ssi(68))
    assert app.slack.command(user_id="U1", text="remind off").status == 200
    answer = app.slack.command(user_id="U1", text="privacy Anonymous")
    assert answer.status == 200 and "Privacy set to *anonymous*" in answer.text
    assert_valid_message(answer.json)
    with app.engine.connect() as db:
        settings = preferences.preferences_of(db=db, scope=ACME, user_id="U1")
    assert settings == Preferences(reminders=False, privacy=Privacy.ANONYMOUS)
    me = app.slack.command(user_id="U1", text="me")
    assert "On channel leaderboards you're *anonymous*" in shown(me)


@pytest.mark.parametrize("text", ["privacy", "privacy secret", "privacy hidden please"])
def test_a_wrong_privacy_choice_is_explained_and_changes_nothing(
    app: RunningApp, text: str
) -> None:
    answer = app.slack.command(user_id="U1", text=text)
    assert answer.status == 200
    assert "`/ssi privacy anonymous`" in shown(answer)
    assert rows(app.engine, MemberPreference, "U1") == 0


def test_board_leaves_the_hidden_off_and_the_anonymous_unnamed(app: RunningApp) -> None:
    for user, total in (("U1", 70), ("U2", 60), ("U3", 50), ("U4", 40)):
        assert "Saved" in app.slack.command(user_id=user, text=ssi(total)).text
    app.slack.command(user_id="U1", text="privacy hidden")
    app.slack.command(user_id="U3", text="privacy anonymous")
    board = shown(app.slack.command(user_id="U4", text="board"))
    assert "U1" not in board and "70" not in board
    assert "1. <@U2> *60*" in board
    assert "2. Anonymous *50*" in board and "<@U3>" not in board
    assert "3. <@U4> *40*" in board
    # Their own replies still rank them among everyone.
    assert "Rank: #1 of 4" in shown(app.slack.command(user_id="U1", text=ssi(72)))


def test_weekly_post_respects_privacy_but_managers_see_everyone() -> None:
    ana = Member("Uana", "ana")
    ben = Member("Uben", "ben", Privacy.HIDDEN)
    cy = Member("Ucy", "cy", Privacy.ANONYMOUS)
    dev = Member("Udev", "dev", Privacy.HIDDEN)

    board = compute(
        [ana, ben, cy, dev],
        {
            ana.user_id: [sub(0, ("15", "15", "15", "15")), sub(1, ("15", "15", "15", "14"))],
            ben.user_id: [sub(0, ("20", "20", "20", "20")), sub(1, ("10", "10", "10", "10"))],
            cy.user_id: [sub(0, ("12", "12", "12", "12"))],
            dev.user_id: [sub(2, ("5", "5", "5", "5"))],  # stale
        },
    )
    channel = json.dumps(channel_board(board, team_id=1, standings=[]).blocks)
    assert "ben" not in channel and "80" not in channel  # hidden, though top of the team
    assert "1. ana  60" in channel and "2. Anonymous  48" in channel and "cy" not in channel
    assert "Most improved: a teammate +40.0" in channel  # ben, unnamed
    assert "Not shared this week (latest shown): 1 person" in channel  # dev, unnamed
    assert "Team average 52" in channel  # everyone counts: (60 + 80 + 48 + 20) / 4
    (summary,) = manager_summary(board, team_id=1, channel_id="C1", standings=[])
    dm = json.dumps(summary.blocks)
    assert "1. ben  80" in dm and "3. cy  48" in dm and "Most improved: ben +40.0" in dm
    message = channel_board(board, team_id=1, standings=[])
    assert_valid_message({"text": message.text, "blocks": message.blocks})


def test_forget_me_asks_first_then_deletes_only_that_person(app: RunningApp) -> None:
    for total in (60, 62, 64):
        app.slack.command(user_id="U1", text=ssi(total))
    app.slack.command(user_id="U1", text="privacy hidden")
    app.slack.command(user_id="U2", text=ssi(50))
    app.workspace("T0GLOBEX").command(user_id="U1", text=ssi(40))  # the same id elsewhere

    prompt = app.slack.command(user_id="U1", text="forget-me")
    assert prompt.status == 200
    assert_valid_message(prompt.json)
    assert "3 SSI submissions" in prompt.text and "can't be undone" in prompt.text
    assert rows(app.engine, Submission, "U1") == 3  # nothing deleted by asking

    answer, response_url = app.slack.click(
        user_id="U1", message=prompt.json, action_id=privacy.FORGET_CONFIRM
    )
    assert (answer.status, answer.body) == (200, "")
    (done,) = app.fake.wait_for("response_url")
    assert done.params["response_url"] == response_url
    assert done.params["replace_original"] is True
    assert "I deleted 3 SSI submissions" in done.params["text"]
    assert "and your settings" in done.params["text"]
    assert rows(app.engine, Submission, "U1") == 0
    assert rows(app.engine, MemberPreference, "U1") == 0
    assert rows(app.engine, Submission, "U2") == 1
    assert rows(app.engine, Submission, "U1", workspace="T0GLOBEX") == 1
    assert "haven't shared your SSI yet" in shown(app.slack.command(user_id="U1", text="me"))


def test_forget_me_can_be_called_off(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text=ssi(60))
    prompt = app.slack.command(user_id="U1", text="forget me")
    answer, response_url = app.slack.click(
        user_id="U1", message=prompt.json, action_id=privacy.FORGET_CANCEL
    )
    assert answer.status == 200
    (kept,) = app.fake.wait_for("response_url")
    assert kept.params["response_url"] == response_url
    assert kept.params["text"] == "Nothing was deleted."
    assert rows(app.engine, Submission, "U1") == 1


def test_forget_me_with_nothing_stored_says_so(app: RunningApp) -> None:
    prompt = app.slack.command(user_id="U9", text="forget-me")
    assert "no SSI submissions" in prompt.text
    app.slack.click(user_id="U9", message=prompt.json, action_id=privacy.FORGET_CONFIRM)
    (done,) = app.fake.wait_for("response_url")
    assert "nothing to delete" in done.params["text"]


def test_hidden_members_are_left_off_the_weekly_post(engine: Engine, fake_slack: FakeSlack) -> None:
    make_team(engine)  # Ana U1, Ben U2, Cy U3
    for user, total in (("U1", 60), ("U2", 70), ("U3", 50)):
        submit(engine, user, total, SLOT - timedelta(hours=1))
    with engine.begin() as db:
        preferences.set_privacy(db=db, scope=ACME, user_id="U2", privacy=Privacy.HIDDEN)
    clock = ManualClock(SLOT)
    runner(engine, fake_slack, clock).tick()
    (post,) = channel_posts(fake_slack)
    shown = json.dumps(post.params["blocks"])
    assert "Ben" not in shown and "1. Ana  60" in shown and "Team average 60" in shown
    (dm,) = channel_posts(fake_slack, "UBOSS")
    assert "1. Ben  70" in json.dumps(dm.params["blocks"])


def test_board_in_a_team_channel_shows_the_team_as_the_weekly_post_will(
    app: RunningApp,
) -> None:
    make_team(app.engine, channel="C1")  # members U1 Ana, U2 Ben, U3 Cy
    for user, total in (("U1", 60), ("U2", 70), ("U9", 90)):  # U9 is not in the channel
        app.slack.command(user_id=user, text=ssi(total), channel_id="C1")
    app.slack.command(user_id="U2", text="privacy anonymous")
    answer = app.slack.command(user_id="U1", text="board", channel_id="C1")
    assert_valid_message(answer.json)
    board = shown(answer)
    assert "SSI leaderboard so far, Nov 16 to Nov 23" in board
    assert "1. Anonymous  70" in board and "2. Ana  60" in board
    assert "90" not in board and "U9" not in board
    assert "No SSI yet: " in board  # Cy, named
