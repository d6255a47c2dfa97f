"""Migrations are the schema's source of truth: they build what the models describe, on
SQLite and PostgreSQL, and go down and up again without loss."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import models.store.tables  # noqa: F401
from models.store import revision
from models.store.migrate import alembic_config, downgrade, pending, upgrade
from slackapp.devtools.fake_slack.server import FakeSlack


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    assert not pending(engine)


def test_upgrade_is_idempotent_and_downgrade_reverses(engine: Engine) -> None:
    upgrade(engine)  # already at head: a no-op
    downgrade(engine, "base")
    assert "submission" not in inspect(engine).get_table_names()
    assert pending(engine) and revision.behind(engine)
    upgrade(engine)
    assert "submission" in inspect(engine).get_table_names()
    assert not pending(engine) and not revision.behind(engine)


def test_the_web_process_knows_the_newest_migration_without_alembic(engine: Engine) -> None:
    """/readyz reads the schema's version without Alembic (``revision``): its ``HEAD`` must
    name the newest migration, and it must tell a database one step behind."""
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == revision.HEAD
    downgrade(engine, "-1")
    assert revision.behind(engine)
    upgrade(engine)
    assert not revision.behind(engine)


def test_carried_averages_are_backfilled(engine: Engine) -> None:
    """Migration 0003 fills each existing submission's carried averages from the person's
    history up to it, and leaves other people and workspaces apart."""
    downgrade(engine, "0002")
    columns = (
        "id, enterprise_id, workspace_id, user_id, user_name, submitted_at, source, "
        "total_hundredths, brand_hundredths, find_hundredths, engage_hundredths, "
        "relate_hundredths, industry_average_hundredths, network_average_hundredths"
    )
    rows = [  # id, workspace, user, day, industry, network
        (1, "T1", "U1", 1, None, None),
        (2, "T1", "U1", 2, 2000, None),
        (3, "T1", "U1", 3, None, 3500),
        (4, "T1", "U1", 4, None, None),
        (5, "T2", "U1", 5, 9900, 9900),  # the same user id in another workspace
        (6, "T1", "U2", 4, None, None),
        (7, "T1", "U1", 4, 2100, None),  # same instant as 4: the later id comes after it
    ]
    with engine.begin() as db:
        for id_, workspace, user, day, industry, network in rows:
            db.execute(
                text(
                    f"INSERT INTO submission ({columns}) VALUES (:id, '', :ws, :user, '', "
                    ":at, 'command', 4000, 1000, 1000, 1000, 1000, :industry, :network)"
                ),
                {
                    "id": id_,
                    "ws": workspace,
                    "user": user,
                    "at": datetime(2026, 11, day, 9, tzinfo=UTC)
                    if engine.dialect.name == "postgresql"
                    else f"2026-11-0{day} 09:00:00.000000",
                    "industry": industry,
                    "network": network,
                },
            )
    upgrade(engine)
    with engine.connect() as db:
        carried = db.execute(
            text(
                "SELECT id, carried_industry_average_thousandths, "
                "carried_network_average_thousandths FROM submission ORDER BY id"
            )
        ).all()
    # In thousandths since 0017: 20.00 was 2000 hundredths and is 20000 thousandths.
    assert [tuple(row) for row in carried] == [
        (1, None, None),
        (2, 20000, None),
        (3, 20000, 35000),
        (4, 20000, 35000),
        (5, 99000, 99000),
        (6, None, None),
        (7, 21000, 35000),
    ]


def _scores(engine: Engine, unit: str) -> list[tuple[object, ...]]:
    columns = ", ".join(f"{s}_{unit}" for s in ("total", "brand", "industry_top", "network_top"))
    with engine.connect() as db:
        rows = db.execute(text(f"SELECT {columns} FROM submission ORDER BY id")).all()
        goal = db.execute(text(f"SELECT goal_{unit} FROM team")).scalar_one()
        average = db.execute(text(f"SELECT average_{unit} FROM team_week_average")).scalar_one()
    return [*(tuple(r) for r in rows), (goal,), (average,)]


def test_scores_become_thousandths_and_keep_their_values(engine: Engine) -> None:
    """Migration 0017 keeps every reading, goal and posted average exactly; going back down
    rounds a third decimal half up, and the old checks hold again."""
    downgrade(engine, "0016")
    at = "'2026-11-02 09:00:00.000000'"
    if engine.dialect.name == "postgresql":
        at = "TIMESTAMPTZ '2026-11-02 09:00:00+00'"
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO submission (id, enterprise_id, workspace_id, user_id, user_name, "
                "submitted_at, source, total_hundredths, brand_hundredths, find_hundredths, "
                "engage_hundredths, relate_hundredths, industry_top_hundredths, "
                f"network_top_hundredths) VALUES (1, '', 'T1', 'U1', '', {at}, 'command', "
                "7224, 2140, 1766, 1378, 1940, 1, NULL)"
            )
        )
        db.execute(
            text(
                "INSERT INTO team (id, enterprise_id, workspace_id, channel_id, post_weekday, "
                "post_minute, timezone, reminders, created_by, created_at, updated_at, "
                f"goal_hundredths) VALUES (1, '', 'T1', 'C1', 0, 540, 'UTC', true, '', {at}, "
                f"{at}, 7050)"
            )
        )
        db.execute(
            text(
                "INSERT INTO team_week_average (team_id, week_end, average_hundredths, members)"
                f" VALUES (1, {at}, 6133, 3)"
            )
        )
    upgrade(engine)
    assert _scores(engine, "thousandths") == [(72240, 21400, 10, None), (70500,), (61330,)]
    with engine.begin() as db:  # a third decimal, as the page shows it
        db.execute(
            text("UPDATE submission SET brand_thousandths = 21275, total_thousandths = 72239")
        )
    downgrade(engine, "0016")
    assert _scores(engine, "hundredths") == [(7224, 2128, 1, None), (7050,), (6133,)]
    upgrade(engine)


def test_processes_starting_together_upgrade_once(database_url: str) -> None:
    """Replicas and the scheduler all apply migrations on start (PostgreSQL)."""
    import threading

    from models.store.db import create_db_engine

    if not database_url.startswith("postgresql"):
        pytest.skip("several processes upgrading at once is a PostgreSQL deployment")
    engines = [create_db_engine(database_url) for _ in range(3)]
    downgrade(engines[0], "base")
    failures: list[BaseException] = []

    def start(engine: Engine) -> None:
        try:
            upgrade(engine)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == [] and not pending(engines[0])
    for engine in engines:
        engine.dispose()


def test_ledger_rows_of_iso_weeks_become_the_weeks_ending_at_their_posts(engine: Engine) -> None:
    """Migration 0007: the post that went out in ISO week 2026-W47 (Monday 09:00 Berlin) is
    the post for the week ending then, so the new ledger key names that slot and the same
    post is not sent again."""
    downgrade(engine, "0006")
    at = datetime(2026, 11, 10, 12, tzinfo=UTC)
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO team (id, enterprise_id, workspace_id, channel_id, post_weekday, "
                "post_minute, timezone, reminders, created_by, created_at, updated_at) VALUES "
                "(1, '', 'T1', 'C1', 0, 540, 'Europe/Berlin', true, 'U1', :at, :at)"
            ),
            {"at": at},
        )
        db.execute(
            text(
                "INSERT INTO post_ledger (team_id, kind, week, recipient, status, claimed_by, "
                "lease_until, attempts) VALUES (1, 'board', '2026-W47', '', 'done', 'w', :at, 1)"
            ),
            {"at": at},
        )
    upgrade(engine)
    with engine.connect() as db:
        week, end = db.execute(text("SELECT week, week_end FROM post_ledger")).one()
        since = db.execute(text("SELECT schedule_since FROM team")).scalar_one()
    assert week == "2026-11-16T08:00Z"
    assert str(end).startswith("2026-11-16 08:00")
    assert str(since).startswith("2026-11-10 12:00")


def test_the_replay_guards_memory_survives_its_new_key(engine: Engine) -> None:
    """Migration 0015 re-keys ``seen_request`` on (time, signature): requests already seen
    stay seen through the upgrade (and the downgrade), so no replay slips in during it."""
    downgrade(engine, "0014")
    with engine.begin() as db:
        db.execute(
            text("INSERT INTO seen_request (signature, slack_ts) VALUES ('v0=a', 1), ('v0=b', 2)")
        )
    upgrade(engine)
    with engine.begin() as db:
        assert inspect(db).get_pk_constraint("seen_request")["constrained_columns"] == [
            "slack_ts",
            "signature",
        ]
        rows = db.execute(text("SELECT slack_ts, signature FROM seen_request ORDER BY 1")).all()
    assert [tuple(row) for row in rows] == [(1, "v0=a"), (2, "v0=b")]
    downgrade(engine, "0014")
    with engine.connect() as db:
        rows = db.execute(text("SELECT signature FROM seen_request ORDER BY 1")).all()
    assert [row[0] for row in rows] == ["v0=a", "v0=b"]
    upgrade(engine)


def test_the_process_answering_slack_never_loads_alembic(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """``serve`` migrates in a child process and /readyz reads the version with SQL, so
    Alembic (with the Mako and Pygments it loads, about 10 MB) stays out of the web process.
    (The test client's httpx loads Pygments too; the server doesn't use it.)"""
    script = """
import sys
from fastapi.testclient import TestClient
from slackapp.app import create_app
from slackapp.settings import Settings, load_settings
app = create_app(load_settings(Settings))
with TestClient(app) as client:
    assert client.get("/readyz").status_code == 200, client.get("/readyz").text
print(sorted(m for m in ("alembic", "mako") if m in sys.modules))
"""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ssi.db'}",
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
        "SLACK_BOT_TOKEN": "xoxb-migrations",
        "SLACK_API_URL": fake_slack.api_url,
    }
    migrate = [sys.executable, "-m", "slackapp.cli", "db", "upgrade"]
    assert subprocess.run(migrate, env=env, capture_output=True, timeout=60).returncode == 0
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
