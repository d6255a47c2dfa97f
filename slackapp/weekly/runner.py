"""One scheduler tick: what is due (``due.plan_tick``), what is said (``composing``), how it is
sent (``sending``: claimed once in the database, looked for first if an earlier attempt may
have got through, sent, recorded).

The scheduler holds no job per team. Every tick asks the database which teams' weekly slot
has passed (only each team's latest slot: after downtime the missed week goes out once, not
a backlog), leaves out what the ledger says is settled, and claims the rest one post at a
time, so any number of replicas may tick at once; a workspace's run is leased to one of
them (``shares``). Posts go out concurrently across channels, at most one message a second
into any one channel, every call within Slack's per-method limits (the client's shared
pace); a post that still fails is retried on a later tick.

Reminder DMs go one per person per day, naming every team of theirs posting that day
(``reminders``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.services.retention import DEFAULT_RETENTION, Purger, forget_old_records
from models.store.weekly import database_clock, ledger
from slackapp.clock import Clock
from slackapp.metrics.instruments import LAST_TICK, TICK_DUE, TICK_SECONDS
from slackapp.slack.calls.chart_files import ChartFiles
from slackapp.slack.calls.membership import refresh_when_stale
from slackapp.weekly.charted import PostCharts
from slackapp.weekly.collector import relaxed_gc
from slackapp.weekly.composing import Workspace, workspace_posts, workspaces_due
from slackapp.weekly.drawing import ChartWorkers
from slackapp.weekly.due import Due, Plan, keys_of, plan_tick
from slackapp.weekly.posting.outcomes import Pipeline, Sending, TickReport
from slackapp.weekly.posting.pacing import ChannelPacer
from slackapp.weekly.posting.sending import RETRY_AFTER_FAILURE, Sender
from slackapp.weekly.reminders import day_reminders
from slackapp.weekly.shares import WorkspaceShares
from slackapp.weekly.warming import PER_TICK, Warming, to_warm

log = logging.getLogger(__name__)

# After an attempt that got no answer: look for the post this long after, on a later tick
# (Slack may still be handling the request when the client gives up on it).
RECHECK_UNKNOWN = timedelta(minutes=1)
CHART_READY_WITHIN = 120.0  # seconds Slack may take to process a weekly chart


def worker_name() -> str:
    """Who holds a claim: host, process and thread, for operators reading the ledger."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


