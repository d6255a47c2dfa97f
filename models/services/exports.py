"""``/ssi export``'s files: a person's own history, or a team's, as CSV."""

from __future__ import annotations

from sqlalchemy import Connection

from models.domain.scope import Person
from models.domain.teams import TeamRecord
from models.store.people import exports


def person_history(*, db: Connection, person: Person) -> tuple[str, int]:
    """The person's whole history in the workspace, oldest first, and how many rows."""
    return exports.person_csv(db=db, scope=person.scope, user_id=person.user_id)


def team_history(*, db: Connection, team: TeamRecord) -> tuple[str, int]:
    """Every current member's history, with the name the team knows them by."""
    return exports.team_csv(db=db, scope=team.scope, team_id=team.id)
