"""Shared fixtures: a fresh database per test (SQLite always, PostgreSQL when
``TEST_DATABASE_URL`` is set), the fake Slack, and the real app served over HTTP.

Each test's database is a copy of one migrated template (a file copy for SQLite,
``CREATE DATABASE ... TEMPLATE`` for PostgreSQL), so tests never see each other's rows and
nothing is cleaned up by deleting them.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from models.store.db import create_db_engine, normalise_url
from models.store.migrate import upgrade
from models.store.tables import Submission
from slackapp.app import create_app
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.local_server import serving
from slackapp.devtools.slack_side import SlackSide
from slackapp.settings import Settings, load_settings
from slackapp.slack.calls.home_publisher import HomePublisher
from slackapp.slack.pipeline.person_language import PersonLanguage

PG_URL = os.environ.get("TEST_DATABASE_URL")
PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout
SAMPLES = PROJECT_ROOT.parent / "shared" / "reference" / "slack-samples"
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
START = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)  # a Monday morning
_numbers = itertools.count()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[tuple[Engine, str]]:
    assert PG_URL, "TEST_DATABASE_URL is not set"
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"ssi_template_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine = create_db_engine(normalise_url(PG_URL).set(database=name).render_as_string(False))
    upgrade(engine)
    engine.dispose()
    yield admin, name
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of its own for this test."""
    if request.param == "sqlite":
        path = tmp_path / "ssi.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin, template = request.getfixturevalue("postgres_template")
    name = f"ssi_test_{os.getpid()}_{next(_numbers)}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY"))
    yield normalise_url(PG_URL or "").set(database=name).render_as_string(False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack(team_id="T0ACME") as fake:
        yield fake


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    return load_settings(
        database_url=database_url,
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token="xoxb-test-" + secrets.token_hex(6),
        slack_api_url=fake_slack.api_url,
    )


@dataclass
class RunningApp:
    """The real app on a loopback port, the fake Slack it talks to, and its database."""

    url: str
    slack: SlackSide
    fake: FakeSlack
    engine: Engine
    clock: ManualClock

    def submission_count(self) -> int:
        with self.engine.connect() as db:
            return db.scalar(select(func.count()).select_from(Submission)) or 0

    def workspace(
        self, team_id: str, enterprise_id: str | None = None, *, org_wide: bool = False
    ) -> SlackSide:
        """The same app as seen from another workspace (``org_wide``: of an Enterprise Grid
        org that installed the app for all its workspaces)."""
        return SlackSide(
            app_url=self.url,
            signing_secret=SIGNING_SECRET,
            fake=self.fake,
            team_id=team_id,
            enterprise_id=enterprise_id,
            org_wide=org_wide,
        )


@pytest.fixture
def app(
    settings: Settings, fake_slack: FakeSlack, engine: Engine, clock: ManualClock
) -> Iterator[RunningApp]:
    with serving(create_app(settings, clock=clock)) as url:
        slack = SlackSide(app_url=url, signing_secret=SIGNING_SECRET, fake=fake_slack)
        yield RunningApp(url=url, slack=slack, fake=fake_slack, engine=engine, clock=clock)
        HomePublisher.all_idle()  # App Homes still being published after a test's requests
        PersonLanguage.all_idle()  # and locales still being asked of Slack


def recorded(name: str) -> dict[str, Any]:
    """One of Slack's recorded payloads (``../shared/reference/slack-samples``): always
    there in CI; a newcomer's checkout without shared/ skips the test."""
    path = SAMPLES / name
    if not path.exists():
        assert not os.environ.get("CI"), f"missing {path}"
        pytest.skip(f"Slack's recorded samples are not at {SAMPLES}")
    return json.loads(path.read_text())


def http_get(url: str) -> tuple[int, str]:
    """GET ``url`` (a health check): its status and body, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Until a lazy listener's effect shows (it runs after the answer to Slack)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
