"""Oversized request heads against the real server: memory and time they cost.

    uv run python bench/heads.py [--connections 8] [--mib 100]

Starts `ssi-leaderboard serve` (SQLite in a temporary folder, the fake Slack), opens
``--connections`` connections at once, each sending one header of ``--mib`` MiB, and prints
how much each could send before the server refused it, how long that took, and the server's
peak and current memory before and after. Without a bound (before slackapp/http_limits.py)
eight 100 MiB headers took the process to 890 MB.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import free_port, peak_rss_mb, wait_healthy  # noqa: E402
from slackapp.devtools.fake_slack.server import FakeSlack  # noqa: E402

CHUNK = b"a" * 65536


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def send_header(port: int, size: int, sent: list[int]) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Big: ")
        count = 0
        try:
            while count < size:
                connection.sendall(CHUNK)
                count += len(CHUNK)
        except OSError:  # refused: the server closed the connection
            pass
        sent.append(count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mib", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ssi-heads-") as folder, FakeSlack() as fake:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'heads.db'}",
            "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
            "SLACK_BOT_TOKEN": "xoxb-heads",
            "SLACK_API_URL": fake.api_url,
            "LOG_LEVEL": "ERROR",
        }
        command = [sys.executable, "-m", "slackapp.cli", "serve", "--no-scheduler"]
        server = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(port)], env=env)
        try:
            wait_healthy(port, server)
            peak_before = peak_rss_mb(server.pid)
            sent: list[int] = []
            started = time.monotonic()
            senders = [
                threading.Thread(target=send_header, args=(port, args.mib << 20, sent))
                for _ in range(args.connections)
            ]
            for sender in senders:
                sender.start()
            for sender in senders:
                sender.join()
            took = time.monotonic() - started
            print(
                f"{args.connections} x {args.mib} MiB headers: each refused after at most "
                f"{max(sent) / 1024:,.0f} KiB sent (most of it still in socket buffers), "
                f"all within {took:.2f} s"
            )
            print(
                f"server memory: peak {peak_before:.1f} MB before, {peak_rss_mb(server.pid):.1f}"
                f" MB after; now {rss_mb(server.pid):.1f} MB"
            )
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
