"""Load benchmark for /ssi: the real server against a bare FastAPI endpoint, in one run.

    uv run python bench/load.py [--seconds 10] [--concurrency 32] [--workspaces 100]

Starts `ssi-leaderboard serve` (one uvicorn worker, SQLite in a temporary folder, the fake
Slack for auth.test) and `bench/bare_app.py` under the same uvicorn settings. A second process
sends signed `/ssi` submissions over keep-alive HTTP/1.1 on loopback with a fixed concurrency
for a fixed time, each from a distinct user (channels of 25 people, as teams are), and every
answer is checked to be a stored submission. Prints requests per second, p50 and p99 latency
for both, their ratio, the server's peak memory, and the rows stored. With ``--workspaces N``
it also serves the same load in many-workspace mode (N OAuth installations in the database,
requests spread over them) and prints its rate against the single-workspace one. With
``--purge-rows N`` (default 1,000,000) it serves the same load once more while the server's
own weekly tick purges a removed workspace of N readings, and prints /ssi's p99 then (goal
under 500 ms) beside the normal figures.

Everyone's locale is already known, as the weekly member sync leaves it (``person_locale``,
seeded before each run); the headline run's people read English. Then one server answers
people whose Slack is German and English by turns, one request at a time, and the German
answers' mean latency is printed against the English ones' (goal: at most 10 % more). With
``--first-contact`` it also serves people the app has never seen (Slack knows them as German):
each is answered at once, in English (no team's channel), and Slack's ``users.info`` is asked
after the answer, off the request's path. ``--burst N`` (default 200) sends N people's /ssi
within a second (``bench/burst.py``). ``--beside COMMIT`` checks COMMIT out beside this tree
(``bench/sides.py``) and serves it the same cached, first-contact and burst loads in the same
run, printing both sides' figures, each rate against the one bare endpoint's. ``--postgres
URL`` (default: TEST_DATABASE_URL, else the machine's server; '' to skip) serves the cached
load once more on a fresh PostgreSQL database and prints its figure beside SQLite's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.sides import HERE, Side, checkout  # noqa: E402
from slackapp.devtools.fake_slack.server import FakeSlack  # noqa: E402
from slackapp.devtools.raw_requests import signed_http_post  # noqa: E402

GOALS = {
    "ratio": 0.30,
    "p99_ms": 100.0,
    "peak_mb": 120.0,
    "purge_p99_ms": 500.0,
    "german": 1.10,  # German answers' mean latency against English
}
# What a stored submission's answer starts with, in each language the load speaks.
SAVED = {"en": b"Saved your SSI", "de": b"Dein SSI ist gespeichert"}
# Seeded people per second of load: more than a 2-core machine answers, so nobody runs out.
PEOPLE_PER_SECOND = 6000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not become healthy")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the load generator (runs in its own process) ---------------------------------------------


@dataclass(frozen=True)
class Load:
    """One run of the load: where, how long, how wide, whose requests, and what the
    ``n``th answer must hold (``expect[n % len(expect)]``: people alternate between groups,
    each group's latencies kept apart)."""

    port: int
    secret: str
    seconds: float
    concurrency: int
    expect: tuple[bytes, ...]
    people: str
    workspaces: int = 0  # > 0: requests spread over that many workspaces


def person(people: str, n: int, workspaces: int) -> tuple[str, str]:
    """The ``n``th request's workspace and person: the load and the seeding agree on it."""
    team = f"T{n % workspaces:05d}" if workspaces else "T0BENCH"
    return team, f"U{people}{n:07d}"


def _request_bytes(run: Load, n: int) -> bytes:
    team, user = person(run.people, n, run.workspaces)
    pillars = [10 + n % 15, 8 + n % 17, 6 + n % 19, 9 + n % 16]
    body = urlencode(
        {
            "token": "x",
            "team_id": team,
            "team_domain": "bench",
            "channel_id": f"C{n // 25:06d}",
            "channel_name": "sales",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/ssi",
            "text": " ".join(map(str, [sum(pillars), *pillars])),
            "api_app_id": "A0SSI",
            "is_enterprise_install": "false",
            "response_url": f"http://127.0.0.1:9/response/{n}",
            "trigger_id": f"{n}.{n}.x",
        }
    )
    return signed_http_post(f"127.0.0.1:{run.port}", body, run.secret)


async def _connection(run: Load, counter, end, latencies, failures):
    reader, writer = await asyncio.open_connection("127.0.0.1", run.port)
    while time.perf_counter() < end:
        n = next(counter)
        group = n % len(run.expect)
        request = _request_bytes(run, n)
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = await reader.readexactly(length)
        latencies[group].append(time.perf_counter() - started)
        if not head.startswith(b"HTTP/1.1 200") or run.expect[group] not in body:
            failures.append(head.split(b"\r\n")[0] + b" " + body[:200])
    writer.close()


def _spread(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
    }


def load(run: Load, queue) -> None:
    """Send requests for ``run.seconds`` after a one-second warm-up; put the figures on
    ``queue``."""
    import itertools

    async def phase(duration: float, counter):
        latencies: list[list[float]] = [[] for _ in run.expect]
        failures: list[bytes] = []
        end = time.perf_counter() + duration
        started = time.perf_counter()
        await asyncio.gather(
            *(_connection(run, counter, end, latencies, failures) for _ in range(run.concurrency))
        )
        return latencies, failures, time.perf_counter() - started

    async def main():
        counter = itertools.count()
        await phase(1.0, counter)  # warm-up: connections, caches, first queries
        return await phase(run.seconds, counter)

    latencies, failures, elapsed = asyncio.run(main())
    every = [latency for group in latencies for latency in group]
    queue.put(
        {
            "rps": len(every) / elapsed,
            **_spread(every),
            "groups": [_spread(group) for group in latencies] if len(latencies) > 1 else [],
            "failures": len(failures),
            "first_failure": failures[0].decode(errors="replace") if failures else None,
        }
    )


def run_load(run: Load) -> dict:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=load, args=(run, queue))
    process.start()
    figures = queue.get(timeout=run.seconds + 120)
    process.join()
    return figures


