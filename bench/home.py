"""App Home benchmark: many people opening the Home tab at once, at Slack's pace.

    uv run python bench/home.py [--opens 500] [--people 200] [--seconds 60]

The real app (in this process, SQLite in a temporary folder) and the fake Slack, which
answers ``views.publish`` with HTTP 429 and a Retry-After beyond 100 calls a minute (Slack's
Tier 4). ``--people`` members of 8 teams, with four weeks of history, open their Home
``--opens`` times in all, evenly over ``--seconds``, each open a signed ``app_home_opened``
event carrying the view Slack shows them (the last one published, as Slack does). Prints
the events' answer times, how many Homes were published, skipped as unchanged or merged,
the most publishes in any minute, the 429s Slack answered, when the last Home went out,
and the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.domain.scope import Scope  # noqa: E402
from models.domain.ssi import Benchmark, Reading  # noqa: E402
from models.domain.teams import TeamSetup  # noqa: E402
from models.domain.weekly.members import Member  # noqa: E402
from models.store import members, teams  # noqa: E402
from models.store.migrate import upgrade  # noqa: E402
from models.store.people import submissions  # noqa: E402
from slackapp.app import SsiApp  # noqa: E402
from slackapp.clock import ManualClock  # noqa: E402
from slackapp.devtools.fake_slack.server import FakeSlack  # noqa: E402
from slackapp.devtools.local_server import serving  # noqa: E402
from slackapp.devtools.slack_side import SlackSide  # noqa: E402
from slackapp.settings import load_settings  # noqa: E402
from slackapp.slack.calls.home_publisher import SLACK_PER_MINUTE, HomePublisher  # noqa: E402

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SCOPE = Scope("T0DEMO")
TEAMS = 8


def populate(app: SsiApp, people: int) -> list[str]:
    users = [f"U{i:05d}" for i in range(people)]
    with app.engine.begin() as db:
        for t in range(TEAMS):
            team = teams.save_team(
                db=db,
                scope=SCOPE,
                channel_id=f"C{t:04d}",
                by=users[t],
                at=NOW - timedelta(weeks=6),
                setup=TeamSetup(0, 540, "Europe/Berlin", (users[t],)),
            )
            mine = users[t::TEAMS]
            members.replace_members(
                db=db, team_id=team.id, members=[Member(u, u) for u in mine], at=NOW
            )
        for n, user in enumerate(users):
            for week in range(4, 0, -1):
                base = 40 + (n % 30) + (4 - week)
                pillars = [base / 4] * 4
                submissions.record(
                    db=db,
                    scope=SCOPE,
                    user_id=user,
                    user_name=user,
                    channel_id=f"C{n % TEAMS:04d}",
                    reading=Reading(
                        *map(_score, (base, *pillars)),
                        industry=Benchmark(Decimal(30)),
                        network=Benchmark(),
                    ),
                    source="command",
                    at=NOW - timedelta(weeks=week, hours=n % 48),
                )
    return users


def _score(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opens", type=int, default=500)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as fake:
        fake.limits.per_minute["views.publish"] = SLACK_PER_MINUTE
        settings = load_settings(
            database_url=f"sqlite:///{Path(folder) / 'home.db'}",
            slack_signing_secret=secret,
            slack_bot_token="xoxb-bench",
            slack_api_url=fake.api_url,
        )
        app = SsiApp(settings, clock=ManualClock(NOW))
        upgrade(app.engine)
        users = populate(app, args.people)
        answers: list[float] = []
        with serving(app.web()) as url:
            slack = SlackSide(app_url=url, signing_secret=secret, fake=fake, team_id="T0DEMO")
            started = time.monotonic()
            for n in range(args.opens):
                time.sleep(max(0.0, started + n * args.seconds / args.opens - time.monotonic()))
                user = users[n % len(users)]
                shown = [c for c in fake.calls("views.publish") if c.params["user_id"] == user]
                event = {"type": "app_home_opened", "user": user, "tab": "home"}
                if shown:
                    event["view"] = shown[-1].view  # what Slack shows them now
                sent = time.monotonic()
                answer = slack.event(event)
                answers.append(time.monotonic() - sent)
                assert answer.status == 200, answer.body
            opened = time.monotonic() - started
            HomePublisher.all_idle(timeout=600)
            drained = time.monotonic() - started
        (publisher,) = HomePublisher.instances()
        counts = publisher.counts
        calls = list(publisher.counts.published_at)  # accepted ones (monotonic clock)
        busiest = max(sum(1 for t in calls if s <= t < s + 60) for s in calls) if calls else 0
        people = {c.params["user_id"] for c in fake.calls("views.publish")}
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        answers.sort()
        print(
            f"{args.opens} app_home_opened from {len(users)} people over {opened:.0f} s: "
            f"answered in p50 {statistics.median(answers) * 1000:.1f} ms, "
            f"p99 {answers[int(len(answers) * 0.99) - 1] * 1000:.1f} ms"
        )
        print(
            f"views.publish: {counts.published} published ({len(people)} people), "
            f"{counts.unchanged} unchanged and skipped, {counts.merged} merged while waiting, "
            f"{counts.failed} failed; most in any minute {busiest} "
            f"(Slack allows {SLACK_PER_MINUTE}); "
            f"Slack answered 429 {fake.limits.limited.get('views.publish', 0)} times"
        )
        print(f"every Home published {drained:.0f} s after the first open; peak {peak:.0f} MB")
        print(
            json.dumps(
                {
                    "opens": args.opens,
                    "people": len(users),
                    "p50_ms": statistics.median(answers) * 1000,
                    "published": counts.published,
                    "unchanged": counts.unchanged,
                    "merged": counts.merged,
                    "busiest_minute": busiest,
                    "slack_429": fake.limits.limited.get("views.publish", 0),
                    "drained_s": drained,
                    "peak_mb": peak,
                }
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
