"""Who may save a channel's team set-up, as Slack says right now: a person in the channel
who manages its team or is a workspace admin; for a channel that is no team yet, anyone
in it.

Asked when the form is submitted, inside its three seconds: the form's metadata could be
forged, and people leave channels and lose admin rights while a form is open. Opening the
form needs no membership check, since Slack sends ``/ssi setup`` only from a channel the
person is in."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models.domain.teams import NotAllowed, TeamRecord, may_manage
from slackapp.render import team_setup
from slackapp.render.blocks import Message
from slackapp.render.notices import Guarded, not_allowed
from slackapp.slack.calls.client import within_request

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0  # every question to Slack together, inside the form's 3 s answer
MEMBERS_PAGE = 1000  # the most Slack lists at once: the fewest calls for a big channel
HIDDEN = ("channel_not_found", "not_in_channel")  # a private channel the app isn't in


class SlackSilent(Exception):
    """Slack didn't answer in time (or failed): nothing can be saved on its word."""


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def client(self, client: WebClient) -> WebClient:
        """``client`` for one call that must answer before the deadline."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise SlackSilent
        return within_request(client, timeout=left)


def is_admin(user: dict[str, Any]) -> bool:
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def _user(client: WebClient, user_id: str, deadline: _Deadline) -> dict[str, Any]:
    user: dict[str, Any] = deadline.client(client).users_info(user=user_id)["user"]
    return user


def _in_channel(client: WebClient, channel_id: str, user_id: str, deadline: _Deadline) -> bool:
    """Whether ``user_id`` is in the channel, page by page until found."""
    cursor: str | None = None
    while True:
        page = deadline.client(client).conversations_members(
            channel=channel_id, limit=MEMBERS_PAGE, cursor=cursor
        )
        if user_id in (page.get("members") or []):
            return True
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return False


def setup_refusal(
    client: WebClient, *, channel_id: str, user_id: str, team: TeamRecord | None
) -> Message | None:
    """None when ``user_id`` may save ``channel_id``'s set-up (``team``: its team, if it is
    one already); else the answer to show, and nothing is saved."""
    deadline = _Deadline(CHECK_SECONDS)
    try:
        if not _in_channel(client, channel_id, user_id, deadline):
            return team_setup.not_in_channel()
        if team is None:
            return None
        may_manage(team, user_id, is_admin=lambda: is_admin(_user(client, user_id, deadline)))
    except NotAllowed as refused:
        return not_allowed(refused, Guarded.SETUP)
    except SlackApiError as error:
        if error.response.get("error") in HIDDEN:
            return team_setup.invite_first()
        log.warning("checking set-up rights failed: %s", error.response.get("error"))
        return team_setup.not_checked()
    except (SlackSilent, OSError) as error:  # OSError: a timeout or a connection refused
        log.warning("Slack didn't confirm set-up rights in time: %s", type(error).__name__)
        return team_setup.not_checked()
    return None
