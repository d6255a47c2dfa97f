"""Teams: finding a channel's team, saving a set-up, applying who joined and left."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from models.domain.scope import Scope
from models.domain.teams import NotAllowed, TeamRecord, TeamSetup, may_manage
from models.domain.weekly.members import Member
from models.store import members, teams


class ChangedMeanwhile(Exception):
    """The channel's team was set up or changed by someone else after the form was opened,
    and the person saving now isn't one of its managers: their rights weren't asked."""


def team_in_channel(*, db: Connection, scope: Scope, channel_id: str) -> TeamRecord | None:
    return teams.team_for_channel(db=db, scope=scope, channel_id=channel_id)


def team_by_id(*, db: Connection, team_id: int) -> TeamRecord | None:
    return teams.get_team(db=db, team_id=team_id)


def save_setup(
    *,
    db: Connection,
    scope: Scope,
    channel_id: str,
    setup: TeamSetup,
    by: str,
    checked: TeamRecord | None,
    at: datetime,
) -> TeamRecord:
    """Create the channel's team or change its set-up. ``checked`` is the team as it was
    when ``by``'s rights were asked (None: no team then); raises ``ChangedMeanwhile``
    when it has changed hands since and ``by`` isn't a manager of it now."""
    admin = checked is not None and by not in checked.managers  # and allowed: an admin
    current = teams.team_for_channel(db=db, scope=scope, channel_id=channel_id)
    if current is not None:
        try:
            may_manage(current, by, is_admin=lambda: admin)
        except NotAllowed as refused:
            raise ChangedMeanwhile(channel_id) from refused
    return teams.save_team(db=db, scope=scope, channel_id=channel_id, setup=setup, by=by, at=at)


def set_up_by_operator(
    *, db: Connection, scope: Scope, channel_id: str, setup: TeamSetup, at: datetime
) -> TeamRecord:
    """``ssi-leaderboard team set``: whoever runs it holds the database's credentials, so
    no Slack rights are asked; the change is recorded as made by ``cli``."""
    return teams.save_team(db=db, scope=scope, channel_id=channel_id, setup=setup, by="cli", at=at)


def every_team(*, db: Connection) -> list[TeamRecord]:
    """Every team of every workspace (``ssi-leaderboard team list``)."""
    return teams.all_teams(db=db)


def apply_membership(
    *, db: Connection, team_id: int, user_id: str, member: Member | None, event_micros: int
) -> bool:
    """A join (``member``) or a leave (None), unless an event after it was applied;
    whether it changed anything."""
    return members.apply_membership_event(
        db=db, team_id=team_id, user_id=user_id, member=member, event_micros=event_micros
    )
