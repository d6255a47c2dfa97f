"""Separate scheduler processes (`ssi-leaderboard tick`) racing on one database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from models.store.tables import PostLedger
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.weekly.drawing import POOL_FROM
from slackapp.weekly.scheduling import STOP_GRACE_SECONDS
from tests.conftest import SIGNING_SECRET
from tests.factories import SLOT, channel_posts, make_team, runner, submit

TEAMS = 6  # each posts a board and a manager DM: 12 posts


def _tick_env(database_url: str, fake_slack: FakeSlack, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-processes",
        "SLACK_API_URL": fake_slack.api_url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _teams(engine: Engine) -> list[str]:
    """``TEAMS`` teams due at SLOT; returns every conversation a post goes to."""
    conversations = []
    for n in range(TEAMS):
        make_team(engine, channel=f"C{n}", managers=(f"UBOSS{n}",))
        conversations += [f"C{n}", f"DUBOSS{n}"]
    submit(engine, "U1", 64, SLOT - timedelta(hours=2))
    return conversations


def _delivered(fake: FakeSlack, conversations: list[str]) -> Counter[str]:
    return Counter({c: len(fake.messages_in(c)) for c in conversations})


def _all_done(engine: Engine, teams: int = TEAMS) -> bool:
    ledger = PostLedger.__table__
    with engine.connect() as db:
        statuses = db.execute(
            select(ledger.c.status).where(ledger.c.kind.in_(["board", "manager"]))
        ).scalars()
        found = list(statuses)
    return len(found) == 2 * teams and set(found) == {"done"}


def test_a_tick_killed_mid_posting_leaves_nothing_doubled_or_lost(
    engine: Engine, database_url: str, fake_slack: FakeSlack
) -> None:
    """kill -9 while Slack is slowly accepting posts: after the lease, the next tick finds
    what Slack accepted (by metadata) and sends only the rest."""
    conversations = _teams(engine)
    fake_slack.set_latency(0.6)  # Slack takes the post at once and answers slowly
    env = _tick_env(database_url, fake_slack, POST_LEASE_SECONDS="1")
    now = (SLOT + timedelta(minutes=1)).isoformat()
    command = [sys.executable, "-m", "slackapp.cli", "tick", "--now", now]
    doomed = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    fake_slack.wait_for("chat.postMessage", 4, timeout=60)
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate(timeout=30)
    accepted = sum(_delivered(fake_slack, conversations).values())
    assert 0 < accepted < 2 * TEAMS
    time.sleep(1.2)  # the dead process's leases run out
    done = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _delivered(fake_slack, conversations) == Counter(dict.fromkeys(conversations, 1)), (
        done.stderr.decode()[-3000:]
    )
    assert _all_done(engine)


def test_a_tick_in_the_past_beside_a_running_scheduler_posts_once(
    engine: Engine, database_url: str, fake_slack: FakeSlack
) -> None:
    """``tick --now`` far behind the scheduler's clock: leases are on the database's clock,
    so neither takes over the other's live claims."""
    conversations = _teams(engine)
    fake_slack.set_latency(0.3)
    env = _tick_env(database_url, fake_slack)
    past = (SLOT + timedelta(minutes=1)).isoformat()
    command = [sys.executable, "-m", "slackapp.cli", "tick", "--now", past]
    by_hand = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    fake_slack.wait_for("chat.postMessage", 2, timeout=60)
    # The scheduler's clock is a day ahead of the hand-run tick's --now.
    scheduler = runner(engine, fake_slack, ManualClock(SLOT + timedelta(days=1)))
    ticking = threading.Thread(target=scheduler.tick)
    ticking.start()
    ticking.join(timeout=120)
    _, err = by_hand.communicate(timeout=120)
    assert by_hand.returncode == 0, err
    scheduler.tick()  # and again once the hand-run tick is done: nothing is left to send
    assert _delivered(fake_slack, conversations) == Counter(dict.fromkeys(conversations, 1))
    assert _all_done(engine)


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
    from slackapp.app import create_app
    from slackapp.clock import ManualClock
    from slackapp.devtools.local_server import serving

    make_team(engine)
    submit(engine, "U1", 64, SLOT - timedelta(hours=2))
    with serving(
        create_app(settings, clock=ManualClock(SLOT + timedelta(minutes=1)), scheduler=True)
    ):
        fake_slack.wait_for("chat.postMessage", 2, timeout=10)  # board and manager DM
    assert len(channel_posts(fake_slack)) == 1


def _due_now(engine: Engine, count: int = TEAMS) -> list[str]:
    """``count`` teams whose slot was an hour ago by the real clock (the scheduler process
    ticks on it); returns every conversation a post goes to."""
    from datetime import UTC, datetime

    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    conversations = []
    for n in range(count):
        make_team(
            engine,
            at=hour_ago - timedelta(days=10),
            weekday=hour_ago.weekday(),
            minute=hour_ago.hour * 60 + hour_ago.minute,
            timezone="UTC",
            channel=f"C{n}",
            managers=(f"UBOSS{n}",),
        )
        conversations += [f"C{n}", f"DUBOSS{n}"]
    submit(engine, "U1", 64, hour_ago - timedelta(hours=1))
    return conversations


def _stop_time(process: subprocess.Popen[bytes]) -> float:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)
    return time.monotonic() - started


