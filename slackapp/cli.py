"""``ssi-leaderboard``: serve the app, run the demo, manage the database."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from slackapp.admin import team_list, team_set, tokens_rotate
from slackapp.settings import DatabaseSettings, Settings
from slackapp.startup import apply_migrations, configure_logging, settings_or_exit

if TYPE_CHECKING:  # imported where used: `--help` and `db upgrade` start fast
    from slackapp.weekly.runner import WeeklyRunner


def serve(args: argparse.Namespace) -> int:
    """Apply pending migrations, then serve Slack's requests with uvicorn."""
    import uvicorn

    from slackapp.app import create_app
    from slackapp.http_limits import BoundedHttpToolsProtocol
    from slackapp.metrics.exporter import serve_metrics

    settings = settings_or_exit(Settings)
    configure_logging(settings.log_level, settings.log_format)
    # Apart: Alembic (and the Mako and Pygments it loads) never takes room in this process.
    if failed := subprocess.call([sys.executable, "-m", "slackapp.cli", "db", "upgrade"]):
        return failed  # the child said what is wrong
    stop_metrics = serve_metrics(settings.metrics_host, settings.metrics_port)
    try:
        # One worker per process: scale out with more processes or replicas behind a load
        # balancer (uvicorn's --workers shares one socket and was measured slower here).
        uvicorn.run(
            create_app(settings, scheduler=args.scheduler, whole_process=True),
            host=args.host,
            port=args.port,
            access_log=args.access_log,
            log_level=settings.log_level.lower(),
            log_config=None,  # uvicorn's lines go through our JSON handler like the rest
            timeout_keep_alive=30,
            http=BoundedHttpToolsProtocol,  # heads over 16 KiB refused before buffered
        )
    finally:
        stop_metrics()
    return 0


def db_upgrade(_: argparse.Namespace) -> int:
    """Bring the database schema up to date (also done by ``serve`` on start)."""
    # Only the database is needed here, not Slack credentials.
    settings = settings_or_exit(DatabaseSettings)
    configure_logging(settings.log_level, settings.log_format)
    apply_migrations(settings.database_url)
    print("Database is up to date.")
    return 0


def _runner(settings: Settings) -> WeeklyRunner:
    from slackapp.app import SsiApp

    return SsiApp(settings).runner


def tick(args: argparse.Namespace) -> int:
    """Run one scheduler tick and exit (cron, catching up by hand, tests)."""
    from datetime import UTC, datetime

    from slackapp.weekly.scheduling import run_once

    settings = settings_or_exit(Settings)
    configure_logging(settings.log_level, settings.log_format)
    apply_migrations(settings.database_url)
    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            print(
                f"--now {args.now!r} is not an ISO-8601 time like 2026-11-23T09:00:00+01:00",
                file=sys.stderr,
            )
            return 2
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    return run_once(_runner(settings), now)


def scheduler(args: argparse.Namespace) -> int:
    """Tick every minute until stopped: the scheduler as its own process."""
    from slackapp.metrics.exporter import serve_metrics
    from slackapp.weekly.scheduling import run_forever

    settings = settings_or_exit(Settings)
    configure_logging(settings.log_level, settings.log_format)
    apply_migrations(settings.database_url)
    stop_metrics = serve_metrics(settings.metrics_host, settings.metrics_port)
    try:
        run_forever(_runner(settings), seconds=args.interval)
    finally:
        stop_metrics()
    return 0


def demo(args: argparse.Namespace) -> int:
    """Run a small team through the real app against the fake Slack; print what they see."""
    from slackapp.devtools.demo.run import run_demo

    run_demo(color=args.color)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssi-leaderboard",
        description="SSI Leaderboard: LinkedIn's Social Selling Index as a weekly Slack ritual.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="serve /slack/events with uvicorn")
    serve_parser.add_argument("--host", default="0.0.0.0", help="default: 0.0.0.0")
    serve_parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT") or 3000),
        help="default: $PORT, else 3000",
    )
    serve_parser.add_argument(
        "--access-log", action="store_true", help="log every HTTP request (off by default)"
    )
    serve_parser.add_argument(
        "--scheduler",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the weekly tick in this process (default; turn off when a separate "
        "`ssi-leaderboard scheduler` runs)",
    )
    serve_parser.set_defaults(run=serve)

    tick_parser = commands.add_parser("tick", help="run one scheduler tick and exit")
    tick_parser.add_argument("--now", help="pretend it is this ISO-8601 time (default: now)")
    tick_parser.set_defaults(run=tick)

    scheduler_parser = commands.add_parser("scheduler", help="tick every minute until stopped")
    scheduler_parser.add_argument("--interval", type=int, default=60, help="seconds (60)")
    scheduler_parser.set_defaults(run=scheduler)

    team_parser = commands.add_parser("team", help="teams: set up or list")
    team_commands = team_parser.add_subparsers(dest="team_command", required=True)
    set_parser = team_commands.add_parser("set", help="create or update a channel's team")
    set_parser.add_argument("--workspace", required=True, help="Slack team id, T...")
    set_parser.add_argument("--enterprise", default=None, help="Enterprise Grid id, E...")
    set_parser.add_argument("--channel", required=True, help="channel id, C...")
    set_parser.add_argument("--day", required=True, help="monday ... sunday")
    set_parser.add_argument("--time", required=True, help="local time, HH:MM")
    set_parser.add_argument("--tz", required=True, help="IANA time zone, e.g. Europe/Berlin")
    set_parser.add_argument(
        "--manager", action="append", help="user id, U... (repeatable, up to 20)"
    )
    set_parser.add_argument("--reminders", action=argparse.BooleanOptionalAction, default=True)
    set_parser.set_defaults(run=team_set)
    team_commands.add_parser("list", help="every team").set_defaults(run=team_list)

    demo_parser = commands.add_parser(
        "demo", help="a team of eight over four weeks, against a fake Slack; no account needed"
    )
    demo_parser.add_argument(
        "--color",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="bold and dim text (default: when the output is a terminal)",
    )
    demo_parser.set_defaults(run=demo)

    tokens_parser = commands.add_parser("tokens", help="stored Slack tokens (many workspaces)")
    tokens_commands = tokens_parser.add_subparsers(dest="tokens_command", required=True)
    tokens_commands.add_parser(
        "rotate", help="re-encrypt every stored token with the first of SLACK_TOKEN_KEYS"
    ).set_defaults(run=tokens_rotate)

    db_parser = commands.add_parser("db", help="database schema")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply pending migrations").set_defaults(run=db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
