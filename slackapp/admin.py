"""An operator's tasks from the command line: set teams up by script (``team set``), list
them (``team list``), re-encrypt stored tokens after a key change (``tokens rotate``)."""

from __future__ import annotations

import argparse
import sys

from slackapp.settings import DatabaseSettings, Settings
from slackapp.startup import apply_migrations, configure_logging, settings_or_exit


def team_set(args: argparse.Namespace) -> int:
    """Set a team up from the command line (scripted roll-outs)."""
    from datetime import UTC, datetime

    from models.domain.scope import Scope
    from models.domain.teams import TeamSetup
    from models.domain.weeks import check_timezone, format_clock, parse_clock, parse_weekday
    from models.services.teams import set_up_by_operator
    from models.store.db import create_db_engine

    settings = settings_or_exit(DatabaseSettings)
    try:
        setup = TeamSetup(
            post_weekday=parse_weekday(args.day),
            post_minute=parse_clock(args.time),
            timezone=check_timezone(args.tz),
            managers=tuple(args.manager or ()),
            reminders=args.reminders,
        )
    except ValueError as error:
        print(f"Can't set the team up: {error}.", file=sys.stderr)
        return 2
    apply_migrations(settings.database_url)
    engine = create_db_engine(settings.database_url)
    with engine.begin() as db:
        team = set_up_by_operator(
            db=db,
            scope=Scope(args.workspace, args.enterprise),
            channel_id=args.channel,
            setup=setup,
            at=datetime.now(UTC),
        )
    engine.dispose()
    print(
        f"Team {team.id}: {args.channel} posts {args.day.lower()}s at "
        f"{format_clock(team.post_minute)} {team.timezone}; managers "
        f"{', '.join(team.managers) or 'none'}."
    )
    return 0


def team_list(_: argparse.Namespace) -> int:
    """Print every team, one line each, tab-separated (for scripts and for a look)."""
    from models.domain.weeks import WEEKDAYS, format_clock
    from models.services.teams import every_team
    from models.store.db import create_db_engine

    settings = settings_or_exit(DatabaseSettings)
    apply_migrations(settings.database_url)
    engine = create_db_engine(settings.database_url)
    with engine.connect() as db:
        found = every_team(db=db)
    engine.dispose()
    if not found:
        print("No teams yet: run /ssi setup in a channel, or ssi-leaderboard team set.")
    for team in found:
        print(
            f"{team.id}\t{team.scope.workspace_id}\t{team.channel_id}\t"
            f"{WEEKDAYS[team.post_weekday]} {format_clock(team.post_minute)} {team.timezone}\t"
            f"managers: {','.join(team.managers) or '-'}\t"
            f"reminders: {'on' if team.reminders else 'off'}"
        )
    return 0


def tokens_rotate(_: argparse.Namespace) -> int:
    """Re-encrypt every stored token with the first of SLACK_TOKEN_KEYS."""
    from models.store.installations import TokenCipher, TokenKeyError, rotate_tokens
    from slackapp.app import SsiApp

    settings = settings_or_exit(Settings)
    configure_logging(settings.log_level, settings.log_format)
    if not settings.multi_workspace:
        print("Only many-workspace mode (SLACK_CLIENT_ID) stores tokens; nothing to rotate.")
        return 0
    apply_migrations(settings.database_url)
    try:
        cipher = TokenCipher(settings.token_keys)
    except TokenKeyError as error:
        print(f"SLACK_TOKEN_KEYS: {error}", file=sys.stderr)
        return 2
    engine = SsiApp(settings).engine
    try:
        count = rotate_tokens(engine=engine, cipher=cipher)
    except ValueError as error:  # a token no configured key can read
        print(
            f"Nothing was changed: {error}. Keep the old key in SLACK_TOKEN_KEYS.", file=sys.stderr
        )
        return 1
    finally:
        engine.dispose()
    print(f"Re-encrypted {count} tokens with the first key; older keys may now be removed.")
    return 0
