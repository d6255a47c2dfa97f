"""How one weekly post is sent: claimed once in the ledger, looked for first when an earlier
attempt may have got through, sent within the channel's pace, recorded.

Slack has no idempotency key, so every post carries message metadata naming its team, kind,
week and recipient (a reminder: its day and recipient). A post whose outcome is unknown (its
process died after claiming it, Slack answered too slowly, the connection broke) is first
looked for in its conversation (``delivery.find_post``) and recorded if found; only if it is
not there is it sent again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.store.weekly import ledger
from models.store.weekly.ledger import LedgerKey, PostKey
from slackapp.clock import Clock
from slackapp.language.speech import speaking
from slackapp.metrics.instruments import LOOKUPS, POSTS
from slackapp.render.weekly import notes
from slackapp.slack.calls.rate_limits import retry_after_seconds
from slackapp.weekly.charted import PostCharts
from slackapp.weekly.due import Post
from slackapp.weekly.posting.delivery import find_post
from slackapp.weekly.posting.pacing import ChannelPacer

log = logging.getLogger(__name__)

RETRY_AFTER_FAILURE = timedelta(minutes=5)
GONE = {"not_in_channel", "channel_not_found", "is_archived", "channel_is_archived"}


@dataclass
class Sender:
    """Sends posts for one process (``worker`` names it in the ledger); ``stopping`` set,
    it begins no new post."""

    engine: Engine
    client_for: Callable[[Scope], WebClient | None]
    charts_for: PostCharts
    pacer: ChannelPacer
    worker: str
    lease_clock: Clock
    lease: timedelta
    recheck_after: timedelta  # after an attempt that got no answer, look again this late
    stopping: threading.Event

    def claim(self, key: LedgerKey) -> ledger.Claim | None:
        return ledger.claim(
            engine=self.engine,
            key=key,
            worker=self.worker,
            now=self.lease_clock(),
            lease=self.lease,
        )

    def retry(self, claim: ledger.Claim, error: str, after: timedelta) -> None:
        ledger.retry_later(
            engine=self.engine, claim=claim, error=error, retry_at=self.lease_clock() + after
        )

    def complete(self, claim: ledger.Claim, ts: str | None = None) -> None:
        if not ledger.complete(
            engine=self.engine, claim=claim, slack_ts=ts, now=self.lease_clock()
        ):
            log.warning("lost the claim on %s while posting it", claim.key)

    def send(self, post: Post) -> str:
        """``post`` and then its later parts, in order: a part is sent only once the one
        before it is known to be in Slack. The outcome is the last part's tried."""
        outcome = self._send_one(post)
        POSTS.labels(post.key.kind, outcome).inc()
        while post.then is not None and outcome in ("sent", "found", "settled"):
            post = post.then
            outcome = self._send_one(post)
            POSTS.labels(post.key.kind, outcome).inc()
        return outcome

    def _client(self, scope: Scope) -> WebClient:
        client = self.client_for(scope)
        if client is None:  # uninstalled while this tick ran: fails like a Slack error
            raise SlackApiError("not installed", {"ok": False, "error": "not_installed"})
        return client

    def _send_one(self, post: Post) -> str:
        """Claim, look first if an earlier attempt may have got through, send, record.
        Returns sent, found (it was there already), settled, failed, abandoned or stopped."""
        if self.stopping.is_set():
            return "stopped"  # not claimed: the next tick (any process) sends it
        message = post.message
        if post.chart is not None:
            # Before the claim: an upload can take seconds, and a process told to stop
            # meanwhile leaves nothing claimed (a duplicate upload costs only a file).
            client = self.client_for(post.team.scope)
            message = message if client is None else self.charts_for.charted(client, post)
            if self.stopping.is_set():
                return "stopped"
        claim = self.claim(post.key)
        if claim is None:
            return "settled"
        team = post.team
        looking = claim.uncertain  # while True, a failure leaves the outcome unknown still
        try:
            client = self._client(team.scope)
            if looking:
                ts = find_post(client, post.key, post.channel, since=claim.since)
                LOOKUPS.labels("yes" if ts is not None else "no").inc()
                if ts is not None:
                    log.info("found %s already posted; recorded, not sent again", post.key)
                    self.complete(claim, ts)
                    return "found"
                looking = False
            self.pacer.wait(post.channel)
            response = self.charts_for.post(client, post, message)
        except SlackApiError as error:
            return self._failed(post, claim, error, looking)
        except Exception as error:  # no answer: a timeout, a cut connection
            log.warning("posting %s got no answer: %r", post.key, error)
            self.retry(claim, ledger.UNKNOWN + repr(error), self.recheck_after)
            return "failed"
        self.complete(claim, response.get("ts"))
        return "sent"

    def _failed(self, post: Post, claim: ledger.Claim, error: SlackApiError, looking: bool) -> str:
        """What Slack's error means for the claim: abandoned (a board's channel is gone),
        looked for later (the outcome unknown), or sent again when Slack or we say."""
        code = str(error.response.get("error", "unknown"))
        if post.key.kind == "board" and code in GONE:
            ledger.abandon(engine=self.engine, claim=claim, error=code, now=self.lease_clock())
            self._report_unreachable(post.team, code)
            return "abandoned"
        log.warning("posting %s failed: %s", post.key, code)
        status = getattr(error.response, "status_code", 200)
        if looking or status >= 500:
            # Couldn't look, or Slack broke midway: it may have the post.
            self.retry(claim, ledger.UNKNOWN + code, self.recheck_after)
        elif status == 429:  # refused, so not posted: again when Slack says
            wait = retry_after_seconds(getattr(error.response, "headers", None))
            self.retry(claim, code, timedelta(seconds=wait))
        else:
            self.retry(claim, code, RETRY_AFTER_FAILURE)
        return "failed"

    def _report_unreachable(self, team: TeamRecord, code: str) -> None:
        """Tell each manager once (per team) that the channel can't be reached."""
        with speaking(team.language):
            note = notes.channel_unreachable(channel_id=team.channel_id, error=code)
        for manager in team.managers:
            key = PostKey(team.id, "unreachable", "once", manager)
            self.send(Post(team, key, manager, note))