def test_the_scheduler_stops_on_sigterm_while_idle(
    database_url: str, fake_slack: FakeSlack
) -> None:
    env = _tick_env(database_url, fake_slack, LOG_LEVEL="INFO")
    command = [sys.executable, "-m", "slackapp.cli", "scheduler"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    for line in process.stdout:  # up once APScheduler has run the first tick
        if b"executed successfully" in line:
            break
    assert _stop_time(process) < 5
    assert process.returncode == 0


def test_the_scheduler_stops_on_sigterm_mid_tick_and_nothing_doubles(
    engine: Engine, database_url: str, fake_slack: FakeSlack
) -> None:
    conversations = _due_now(engine)
    fake_slack.set_latency(1.0)  # each post takes a second: the tick is busy for a while
    env = _tick_env(database_url, fake_slack)
    command = [sys.executable, "-m", "slackapp.cli", "scheduler"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    fake_slack.wait_for("chat.postMessage", 2, timeout=60)
    assert _stop_time(process) < 5
    assert process.returncode == 0
    accepted = sum(_delivered(fake_slack, conversations).values())
    assert accepted < 2 * TEAMS  # it stopped before the end
    fake_slack.set_latency(0)
    done = subprocess.run(
        [sys.executable, "-m", "slackapp.cli", "tick"], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _delivered(fake_slack, conversations) == Counter(dict.fromkeys(conversations, 1)), (
        done.stderr.decode()[-3000:]
    )


def _processes_below(pid: int) -> dict[int, str]:
    """Every live process descended from ``pid``, each with its start time: a pid with
    another start time later is another process."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except OSError:  # ended meanwhile
            continue
        parents.setdefault(ppid, []).append(int(stat.parent.name))
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if (started := _started(child)) is not None:
                found[child] = started
                todo.append(child)
    return found


def _started(pid: int) -> str | None:
    """When ``pid`` started (clock ticks after boot), or None once it has ended (a zombie
    has ended: only its parent's bookkeeping is left)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


def _chart_workers(pid: int, timeout: float = 60) -> dict[int, str]:
    """The processes below ``pid`` once its chart-drawing workers are among them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        below = _processes_below(pid)
        workers = [p for p in below if b"spawn_main" in _cmdline(p)]
        if len(workers) >= 2 or (workers and (os.cpu_count() or 1) == 1):
            return below
        time.sleep(0.05)
    raise TimeoutError("no chart-drawing workers started")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _still_running(processes: dict[int, str], deadline: float) -> list[int]:
    """Those of ``processes`` still running at ``deadline`` (monotonic time)."""
    while True:
        left = [pid for pid, started in processes.items() if _started(pid) == started]
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.05)


def _end(processes: dict[int, str]) -> None:
    """SIGKILL those of ``processes`` still running (a failed test leaves none behind)."""
    for pid, started in processes.items():
        if _started(pid) == started:
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(
    ("command", "stop", "cut_short", "code"),
    [
        ("tick", signal.SIGTERM, True, 128 + signal.SIGTERM),
        ("scheduler", signal.SIGTERM, True, 0),
        ("scheduler", signal.SIGTERM, False, 0),
        ("tick", "Ctrl-C", False, 128 + signal.SIGINT),
        ("tick", signal.SIGKILL, True, -signal.SIGKILL),
    ],
    ids=["tick", "scheduler", "scheduler-in-grace", "tick-ctrl-c-in-grace", "tick-killed"],
)
def test_stopped_mid_run_it_leaves_no_process_behind_and_nothing_doubles(
    command: str,
    stop: signal.Signals | str,
    cut_short: bool,
    code: int,
    engine: Engine,
    database_url: str,
    fake_slack: FakeSlack,
    tmp_path: Path,
) -> None:
    """Enough boards due for the charts to be drawn in worker processes, stopped mid-run:
    with ``cut_short``, while a post is in flight that Slack takes at once and answers only
    after the grace; else with posts in flight that end within it. Ctrl-C is SIGINT to the
    whole process group, the workers included. The process and its workers are gone within
    the grace, even if it was SIGKILLed; the next tick finds a post that was cut short (by
    its metadata) and sends the rest, each once."""
    teams = POOL_FROM + 4
    conversations = _due_now(engine, teams)
    fake_slack.set_latency(0.3)
    if cut_short:
        fake_slack.script("chat.postMessage", Fault(delay=STOP_GRACE_SECONDS + 3))
    env = _tick_env(database_url, fake_slack, POST_LEASE_SECONDS="2")
    said = tmp_path / "said.txt"  # a file, not a pipe: a worker left behind keeps a pipe open
    with said.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "slackapp.cli", command],
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,  # a process group of its own, as in a terminal
        )
    started = {}
    try:
        started = _chart_workers(process.pid)
        fake_slack.wait_for("chat.postMessage", 1 if cut_short else 3, timeout=60)
        if stop == "Ctrl-C":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(stop)
        deadline = time.monotonic() + STOP_GRACE_SECONDS + 1.5
        process.wait(timeout=30)
        exited = time.monotonic()
        left = _still_running(started, deadline)
        assert not left, [_cmdline(pid) for pid in left]
        assert exited < deadline, said.read_text()[-3000:]
        assert process.returncode == code, said.read_text()[-3000:]
    finally:
        process.kill()
        _end(started)
    accepted = sum(_delivered(fake_slack, conversations).values())
    assert 0 < accepted < 2 * teams  # it stopped before the end
    fake_slack.set_latency(0)
    time.sleep(2.2)  # a post cut short: its lease runs out
    done = subprocess.run(
        [sys.executable, "-m", "slackapp.cli", "tick"], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _delivered(fake_slack, conversations) == Counter(dict.fromkeys(conversations, 1)), (
        done.stderr.decode()[-3000:]
    )
    assert _all_done(engine, teams)
