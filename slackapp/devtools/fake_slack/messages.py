"""The fake Slack's messages: what ``chat.postMessage`` posts, and what
``conversations.history`` reads back (newest first, paginated, metadata only on request)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackapp.devtools.fake_slack.server import FakeSlack


def conversation_id(channel: str) -> str:
    """Posting to a person's id posts in the app's DM with them, as Slack does."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


def post_message(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = conversation_id(str(params.get("channel") or ""))
    # Real time in the ts, as Slack's: history's ``oldest`` filters on it.
    ts = f"{time.time():.0f}.{next(fake._ts):06d}"
    message: dict[str, Any] = {
        "type": "message",
        "user": "U0BOT",
        "bot_id": "B0BOT",
        "app_id": "A0SSI",
        "text": params.get("text"),
        "ts": ts,
        "team": fake.team_id,
    }
    blocks = params.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if blocks:
        message["blocks"] = blocks
    metadata = params.get("metadata")
    if isinstance(metadata, str):
        metadata = json.loads(metadata)
    if metadata:
        message["metadata"] = metadata
    with fake._lock:
        fake._state.history.setdefault(channel, []).append(message)
    return {"channel": channel, "ts": ts, "message": message}


def update_message(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """chat.update: the app's own message replaced in place (``message_not_found`` for a
    ts the conversation doesn't hold, as Slack answers)."""
    channel, ts = conversation_id(str(params.get("channel") or "")), str(params.get("ts") or "")
    blocks = params.get("blocks")
    with fake._lock:
        for message in fake._state.history.get(channel, []):
            if message["ts"] == ts:
                message["text"] = params.get("text")
                message["blocks"] = json.loads(blocks) if isinstance(blocks, str) else blocks
                message["edited"] = {"user": "U0BOT", "ts": f"{time.time():.6f}"}
                return {"channel": channel, "ts": ts, "text": message["text"]}
    return {"ok": False, "error": "message_not_found"}


def history(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.history: newest first, after ``oldest``, paginated; metadata only with
    ``include_all_metadata``, as Slack does."""
    channel = str(params.get("channel") or "")
    with fake._lock:
        messages = list(reversed(fake._state.history.get(channel, [])))
    oldest = float(params.get("oldest") or 0)
    messages = [m for m in messages if float(m["ts"]) > oldest]
    if str(params.get("include_all_metadata", "")).lower() not in ("1", "true"):
        messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
    start = int(params.get("cursor") or 0)
    limit = int(params.get("limit") or 100)
    if fake.history_page_max is not None:  # Slack's cap for apps outside its Marketplace
        limit = min(limit, fake.history_page_max)
    page = messages[start : start + limit]
    following = start + limit if start + limit < len(messages) else None
    return {
        "messages": page,
        "has_more": following is not None,
        "pin_count": 0,
        "response_metadata": {"next_cursor": str(following or "")},
    }


def post_ephemeral(fake: FakeSlack, _: dict[str, Any]) -> dict[str, Any]:
    return {"message_ts": f"{1_700_000_000 + next(fake._ts)}.000200"}
