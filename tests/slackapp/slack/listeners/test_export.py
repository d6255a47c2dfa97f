"""/ssi export over signed HTTP: the CSV arrives in a DM through files_upload_v2 on the fake
Slack; a team's history only for its managers and workspace admins."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import update

from models.domain.scope import Scope
from models.store.people.exports import HEADER, to_csv
from models.store.tables import Submission
from tests.conftest import RunningApp
from tests.factories import make_team

ACME = Scope("T0ACME")


def uploaded(app: RunningApp) -> tuple[list[dict[str, str]], dict]:
    """The file's rows and the completion call of the (only) upload."""
    (done,) = app.fake.wait_for("files.completeUploadExternal")
    (content,) = app.fake.calls("file.upload")
    return list(csv.DictReader(io.StringIO(content.params["content"]))), done.params


def test_a_person_gets_their_own_history_by_dm(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="60 15 15 15 15", user_name="=HYPERLINK(evil)")
    app.slack.command(user_id="U1", text="62 16 15 16 15 industry 22 top 5%")
    app.slack.command(user_id="U2", text="70 20 20 15 15")
    app.workspace("T0GLOBEX").command(user_id="U1", text="40 10 10 10 10")
    answer = app.slack.command(user_id="U1", text="export")
    assert answer.status == 200 and "Preparing your SSI history" in answer.text
    rows, done = uploaded(app)
    assert [(r["user_id"], r["total"]) for r in rows] == [("U1", "60.000"), ("U1", "62.000")]
    assert rows[0]["name"] == "'=HYPERLINK(evil)"  # a spreadsheet shows it, never runs it
    assert (rows[1]["industry_average"], rows[1]["industry_top_percent"]) == ("22.000", "5.000")
    assert rows[0]["submitted_at_utc"].endswith("Z")
    assert done["channel_id"] == "DU1"  # the DM that conversations.open gave
    assert "2 submissions" in done["initial_comment"]


def test_a_manager_gets_the_teams_history(app: RunningApp) -> None:
    make_team(app.engine, channel="C1")  # members U1 Ana, U2 Ben, U3 Cy; manager UBOSS
    app.slack.command(user_id="U1", text="60 15 15 15 15", channel_id="C1")
    app.slack.command(user_id="U2", text="70 20 20 15 15", channel_id="C1")
    app.slack.command(user_id="U9", text="50 10 10 15 15", channel_id="C1")  # not a member
    answer = app.slack.command(user_id="UBOSS", text="export team", channel_id="C1")
    assert "Preparing your team's SSI history" in answer.text
    rows, done = uploaded(app)
    assert [(r["user_id"], r["name"], r["total"]) for r in rows] == [
        ("U1", "Ana", "60.000"),
        ("U2", "Ben", "70.000"),
    ]
    assert done["channel_id"] == "DUBOSS"


def test_an_admin_may_export_a_team_and_others_may_not(app: RunningApp) -> None:
    make_team(app.engine, channel="C1")
    app.fake.add_user("UADMIN", name="admin", is_admin=True)
    app.fake.add_user("U2", name="ben")
    app.slack.command(user_id="U2", text="export team", channel_id="C1")
    (refused,) = app.fake.wait_for("response_url")
    assert "Not allowed" in refused.params["text"]
    assert "Ask <@" in refused.params["text"]  # the team's managers, by mention
    assert app.fake.calls("files.completeUploadExternal") == []
    app.slack.command(user_id="UADMIN", text="export team", channel_id="C1")
    rows, _ = uploaded(app)
    assert rows == []  # nobody has shared yet: just the header


def test_export_team_outside_a_team_channel_says_so(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="export team", channel_id="C0RANDOM")
    (told,) = app.fake.wait_for("response_url")
    assert "isn't a team" in told.params["text"]


def test_a_wrong_export_word_is_explained(app: RunningApp) -> None:
    answer = app.slack.command(user_id="U1", text="export everything")
    assert "`/ssi export team`" in answer.text or "`/ssi export team`" in answer.body
    assert app.fake.calls("files.getUploadURLExternal") == []


def spreadsheet_records(text: str) -> list[list[str]]:
    """Split CSV the way Excel, LibreOffice and Google Sheets import it: a record ends at
    CR, LF or CRLF outside quotes (a bare CR too), a quoted cell runs to its closing quote."""
    records: list[list[str]] = []
    cells: list[str] = []
    cell, quoted, i = "", False, 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"' and text[i + 1 : i + 2] == '"':
                cell, i = cell + '"', i + 1
            elif char == '"':
                quoted = False
            else:
                cell += char
        elif char == '"' and not cell:
            quoted = True
        elif char == ",":
            cells, cell = [*cells, cell], ""
        elif char in "\r\n":
            records.append([*cells, cell])
            cells, cell = [], ""
            if char == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
        else:
            cell += char
        i += 1
    if cells or cell:
        records.append([*cells, cell])
    return records


def is_formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")


NAMES = [
    "Bob\r=cmd|' /C calc'!A0",
    "Ann\n+1",
    '=HYPERLINK("http://x", "y")',
    "@SUM(A1)",
    "-2+3",
    "\tTab",
    'say "hi", ok',
    "plain",
]


@given(st.lists(st.text(max_size=20) | st.sampled_from(NAMES), min_size=1, max_size=8))
@example(NAMES)
def test_no_name_splits_a_row_or_runs_as_a_formula(names: list[str]) -> None:
    at = datetime(2026, 11, 16, 9, tzinfo=UTC)
    rows = [
        (
            at,
            "U1",
            name,
            60000,
            15000,
            15000,
            15000,
            15000,
            None,
            None,
            22000,
            5000,
            "command",
            "C1",
        )
        for name in names
    ]
    text = to_csv(rows)
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == list(HEADER) and len(parsed) == len(names) + 1
    for row, name in zip(parsed[1:], names, strict=True):
        assert row[2] in (name, "'" + name) and row[3] == "60.000" and row[8] == ""
    sheet = spreadsheet_records(text)
    assert len(sheet) == len(names) + 1
    assert all(len(record) == len(HEADER) for record in sheet)
    assert not any(is_formula(cell) for record in sheet for cell in record)


def test_a_name_stored_before_names_were_cleaned_exports_safely(app: RunningApp) -> None:
    app.slack.command(user_id="U1", text="60 15 15 15 15")
    with app.engine.begin() as db:  # as an older version stored it
        db.execute(update(Submission).values(user_name="Bob\r=cmd|' /C calc'!A0"))
    app.slack.command(user_id="U1", text="export")
    rows, _ = uploaded(app)
    assert rows[0]["name"] == "Bob\r=cmd|' /C calc'!A0"
    (content,) = app.fake.calls("file.upload")
    assert len(spreadsheet_records(content.params["content"])) == 2
