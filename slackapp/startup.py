"""What every ``ssi-leaderboard`` command does first: read its settings (or say which are
wrong), set up logging, bring the database schema up to date (or say why it can't)."""

from __future__ import annotations

import sys

from slackapp.settings import SettingsError, SettingsT, load_settings


def settings_or_exit(kind: type[SettingsT]) -> SettingsT:
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


def configure_logging(level: str, log_format: str = "json") -> None:
    from slackapp.logs import configure_logging as configure

    configure(level, log_format)


def _cannot_start(problem: str) -> SystemExit:
    # Raised with a sentence, Python prints it to stderr and exits with status 1.
    return SystemExit(f"ssi-leaderboard can't start: {problem}. Fix DATABASE_URL or the storage.")


def apply_migrations(database_url: str) -> None:
    """Bring the schema up to date, or exit with a sentence saying what is wrong."""
    from sqlalchemy.exc import DBAPIError

    from models.store.db import create_db_engine, normalise_url, sqlite_file_problem
    from models.store.migrate import upgrade

    if problem := sqlite_file_problem(database_url):
        raise _cannot_start(problem)
    engine = create_db_engine(database_url)
    try:
        upgrade(engine)
    except DBAPIError as error:
        where = normalise_url(database_url).render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise _cannot_start(f"the database at {where} refused: {reason}") from None
    finally:
        engine.dispose()
