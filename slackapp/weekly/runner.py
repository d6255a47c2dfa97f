"""One scheduler tick: what is due, claimed once in the database, sent to Slack, recorded.

The scheduler holds no job per team. Every tick asks the database which teams' weekly slot
has passed (only each team's latest slot: after downtime the missed week goes out once, not
a backlog), leaves out what the ledger says is settled, and claims the rest one post at a
time, so any number of replicas may tick at once; a workspace's run is leased to one of
them (``shares``). Posts go out concurrently across channels, at most one message a second
into any one channel, every call within Slack's per-method limits (the client's shared
pace); a post that still fails is retried on a later tick.

Reminder DMs go one per person per day, naming every team of theirs posting that day
(``reminders``).

Slack has no idempotency key, so every post carries message metadata naming its team, kind,
week and recipient (a reminder: its day and recipient). A post whose outcome is unknown (its
process died after claiming it, Slack answered too slowly, the connection broke) is first
looked for in its conversation (``conversations.history``) and recorded if found; only if it
is not there is it sent again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.weekly import TeamStanding, WeeklyBoard
from models.domain.weeks import POSTED_WINDOW, last_ended_week
from models.momentum import Momentum, posting_momentum
from models.store import (
    handled_events,
    ledger,
    teams,
)
from models.store.boards import workspace_boards
from models.store.ledger import LedgerKey, PostKey
from models.store.teams import TeamRecord
from slackapp.clock import Clock
from slackapp.language.speech import speaking
from slackapp.render import charts, coaching, notes
from slackapp.render import weekly as weekly_messages
from slackapp.slack.chart_files import ChartFiles
from slackapp.slack.membership import refresh_when_stale
from slackapp.slack.rate_limits import retry_after_seconds
from slackapp.weekly.charted import PostCharts
from slackapp.weekly.collector import relaxed_gc
from slackapp.weekly.delivery import find_post
from slackapp.weekly.drawing import ChartWorkers
from slackapp.weekly.due import Due, Post, due_items, in_order, keys_of
from slackapp.weekly.outcomes import Pipeline, Sending, TickReport
from slackapp.weekly.pacing import ChannelPacer
from slackapp.weekly.reminders import day_reminders
from slackapp.weekly.retention import DEFAULT_RETENTION, Purger
from slackapp.weekly.shares import WorkspaceShares
from slackapp.weekly.warming import PER_TICK, Warming, to_warm

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE = timedelta(minutes=5)
# After an attempt that got no answer: look for the post this long after, on a later tick
# (Slack may still be handling the request when the client gives up on it).
RECHECK_UNKNOWN = timedelta(minutes=1)
CHART_READY_WITHIN = 120.0  # seconds Slack may take to process a weekly chart
GONE = {"not_in_channel", "channel_not_found", "is_archived", "channel_is_archived"}


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
        self.lease_clock = lease_clock or ledger.DatabaseClock(engine)
        self.lease = lease
        self.recheck_after = recheck_after
        self.engine = engine
        self.client_for = client_for
        self.clock = clock
        self.concurrency = concurrency
        self.pacer = pacer or ChannelPacer()
        self.worker = worker or worker_name()
        self._stopping = threading.Event()  # set by stop(): no new post or batch begins
        self._idle = threading.Event()  # set while no tick runs
        self._idle.set()
        self._drawing: set[ChartWorkers] = set()  # a running tick's, ended by stop()
        self.purger = Purger(engine=engine, retention=retention, stopping=self._stopping)
        self.warming = Warming(engine, client_for)
        # A dead process's workspaces wait as long as its claimed posts: one lease.
        self.shares = WorkspaceShares(engine, self.worker, self.lease_clock, lease)
        self.charts = charts  # the team's chart in each weekly post
        # The weekly post waits for its chart: Slack processing an upload slowly (a busy
        # workspace, a thousand at once) delays the post, not drops its chart.
        files = ChartFiles(engine=engine, clock=clock, ready_within=CHART_READY_WITHIN)
        self.charts_for = PostCharts(files, client_for)

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

    def _client(self, scope: Scope) -> WebClient:
        client = self.client_for(scope)
        if client is None:  # uninstalled while this tick ran: fails like a Slack error
            raise SlackApiError("not installed", {"ok": False, "error": "not_installed"})
        return client

    # --- the numbers ---------------------------------------------------------------------

    def _refresh_members(self, team: TeamRecord, now: datetime) -> None:
        client = self.client_for(team.scope)
        if client is not None:  # else uninstalled while this tick ran
            refresh_when_stale(engine=self.engine, client=client, team=team, now=now)

    def tick(self, now: datetime | None = None) -> TickReport:
        """Send whatever is due and not yet settled. Safe to run in many processes at once."""
        self._idle.clear()  # before looking: a stop() from now on waits for this tick
        try:
            if self._stopping.is_set():
                return TickReport()
            with relaxed_gc():
                return self._tick(now or self.clock())
        finally:
            self._idle.set()

    def _tick(self, now: datetime) -> TickReport:
        report = TickReport()
        self.purger.purge_expired(now, client_for=self.client_for)
        real_now = self.lease_clock()  # read first: SQLite's pool has one connection
        with self.engine.begin() as db:  # Slack's redeliveries are long over for these
            handled_events.forget_old(db=db, now=real_now)
            # By the tick's time, not the database's: a replayed tick (``--now``) still
            # finds the rows that guard the days it replays.
            ledger.forget_old_reminders(db=db, now=now)
        with self.engine.connect() as db:
            all_teams = teams.all_teams(db=db)
            posted = ledger.posted_week_ends(db=db, since=now - POSTED_WINDOW)
        due = due_items(all_teams, now, posted)
        settled = ledger.settled(
            engine=self.engine, keys=[k for d in due for k in keys_of(d)], now=self.lease_clock()
        )
        due = [d for d in due if not set(keys_of(d)) <= settled]
        # A workspace that uninstalled the app has no client: nothing goes out for it.
        reachable = {
            scope: self.client_for(scope) is not None for scope in {d.team.scope for d in due}
        }
        due = [d for d in due if reachable[d.team.scope]]
        # One process at a time runs a workspace's posts: processes ticking together split
        # the workspaces rather than its Slack limits (``shares``).
        with self.shares.holding({d.team.scope for d in due}) as held:
            due = [d for d in due if d.team.scope in held]
            if due:
                self._run(due, all_teams, posted, settled, now, report)
        if not self._stopping.is_set():  # the members of teams posting soon, made ready
            ahead = to_warm(all_teams, now)[:PER_TICK]
            with self.shares.holding({t.scope for t in ahead}) as held:
                ahead = [t for t in ahead if t.scope in held]
                self.warming.warm(ahead, now)
        if report.sent or report.failed or report.abandoned:
            log.info("tick at %s: %s", now.isoformat(), report)
        return report

    def _run(
        self,
        due: list[Due],
        all_teams: list[TeamRecord],
        posted: dict[int, list[datetime]],
        settled: set[LedgerKey],
        now: datetime,
        report: TickReport,
    ) -> None:
        # A team never listed needs its members before its board; the others post from
        # the cache (which events keep current) and are re-listed after their posts, so
        # no post waits on conversations.members for a thousand channels.
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
                boards_due = [d for d in due if d.board]
                self._post_boards(
                    boards_due, all_teams, posted, settled, now, pool, chart_workers, pipeline
                )
                rounds = [d for d in due if d.reminders]
                self._remind(rounds, all_teams, posted, now, pool, pipeline)
                pipeline.drain()
        finally:
            self._drawing.discard(chart_workers)
            chart_workers.close()
        for item in due:
            if item.team.members_synced_at is not None and not self._stopping.is_set():
                self._refresh_members(item.team, now)

    def _post_boards(
        self,
        due: list[Due],
        all_teams: list[TeamRecord],
        posted: dict[int, list[datetime]],
        settled: set[LedgerKey],
        now: datetime,
        pool: ThreadPoolExecutor,
        chart_workers: ChartWorkers,
        pipeline: Pipeline,
    ) -> None:
        """The due boards and managers' DMs. One workspace is being sent while the next is
        computed and its charts drawn: neither the senders nor the drawing workers wait
        between them."""
        if not due:
            return
        due_by_team = {d.team.id: d for d in due}
        # Team vs team needs every team of a workspace that has a board due, each standing
        # with its own latest full week.
        scopes = {d.team.scope for d in due}
        involved = [t for t in all_teams if t.scope in scopes]
        weeks = {
            t.id: last_ended_week(t.schedule, now, posted=posted.get(t.id, [])) for t in involved
        }
        weeks.update({d.team.id: d.week for d in due})
        for boards, standings in workspace_boards(self.engine, involved, weeks):
            items = [due_by_team[team_id] for team_id in boards if team_id in due_by_team]
            pipeline.add(
                self._start_workspace(items, boards, standings, settled, now, pool, chart_workers)
            )

    def _start_workspace(
        self,
        items: list[Due],
        boards: dict[int, WeeklyBoard],
        standings: list[TeamStanding],
        settled: set[LedgerKey],
        now: datetime,
        pool: ThreadPoolExecutor,
        chart_workers: ChartWorkers,
    ) -> Sending:
        """Queue the workspace's boards and managers' DMs on ``pool``."""
        momenta = self._momentum(items, boards, now)
        posts: list[Post] = []
        for item in items:
            board = boards[item.team.id]
            posts += self._board_posts(item, board, standings, momenta[item.team.id])
        unsettled = [p for p in posts if p.key not in settled]
        pending = self.charts_for.prepare(unsettled, chart_workers)
        return Sending([(p.key.kind, pool.submit(self._send, p)) for p in pending], [])

    def _remind(
        self,
        due: list[Due],
        all_teams: list[TeamRecord],
        posted: dict[int, list[datetime]],
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
        for team in all_teams:
            if team.scope in by_scope:
                teams_of[team.scope].append(team)
        for scope, items in by_scope.items():
            rounds = [c for i in items if (c := self._claim(keys_of(i)[0])) is not None]
            held = {c.key for c in rounds}
            opened = [i for i in items if keys_of(i)[0] in held]
            reminders = day_reminders(
                engine=self.engine,
                opened=opened,
                scope_teams=teams_of[scope],
                posted=posted,
                now=now,
            )
            had = ledger.settled(
                engine=self.engine, keys=[r.key for r in reminders], now=self.lease_clock()
            )
            posts = [r.post() for r in reminders if r.key not in had]
            pipeline.add(Sending([(p.key.kind, pool.submit(self._send, p)) for p in posts], rounds))

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
                self._retry(round_claim, "retry", RETRY_AFTER_FAILURE)
            else:
                ledger.complete(
                    engine=self.engine, claim=round_claim, slack_ts=None, now=self.lease_clock()
                )

    def _momentum(
        self, items: list[Due], boards: dict[int, WeeklyBoard], now: datetime
    ) -> dict[int, Momentum]:
        """Streaks, away members and goals of the teams in ``items`` (``posting_momentum``)."""
        with self.engine.begin() as db:
            return posting_momentum(db=db, teams=[i.team for i in items], boards=boards, now=now)

    def _board_posts(
        self, item: Due, board: WeeklyBoard, ranks: list[TeamStanding], momentum: Momentum
    ) -> list[Post]:
        """The channel's post and the managers' DMs, in the team's language."""
        team = item.team
        with speaking(team.language):
            post = weekly_messages.channel_board(
                board, team_id=team.id, standings=ranks, momentum=momentum
            )
            chart = charts.team_week(board) if self.charts else None
            summary = coaching.manager_summary(
                board,
                team_id=team.id,
                channel_id=team.channel_id,
                standings=ranks,
                momentum=momentum,
            )
        posts = [
            Post(team, PostKey(team.id, "board", item.week.key), team.channel_id, post, chart=chart)
        ]
        posts += [in_order(team, "manager", item.week.key, m, summary) for m in team.managers]
        return posts

    # --- sending -------------------------------------------------------------------------

    def _claim(self, key: LedgerKey) -> ledger.Claim | None:
        return ledger.claim(
            engine=self.engine,
            key=key,
            worker=self.worker,
            now=self.lease_clock(),
            lease=self.lease,
        )

    def _retry(self, claim: ledger.Claim, error: str, after: timedelta) -> None:
        ledger.retry_later(
            engine=self.engine, claim=claim, error=error, retry_at=self.lease_clock() + after
        )

    def _send(self, post: Post) -> str:
        """``post`` and then its later parts, in order: a part is sent only once the one
        before it is known to be in Slack. The outcome is the last part's tried."""
        outcome = self._send_one(post)
        while post.then is not None and outcome in ("sent", "found", "settled"):
            post = post.then
            outcome = self._send_one(post)
        return outcome

    def _send_one(self, post: Post) -> str:
        """Claim, look first if an earlier attempt may have got through, send, record.
        Returns sent, found (it was there already), settled, failed, abandoned or stopped."""
        if self._stopping.is_set():
            return "stopped"  # not claimed: the next tick (any process) sends it
        message = post.message
        if post.chart is not None:
            # Before the claim: an upload can take seconds, and a process told to stop
            # meanwhile leaves nothing claimed (a duplicate upload costs only a file).
            client = self.client_for(post.team.scope)
            message = message if client is None else self.charts_for.charted(client, post)
            if self._stopping.is_set():
                return "stopped"
        claim = self._claim(post.key)
        if claim is None:
            return "settled"
        team = post.team
        looking = claim.uncertain  # while True, a failure leaves the outcome unknown still
        try:
            client = self._client(team.scope)
            if looking:
                ts = find_post(client, post.key, post.channel, since=claim.since)
                if ts is not None:
                    log.info("found %s already posted; recorded, not sent again", post.key)
                    self._complete(claim, ts)
                    return "found"
                looking = False
            self.pacer.wait(post.channel)
            response = self.charts_for.post(client, post, message)
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown"))
            if post.key.kind == "board" and code in GONE:
                ledger.abandon(engine=self.engine, claim=claim, error=code, now=self.lease_clock())
                self._report_unreachable(team, code)
                return "abandoned"
            log.warning("posting %s failed: %s", post.key, code)
            status = getattr(error.response, "status_code", 200)
            if looking or status >= 500:
                # Couldn't look, or Slack broke midway: it may have the post.
                self._retry(claim, ledger.UNKNOWN + code, self.recheck_after)
            elif status == 429:  # refused, so not posted: again when Slack says
                wait = retry_after_seconds(getattr(error.response, "headers", None))
                self._retry(claim, code, timedelta(seconds=wait))
            else:
                self._retry(claim, code, RETRY_AFTER_FAILURE)
            return "failed"
        except Exception as error:  # no answer: a timeout, a cut connection
            log.warning("posting %s got no answer: %r", post.key, error)
            self._retry(claim, ledger.UNKNOWN + repr(error), self.recheck_after)
            return "failed"
        self._complete(claim, response.get("ts"))
        return "sent"

    def _complete(self, claim: ledger.Claim, ts: str | None) -> None:
        if not ledger.complete(
            engine=self.engine, claim=claim, slack_ts=ts, now=self.lease_clock()
        ):
            log.warning("lost the claim on %s while posting it", claim.key)

    def _report_unreachable(self, team: TeamRecord, code: str) -> None:
        """Tell each manager once (per team) that the channel can't be reached."""
        with speaking(team.language):
            note = notes.channel_unreachable(channel_id=team.channel_id, error=code)
        for manager in team.managers:
            key = PostKey(team.id, "unreachable", "once", manager)
            self._send(Post(team, key, manager, note))
