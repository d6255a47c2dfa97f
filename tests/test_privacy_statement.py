"""PRIVACY.md says what the code does: every table in the schema is described, every
retention time it states is the code's, the purge it describes is the purge the code runs,
and its scopes and events are exactly manifest.yml's."""

from __future__ import annotations

import inspect
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from sqlmodel import SQLModel

import models.store.tables  # noqa: F401  (fills SQLModel.metadata with every table)
from models.services.retention import DEFAULT_RETENTION
from models.store import removals
from models.store.inbound import handled_events, seen_requests
from models.store.installations import BOT_CACHE_SECONDS, state_store
from models.store.weekly.reminder_retention import REMINDERS_KEPT
from slackapp.settings import Settings
from slackapp.slack.calls.membership import MEMBERS_MAX_AGE
from slackapp.slack.pipeline.person_language import LOCALE_FRESH
from slackapp.slack.pipeline.replay import PURGE_EVERY_SECONDS
from slackapp.weekly.scheduling import TICK_SECONDS
from slackapp.weekly.warming import DIRECTORY_KEPT

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "PRIVACY.md").read_text(encoding="utf-8")
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))

RETENTION_DAYS = Settings.model_fields["data_retention_days"].default
OAUTH_STATE_SECONDS = inspect.signature(state_store).parameters["expiration_seconds"].default
RETENTION_MAX_DAYS = 3650  # the largest DATA_RETENTION_DAYS accepted (checked below)

# What each row of "How long it is kept" states, in its order: the code's numbers.
RETENTION_ROWS: dict[str, list[timedelta]] = {
    "A removed workspace's data (many-workspace mode)": [
        timedelta(days=RETENTION_DAYS),
        timedelta(days=RETENTION_MAX_DAYS),
    ],
    "`submission`": [],
    "`member_preference`, `away_period`": [],
    "`person_locale`": [LOCALE_FRESH],
    "`chart_file`": [],
    "`team`, `team_manager`, `team_week_average`, `post_ledger`": [],
    "`team_member`, `membership_mark`": [MEMBERS_MAX_AGE],
    "`reminder_ledger`": [REMINDERS_KEPT],
    "`handled_event`": [handled_events.KEPT],
    "`seen_request`": [
        timedelta(seconds=seen_requests.KEPT_SECONDS),
        timedelta(seconds=PURGE_EVERY_SECONDS),
    ],
    "`slack_oauth_states`": [timedelta(seconds=OAUTH_STATE_SECONDS)],
    "`slack_installations`, `slack_bots`": [],
    "`work_lease`": [],
    "`slack_pause`": [],
}
# Every duration the file may name anywhere: the rows' and these.
ELSEWHERE = [
    timedelta(seconds=TICK_SECONDS),  # the scheduler's tick
    DIRECTORY_KEPT,  # a workspace's directory, in memory
    timedelta(seconds=BOT_CACHE_SECONDS),  # a bot token read from the store, in memory
]

DURATION = re.compile(r"\b(\d[\d,]*)\s+(second|minute|hour|day|week)s?\b")
NAME = re.compile(r"`([^`]+)`")


def durations(text: str) -> list[timedelta]:
    return [
        timedelta(**{unit + "s": int(number.replace(",", ""))})
        for number, unit in DURATION.findall(text)
    ]


def section(title: str) -> str:
    """The text under the ``## title`` heading, up to the next one."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", TEXT, re.M | re.S)
    assert match, f"PRIVACY.md has no section '{title}'"
    return match.group(1)


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Each Markdown table in ``text``: its header's cells and its rows' cells."""
    found: list[tuple[list[str], list[list[str]]]] = []
    block: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif block:
            header, _separator, *rows = block
            found.append((header, rows))
            block = []
    return found


def names_in_first_column(text: str, header: str) -> list[str]:
    """The backticked names in the first cell of each row of the tables headed ``header``."""
    names = []
    for head, rows in tables(text):
        if head[0] == header:
            for row in rows:
                names += NAME.findall(row[0])
    return names


def test_every_table_of_the_schema_is_described_once() -> None:
    described = Counter(names_in_first_column(section("What is stored"), "table"))
    schema = set(SQLModel.metadata.tables)
    assert not schema - set(described), "tables PRIVACY.md doesn't describe"
    assert set(described) - schema <= {"alembic_version"}, "tables the schema doesn't have"
    assert all(count == 1 for count in described.values()), described
    assert "`alembic_version`" in section("What is stored")


def test_each_bot_scope_and_event_is_explained_exactly_once() -> None:
    text = section("Slack scopes and events")
    scopes = Counter(names_in_first_column(text, "scope"))
    events = Counter(names_in_first_column(text, "event"))
    assert scopes == Counter(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert events == Counter(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert "user" not in MANIFEST["oauth_config"]["scopes"]  # "no user token scopes"


def test_each_retention_time_is_the_codes() -> None:
    assert timedelta(days=RETENTION_DAYS) == DEFAULT_RETENTION  # the runner's default too
    (header, rows), *_ = tables(section("How long it is kept"))
    assert header == ["what", "how long", "removed by"]
    stated = {row[0]: durations(" ".join(row[1:])) for row in rows}
    assert list(stated) == list(RETENTION_ROWS), "rows added or removed: update RETENTION_ROWS"
    for what, expected in RETENTION_ROWS.items():
        assert stated[what] == expected, what
    assert "`DATA_RETENTION_DAYS`" in rows[0][1]


def test_no_other_duration_is_named() -> None:
    known = {d for ds in RETENTION_ROWS.values() for d in ds} | set(ELSEWHERE)
    assert set(durations(TEXT)) <= known


@pytest.mark.parametrize(
    ("days", "accepted"),
    [(0, False), (1, True), (RETENTION_MAX_DAYS, True), (RETENTION_MAX_DAYS + 1, False)],
)
def test_the_retention_setting_takes_what_the_statement_says(days: int, accepted: bool) -> None:
    assert "1 to 3650 days" in TEXT
    try:
        Settings(_env_file=None, slack_signing_secret="s" * 32, data_retention_days=days)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_the_purge_deletes_what_the_statement_lists_and_keeps_what_it_says() -> None:
    deleting = section("Deleting")
    listed = re.search(r"The purge deletes, in this order: (.*?)\.\s", deleting, re.S)
    assert listed, "the purge's list is missing"
    purged = [
        *(table.name for table in removals._SCOPED),
        *(table.name for table in removals._OF_TEAMS),
        removals._TEAMS.name,
        "workspace_removal",
    ]
    assert NAME.findall(listed.group(1)) == purged
    # The app's own tables that hold a workspace's or a team's rows but that the purge
    # leaves: each must be said to be left.
    kept = re.search(r"It does not delete (.*?)\.\s", deleting[listed.end() :], re.S)
    assert kept, "what the purge leaves is not said"
    left = {
        table.name
        for table in SQLModel.metadata.tables.values()
        if not table.name.startswith("slack_")
        and ({"workspace_id", "team_id"} & set(table.columns.keys()))
        and table.name not in purged
    }
    assert set(NAME.findall(kept.group(1))) == left