# --- the servers -----------------------------------------------------------------------------


def start(
    command: list[str], env: dict[str, str], port: int, cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, cwd=cwd)
    wait_healthy(port, process)
    return process


def install_workspaces(database_url: str, env: dict[str, str], count: int) -> None:
    """``count`` workspaces installed through OAuth, as Bolt stores them (tokens encrypted)."""
    from datetime import UTC, datetime

    from slack_sdk.oauth.installation_store import Installation

    from models.store.db import create_db_engine
    from models.store.migrate import upgrade
    from slackapp.settings import Settings, load_settings
    from slackapp.slack.calls.workspaces import installation_store

    engine = create_db_engine(database_url)
    upgrade(engine)
    settings = load_settings(
        Settings,
        database_url=database_url,
        slack_signing_secret=env["SLACK_SIGNING_SECRET"],
        slack_client_id=env["SLACK_CLIENT_ID"],
        slack_client_secret=env["SLACK_CLIENT_SECRET"],
        slack_token_keys=env["SLACK_TOKEN_KEYS"],
        slack_api_url=env["SLACK_API_URL"],
    )
    store = installation_store(settings, engine)
    for i in range(count):
        store.save(
            Installation(
                app_id="A0SSI",
                enterprise_id=None,
                team_id=f"T{i:05d}",
                bot_token=f"xoxb-bench-{i}",
                bot_id="B0BOT",
                bot_user_id="U0BOT",
                bot_scopes="commands,chat:write",
                user_id="UINSTALLER",
                installed_at=datetime.now(UTC).timestamp(),
            )
        )
    engine.dispose()


def seed_removed_workspace(database: Path, rows: int) -> None:
    """A workspace that removed the app 40 days ago (past the retention), with ``rows``
    readings: the first tick purges it."""
    from datetime import UTC, datetime, timedelta

    from models.domain.scope import Scope
    from models.store import removals
    from models.store.db import create_db_engine
    from models.store.migrate import upgrade

    engine = create_db_engine(f"sqlite:///{database}")
    upgrade(engine)
    with engine.begin() as db:
        removals.record_removal(
            db=db, scope=Scope("T0GONE"), at=datetime.now(UTC) - timedelta(days=40)
        )
    engine.dispose()
    stamp = "2026-01-05 09:00:00.000000"
    with sqlite3.connect(database) as connection:
        connection.executemany(
            "INSERT INTO submission (enterprise_id, workspace_id, user_id, user_name, "
            "channel_id, submitted_at, source, total_thousandths, brand_thousandths, "
            "find_thousandths, engage_thousandths, relate_thousandths) "
            "VALUES ('', 'T0GONE', ?, '', 'C1', ?, 'command', 60000, 15000, 15000, 15000, 15000)",
            ((f"U{n % 500}", stamp) for n in range(rows)),
        )


