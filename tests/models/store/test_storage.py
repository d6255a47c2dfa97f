"""The database's storage failing for real: a read-only or full filesystem (a small tmpfs
mounted for the test). /readyz says so, requests get words not 500s, `serve` refuses to start
with a sentence."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from slackapp.app import create_app
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.local_server import serving
from slackapp.devtools.slack_side import SlackSide
from slackapp.settings import load_settings
from tests.conftest import PG_URL, SIGNING_SECRET, START, RunningApp


def _mount(folder: Path, options: str) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def _remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path, sqlite_template: Path) -> Iterator[Path]:
    """A 4 MiB filesystem holding a migrated database."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount(folder, "size=4m"):
        pytest.skip("this machine doesn't let the tests mount a tmpfs")
    try:
        shutil.copy(sqlite_template, folder / "ssi.db")
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _readyz(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            pass
    return filler


def test_readyz_fails_while_the_disk_is_full(small_disk: Path, fake_slack: FakeSlack) -> None:
    settings = load_settings(
        database_url=f"sqlite:///{small_disk / 'ssi.db'}",
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token="xoxb-storage",
        slack_api_url=fake_slack.api_url,
    )
    with serving(create_app(settings, clock=ManualClock(START))) as url:
        slack = SlackSide(app_url=url, signing_secret=SIGNING_SECRET, fake=fake_slack)
        assert _readyz(url)[0] == 200
        filler = _fill(small_disk)
        big = "68 21 17 14 16 industry 22 top 5% network 37 top 14%"
        answers = [slack.command(user_id=f"U{n}", text=big) for n in range(300)]
        assert {a.status for a in answers} == {200}  # words, never a 500
        refused = [a for a in answers if "nothing was saved" in a.text]
        assert refused, "the disk never filled up"
        status, body = _readyz(url)
        assert status == 503 and "refuses writes" in body
        filler.unlink()
        assert _readyz(url)[0] == 200
        assert "Saved" in slack.command(user_id="U1", text="68 21 17 14 16").text


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("missing", "for the SQLite database doesn't exist"),
        ("read-only", "is read-only"),
    ],
)
def test_serve_on_a_database_it_cannot_use_exits_with_a_sentence(
    small_disk: Path, fake_slack: FakeSlack, where: str, says: str
) -> None:
    database = small_disk / "ssi.db"
    if where == "missing":
        database = small_disk / "no-such-folder" / "ssi.db"
    else:
        _remount(small_disk, "ro")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-storage",
        "SLACK_API_URL": fake_slack.api_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "slackapp.cli", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert says in done.stderr and "Traceback" not in done.stderr


def test_readyz_fails_when_postgresql_turns_read_only(app: RunningApp, database_url: str) -> None:
    """As after a failover to a read-only standby: sessions refuse writes."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's read-only mode")
    name = make_url(database_url).database
    admin = create_engine(
        make_url(PG_URL or "").set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )

    def read_only(on: bool) -> None:
        with admin.connect() as db:
            setting = "SET default_transaction_read_only = on" if on else "RESET ALL"
            db.execute(text(f'ALTER DATABASE "{name}" {setting}'))
            db.execute(  # the app's pool reconnects (pre-ping) into the new setting
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )

    try:
        assert _readyz(app.url)[0] == 200
        read_only(True)
        status, body = _readyz(app.url)
        assert status == 503 and "refuses writes" in body
        answer = app.slack.command(user_id="U1", text="68 21 17 14 16")
        assert answer.status == 200 and "nothing was saved" in answer.text
    finally:
        read_only(False)
        admin.dispose()
    assert _readyz(app.url)[0] == 200