class WeeklyRunner:
    """Runs ticks against one database and Slack (``client_for`` gives a workspace's
    client)."""

    def __init__(
        self,
        *,
        engine: Engine,
        client_for: Callable[[Scope], WebClient | None],
        clock: Clock,
        concurrency: int = 8,
        pacer: ChannelPacer | None = None,
        worker: str | None = None,
        retention: timedelta = DEFAULT_RETENTION,
        lease_clock: Clock | None = None,
        lease: timedelta = ledger.LEASE,
        recheck_after: timedelta = RECHECK_UNKNOWN,
        charts: bool = True,
    ) -> None:
        # ``clock`` (or a tick's ``now``) says which week is due; leases are measured on the
        # database's clock, shared by every replica whatever their own clocks say.
        self.lease_clock = lease_clock or database_clock.DatabaseClock(engine)
        self.engine = engine
        self.client_for = client_for
        self.clock = clock
        self.concurrency = concurrency
        worker = worker or worker_name()
        self._stopping = threading.Event()  # set by stop(): no new post or batch begins
        self._idle = threading.Event()  # set while no tick runs
        self._idle.set()
        self._drawing: set[ChartWorkers] = set()  # a running tick's, ended by stop()
        self.purger = Purger(engine=engine, retention=retention, stopping=self._stopping)
        self.warming = Warming(engine, client_for)
        # A dead process's workspaces wait as long as its claimed posts: one lease.
        self.shares = WorkspaceShares(engine, worker, self.lease_clock, lease)
        self.charts = charts  # the team's chart in each weekly post
        # The weekly post waits for its chart: Slack processing an upload slowly (a busy
        # workspace, a thousand at once) delays the post, not drops its chart.
        files = ChartFiles(engine=engine, clock=clock, ready_within=CHART_READY_WITHIN)
        self.charts_for = PostCharts(files, client_for)
        self.sender = Sender(
            engine=engine,
            client_for=client_for,
            charts_for=self.charts_for,
            pacer=pacer or ChannelPacer(),
            worker=worker,
            lease_clock=self.lease_clock,
            lease=lease,
            recheck_after=recheck_after,
            stopping=self._stopping,
        )

    def stop(self, grace: float) -> bool:
        """Begin nothing new; wait up to ``grace`` seconds for a running tick to finish its
        posts in flight. True when it did; else its chart-drawing workers are killed (a post
        cut short is looked for before it is sent again, so stopping anyway doubles
        nothing)."""
        self._stopping.set()
        for workers in list(self._drawing):  # no post waits for a chart now
            workers.end()
        finished = self._idle.wait(grace)
        self.shares.give_up_all()  # the next process need not wait out our leases
        if not finished:  # the caller leaves with os._exit: the workers must not outlive it
            for workers in list(self._drawing):
                workers.kill()
        return finished

    def tick(self, now: datetime | None = None) -> TickReport:
        """Send whatever is due and not yet settled. Safe to run in many processes at once."""
        self._idle.clear()  # before looking: a stop() from now on waits for this tick
        try:
            if self._stopping.is_set():
                return TickReport()
            started = time.monotonic()
            with relaxed_gc():
                report = self._tick(now or self.clock())
            TICK_SECONDS.observe(time.monotonic() - started)
            LAST_TICK.set_to_current_time()
            return report
        finally:
            self._idle.set()

    def _tick(self, now: datetime) -> TickReport:
        report = TickReport()
        self.purger.purge_expired(now, installed=lambda scope: self.client_for(scope) is not None)
        real_now = self.lease_clock()  # read first: SQLite's pool has one connection
        with self.engine.begin() as db:
            forget_old_records(db=db, now=real_now, tick_time=now)
        # A workspace that uninstalled the app has no client: nothing goes out for it.
        plan = plan_tick(
            self.engine,
            now,
            ledger_now=self.lease_clock,
            installed=lambda scope: self.client_for(scope) is not None,
        )
        # One process at a time runs a workspace's posts: processes ticking together split
        # the workspaces rather than its Slack limits (``shares``).
        TICK_DUE.set(len(plan.due))
        with self.shares.holding({d.team.scope for d in plan.due}) as held:
            plan.due = [d for d in plan.due if d.team.scope in held]
            if plan.due:
                self._run(plan, now, report)
        if not self._stopping.is_set():  # the members of teams posting soon, made ready
            ahead = to_warm(plan.all_teams, now)[:PER_TICK]
            with self.shares.holding({t.scope for t in ahead}) as held:
                ahead = [t for t in ahead if t.scope in held]
                self.warming.warm(ahead, now)
        if report.sent or report.failed or report.abandoned:
            log.info("tick at %s: %s", now.isoformat(), report)
        return report

    def _run(self, plan: Plan, now: datetime, report: TickReport) -> None:
        # A team never listed needs its members before its board; the others post from
        # the cache (which events keep current) and are re-listed after their posts, so
        # no post waits on conversations.members for a thousand channels.
        due = plan.due
        self.warming.warm([d.team for d in due if d.team.members_synced_at is None], now)
        chart_workers = ChartWorkers(
            sum(d.board for d in due) if self.charts else 0, uploaders=self.concurrency
        )
        self._drawing.add(chart_workers)
        if self._stopping.is_set():  # stop() came while they started
            chart_workers.end()
        try:
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                pipeline = Pipeline(self._finish_workspace, report)
                # One workspace is being sent while the next is composed and its charts
                # drawn: neither the senders nor the drawing workers wait between them.
                boards = [d for d in due if d.board]
                for workspace in workspaces_due(
                    self.engine, boards, plan.all_teams, plan.posted, now
                ):
                    pipeline.add(self._start_workspace(workspace, plan, now, pool, chart_workers))
                self._remind([d for d in due if d.reminders], plan, now, pool, pipeline)
                pipeline.drain()
        finally:
            self._drawing.discard(chart_workers)
            chart_workers.close()
        # Re-listed after their posts, ``PER_TICK`` teams a tick: a thousand at Slack's 100
        # a minute would hold this tick (and the next ones) for ten minutes; the rest are
        # listed by the ticks ahead of their next slot (``warming``), and events keep every
        # list current meanwhile.
        listed = [d.team for d in due if d.team.members_synced_at is not None]
        for team in listed[:PER_TICK]:
            if not self._stopping.is_set():
                self._refresh_members(team, now)

    def _refresh_members(self, team: TeamRecord, now: datetime) -> None:
        client = self.client_for(team.scope)
        if client is not None:  # else uninstalled while this tick ran
            refresh_when_stale(engine=self.engine, client=client, team=team, now=now)

    def _start_workspace(
        self,
        workspace: Workspace,
        plan: Plan,
        now: datetime,
        pool: ThreadPoolExecutor,
        chart_workers: ChartWorkers,
    ) -> Sending:
        """Queue the workspace's boards and managers' DMs on ``pool``, their charts drawing."""
        posts = workspace_posts(self.engine, workspace, now, with_charts=self.charts)
        unsettled = [p for p in posts if p.key not in plan.settled]
        pending = self.charts_for.prepare(unsettled, chart_workers)
        return Sending([(p.key.kind, pool.submit(self.sender.send, p)) for p in pending], [])

    def _remind(
        self,
        due: list[Due],
        plan: Plan,
        now: datetime,
        pool: ThreadPoolExecutor,
        pipeline: Pipeline,
    ) -> None:
        """The reminder rounds that opened, workspace by workspace: each round claimed by
        one process, then each of its waiting members' one reminder of the day, naming all
        their teams posting that day (``reminders``)."""
        if not due:
            return
        by_scope: dict[Scope, list[Due]] = defaultdict(list)
        for item in due:
            by_scope[item.team.scope].append(item)
        teams_of: dict[Scope, list[TeamRecord]] = defaultdict(list)
        for team in plan.all_teams:
            if team.scope in by_scope:
                teams_of[team.scope].append(team)
        for scope, items in by_scope.items():
            rounds = [c for i in items if (c := self.sender.claim(keys_of(i)[0])) is not None]
            held = {c.key for c in rounds}
            opened = [i for i in items if keys_of(i)[0] in held]
            reminders = day_reminders(
                engine=self.engine,
                opened=opened,
                scope_teams=teams_of[scope],
                posted=plan.posted,
                now=now,
            )
            had = ledger.settled(
                engine=self.engine, keys=[r.key for r in reminders], now=self.lease_clock()
            )
            posts = [r.post() for r in reminders if r.key not in had]
            sends = [(p.key.kind, pool.submit(self.sender.send, p)) for p in posts]
            pipeline.add(Sending(sends, rounds))

    def _finish_workspace(self, sending: Sending, report: TickReport) -> None:
        """Count the workspace's outcomes once all are in, and close its reminder rounds."""
        unsent = False
        for kind, outcome in ((kind, future.result()) for kind, future in sending.posts):
            if outcome in ("sent", "found"):
                report.sent[kind] += 1
            elif outcome == "failed":
                report.failed += 1
                unsent = True
            elif outcome == "abandoned":
                report.abandoned += 1
            elif outcome == "stopped":
                unsent = True
        for round_claim in sending.rounds:
            # Each reminder has its own ledger row; if any failed or was not begun (the
            # process is stopping), the round stays open and a later tick sends only the
            # ones still missing.
            if unsent:
                self.sender.retry(round_claim, "retry", RETRY_AFTER_FAILURE)
            else:
                self.sender.complete(round_claim)
