"""One scheduler tick: what is due, claimed once in the database, sent to Slack, recorded.

The scheduler holds no job per team. Every tick asks the database which teams' weekly slot
has passed (only each team's latest slot: after downtime the missed week goes out once, not
a backlog), leaves out what the ledger says is settled, and claims the rest one post at a
time, so any number of replicas may tick at once. Posts go out concurrently across
channels, at most one message a second into any one channel; Slack's HTTP 429 is waited out
by the client's RateLimitErrorRetryHandler, and a post that still fails is retried on a
later tick.

Slack has no idempotency key, so every post carries message metadata naming its team, kind,
week and recipient. A post whose outcome is unknown (its process died after claiming it,
Slack answered too slowly, the connection broke) is first looked for in its conversation
(``conversations.history``) and recorded if found; only if it is not there is it sent again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.weekly import TeamStanding, WeeklyBoard
from models.domain.weeks import POSTED_WINDOW, last_ended_week
from models.momentum import Momentum, team_momentum
from models.store import (
    away,
    handled_events,
    languages,
    ledger,
    preferences,
    teams,
    week_averages,
)
from models.store.boards import workspace_boards
from models.store.ledger import PostKey
from models.store.teams import TeamRecord
from slackapp.clock import Clock
from slackapp.language.speech import speaking
from slackapp.render import charts, notes
from slackapp.render import weekly as weekly_messages
from slackapp.slack.chart_files import ChartFiles
from slackapp.slack.membership import sync_team_members
from slackapp.weekly.charted import PostCharts
from slackapp.weekly.collector import relaxed_gc
from slackapp.weekly.delivery import find_post
from slackapp.weekly.drawing import ChartWorkers
from slackapp.weekly.due import Due, Post, due_items, keys_of
from slackapp.weekly.pacing import ChannelPacer
from slackapp.weekly.retention import DEFAULT_RETENTION, Purger

log = logging.getLogger(__name__)

MEMBERS_MAX_AGE = timedelta(days=1)
RETRY_AFTER_FAILURE = timedelta(minutes=5)
# After an attempt that got no answer: look for the post this long after, on a later tick
# (Slack may still be handling the request when the client gives up on it).
RECHECK_UNKNOWN = timedelta(minutes=1)
GONE = {"not_in_channel", "channel_not_found", "is_archived", "channel_is_archived"}


def worker_name() -> str:
    """Who holds a claim: host, process and thread, for operators reading the ledger."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


@dataclass
class TickReport:
    """What one tick did."""

    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: int = 0
    abandoned: int = 0

    def __str__(self) -> str:
        sent = ", ".join(f"{kind} {count}" for kind, count in sorted(self.sent.items()))
        return f"sent: {sent or 'nothing'}; failed {self.failed}; abandoned {self.abandoned}"


