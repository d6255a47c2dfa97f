"""A burst of /ssi: many distinct people submitting within one second, as a team answering a
reminder does, on SQLite and on PostgreSQL.

    uv run python bench/burst.py [--people 200] [--within 1.0] [--postgres URL]

Starts ``ssi-leaderboard serve`` (as a user would, its weekly tick in-process) on a fresh
SQLite file, then on a fresh PostgreSQL database (created on the server ``--postgres`` names,
default the machine's ``postgresql://postgres@127.0.0.1:5432/test``, and dropped after), and
sends each person's signed ``/ssi`` on a connection of its own (Slack opens many), the
``n``th at ``n * within / people`` seconds. Half the people are known to the app (their
locale cached, as the member sync leaves it), half never seen. Prints, per database: answers
saved, answered busy, other; p50, p99 and slowest answer; rows stored. Goal: all saved, none
busy, every answer within 1.5 s (Slack allows 3).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.load import SAVED, free_port, start, stop  # noqa: E402
from bench.sides import HERE, Side  # noqa: E402
from slackapp.devtools.fake_slack.server import FakeSlack  # noqa: E402
from slackapp.devtools.raw_requests import signed_http_post  # noqa: E402

GOAL_SECONDS = 1.5
BUSY = b"busy right now"


def _request(port: int, secret: str, n: int) -> bytes:
    pillars = [10 + n % 15, 8 + n % 17, 6 + n % 19, 9 + n % 16]
    body = urlencode(
        {
            "token": "x",
            "team_id": "T0BENCH",
            "team_domain": "bench",
            "channel_id": f"C{n // 25:06d}",
            "channel_name": "sales",
            "user_id": f"UBURST{n:05d}",
            "user_name": f"burst{n}",
            "command": "/ssi",
            "text": " ".join(map(str, [sum(pillars), *pillars])),
            "api_app_id": "A0SSI",
            "response_url": f"http://127.0.0.1:9/response/{n}",
            "trigger_id": f"{n}.{n}.x",
        }
    )
    return signed_http_post(f"127.0.0.1:{port}", body, secret, keep_alive=False)


async def _one(port: int, request: bytes, at: float) -> tuple[float, bytes]:
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    answer = await reader.read()  # Connection: close: the whole answer, then EOF
    writer.close()
    return time.perf_counter() - started, answer


async def _burst(port: int, secret: str, people: int, within: float) -> list[tuple[float, bytes]]:
    requests = [_request(port, secret, n) for n in range(people)]  # signed before the clock
    begin = time.perf_counter() + 0.2
    return await asyncio.gather(
        *(_one(port, r, begin + n * within / people) for n, r in enumerate(requests))
    )


def seed_known(env: dict[str, str], people: int, side: Side) -> None:
    """Every other person's locale cached an hour ago (the member sync's), the rest new, in
    a database migrated by ``side``."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from models.store.db import create_db_engine
    from models.store.tables import PersonLocale

    side.migrate(env)
    engine = create_db_engine(env["DATABASE_URL"])
    seen = datetime.now(UTC) - timedelta(hours=1)
    rows = [
        {"enterprise_id": "", "workspace_id": "T0BENCH", "user_id": f"UBURST{n:05d}",
         "locale": "en-US", "seen_at": seen}
        for n in range(0, people, 2)
    ]  # fmt: skip
    with engine.begin() as db:
        db.execute(insert(PersonLocale), rows)
    engine.dispose()


def stored(database_url: str) -> int:
    from sqlalchemy import text

    from models.store.db import create_db_engine

    engine = create_db_engine(database_url)
    with engine.connect() as db:
        count = int(db.execute(text("SELECT count(*) FROM submission")).scalar_one())
    engine.dispose()
    return count


def introduce(fake: FakeSlack, people: int) -> None:
    """Slack knows everyone in the burst: the never-seen half's locales are asked after their
    answers, and Slack answers them."""
    for n in range(people):
        fake.add_user(f"UBURST{n:05d}", name=f"burst{n}", locale="en-US")


def run(env: dict[str, str], people: int, within: float, side: Side = HERE) -> dict:
    seed_known(env, people, side)
    port = free_port()
    server = start(side.serve(port), env, port, cwd=side.root)
    try:
        time.sleep(1.0)  # the server's first tick and warm-up are over
        answers = asyncio.run(_burst(port, env["SLACK_SIGNING_SECRET"], people, within))
    finally:
        stop(server)
    times = sorted(t for t, _ in answers)
    saved = sum(SAVED["en"] in a for _, a in answers)
    busy = sum(BUSY in a for _, a in answers)
    return {
        "saved": saved,
        "busy": busy,
        "other": len(answers) - saved - busy,
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": times[max(0, int(len(times) * 0.99) - 1)] * 1000,
        "max_ms": times[-1] * 1000,
        "stored": stored(env["DATABASE_URL"]),
    }


def fresh_postgres(server_url: str) -> tuple[str, object]:
    """A new database on ``server_url``'s server: its URL and how to drop it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from models.store.db import normalise_url

    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"ssi_burst_{secrets.token_hex(4)}"
    with admin.connect() as db:
        db.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as db:
            db.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--within", type=float, default=1.0)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL server to create a fresh database on ('' to skip)",
    )
    args = parser.parse_args()
    secret = secrets.token_hex(16)
    results = {}
    with tempfile.TemporaryDirectory(prefix="ssi-burst-") as folder, FakeSlack() as fake:
        env = {
            **os.environ,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_API_URL": fake.api_url,
            "LOG_LEVEL": "WARNING",
        }
        introduce(fake, args.people)
        sqlite_url = f"sqlite:///{Path(folder) / 'burst.db'}"
        results["sqlite"] = run({**env, "DATABASE_URL": sqlite_url}, args.people, args.within)
        if args.postgres:
            url, drop = fresh_postgres(args.postgres)
            try:
                results["postgresql"] = run({**env, "DATABASE_URL": url}, args.people, args.within)
            finally:
                drop()  # type: ignore[operator]
    print(
        f"burst: {args.people} distinct people's /ssi within {args.within:g} s, one connection "
        f"each (half known, half never seen)"
    )
    print(f"{'database':<12}{'saved':>7}{'busy':>7}{'other':>7}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}{'stored':>8}")  # fmt: skip
    met = True
    for name, r in results.items():
        print(
            f"{name:<12}{r['saved']:>7}{r['busy']:>7}{r['other']:>7}{r['p50_ms']:>9.0f}"
            f"{r['p99_ms']:>9.0f}{r['max_ms']:>9.0f}{r['stored']:>8}"
        )
        met = met and r["saved"] == args.people and r["max_ms"] <= GOAL_SECONDS * 1000
    print(json.dumps({k: {n: round(v, 1) for n, v in r.items()} for k, r in results.items()}))
    print("goals met" if met else "goals NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
