"""Separate scheduler processes (`ssi-leaderboard tick`) racing on one database."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import Engine

from slackapp.fake_slack import FakeSlack
from tests.conftest import SIGNING_SECRET
from tests.test_weekly_run import SLOT, channel_posts, make_team, submit


def test_weekly_post_is_sent_once_with_several_processes(
    engine: Engine, database_url: str, fake_slack: FakeSlack
) -> None:
    make_team(engine)
    submit(engine, "U1", 64, SLOT - timedelta(hours=2))
    fake_slack.set_latency(0.05)  # widen the window between claim and post
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-processes",
        "SLACK_API_URL": fake_slack.api_url,
        "LOG_LEVEL": "WARNING",
    }
    now = (SLOT + timedelta(minutes=1)).isoformat()
    command = [sys.executable, "-m", "slackapp.cli", "tick", "--now", now]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs
    assert len(channel_posts(fake_slack)) == 1
    assert len(channel_posts(fake_slack, "UBOSS")) == 1
    said = b"".join(out for out, _ in outputs).decode()
    assert said.count("board 1") == 1  # exactly one process reports sending it


def test_tick_rejects_a_malformed_time(database_url: str, fake_slack: FakeSlack) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-x",
        "SLACK_API_URL": fake_slack.api_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "slackapp.cli", "tick", "--now", "tuesday"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "is not an ISO-8601 time" in done.stderr


def test_serve_runs_the_tick_in_process(
    engine: Engine,
    settings,
    fake_slack: FakeSlack,  # type: ignore[no-untyped-def]
) -> None:
    from slackapp.clock import ManualClock
    from slackapp.local_server import serving
    from slackapp.web import create_app

    make_team(engine)
    submit(engine, "U1", 64, SLOT - timedelta(hours=2))
    with serving(
        create_app(settings, clock=ManualClock(SLOT + timedelta(minutes=1)), scheduler=True)
    ):
        fake_slack.wait_for("chat.postMessage", 2, timeout=10)  # board and manager DM
    assert len(channel_posts(fake_slack)) == 1
