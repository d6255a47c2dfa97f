"""The fake Slack's people: who a user is (``users.info``), everyone (``users.list``), and
who is in a channel (``conversations.members``), paginated as Slack paginates."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackapp.devtools.fake_slack.server import FakeSlack


def users_info(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    user_id = params.get("user", "")
    user = fake._state.users.get(user_id)
    if user is None:
        return {"ok": False, "error": "user_not_found"}
    if str(params.get("include_locale", "")).lower() in ("1", "true"):
        return {"user": {"locale": "en-US", **user}}  # Slack always has one to report
    return {"user": {k: v for k, v in user.items() if k != "locale"}}


def users_list(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """users.list: everyone, paginated by ``limit`` and ``cursor``; locales on request."""
    locale = str(params.get("include_locale", "")).lower() in ("1", "true")
    people = [
        {"id": user_id, **({"locale": "en-US"} if locale else {}), **user}
        for user_id, user in sorted(fake._state.users.items())
    ]
    if not locale:
        people = [{k: v for k, v in p.items() if k != "locale"} for p in people]
    start = int(params.get("cursor") or 0)
    limit = int(params.get("limit") or 100)
    following = start + limit if start + limit < len(people) else None
    return {
        "members": people[start : start + limit],
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": str(following or "")},
    }


def conversation_members(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = str(params.get("channel") or "")
    members = fake._state.channels.get(channel)
    # Slack hides a private channel from an app that isn't in it, its members too.
    if members is None or fake._state.private.get(channel) is False:
        return {"ok": False, "error": "channel_not_found"}
    start = int(params.get("cursor") or 0)
    limit = int(params.get("limit") or 100)
    page = members[start : start + limit]
    following = start + limit if start + limit < len(members) else None
    return {"members": page, "response_metadata": {"next_cursor": str(following or "")}}
