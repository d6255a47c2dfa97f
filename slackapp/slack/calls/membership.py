"""A team's members are its channel's human members, fetched from Slack and cached."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.domain.weekly.members import Member
from models.store import members
from models.store.people import languages

PAGE = 200
MEMBERS_MAX_AGE = timedelta(days=1)

log = logging.getLogger(__name__)


def display_name(user: Mapping[str, Any]) -> str:
    """The name Slack shows for a person: display name, else real name, else handle."""
    profile = user.get("profile") or {}
    for name in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if name and str(name).strip():
            return str(name).strip()
    return str(user.get("id", ""))


def channel_member_ids(client: WebClient, channel_id: str) -> list[str]:
    """Every member id of a channel, following Slack's pagination."""
    ids: list[str] = []
    cursor: str | None = None
    while True:
        response = client.conversations_members(channel=channel_id, limit=PAGE, cursor=cursor)
        ids += response.get("members", [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return ids


def is_human(user: Mapping[str, Any]) -> bool:
    return not (
        user.get("is_bot")
        or user.get("deleted")
        or user.get("is_app_user")
        or user.get("id") == "USLACKBOT"
    )


# A workspace's people by id, from users.list: a Member for each human, None for a bot or
# a deactivated account (left out of teams without asking users.info).
Directory = Mapping[str, Member | None]
DIRECTORY_PAGE = 200
# Teams never listed at once in a workspace past which its directory is read first: one
# users.list call (Tier 2) per 200 people instead of a users.info (Tier 4) per member.
DIRECTORY_AFTER = 5


def workspace_directory(client: WebClient, locales: dict[str, str]) -> Directory:
    """Everyone in the workspace (users.list, every page), their locales into
    ``locales``."""
    found: dict[str, Member | None] = {}
    cursor: str | None = None
    while True:
        page = client.users_list(limit=DIRECTORY_PAGE, cursor=cursor, include_locale=True)
        for user in page.get("members") or []:
            user_id = str(user.get("id") or "")
            found[user_id] = Member(user_id, display_name(user)) if is_human(user) else None
            if user.get("locale") and found[user_id] is not None:
                locales[user_id] = str(user["locale"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found


def fetch_members(
    client: WebClient,
    channel_id: str,
    known: Mapping[str, Member] | None = None,
    locales: dict[str, str] | None = None,
    directory: Directory | None = None,
) -> list[Member]:
    """The channel's human members. People in ``known`` (already checked) are reused, then
    those in ``directory``; the rest are looked up once with users.info to leave out bots
    and deactivated accounts (and their locale, into ``locales``, kept like their name)."""
    known = known or {}
    directory = directory or {}
    locales = {} if locales is None else locales
    members = []
    for user_id in channel_member_ids(client, channel_id):
        if user_id in known:
            members.append(known[user_id])
            continue
        if user_id in directory:
            if (listed := directory[user_id]) is not None:
                members.append(listed)
            continue
        user = client.users_info(user=user_id, include_locale=True)["user"]
        if is_human(user):
            members.append(Member(user_id, display_name(user)))
            if user.get("locale"):
                locales[user_id] = str(user["locale"])
    return members


def sync_team_members(
    *,
    engine: Engine,
    client: WebClient,
    scope: Scope,
    team_id: int,
    channel_id: str,
    now: datetime,
    directory: Directory | None = None,
) -> list[Member]:
    """Re-read a team channel's human members from Slack into the cache, reusing the names
    already known (or in ``directory``), and keep the locales Slack reports for the new
    ones. Raises SlackApiError when Slack can't list the channel."""
    with engine.connect() as db:
        known = {m.user_id: m for m in members.members_of(db=db, team_ids=[team_id])[team_id]}
    locales: dict[str, str] = {}
    fresh = fetch_members(client, channel_id, known, locales, directory)
    with engine.begin() as db:
        members.replace_members(db=db, team_id=team_id, members=fresh, at=now)
        languages.remember_locales(db=db, scope=scope, locales=locales, seen_at=now)
    return fresh


def refresh_when_stale(
    *,
    engine: Engine,
    client: WebClient,
    team: TeamRecord,
    now: datetime,
    directory: Directory | None = None,
) -> None:
    """Re-read a team's members when its cache is over ``MEMBERS_MAX_AGE`` old (events
    keep it current in between); a failure is logged, and the cache serves meanwhile."""
    synced = team.members_synced_at
    if synced is not None and now - synced < MEMBERS_MAX_AGE:
        return
    try:
        sync_team_members(
            engine=engine,
            client=client,
            scope=team.scope,
            team_id=team.id,
            channel_id=team.channel_id,
            now=now,
            directory=directory,
        )
    except SlackApiError as error:
        log.warning("member refresh failed for team %s: %s", team.id, error.response.get("error"))


def first_listing(
    *,
    engine: Engine,
    client: WebClient,
    teams: list[TeamRecord],
    now: datetime,
    directory: Directory | None = None,
) -> None:
    """List the members of a workspace's ``teams`` never listed before (or long ago);
    past ``DIRECTORY_AFTER`` of them, from the workspace's directory (users.list, or
    ``directory`` if given) rather than a users.info per member (a first run after install:
    10,000 members would take 100 minutes of users.info)."""
    if directory is None and len(teams) > DIRECTORY_AFTER:
        directory = read_directory(engine=engine, client=client, scope=teams[0].scope, now=now)
    for team in teams:
        refresh_when_stale(engine=engine, client=client, team=team, now=now, directory=directory)


def read_directory(
    *, engine: Engine, client: WebClient, scope: Scope, now: datetime
) -> Directory | None:
    """The workspace's directory, its locales remembered; None if Slack won't say (each
    team then asks users.info)."""
    locales: dict[str, str] = {}
    try:
        directory = workspace_directory(client, locales)
    except SlackApiError as error:
        log.warning("users.list failed: %s", error.response.get("error"))
        return None
    with engine.begin() as db:
        languages.remember_locales(db=db, scope=scope, locales=locales, seen_at=now)
    return directory
