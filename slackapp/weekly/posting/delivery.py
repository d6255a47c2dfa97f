"""Posts that Slack can recognise again: message metadata naming what each weekly post is,
and finding a post in its conversation when whether it went out is unknown.

Slack's Web API has no idempotency key. Instead every weekly post carries metadata
(``event_type`` ``ssi_weekly_post``, payload: team, kind, week, recipient; a reminder DM's:
kind, day, recipient); after a crash or a timeout the sender reads the conversation from
when the first attempt of unknown outcome began (the ledger's ``attempted_at``, less a
margin for clocks) and records the post it finds rather than sending a second one. That
window is minutes of a channel, read every page of it: Slack gives apps outside its
Marketplace 15 messages a call (and one call a minute), so a busy channel's post beyond
its newest 15 is still found; a window too busy to read in ``MAX_PAGES`` calls leaves the
outcome unknown, and nothing is sent. Reading history needs the ``channels:history``,
``groups:history`` and ``im:history`` scopes (``manifest.yml``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models.domain.weeks import week_end_of
from models.store.weekly.ledger import LedgerKey, PostKey

log = logging.getLogger(__name__)

EVENT_TYPE = "ssi_weekly_post"
PAGE = 15  # what Slack gives an app outside its Marketplace per call
MAX_PAGES = 40  # 600 messages in the minutes since the attempt: beyond, don't guess
CLOCK_MARGIN = 120  # seconds before the slot: replicas' clocks and Slack's may differ


def post_metadata(key: LedgerKey) -> dict[str, Any]:
    """The metadata a weekly post carries (Slack's ``metadata`` argument)."""
    payload: dict[str, Any]
    if isinstance(key, PostKey):
        payload = {
            "team": key.team_id,
            "kind": key.kind,
            "week": key.week,
            "recipient": key.recipient,
        }
    else:  # a person's reminder for the day, whichever teams it names
        payload = {"kind": key.kind, "day": key.day.isoformat(), "recipient": key.recipient}
    return {"event_type": EVENT_TYPE, "event_payload": payload}


def _sent_after(key: LedgerKey) -> datetime | None:
    """No earlier than this can the post have gone out: its week's slot, or for a reminder
    the UTC midnight before its day (a day starts at 10:00 UTC the day before in UTC+14,
    and a reminder goes out hours before the day's first post)."""
    if isinstance(key, PostKey):
        return week_end_of(key.week)
    return datetime.combine(key.day - timedelta(days=1), time(), tzinfo=UTC)


def _is_ours(message: dict[str, Any], wanted: dict[str, Any]) -> bool:
    metadata = message.get("metadata") or {}
    return metadata.get("event_type") == EVENT_TYPE and metadata.get("event_payload") == wanted


class UnreadWindow(RuntimeError):
    """More messages since the attempt than ``MAX_PAGES`` calls read: the outcome stays
    unknown."""


def find_post(
    client: WebClient, key: LedgerKey, channel: str, since: datetime | None = None
) -> str | None:
    """The ``ts`` of the post for ``key`` if it is in ``channel`` already, else None;
    ``since``: when the first attempt that may have sent it began (None: unknown, so from
    the week's slot). A person's id (a DM) is opened to its conversation first. Raises
    SlackApiError, a transport error or ``UnreadWindow`` when Slack can't tell: then
    nobody knows, and nothing is sent."""
    if channel[:1] in ("U", "W"):
        channel = client.conversations_open(users=channel)["channel"]["id"]
    after = since or _sent_after(key)
    oldest = f"{after.timestamp() - CLOCK_MARGIN:.6f}" if after is not None else "0"
    wanted = post_metadata(key)["event_payload"]
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        try:
            page = client.conversations_history(
                channel=channel,
                oldest=oldest,
                limit=PAGE,
                cursor=cursor,
                include_all_metadata=True,
            )
        except SlackApiError as error:
            if error.response.get("error") in ("missing_scope", "not_allowed_token_type"):
                # An install from before the history scopes: it can't look, so it sends.
                log.warning("can't read history to check %s: %s", key, error.response["error"])
                return None
            raise
        for message in page.get("messages") or []:
            if _is_ours(message, wanted):
                return str(message.get("ts"))
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None
    raise UnreadWindow(f"over {MAX_PAGES * PAGE} messages since {oldest} in {channel}")
