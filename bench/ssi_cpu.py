"""CPU time of one /ssi through Bolt, in process (no HTTP, no other thread competing), and
where it goes: the figure behind the load benchmark's ratio, steadier than it on a shared
machine because it counts CPU time, not requests per second.

    uv run python bench/ssi_cpu.py [--requests 3000] [--root DIR]

Builds the app as ``serve`` does (SQLite in a temporary folder, the fake Slack, everyone's
locale cached as the member sync leaves it), sends each of ``--requests`` people one signed
``/ssi`` (so they are known), then the measured rounds:
the same people's next ``/ssi``, each a new signed body, straight into ``bolt.dispatch``.
Prints CPU microseconds per request, then the same round again under cProfile, grouped:
the database (statements, commits, connections), Bolt's own machinery, our middlewares,
parsing, rendering the reply; ``--top N`` lists the N costliest functions. ``--root``
imports the app from another checkout (run it with that checkout's Python), to set two
commits side by side.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

# Where a frame's time is counted: the first group whose marker is in its file name or
# function name, matched in this order.
GROUPS = {
    "database": ("sqlalchemy", "sqlite3", "models/store", "psycopg"),
    "parsing": ("command_text", "typed_numbers", "typed_reading", "models/domain/ssi"),
    "rendering": ("slackapp/render", "slackapp/language", "babel"),
    "middlewares": (
        "slackapp/slack/pipeline/",
        "slackapp/slack/readers/scope.py",
        "slackapp/slack/bolt_app.py",
    ),
    "bolt and slack-sdk": ("slack_bolt", "slack_sdk", "urllib/parse"),
}


def _request(secret: str, n: int, round_: int) -> tuple[str, dict[str, str]]:
    from slackapp.devtools.slack_requests import signature_headers

    pillars = [10 + (n + round_) % 15, 8 + n % 17, 6 + n % 19, 9 + n % 16]
    body = urlencode(
        {
            "token": "x", "team_id": "T0CPU", "team_domain": "cpu",
            "channel_id": f"C{n // 25:06d}", "channel_name": "sales", "user_id": f"U{n:07d}",
            "user_name": f"u{n}", "command": "/ssi",
            "text": " ".join(map(str, [sum(pillars), *pillars])), "api_app_id": "A0SSI",
            "response_url": "http://127.0.0.1:9/r", "trigger_id": f"{n}.{n}.x",
        }
    )  # fmt: skip
    headers = {k.lower(): v for k, v in signature_headers(secret, body).items()}
    return body, {**headers, "content-type": "application/x-www-form-urlencoded"}


def _seed_locales(engine, people: int) -> None:  # type: ignore[no-untyped-def]
    """Everyone's locale, as the weekly member sync leaves it: no ask of Slack follows."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from models.store.tables import PersonLocale

    seen_at = datetime.now(UTC) - timedelta(hours=1)
    rows = [
        {"workspace_id": "T0CPU", "user_id": f"U{n:07d}", "locale": "en-US", "seen_at": seen_at}
        for n in range(people)
    ]
    with engine.begin() as db:
        db.execute(insert(PersonLocale), rows)


def _group(filename: str) -> str:
    for name, markers in GROUPS.items():
        if any(marker in filename for marker in markers):
            return name
    return "other (our listener, the standard library)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--top", type=int, default=0, help="also list the N costliest functions")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    from models.store.db import create_db_engine
    from models.store.migrate import upgrade
    from slackapp.app import SsiApp
    from slackapp.devtools.fake_slack.server import FakeSlack
    from slackapp.settings import Settings, load_settings
    from slackapp.slack.pipeline.bolt_request import SlackRequest

    logging.disable(logging.WARNING)
    secret = "cpu-bench-signing-secret-0123456"
    with tempfile.TemporaryDirectory() as folder, FakeSlack(team_id="T0CPU") as fake:
        settings = load_settings(
            Settings,
            database_url=f"sqlite:///{folder}/cpu.db",
            slack_signing_secret=secret,
            slack_bot_token="xoxb-cpu",
            slack_api_url=fake.api_url,
        )
        engine = create_db_engine(settings.database_url)
        upgrade(engine)
        _seed_locales(engine, args.requests)
        bolt = SsiApp(settings, wait=2.0).bolt
        for n in range(args.requests):  # everyone's first /ssi: the people are known
            body, headers = _request(secret, n, 0)
            bolt.dispatch(SlackRequest(body=body, query="", headers=headers))

        def measured_round(round_: int, profile: cProfile.Profile | None = None) -> float:
            requests = [_request(secret, n, round_) for n in range(args.requests)]
            if profile is not None:
                profile.enable()
            started = time.process_time()
            for body, headers in requests:
                answer = bolt.dispatch(SlackRequest(body=body, query="", headers=headers))
                assert answer.status == 200 and "SSI" in answer.body, answer.body[:200]
            took = (time.process_time() - started) / args.requests * 1e6
            if profile is not None:
                profile.disable()
            return took

        plain = min(measured_round(1), measured_round(2))
        profile = cProfile.Profile()
        measured_round(3, profile)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    own: dict[str, float] = {}
    for (filename, _, function), (_, _, tottime, _, _) in stats.items():
        where = _group(f"{filename}:{function}")
        own[where] = own.get(where, 0.0) + tottime
    total = sum(own.values())
    print(f"/ssi in process, known people, {args.requests} requests a round")
    print(f"CPU per request: {plain:.0f} us (the better of two rounds, no profiler)")
    print("where it goes (own time under cProfile, which slows everything about twice):")
    for name, seconds in sorted(own.items(), key=lambda item: -item[1]):
        print(f"  {name:<44}{100 * seconds / total:>5.1f} %")
    if args.top:
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
