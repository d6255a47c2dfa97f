"""What a tick has to send (its plan): each team's board when its slot has passed, and its
reminder round in the hours before the slot, with the ledger keys that say when they are
done, less what the ledger says is settled and what goes to a workspace that uninstalled."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.domain.weeks import POSTED_WINDOW, TeamWeek, due_and_running
from models.services.teams import every_team
from models.store.weekly import ledger
from models.store.weekly.ledger import LedgerKey, PostKey
from slackapp.clock import Clock
from slackapp.render.blocks import Message
from slackapp.render.charts.pictures import Chart

REMINDER_LEAD = timedelta(hours=3)


@dataclass
class Due:
    """A team's board (with its managers' DMs) or its reminder round, for a week."""

    team: TeamRecord
    week: TeamWeek
    board: bool
    reminders: bool


@dataclass(frozen=True)
class Post:
    """One message a tick sends: a board, a manager's DM, a reminder or a note."""

    team: TeamRecord  # a reminder's: the first team it names
    key: LedgerKey
    channel: str
    message: Message
    chart: Chart | None = None  # shown in the message, uploaded first if it is new
    file_id: str | None = None  # the chart's earlier upload
    uploading: Future[str | None] | None = None  # its new upload (a file id, or None)
    # The next part of a message too long for one (a big team's manager DM): sent after
    # this one is, never before, each part claimed and recorded on its own.
    then: Post | None = None


def due_items(
    all_teams: list[TeamRecord], now: datetime, posted: dict[int, list[datetime]]
) -> list[Due]:
    """Every team's due board (its latest slot only: after downtime, a missed week goes
    out once) and due reminder round."""
    due = []
    for team in all_teams:
        ends = posted.get(team.id, [])
        week, running = due_and_running(team.schedule, now, posted=ends)
        remind = team.reminders and running.end - REMINDER_LEAD <= now < running.end
        if week is not None:
            due.append(Due(team, week, board=True, reminders=False))
        if remind:
            due.append(Due(team, running, board=False, reminders=True))
    return due


def keys_of(item: Due) -> list[PostKey]:
    """The ledger keys that settle ``item``."""
    if not item.board:
        # The reminder round as a whole: once it is done, later ticks skip the team. The
        # DMs have keys of their own, one per person and day (``reminders``).
        return [PostKey(item.team.id, "reminders", item.week.key)]
    keys = [PostKey(item.team.id, "board", item.week.key)]
    keys += [PostKey(item.team.id, "manager", item.week.key, m) for m in item.team.managers]
    return keys


def in_order(team: TeamRecord, kind: str, week: str, recipient: str, parts: list[Message]) -> Post:
    """A message in several parts as one chain of posts: the first keyed ``kind``, the
    later ``kind-2``, ``kind-3``… (each its own ledger row and metadata)."""
    chained: Post | None = None
    for number in range(len(parts), 0, -1):
        key = PostKey(team.id, kind if number == 1 else f"{kind}-{number}", week, recipient)
        chained = Post(team, key, recipient, parts[number - 1], then=chained)
    assert chained is not None
    return chained


@dataclass
class Plan:
    """A tick's plan: what is due and not settled, with what it was worked out from."""

    all_teams: list[TeamRecord]
    posted: dict[int, list[datetime]]  # week ends already posted, by team
    due: list[Due]
    settled: set[LedgerKey]


def plan_tick(
    engine: Engine, now: datetime, *, ledger_now: Clock, installed: Callable[[Scope], bool]
) -> Plan:
    """What is due at ``now`` and not yet settled (by the ledger's clock, ``ledger_now``),
    in the workspaces where the app is still ``installed``."""
    with engine.connect() as db:
        all_teams = every_team(db=db)
        posted = ledger.posted_week_ends(db=db, since=now - POSTED_WINDOW)
    due = due_items(all_teams, now, posted)
    settled = ledger.settled(
        engine=engine, keys=[k for d in due for k in keys_of(d)], now=ledger_now()
    )
    due = [d for d in due if not set(keys_of(d)) <= settled]
    reachable = {scope: installed(scope) for scope in {d.team.scope for d in due}}
    return Plan(all_teams, posted, [d for d in due if reachable[d.team.scope]], settled)
