"""Names are cleaned where they are stored, so no surface shows a faked row or reordered
text (models/names.py)."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from models.domain.names import MAX_NAME, clean_name
from models.domain.weekly.members import Member
from models.store.tables import Submission, TeamMember
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from tests.conftest import RunningApp
from tests.factories import SLOT, channel_posts, make_team, runner, submit

FAKE_ROW = "Eve\n1. Mallory  99  ▲ +40.0"
FLIPPED = "\u202eevE\u2066 99\u2069"


def test_line_breaks_and_bidi_controls_are_taken_out() -> None:
    assert clean_name(FAKE_ROW) == "Eve 1. Mallory 99 ▲ +40.0"
    assert clean_name(FLIPPED) == "evE 99"
    assert clean_name("Bob\r=cmd|' /C calc'!A0") == "Bob =cmd|' /C calc'!A0"
    assert clean_name("Ana\u2028Ben\u2029Cy\x85Dee\tEd\x00") == "Ana Ben Cy Dee Ed"
    assert clean_name("  \u200b\ufeff ") == ""
    # An emoji family keeps its joiners; accents and scripts stay as typed.
    assert clean_name("Zoë 👨\u200d👩\u200d👧 محمد") == "Zoë 👨\u200d👩\u200d👧 محمد"
    assert clean_name("\ud800x") == "\ufffdx"
    assert len(clean_name("n" * 500)) == MAX_NAME


@given(st.text())
def test_any_text_becomes_one_safe_line(raw: str) -> None:
    name = clean_name(raw)
    assert len(name) <= MAX_NAME and name == name.strip()
    assert clean_name(name) == name
    for char in name:
        assert not char.isspace() or char == " "
        assert unicodedata.category(char) not in ("Cc", "Zl", "Zp", "Cs")
        assert unicodedata.category(char) != "Cf" or char == "\u200d"
    name.encode("utf-8")  # storable


def test_a_submitters_name_is_stored_clean(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="68 21 17 14 16", user_name=FAKE_ROW)
    with app.engine.connect() as db:
        assert db.scalar(select(Submission.user_name)) == "Eve 1. Mallory 99 ▲ +40.0"


def test_a_member_joining_is_stored_clean_and_boards_show_one_line_each(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    make_team(engine, members=[Member("U1", FAKE_ROW), Member("U2", FLIPPED)])
    with engine.connect() as db:
        names = set(db.scalars(select(TeamMember.display_name)))
    assert names == {"Eve 1. Mallory 99 ▲ +40.0", "evE 99"}
    submit(engine, "U1", 60, SLOT - timedelta(hours=2))
    submit(engine, "U2", 70, SLOT - timedelta(hours=1))
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    (board,) = channel_posts(fake_slack)
    rows = [
        b["text"]["text"] for b in board.blocks if b.get("text", {}).get("type") == "plain_text"
    ]
    ranked = [line for row in rows for line in row.splitlines() if line[:2] in ("1.", "2.")]
    assert len(ranked) == 2 and "\u202e" not in str(board.blocks)
