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
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from slackapp.devtools.fake_slack import FakeSlack  # noqa: E402

GOALS = {"ratio": 0.30, "p99_ms": 100.0, "peak_mb": 120.0, "purge_p99_ms": 500.0}


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


WORKSPACES = 0  # set in the load process: > 0 spreads requests over that many workspaces


def _team_id(n: int) -> str:
    return f"T{n % WORKSPACES:05d}" if WORKSPACES else "T0BENCH"


def _request_bytes(port: int, secret: str, run_id: str, n: int) -> bytes:
    user = f"U{run_id}{n:07d}"
    pillars = [10 + n % 15, 8 + n % 17, 6 + n % 19, 9 + n % 16]
    body = urlencode(
        {
            "token": "x",
            "team_id": _team_id(n),
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
    stamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"X-Slack-Request-Timestamp: {stamp}\r\nX-Slack-Signature: {signature}\r\n\r\n"
    )
    return head.encode() + body.encode()


async def _connection(port, secret, run_id, counter, end, latencies, failures, expect):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < end:
        n = next(counter)
        request = _request_bytes(port, secret, run_id, n)
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if not head.startswith(b"HTTP/1.1 200") or expect not in body:
            failures.append(head.split(b"\r\n")[0] + b" " + body[:200])
    writer.close()


def load(
    port: int,
    secret: str,
    seconds: float,
    concurrency: int,
    expect: bytes,
    queue,
    workspaces: int = 0,
) -> None:
    """Send requests for ``seconds`` after a one-second warm-up; put the figures on ``queue``."""
    import itertools

    global WORKSPACES
    WORKSPACES = workspaces

    run_id = secrets.token_hex(3).upper()

    async def phase(duration: float, counter):
        latencies: list[float] = []
        failures: list[bytes] = []
        end = time.perf_counter() + duration
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _connection(port, secret, run_id, counter, end, latencies, failures, expect)
                for _ in range(concurrency)
            )
        )
        return latencies, failures, time.perf_counter() - started

    async def main():
        counter = itertools.count()
        await phase(1.0, counter)  # warm-up: connections, caches, first queries
        return await phase(seconds, counter)

    latencies, failures, elapsed = asyncio.run(main())
    latencies.sort()
    queue.put(
        {
            "requests": len(latencies),
            "rps": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
            "failures": len(failures),
            "first_failure": failures[0].decode(errors="replace") if failures else None,
        }
    )


def run_load(
    port: int, secret: str, seconds: float, concurrency: int, expect: bytes, workspaces: int = 0
) -> dict:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=load, args=(port, secret, seconds, concurrency, expect, queue, workspaces)
    )
    process.start()
    figures = queue.get(timeout=seconds + 120)
    process.join()
    return figures


# --- the servers -----------------------------------------------------------------------------


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    wait_healthy(port, process)
    return process


def install_workspaces(database_url: str, env: dict[str, str], count: int) -> None:
    """``count`` workspaces installed through OAuth, as Bolt stores them (tokens encrypted)."""
    from datetime import UTC, datetime

    from slack_sdk.oauth.installation_store import Installation

    from models.store.db import create_db_engine
    from models.store.migrate import upgrade
    from slackapp.settings import Settings, load_settings
    from slackapp.slack.workspaces import installation_store

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
            "channel_id, submitted_at, source, total_hundredths, brand_hundredths, "
            "find_hundredths, engage_hundredths, relate_hundredths) "
            "VALUES ('', 'T0GONE', ?, '', 'C1', ?, 'command', 6000, 1500, 1500, 1500, 1500)",
            ((f"U{n % 500}", stamp) for n in range(rows)),
        )


