"""``ssi-leaderboard``: serve the app, run the demo, manage the database."""

from __future__ import annotations

import argparse
import logging
import sys

from slackapp.settings import DatabaseSettings, Settings, SettingsError, SettingsT, load_settings


def _settings_or_exit(kind: type[SettingsT]) -> SettingsT:
    try:
        return load_settings(kind)
    except SettingsError as error:
        print(
            "ssi-leaderboard can't start; fix these settings (environment or .env):",
            file=sys.stderr,
        )
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        raise SystemExit(2) from None


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
    )


def _apply_migrations(database_url: str) -> None:
    from models.db import create_db_engine
    from models.migrate import upgrade

    engine = create_db_engine(database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def serve(args: argparse.Namespace) -> int:
    """Apply pending migrations, then serve Slack's requests with uvicorn."""
    import uvicorn

    from slackapp.web import create_app

    settings = _settings_or_exit(Settings)
    _configure_logging(settings.log_level)
    _apply_migrations(settings.database_url)
    # One worker per process: scale out with more processes or replicas behind a load
    # balancer (uvicorn's --workers shares one socket and was measured slower here).
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        access_log=args.access_log,
        log_level=settings.log_level.lower(),
        timeout_keep_alive=30,
    )
    return 0


def db_upgrade(_: argparse.Namespace) -> int:
    """Bring the database schema up to date (also done by ``serve`` on start)."""
    # Only the database is needed here, not Slack credentials.
    settings = _settings_or_exit(DatabaseSettings)
    _configure_logging(settings.log_level)
    _apply_migrations(settings.database_url)
    print("Database is up to date.")
    return 0


def demo(args: argparse.Namespace) -> int:
    """Run a small team through the real app against the fake Slack; print what they see."""
    from slackapp.demo import run_demo

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
    serve_parser.add_argument("--port", type=int, default=3000, help="default: 3000")
    serve_parser.add_argument(
        "--access-log", action="store_true", help="log every HTTP request (off by default)"
    )
    serve_parser.set_defaults(run=serve)

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

    db_parser = commands.add_parser("db", help="database schema")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply pending migrations").set_defaults(run=db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