def count_gone(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        query = "SELECT count(*) FROM submission WHERE workspace_id = 'T0GONE'"
        return int(connection.execute(query).fetchone()[0])


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


def seed_locales(
    env: dict[str, str], run: Load, count: int, locales: tuple[str, ...], side: Side = HERE
) -> None:
    """What the weekly member sync leaves: the locale Slack reports for each of the first
    ``count`` people of ``run`` (the ``n``th: ``locales[n % len(locales)]``), an hour old,
    in a database migrated by ``side``."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from models.store.db import create_db_engine
    from models.store.tables import PersonLocale

    side.migrate(env)
    engine = create_db_engine(env["DATABASE_URL"])
    seen_at = datetime.now(UTC) - timedelta(hours=1)
    rows = []
    for n in range(count):
        team, user = person(run.people, n, run.workspaces)
        rows.append(
            {
                "enterprise_id": "",
                "workspace_id": team,
                "user_id": user,
                "locale": locales[n % len(locales)],
                "seen_at": seen_at,
            }
        )
    with engine.begin() as db:
        db.execute(insert(PersonLocale), rows)
    engine.dispose()


def serve_load(env: dict[str, str], run: Load, side: Side = HERE) -> dict:
    """Start ``side``'s ``ssi-leaderboard serve`` (its weekly tick in-process, the default),
    send the load, stop it; the load's figures and the server's peak memory."""
    app = start(side.serve(run.port), env, run.port, cwd=side.root)
    try:
        figures = run_load(run)
        figures["peak_mb"] = peak_rss_mb(app.pid)
    finally:
        stop(app)
    return figures


def print_row(name: str, figures: dict) -> None:
    print(
        f"{name:<34}{figures['rps']:>9.0f}{figures['p50_ms']:>9.1f}"
        f"{figures['p99_ms']:>9.1f}{figures['peak_mb']:>9.1f}{figures['failures']:>8}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--workspaces",
        type=int,
        default=0,
        help="also serve many-workspace mode with this many OAuth installations",
    )
    parser.add_argument(
        "--purge-rows",
        type=int,
        default=1_000_000,
        help="also serve while the tick purges a removed workspace of this many rows (0: no)",
    )
    parser.add_argument(
        "--first-contact",
        action="store_true",
        help="also serve people never seen before, each answer asking Slack for their locale",
    )
    parser.add_argument(
        "--burst",
        type=int,
        default=200,
        help="also send this many distinct people's /ssi within a second (bench/burst.py; 0: no)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="also serve the cached load on a fresh database of this PostgreSQL server "
        "('' to skip)",
    )
    parser.add_argument(
        "--metrics",
        action="store_true",
        help="also serve the cached load with /metrics off and with it scraped every second, "
        "alternating, and print the ratio (goal: within 5 %%)",
    )
    parser.add_argument(
        "--beside",
        metavar="COMMIT",
        help="also serve the cached, first-contact and burst loads from COMMIT, checked out "
        "beside this tree, and print both",
    )
    args = parser.parse_args()
    if args.beside:
        args.first_contact = True
    secret = secrets.token_hex(16)
    seeded = PEOPLE_PER_SECOND * int(args.seconds + 1)

    def a_load(people: str, *expect: bytes, concurrency: int = 0, workspaces: int = 0) -> Load:
        return Load(
            port=free_port(),
            secret=secret,
            seconds=args.seconds,
            concurrency=concurrency or args.concurrency,
            expect=expect,
            people=people,
            workspaces=workspaces,
        )

    results = {}
    with tempfile.TemporaryDirectory(prefix="ssi-bench-") as folder, FakeSlack() as fake:
        database = Path(folder) / "bench.db"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_API_URL": fake.api_url,
            "LOG_LEVEL": "WARNING",
        }
        run = a_load("BARE", b"ok U")
        uvicorn = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--host", "127.0.0.1"]
        quiet = ["--no-access-log", "--log-level", "warning"]
        bare = start([*uvicorn, "--port", str(run.port), *quiet], env, run.port)
        try:
            results["bare"] = run_load(run)
            results["bare"]["peak_mb"] = peak_rss_mb(bare.pid)
        finally:
            stop(bare)
        results["ssi"] = cached(env, a_load("EN", SAVED["en"]), seeded)
        stored = results["ssi"].pop("stored")
        if args.metrics:
            results |= metrics_cost(env, a_load, seeded)
        # German beside English: one server, people alternating between the two, one request
        # at a time, so each latency is the work of answering alone (not a queue's) and the
        # machine's ups and downs fall on both languages alike.
        spoken = {**env, "DATABASE_URL": f"sqlite:///{Path(folder) / 'spoken.db'}"}
        run = a_load("DEEN", SAVED["de"], SAVED["en"], concurrency=1)
        seed_locales(spoken, run, seeded, ("de-DE", "en-US"))
        results["spoken"] = serve_load(spoken, run)
        if args.first_contact:
            results["first"] = first_contact(env, a_load("NEW", SAVED["en"]), seeded, fake)
        if args.postgres:
            results["postgres"] = on_postgres(env, a_load("PG", SAVED["en"]), seeded, args.postgres)
        from cryptography.fernet import Fernet

        many_env = {k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"} | {
            "SLACK_CLIENT_ID": "111.222",
            "SLACK_CLIENT_SECRET": "bench-client-secret",
            "SLACK_TOKEN_KEYS": Fernet.generate_key().decode(),
        }
        if args.purge_rows:
            # Only many-workspace mode records removals and purges (one workspace has its
            # token in the environment): one installed workspace takes the load, another
            # removed the app 40 days ago. The tick in `serve` starts purging at once, on the
            # same single SQLite connection the requests need.
            purging = Path(folder) / "purging.db"
            purge_env = {**many_env, "DATABASE_URL": f"sqlite:///{purging}"}
            install_workspaces(purge_env["DATABASE_URL"], purge_env, 1)
            seed_removed_workspace(purging, args.purge_rows)
            run = a_load("PURGE", SAVED["en"], workspaces=1)
            seed_locales(purge_env, run, seeded, ("en-US",))
            results["purge"] = serve_load(purge_env, run)
            results["purge"]["left"] = count_gone(purging)
        if args.workspaces:
            many = Path(folder) / "many.db"
            many_env = {**many_env, "DATABASE_URL": f"sqlite:///{many}"}
            install_workspaces(many_env["DATABASE_URL"], many_env, args.workspaces)
            run = a_load("MANY", SAVED["en"], workspaces=args.workspaces)
            seed_locales(many_env, run, seeded, ("en-US",))
            auth_tests_before = len(fake.calls("auth.test"))
            results["many"] = serve_load(many_env, run)
            results["many"]["auth_tests"] = len(fake.calls("auth.test")) - auth_tests_before
        if args.burst:
            from bench.burst import introduce

            introduce(fake, args.burst)
        bursts = burst(env, args.burst) if args.burst else None
        if args.beside:
            with checkout(args.beside) as base:
                before = commit_before(args, env, a_load, seeded, fake, base)
    report(args, results, stored)
    if bursts is not None:
        print(
            f"burst of {args.burst} people within 1 s (SQLite; PostgreSQL: bench/burst.py): "
            f"{bursts['saved']} saved, {bursts['busy']} busy, slowest answer "
            f"{bursts['max_ms']:.0f} ms (goal: all saved, within 1,500 ms)"
        )
    if args.beside:
        now = {"cached": results["ssi"], "first": results.get("first"), "burst": bursts}
        report_beside(base.name, results["bare"], now, before)
    return 0


def in_folder(env: dict[str, str], name: str) -> dict[str, str]:
    """``env`` with a SQLite database of its own, beside the headline run's."""
    folder = Path(env["DATABASE_URL"].removeprefix("sqlite:///")).parent
    file = name.replace(" ", "-") + ".db"
    return {**env, "DATABASE_URL": f"sqlite:///{folder / file}"}


def instruments_us(rounds: int = 100_000) -> float:
    """CPU microseconds the metrics add to one request's answer, in process: what the
    dispatcher records per request (its answer and its wait for a worker)."""
    from slackapp.metrics.instruments import QUEUE_WAIT, observe_request

    body = {"command": "/ssi", "text": "68 21 17 14 16"}
    started = time.process_time()
    for _ in range(rounds):
        QUEUE_WAIT.observe(0.001)
        observe_request(body, 200, 0.01)
    return (time.process_time() - started) / rounds * 1e6


def metrics_cost(env: dict[str, str], a_load: Callable[..., Load], seeded: int) -> dict:
    """The cached load with ``/metrics`` off, then served and scraped every second, twice
    each, alternating: the ratio is what serving and scraping metrics costs ``/ssi``."""
    from bench.scraping import scraping

    figures: dict[str, list[dict]] = {"metrics off": [], "metrics scraped": []}
    for turn in range(2):
        for name in figures:
            port = free_port()
            # A folder of its own each time: ``cached`` names its database in it.
            folder = Path(env["DATABASE_URL"].removeprefix("sqlite:///")).parent
            own = folder / f"{name}-{turn}".replace(" ", "-")
            own.mkdir()
            side_env = {**env, "DATABASE_URL": f"sqlite:///{own / 'bench.db'}"}
            side_env["METRICS_PORT"] = "0" if name == "metrics off" else str(port)
            with scraping(f"http://127.0.0.1:{port}/metrics") as scrapes:
                run = cached(side_env, a_load("EN", SAVED["en"]), seeded)
            run.pop("stored")
            run["scrapes"] = len(scrapes)
            figures[name].append(run)
    merged = {}
    for name, runs in figures.items():
        keys = ("rps", "p50_ms", "p99_ms", "peak_mb", "scrapes")
        merged[name] = {key: sum(r[key] for r in runs) / len(runs) for key in keys}
        merged[name]["failures"] = sum(r["failures"] for r in runs)
        merged[name]["first_failure"] = next(
            (r["first_failure"] for r in runs if r["first_failure"]), None
        )
    return merged


def cached(env: dict[str, str], run: Load, seeded: int, side: Side = HERE) -> dict:
    """People whose locale the member sync has cached: the headline figure."""
    env = in_folder(env, f"cached-{side.name}")
    seed_locales(env, run, seeded, ("en-US",), side)
    figures = serve_load(env, run, side)
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        figures["stored"] = connection.execute("SELECT count(*) FROM submission").fetchone()[0]
    return figures


def on_postgres(env: dict[str, str], run: Load, seeded: int, server: str) -> dict:
    """The cached load again, on a fresh database of the PostgreSQL ``server`` (dropped
    after)."""
    from bench.burst import fresh_postgres

    url, drop = fresh_postgres(server)
    try:
        database = {**env, "DATABASE_URL": url}
        seed_locales(database, run, seeded, ("en-US",))
        return serve_load(database, run)
    finally:
        drop()  # type: ignore[operator]


def first_contact(
    env: dict[str, str], run: Load, seeded: int, fake: FakeSlack, side: Side = HERE
) -> dict:
    """People the app has never seen (Slack knows them as German): answered at once in
    English, their locale asked of Slack after the answer, for the next one."""
    for n in range(seeded):
        fake.add_user(person(run.people, n, 0)[1], locale="de-DE")
    return serve_load(in_folder(env, f"first-{side.name}"), run, side)


def burst(env: dict[str, str], people: int, side: Side = HERE) -> dict:
    from bench.burst import run as burst_run

    return burst_run(in_folder(env, f"burst-{side.name}"), people, 1.0, side)


def commit_before(
    args: argparse.Namespace, env: dict[str, str], a_load, seeded: int, fake: FakeSlack, base: Side
) -> dict:
    """The same cached, first-contact and burst loads served by ``base``."""
    figures = {"cached": cached(env, a_load("EN", SAVED["en"]), seeded, base)}
    figures["cached"].pop("stored")
    figures["first"] = first_contact(env, a_load("NEW", SAVED["en"]), seeded, fake, base)
    figures["burst"] = burst(env, args.burst, base) if args.burst else None
    return figures


def report_beside(base: str, bare: dict, now: dict, before: dict) -> None:
    """This tree's figures beside the commit's, each rate against the bare endpoint's."""
    print(f"beside {base} (the same loads, served by that commit in this run):")
    print(f"{'load':<16}{'side':<12}{'req/s':>8}{'ratio':>8}{'p99 ms':>9}{'peak MB':>9}")
    for kind in ("cached", "first"):
        for side, figures in (("this tree", now[kind]), (base, before[kind])):
            if figures is None:
                continue
            print(
                f"{kind:<16}{side:<12}{figures['rps']:>8.0f}{figures['rps'] / bare['rps']:>8.3f}"
                f"{figures['p99_ms']:>9.1f}{figures['peak_mb']:>9.1f}"
            )
    for side, figures in (("this tree", now["burst"]), (base, before["burst"])):
        if figures is not None:
            print(
                f"{'burst':<16}{side:<12} {figures['saved']} saved, {figures['busy']} busy, "
                f"slowest {figures['max_ms']:.0f} ms"
            )


def report(args: argparse.Namespace, results: dict, stored: int) -> None:
    bare, ssi, spoken = results["bare"], results["ssi"], results["spoken"]
    ratio = ssi["rps"] / bare["rps"]
    german, english = spoken["groups"]
    cost = german["mean_ms"] / english["mean_ms"]
    print(
        f"load: {args.concurrency} concurrent keep-alive connections, {args.seconds:g} s "
        f"after a 1 s warm-up, signed /ssi submissions from distinct users whose locale the "
        f"member sync has cached"
    )
    print(f"{'endpoint':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'peak MB':>9}{'failed':>8}")
    print_row("bare FastAPI form endpoint", bare)
    print_row("/ssi (Bolt + SQLite)", ssi)
    print(f"ratio /ssi : bare = {ratio:.2f}   (goal >= {GOALS['ratio']:.2f})")
    print(
        f"/ssi p99 = {ssi['p99_ms']:.1f} ms (goal < {GOALS['p99_ms']:.0f}); "
        f"peak memory = {ssi['peak_mb']:.1f} MB (goal < {GOALS['peak_mb']:.0f})"
    )
    print(f"rows stored: {stored} (includes the warm-up's)")
    print_row("/ssi, German and English by turns", spoken)
    for name, group in (("German", german), ("English", english)):
        print(
            f"  {name:<8} {group['requests']:>6} answers, one at a time: mean "
            f"{group['mean_ms']:.2f} ms, p50 {group['p50_ms']:.2f} ms, p99 {group['p99_ms']:.2f} ms"
        )
    print(f"German : English mean latency = {cost:.3f} (goal <= {GOALS['german']:.2f})")
    if "metrics off" in results:
        off, scraped = results["metrics off"], results["metrics scraped"]
        print_row("/ssi, /metrics off (mean of 2)", off)
        print_row("/ssi, /metrics scraped every 1 s", scraped)
        print(
            f"metrics scraped : off = {scraped['rps'] / off['rps']:.3f} in req/s "
            f"({scraped['scrapes']:.0f} scrapes a run; goal >= 0.95); the instruments add "
            f"{instruments_us():.1f} CPU us to each request (bench/ssi_cpu.py: a request's whole)"
        )
    if "postgres" in results:
        postgres = results["postgres"]
        print_row("/ssi (Bolt + PostgreSQL)", postgres)
        print(f"ratio /ssi on PostgreSQL : bare = {postgres['rps'] / bare['rps']:.2f}")
    if "first" in results:
        first = results["first"]
        print_row("/ssi, first contact", first)
        print(f"first contact : cached = {first['rps'] / ssi['rps']:.2f} (rates)")
    if "many" in results:
        many = results["many"]
        print_row(f"/ssi, {args.workspaces} OAuth workspaces", many)
        print(
            f"many : single workspace = {many['rps'] / ssi['rps']:.2f} (goal >= 0.90); "
            f"auth.test calls while serving: {many['auth_tests']} (one per workspace at most)"
        )
    if "purge" in results:
        purge = results["purge"]
        print_row(f"/ssi while purging {args.purge_rows:,} rows", purge)
        print(
            f"/ssi p99 during the purge = {purge['p99_ms']:.1f} ms "
            f"(goal < {GOALS['purge_p99_ms']:.0f}); rows of the removed workspace left when "
            f"the server stopped: {purge['left']:,} of {args.purge_rows:,}"
        )
    for name, figures in results.items():
        if figures["first_failure"]:
            print(f"first failure ({name}): {figures['first_failure']}")
    print(
        json.dumps(
            {
                "ratio": round(ratio, 3),
                "german": round(cost, 3),
                **{k: _rounded(f) for k, f in results.items()},
            }
        )
    )
    purge_met = "purge" not in results or results["purge"]["p99_ms"] < GOALS["purge_p99_ms"]
    met = (
        purge_met
        and ratio >= GOALS["ratio"]
        and cost <= GOALS["german"]
        and ssi["p99_ms"] < GOALS["p99_ms"]
        and ssi["peak_mb"] < GOALS["peak_mb"]
        and not any(f["failures"] for f in results.values())
    )
    print("goals met" if met else "goals NOT met")


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


if __name__ == "__main__":
    raise SystemExit(main())