def count_gone(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        query = "SELECT count(*) FROM submission WHERE workspace_id = 'T0GONE'"
        return int(connection.execute(query).fetchone()[0])


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


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
    args = parser.parse_args()
    secret = secrets.token_hex(16)
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
        port = free_port()
        bare = start(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.bare_app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env,
            port,
        )
        try:
            results["bare"] = run_load(port, secret, args.seconds, args.concurrency, b"ok U")
            results["bare"]["peak_mb"] = peak_rss_mb(bare.pid)
        finally:
            stop(bare)
        port = free_port()
        app = start(
            [
                sys.executable,
                "-m",
                "slackapp.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env,
            port,
        )
        try:
            results["ssi"] = run_load(
                port, secret, args.seconds, args.concurrency, b"Saved your SSI"
            )
            results["ssi"]["peak_mb"] = peak_rss_mb(app.pid)
        finally:
            stop(app)
        with sqlite3.connect(database) as connection:
            stored = connection.execute("SELECT count(*) FROM submission").fetchone()[0]
        from cryptography.fernet import Fernet

        many_env = {k: v for k, v in env.items() if k != "SLACK_BOT_TOKEN"} | {
            "SLACK_CLIENT_ID": "111.222",
            "SLACK_CLIENT_SECRET": "bench-client-secret",
            "SLACK_TOKEN_KEYS": Fernet.generate_key().decode(),
        }
        if args.purge_rows:
            # Only many-workspace mode records removals and purges (one workspace has its
            # token in the environment): one installed workspace takes the load, another
            # removed the app 40 days ago.
            purging = Path(folder) / "purging.db"
            purge_env = {**many_env, "DATABASE_URL": f"sqlite:///{purging}"}
            install_workspaces(purge_env["DATABASE_URL"], purge_env, 1)
            seed_removed_workspace(purging, args.purge_rows)
            port = free_port()
            # `serve` with its weekly tick in-process (the default): the tick starts purging
            # at once, on the same single SQLite connection the requests need.
            command = [sys.executable, "-m", "slackapp.cli", "serve", "--host", "127.0.0.1"]
            app = start([*command, "--port", str(port)], purge_env, port)
            try:
                results["purge"] = run_load(
                    port, secret, args.seconds, args.concurrency, b"Saved your SSI", workspaces=1
                )
                results["purge"]["peak_mb"] = peak_rss_mb(app.pid)
                results["purge"]["left"] = count_gone(purging)
            finally:
                stop(app)
        if args.workspaces:
            many = Path(folder) / "many.db"
            many_env = {**many_env, "DATABASE_URL": f"sqlite:///{many}"}
            install_workspaces(many_env["DATABASE_URL"], many_env, args.workspaces)
            port = free_port()
            command = [sys.executable, "-m", "slackapp.cli", "serve", "--host", "127.0.0.1"]
            app = start([*command, "--port", str(port)], many_env, port)
            auth_tests_before = len(fake.calls("auth.test"))
            try:
                results["many"] = run_load(
                    port,
                    secret,
                    args.seconds,
                    args.concurrency,
                    b"Saved your SSI",
                    workspaces=args.workspaces,
                )
                results["many"]["peak_mb"] = peak_rss_mb(app.pid)
                results["many"]["auth_tests"] = len(fake.calls("auth.test")) - auth_tests_before
            finally:
                stop(app)

    bare, ssi = results["bare"], results["ssi"]
    ratio = ssi["rps"] / bare["rps"]
    print(
        f"load: {args.concurrency} concurrent keep-alive connections, {args.seconds:g} s "
        f"after a 1 s warm-up, signed /ssi submissions from distinct users"
    )
    print(f"{'endpoint':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'peak MB':>9}{'failed':>8}")
    for name, figures in (("bare FastAPI form endpoint", bare), ("/ssi (Bolt + SQLite)", ssi)):
        print(
            f"{name:<34}{figures['rps']:>9.0f}{figures['p50_ms']:>9.1f}"
            f"{figures['p99_ms']:>9.1f}{figures['peak_mb']:>9.1f}{figures['failures']:>8}"
        )
    print(f"ratio /ssi : bare = {ratio:.2f}   (goal >= {GOALS['ratio']:.2f})")
    print(
        f"/ssi p99 = {ssi['p99_ms']:.1f} ms (goal < {GOALS['p99_ms']:.0f}); "
        f"peak memory = {ssi['peak_mb']:.1f} MB (goal < {GOALS['peak_mb']:.0f})"
    )
    print(f"rows stored: {stored} (includes the warm-up's)")
    if "many" in results:
        many = results["many"]
        print(
            f"{'/ssi, ' + str(args.workspaces) + ' OAuth workspaces':<34}{many['rps']:>9.0f}"
            f"{many['p50_ms']:>9.1f}{many['p99_ms']:>9.1f}{many['peak_mb']:>9.1f}"
            f"{many['failures']:>8}"
        )
        print(
            f"many : single workspace = {many['rps'] / ssi['rps']:.2f} (goal >= 0.90); "
            f"auth.test calls while serving: {many['auth_tests']} (one per workspace at most)"
        )
    if "purge" in results:
        purge = results["purge"]
        print(
            f"{'/ssi while purging ' + format(args.purge_rows, ',') + ' rows':<34}"
            f"{purge['rps']:>9.0f}{purge['p50_ms']:>9.1f}{purge['p99_ms']:>9.1f}"
            f"{purge['peak_mb']:>9.1f}{purge['failures']:>8}"
        )
        print(
            f"/ssi p99 during the purge = {purge['p99_ms']:.1f} ms "
            f"(goal < {GOALS['purge_p99_ms']:.0f}); rows of the removed workspace left when "
            f"the load ended: {purge['left']:,} of {args.purge_rows:,}"
        )
    for name, figures in results.items():
        if figures["first_failure"]:
            print(f"first failure ({name}): {figures['first_failure']}")
    print(
        json.dumps(
            {
                "ratio": round(ratio, 3),
                **{
                    k: {m: round(v, 2) if isinstance(v, float) else v for m, v in f.items()}
                    for k, f in results.items()
                },
            }
        )
    )
    purge_met = "purge" not in results or (
        results["purge"]["p99_ms"] < GOALS["purge_p99_ms"] and not results["purge"]["failures"]
    )
    met = (
        purge_met
        and ratio >= GOALS["ratio"]
        and ssi["p99_ms"] < GOALS["p99_ms"]
        and ssi["peak_mb"] < GOALS["peak_mb"]
    )
    print("goals met" if met and not ssi["failures"] else "goals NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
