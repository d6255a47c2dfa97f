"""The weekly run under Slack's rate limits: one workspace, many teams due at one slot.

    uv run python bench/tiers.py [--teams 100,300,1000] [--speed 10] [--no-charts]
        [--empty-cache]

Each case runs in a fresh process: one workspace holding ``teams`` teams of 10 (members
listed a week ago, one manager each), all due at the same slot, posted by one tick against
a fake Slack that enforces the tiers per workspace (``fake_slack.rate_limits.SLACK_TIERS``:
100 a minute for the upload methods, ``files.info`` and ``conversations.members``, 300 for
``chat.postMessage``; HTTP 429 with Retry-After beyond), answering in 50 ms and processing
each upload for half a second. ``--empty-cache``: no member listed yet (a first run after
install), every member known to the fake Slack.

``--speed 10`` runs Slack's side ten times faster to fit a few minutes: its minute is 6 s
(the fake's windows and the app's pace alike), its answers 5 ms, its processing 50 ms, a
channel's one message a second 0.1 s. Not scaled: Retry-After, which Slack sends in whole
seconds (at least 1, so each 429 costs ten scaled seconds), and the app's own work
(drawing, the database), which therefore weighs ten times more than in real time. Both
make the scaled figures pessimistic; times are printed in real Slack minutes
(measured x speed).

The floor is what the limits alone allow: per method, the calls it needs beyond the first
minute's allowance at its rate (1,000 charts: 900 more uploads at 100 a minute, 9 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import slackapp.cli  # noqa: E402, F401  # what the tick's drawing workers import again

if TYPE_CHECKING:
    from sqlalchemy import Engine

MEMBERS = 10


def floor_minutes(teams: int, charts: bool) -> float:
    """Slack minutes the limits alone need for ``teams`` boards and DMs."""
    from slackapp.devtools.fake_slack.rate_limits import SLACK_TIERS

    needed = {"chat.postMessage": 2 * teams}
    if charts:
        needed |= dict.fromkeys(
            ("files.getUploadURLExternal", "files.completeUploadExternal", "files.info"), teams
        )
    return max(max(calls - SLACK_TIERS[m], 0) / SLACK_TIERS[m] for m, calls in needed.items())


def last_week(engine: Engine, teams: int) -> None:
    """Record the week before as posted for every team (its board and manager's DM)."""
    from sqlalchemy import insert

    from bench.weekly import SLOT
    from models.domain.weeks import week_key
    from models.store.tables import PostLedger

    end = SLOT - timedelta(days=7)
    rows = [
        {
            "team_id": t + 1,
            "kind": kind,
            "week": week_key(end),
            "week_end": end,
            "recipient": recipient,
            "status": "done",
            "claimed_by": "bench",
            "lease_until": end,
            "attempts": 1,
        }
        for t in range(teams)
        for kind, recipient in (("board", ""), ("manager", f"UM{t:06d}"))
    ]
    with engine.begin() as db:
        db.execute(insert(PostLedger.__table__), rows)  # type: ignore[attr-defined]


def run_case(teams: int, speed: float, charts: bool, empty: bool) -> None:
    """(In the child.) One tick of ``teams`` due teams (``empty``: no member cached yet);
    prints JSON figures."""
    from bench.load import peak_rss_mb
    from bench.weekly import SLOT, populate
    from models.store.db import create_db_engine
    from models.store.teams import all_teams as teams_of
    from slackapp.clock import ManualClock
    from slackapp.devtools.fake_slack.messages import conversation_id
    from slackapp.devtools.fake_slack.rate_limits import SLACK_TIERS
    from slackapp.devtools.fake_slack.server import FakeSlack
    from slackapp.slack.calls.client import create_web_client
    from slackapp.slack.calls.rate_limits import SlackPace
    from slackapp.weekly.posting.pacing import ChannelPacer
    from slackapp.weekly.runner import WeeklyRunner
    from slackapp.weekly.warming import to_warm

    minute = 60.0 / speed
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as fake:
        url = f"sqlite:///{Path(folder) / 'tiers.db'}"
        synced = None if empty else SLOT - timedelta(days=7)
        populate(url, teams, per_workspace=teams, members=MEMBERS, synced=synced)
        for t in range(teams):
            people = [f"U{t:06d}{m:02d}" for m in range(MEMBERS)]
            fake.set_channel_members(f"C{t:06d}", people)
            for user in people:
                fake.add_user(user, real_name=f"Person {user}")
        fake.set_latency(0.05 / speed)
        fake.files.processing = 0.5 / speed
        fake.limits.minute = minute
        fake.limits.per_minute.update(SLACK_TIERS)
        pace = SlackPace(minute=minute)
        client = create_web_client(token="xoxb-bench", base_url=fake.api_url, pace=pace)
        engine, clock = create_db_engine(url), ManualClock(SLOT + timedelta(minutes=1))
        runner = WeeklyRunner(
            engine=engine,
            client_for=lambda _: client,
            clock=clock,
            pacer=ChannelPacer(1.0 / speed),
            charts=charts,
        )
        warm_ticks, warm_started = 0, time.time()
        if empty:  # the ticks of the hours before the slot list the members ahead
            last_week(engine, teams)  # posted already: those ticks have nothing else to do
            clock.now = SLOT - timedelta(hours=2)
            while True:
                with engine.connect() as db:
                    if not to_warm(teams_of(db=db), clock.now):
                        break
                runner.tick()
                warm_ticks += 1
            clock.now = SLOT + timedelta(minutes=1)
        warm_min = (time.time() - warm_started) / minute
        started = time.time()
        report = runner.tick()
        ended = time.time()
        posts = [c for c in fake.calls("chat.postMessage")]
        delivered = [
            m
            for conversation in {conversation_id(c.params["channel"]) for c in posts}
            for m in fake.messages_in(conversation)
        ]
        keys = Counter(
            json.dumps(m["metadata"]["event_payload"], sort_keys=True) for m in delivered
        )
        boards = [m for m in delivered if m["metadata"]["event_payload"]["kind"] == "board"]
        times = sorted(c.at for c in posts)
        calls = Counter(c.method for c in fake.calls())
        print(
            json.dumps(
                {
                    "teams": teams,
                    "charts": charts,
                    "empty_cache": empty,
                    "warm_ticks": warm_ticks,
                    "warm_min": warm_min,
                    "speed": speed,
                    "first_min": (times[0] - started) / minute,
                    "last_min": (times[-1] - started) / minute,
                    "tick_min": (ended - started) / minute,
                    "floor_min": floor_minutes(teams, charts),
                    "sent": dict(report.sent),
                    "delivered": len(delivered),
                    "expected": 2 * teams,
                    "duplicates": sum(n - 1 for n in keys.values()),
                    "with_chart": sum(
                        any(b["type"] == "image" for b in m.get("blocks", [])) for m in boards
                    ),
                    "calls": dict(calls),
                    "refused": dict(fake.limits.limited),
                    "peak_mb": peak_rss_mb(os.getpid()),
                }
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", default="100,300,1000")
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--no-charts", action="store_true")
    parser.add_argument("--empty-cache", action="store_true", help="no member cached yet")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    charts = not args.no_charts
    if args.case:
        run_case(args.case, args.speed, charts, args.empty_cache)
        return 0
    rows = []
    for teams in (int(n) for n in args.teams.split(",")):
        command = [sys.executable, __file__, "--case", str(teams), "--speed", str(args.speed)]
        command += ["--no-charts"] if not charts else []
        done = subprocess.run(
            command + (["--empty-cache"] if args.empty_cache else []),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(
        f"one workspace, teams of {MEMBERS} ({'none' if args.empty_cache else 'all'} cached), "
        f"charts {'on' if charts else 'off'}, Slack at "
        f"{args.speed:g}x speed; times in Slack minutes after the slot's tick began"
    )
    print(
        f"{'teams':>6}{'first':>7}{'last':>7}{'floor':>7}{'last/floor':>11}{'sent':>7}"
        f"{'missing':>8}{'dupes':>6}{'charts':>7}{'peak MB':>8}"
    )
    for r in rows:
        ratio = r["last_min"] / r["floor_min"] if r["floor_min"] else float("nan")
        print(
            f"{r['teams']:>6}{r['first_min']:>7.2f}{r['last_min']:>7.2f}{r['floor_min']:>7.2f}"
            f"{ratio:>11.2f}{r['delivered']:>7}{r['expected'] - r['delivered']:>8}"
            f"{r['duplicates']:>6}{r['with_chart']:>7}{r['peak_mb']:>8.0f}"
        )
    for r in rows:
        if r["warm_ticks"]:
            print(
                f"{r['teams']} teams: members listed ahead in {r['warm_ticks']} ticks, "
                f"{r['warm_min']:.1f} Slack minutes before the slot"
            )
    for r in rows:
        calls = ", ".join(
            f"{m} {n}" + (f" ({r['refused'][m]} refused)" if r["refused"].get(m) else "")
            for m, n in sorted(r["calls"].items())
        )
        print(f"{r['teams']} teams: {calls}")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