@dataclass
class _Sending:
    """A workspace's posts under way (kind, outcome to come) and its reminder rounds."""

    posts: list[tuple[str, Future[str]]]
    rounds: list[ledger.Claim]


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
        self.purger = Purger(engine=engine, retention=retention, stopping=self._stopping)
        self.charts = charts  # the team's chart in each weekly post
        self.charts_for = PostCharts(ChartFiles(engine=engine, clock=clock), client_for)

    def stop(self, grace: float) -> bool:
        """Begin nothing new; wait up to ``grace`` seconds for a running tick to finish its
        posts in flight. True when it did (a post cut short is looked for before it is
        sent again, so stopping anyway doubles nothing)."""
        self._stopping.set()
        return self._idle.wait(grace)

    def _client(self, scope: Scope) -> WebClient:
        client = self.client_for(scope)
        if client is None:  # uninstalled while this tick ran: fails like a Slack error
            raise SlackApiError("not installed", {"ok": False, "error": "not_installed"})
        return client

    # --- the numbers ---------------------------------------------------------------------

    def _refresh_members(self, team: TeamRecord, now: datetime) -> None:
        """Re-read the channel's members when the cache is over a day old (events keep it
        current in between)."""
        synced = team.members_synced_at
        if synced is not None and now - synced < MEMBERS_MAX_AGE:
            return
        try:
            sync_team_members(
                engine=self.engine,
                client=self._client(team.scope),
                scope=team.scope,
                team_id=team.id,
                channel_id=team.channel_id,
                now=now,
            )
        except SlackApiError as error:
            log.warning(
                "member refresh failed for team %s: %s", team.id, error.response.get("error")
            )

    def tick(self, now: datetime | None = None) -> TickReport:
        """Send whatever is due and not yet settled. Safe to run in many processes at once."""
        if self._stopping.is_set():
            return TickReport()
        self._idle.clear()
        try:
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
        if not due:
            return report
        for item in due:
            self._refresh_members(item.team, now)
        due_by_team: dict[int, list[Due]] = defaultdict(list)
        for item in due:
            due_by_team[item.team.id].append(item)
        # Team vs team needs every team of a workspace that has something due.
        scopes = {d.team.scope for d in due}
        involved = [t for t in all_teams if t.scope in scopes]
        # The other teams stand with their own latest full week; reminders need the running one.
        weeks = {
            t.id: last_ended_week(t.schedule, now, posted=posted.get(t.id, [])) for t in involved
        }
        weeks.update({d.team.id: d.week for d in due if d.reminders})
        weeks.update({d.team.id: d.week for d in due if d.board})
        chart_workers = ChartWorkers(
            sum(d.board for d in due) if self.charts else 0, uploaders=self.concurrency
        )
        try:
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                # One workspace is being sent while the next is computed and its charts
                # drawn: neither the senders nor the drawing workers wait between them.
                sending: _Sending | None = None
                for boards, standings in workspace_boards(self.engine, involved, weeks):
                    items = [d for team_id in boards for d in due_by_team.get(team_id, [])]
                    started = self._start_workspace(
                        items, boards, standings, settled, now, pool, chart_workers
                    )
                    if sending is not None:
                        self._finish_workspace(sending, report)
                    sending = started
                if sending is not None:
                    self._finish_workspace(sending, report)
        finally:
            chart_workers.close()
        if report.sent or report.failed or report.abandoned:
            log.info("tick at %s: %s", now.isoformat(), report)
        return report

    def _start_workspace(
        self,
        items: list[Due],
        boards: dict[int, WeeklyBoard],
        standings: list[TeamStanding],
        settled: set[PostKey],
        now: datetime,
        pool: ThreadPoolExecutor,
        chart_workers: ChartWorkers,
    ) -> _Sending:
        """Claim the workspace's reminder rounds and queue its posts on ``pool``."""
        posts: list[Post] = []
        rounds: list[ledger.Claim] = []
        for item in items:
            if item.reminders:
                round_claim = self._claim(keys_of(item)[0])
                if round_claim is not None:
                    rounds.append(round_claim)
        momenta = self._momentum(items, boards, now)
        reminding = {r.key.team_id for r in rounds}
        for item in items:
            if item.reminders and item.team.id not in reminding:
                continue  # another process has the round
            posts += self._posts(item, boards[item.team.id], standings, momenta[item.team.id], now)
        unsettled = [p for p in posts if p.key not in settled]
        pending = self.charts_for.prepare(unsettled, chart_workers)
        return _Sending([(p.key.kind, pool.submit(self._send, p)) for p in pending], rounds)

    def _finish_workspace(self, sending: _Sending, report: TickReport) -> None:
        """Count the workspace's outcomes once all are in, and close its reminder rounds."""
        failed = False
        for kind, outcome in ((kind, future.result()) for kind, future in sending.posts):
            if outcome in ("sent", "found"):
                report.sent[kind] += 1
            elif outcome == "failed":
                report.failed += 1
                failed = True
            elif outcome == "abandoned":
                report.abandoned += 1
        for round_claim in sending.rounds:
            # Each reminder has its own ledger row; if any failed, the round stays open and a
            # later tick sends only the ones still missing.
            if failed:
                self._retry(round_claim, "retry", RETRY_AFTER_FAILURE)
            else:
                ledger.complete(
                    engine=self.engine, claim=round_claim, slack_ts=None, now=self.lease_clock()
                )

    def _momentum(
        self, items: list[Due], boards: dict[int, WeeklyBoard], now: datetime
    ) -> dict[int, Momentum]:
        """Streaks, away members and goals of the teams in ``items``; each posted week's
        average is kept first, for the forecasts and charts of the weeks after."""
        posting = [i.team for i in items if i.board]
        with self.engine.begin() as db:
            for team in posting:
                board = boards[team.id]
                if board.entries:
                    week_averages.record(
                        db=db,
                        team_id=team.id,
                        week_end=board.week.end,
                        average_hundredths=round(board.total_sum / len(board.entries)),
                        members=len(board.entries),
                    )
            found = team_momentum(db=db, teams=posting, boards=boards, running=False, now=now)
            reminding = [i.team for i in items if i.reminders and not i.board]
            found.update(
                team_momentum(db=db, teams=reminding, boards=boards, running=True, now=now)
            )
        return found

    def _posts(
        self,
        item: Due,
        board: WeeklyBoard,
        standings: list[TeamStanding],
        momentum: Momentum,
        now: datetime,
    ) -> list[Post]:
        team, ranks = item.team, standings
        if item.board:
            return self._board_posts(item, board, ranks, momentum)
        waiting = [m.user_id for m in board.non_submitters]
        with self.engine.connect() as db:
            off = preferences.reminders_off(db=db, scope=team.scope, user_ids=waiting)
            off |= away.away_at(db=db, scope=team.scope, user_ids=waiting, at=now)
            spoken = languages.spoken_by_each(db=db, scope=team.scope, user_ids=waiting)
        posts = []
        for u in (u for u in waiting if u not in off):
            with speaking(spoken.get(u, team.language)):  # theirs, else the team's
                note = notes.reminder(
                    channel_id=team.channel_id,
                    post_minute=team.post_minute,
                    timezone=team.timezone,
                    streak=momentum.streak_of(u),
                )
            posts.append(Post(team, PostKey(team.id, "reminder", item.week.key, u), u, note))
        return posts

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
            summary = weekly_messages.manager_summary(
                board,
                team_id=team.id,
                channel_id=team.channel_id,
                standings=ranks,
                momentum=momentum,
            )
        posts = [
            Post(team, PostKey(team.id, "board", item.week.key), team.channel_id, post, chart=chart)
        ]
        posts += [
            Post(team, PostKey(team.id, "manager", item.week.key, m), m, summary)
            for m in team.managers
        ]
        return posts

    # --- sending -------------------------------------------------------------------------

    def _claim(self, key: PostKey) -> ledger.Claim | None:
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
                ts = find_post(client, post.key, post.channel)
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
            if looking or getattr(error.response, "status_code", 200) >= 500:
                # Couldn't look, or Slack broke midway: it may have the post.
                self._retry(claim, ledger.UNKNOWN + code, self.recheck_after)
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
