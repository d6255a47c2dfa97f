"""Builders the tests share: teams, submissions, a runner against the fake Slack, signed
command bodies, a database held by another process. Test modules import from here, never
from each other."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Engine, make_url

from models.domain.history import StoredSubmission
from models.domain.languages import Language
from models.domain.scope import Scope
from models.domain.ssi import Benchmark, Reading
from models.domain.teams import TeamSetup
from models.domain.weekly.members import Member, member_week
from models.domain.weekly.tally import weekly_board
from models.domain.weeks import week_ending
from models.store import members as member_cache
from models.store import teams
from models.store.people import submissions
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.slack_requests import slash_command_body
from slackapp.slack.calls.client import create_web_client
from slackapp.weekly.posting.pacing import ChannelPacer
from slackapp.weekly.runner import WeeklyRunner
from tests.conftest import RunningApp

# The team posts Mondays at 09:00 in Berlin (08:00 UTC). The post on Monday Nov 16 reports on
# Monday Nov 9 09:00 to Nov 16 09:00, and compares it with the seven days before.
ACME = Scope("T0ACME")


BERLIN = "Europe/Berlin"


PEOPLE = [Member("U1", "Ana"), Member("U2", "Ben"), Member("U3", "<!channel> *Cy*")]
# Monday Nov 16 00:00 to Monday Nov 23 00:00, Berlin time: the pure board tests' week.
CALENDAR_WEEK = week_ending(datetime(2026, 11, 23, tzinfo=ZoneInfo(BERLIN)).astimezone(UTC), BERLIN)
_submission_ids = itertools.count(1)
SET_UP = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)  # after Nov 9's slot


SLOT = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


def make_team(
    engine: Engine,
    *,
    at: datetime = SET_UP,
    weekday: int = 0,
    minute: int = 540,
    timezone: str = BERLIN,
    managers: tuple[str, ...] = ("UBOSS",),
    channel: str = "C1",
    members: list[Member] = PEOPLE,
    scope: Scope = ACME,
    language: Language | None = None,
) -> int:
    with engine.begin() as db:
        team = teams.save_team(
            db=db,
            scope=scope,
            channel_id=channel,
            by="UBOSS",
            at=at,
            setup=TeamSetup(weekday, minute, timezone, managers, language=language),
        )
        member_cache.replace_members(
            db=db, team_id=team.id, members=members, at=at + timedelta(days=99)
        )
    return team.id


def submit(
    engine: Engine,
    user: str,
    total: int | str,
    at: datetime,
    *,
    industry: str | None = None,
    scope: Scope = ACME,
) -> None:
    """``user`` shares ``total`` (four equal pillars) at ``at``, with an industry average."""
    quarter = D(total) / 4
    with engine.begin() as db:
        submissions.record(
            db=db,
            scope=scope,
            user_id=user,
            user_name=user.lower(),
            channel_id="C1",
            reading=Reading(
                D(total), *[quarter] * 4, industry=Benchmark(D(industry) if industry else None)
            ),
            source="command",
            at=at,
        )


def runner(
    engine: Engine,
    fake: FakeSlack,
    clock: ManualClock,
    worker: str = "w1",
    *,
    lease_clock: ManualClock | None = None,
    timeout: int = 10,
    recheck_after: timedelta = timedelta(minutes=1),
) -> WeeklyRunner:
    """A runner whose ``clock`` says what is due; leases run on the database's clock unless
    a test moves ``lease_clock`` itself."""
    client = create_web_client(token="xoxb-test", base_url=fake.api_url, timeout=timeout)
    return WeeklyRunner(
        engine=engine,
        client_for=lambda _: client,
        clock=clock,
        pacer=ChannelPacer(0),
        worker=worker,
        lease_clock=lease_clock,
        recheck_after=recheck_after,
    )


def tick_at_once(runners: list[WeeklyRunner]) -> None:
    """Every runner ticks in its own thread, released together: replicas racing for the
    same posts."""
    barrier = threading.Barrier(len(runners))

    def go(r: WeeklyRunner) -> None:
        barrier.wait()
        r.tick()

    threads = [threading.Thread(target=go, args=(r,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def channel_posts(fake: FakeSlack, channel: str = "C1"):
    return [c for c in fake.calls("chat.postMessage") if c.params.get("channel") == channel]


def command_body(app: RunningApp, text: str, command: str = "/ssi") -> str:
    return slash_command_body(
        team_id="T0ACME",
        user_id="U1",
        user_name="u1",
        channel_id="C1",
        text=text,
        response_url=app.fake.new_response_url(),
        command=command,
    )


@contextmanager
def outside_writer(database_url: str) -> Iterator[None]:
    """Another process's transaction holding the lock a submission needs, for ``HELD`` s."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(
            url.database or "", isolation_level=None, check_same_thread=False
        )
        connection.execute("BEGIN IMMEDIATE")  # SQLite's write lock
        release = connection.rollback
    else:
        connection = psycopg.connect(url.set(drivername="postgresql").render_as_string(False))
        connection.execute("LOCK TABLE submission, team IN ACCESS EXCLUSIVE MODE")
        release = connection.rollback
    timer = threading.Timer(HELD, release)
    timer.start()
    try:
        yield
    finally:
        timer.join()
        connection.close()


HELD = 5.0  # seconds an outside writer keeps the database locked


def sub(
    weeks_ago: int,
    pillars: tuple[str, str, str, str],
    *,
    day: int = 2,
    industry: str | None = None,
    network: str | None = None,
) -> StoredSubmission:
    values = [D(p) for p in pillars]
    reading = Reading(
        sum(values, D(0)),
        *values,
        industry=Benchmark(D(industry) if industry else None),
        network=Benchmark(D(network) if network else None),
    )
    at = CALENDAR_WEEK.previous(weeks_ago).start + timedelta(days=day, hours=10)
    return StoredSubmission(next(_submission_ids), "", "", "C1", at, "command", reading)


def compute(members: list[Member], history: dict[str, list[StoredSubmission]]):
    """The board from plain histories, as the query would hand them over."""
    return weekly_board(
        [member_week(m, history.get(m.user_id, []), CALENDAR_WEEK) for m in members], CALENDAR_WEEK
    )


def berlin(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(BERLIN)).astimezone(UTC)


def team(engine: Engine, members: list[Member], channel: str = "C1", scope: Scope = ACME) -> int:
    return make_team(
        engine, at=datetime(2026, 10, 1, tzinfo=UTC), members=members, channel=channel, scope=scope
    )
