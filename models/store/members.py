"""The cache of each team's channel members: replaced when fetched from Slack, kept current
by membership events (an older event that arrives later changes nothing). Keyword-only
functions that take the connection (``db``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from models.domain.names import clean_name
from models.domain.weekly.members import Member
from models.store.tables import MembershipMark, Team, TeamMember


def replace_members(
    *, db: Connection, team_id: int, members: Iterable[Member], at: datetime
) -> None:
    """The channel's human members as just fetched from Slack."""
    db.execute(delete(TeamMember).where(col(TeamMember.team_id) == team_id))
    rows = [
        {"team_id": team_id, "user_id": m.user_id, "display_name": clean_name(m.name)}
        for m in members
    ]
    if rows:
        db.execute(insert(TeamMember), rows)
    db.execute(update(Team).where(col(Team.id) == team_id).values(members_synced_at=at))


def add_member(*, db: Connection, team_id: int, member: Member) -> None:
    db.execute(
        delete(TeamMember).where(
            col(TeamMember.team_id) == team_id, col(TeamMember.user_id) == member.user_id
        )
    )
    db.execute(
        insert(TeamMember).values(
            team_id=team_id, user_id=member.user_id, display_name=clean_name(member.name)
        )
    )


def remove_member(*, db: Connection, team_id: int, user_id: str) -> None:
    db.execute(
        delete(TeamMember).where(
            col(TeamMember.team_id) == team_id, col(TeamMember.user_id) == user_id
        )
    )


def members_of(*, db: Connection, team_ids: Sequence[int]) -> dict[int, list[Member]]:
    found: dict[int, list[Member]] = {t: [] for t in team_ids}
    if team_ids:
        for team_id, user_id, name in db.execute(
            select(col(TeamMember.team_id), col(TeamMember.user_id), col(TeamMember.display_name))
            .where(col(TeamMember.team_id).in_(list(team_ids)))
            .order_by(col(TeamMember.team_id), col(TeamMember.user_id))
        ):
            found[team_id].append(Member(user_id, name or user_id))
    return found


def apply_membership_event(
    *, db: Connection, team_id: int, user_id: str, member: Member | None, event_micros: int
) -> bool:
    """A member_joined_channel (``member``) or member_left_channel (None) event, applied
    only if nothing later was applied for the person: Slack may deliver a retried join
    after the leave that followed it. Returns whether it changed anything."""
    latest = db.execute(
        select(col(MembershipMark.event_micros))
        .where(col(MembershipMark.team_id) == team_id, col(MembershipMark.user_id) == user_id)
        .with_for_update()
    ).scalar_one_or_none()
    if latest is not None and latest > event_micros:
        return False
    mark = {"event_micros": event_micros, "joined": member is not None}
    if latest is None:
        try:
            with db.begin_nested():
                db.execute(insert(MembershipMark).values(team_id=team_id, user_id=user_id, **mark))
        except IntegrityError:  # the other event of the pair, at this moment: compare again
            return apply_membership_event(
                db=db, team_id=team_id, user_id=user_id, member=member, event_micros=event_micros
            )
    else:
        db.execute(
            update(MembershipMark)
            .where(col(MembershipMark.team_id) == team_id, col(MembershipMark.user_id) == user_id)
            .values(**mark)
        )
    if member is None:
        remove_member(db=db, team_id=team_id, user_id=user_id)
    else:
        add_member(db=db, team_id=team_id, member=member)
    return True
