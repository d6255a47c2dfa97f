"""What a person's App Home shows, gathered in one place: their latest reading and trend,
their rank and streak on each team, whether they are away, their settings; and for the
teams they manage, each team's week so far with its goal and who hasn't shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from models.domain.history import KnownBenchmark, StoredSubmission
from models.domain.privacy import Preferences
from models.domain.scope import Person
from models.domain.streaks import Away, Streak
from models.domain.teams import NotAllowed, TeamRecord, may_manage
from models.domain.weekly.board import WeeklyBoard
from models.domain.weekly.members import Member
from models.services.momentum import Momentum, team_momentum
from models.services.readings import (
    HOME_ON_SCREEN,
    ChannelRank,
    board_so_far,
    rank_on,
    trend_history,
)
from models.store import teams
from models.store.people import away, preferences, submissions

# Teams gathered for one Home: more than a person is on (20) or a manager runs (50) in the
# sizes we design for; the view lists what its 100 blocks hold and counts the rest.
TEAMS_GATHERED = 80


@dataclass(frozen=True, slots=True)
class TeamPlace:
    """The person on one of their teams this week."""

    team: TeamRecord
    rank: ChannelRank | None  # on the board so far; None without a score
    streak: Streak


@dataclass(frozen=True, slots=True)
class ManagedTeam:
    """A team the person manages, this week so far."""

    team: TeamRecord
    board: WeeklyBoard
    momentum: Momentum

    @property
    def waiting(self) -> list[Member]:
        """Who hasn't shared this week (not counting those away)."""
        return [m for m in self.board.non_submitters if m.user_id not in self.momentum.away]


@dataclass(frozen=True, slots=True)
class Home:
    history: list[StoredSubmission]  # newest first
    benchmarks: dict[str, KnownBenchmark]
    places: list[TeamPlace]
    managed: list[ManagedTeam]
    settings: Preferences
    away: Away | None
    more_teams: int = 0  # teams the person is on, not gathered
    more_managed: int = 0  # teams the person manages, not gathered

    @property
    def latest(self) -> StoredSubmission | None:
        return self.history[0] if self.history else None


def home_of(*, db: Connection, person: Person, now: datetime) -> Home:
    """Everything the person's App Home shows, as of ``now``."""
    scope, user_id = person.scope, person.user_id
    history = trend_history(db=db, person=person)
    # The workspace's teams in one read (they and their managers), rather than one per team.
    workspace = {t.id: t for t in teams.teams_of_workspace(db=db, scope=scope)}
    member_of = [
        workspace[team_id]
        for team_id in teams.teams_of_member(db=db, scope=scope, user_id=user_id)
        if team_id in workspace
    ]
    managing = [t for t in workspace.values() if user_id in t.managers]
    involved = {t.id: t for t in [*member_of, *managing]}
    shown = list(involved.values())[:TEAMS_GATHERED]
    boards = {t.id: board_so_far(db=db, team=t, at=now) for t in shown}
    momenta = team_momentum(db=db, teams=shown, boards=boards, running=True, now=now)
    places = [
        TeamPlace(t, rank_on(person, t, boards[t.id]), momenta[t.id].streak_of(user_id))
        for t in member_of
        if t.id in boards
    ]
    managed = [ManagedTeam(t, boards[t.id], momenta[t.id]) for t in managing if t.id in boards]
    return Home(
        history=history,
        benchmarks=submissions.known_benchmarks(db=db, scope=scope, user_id=user_id),
        places=places,
        managed=managed,
        settings=preferences.preferences_of(db=db, scope=scope, user_id=user_id),
        away=away.current(db=db, scope=scope, user_id=user_id, now=now),
        more_teams=len(member_of) - len(places),
        more_managed=len(managing) - len(managed),
    )


def team_they_manage(*, db: Connection, person: Person, team_id: int) -> TeamRecord:
    """The team a button of the person's Home names, if they manage it (its managers only:
    no admin sees or nudges another's team). Raises ``NotTheirs`` for any other (gone,
    another workspace's, not theirs): a forged or stale button."""
    team = teams.get_team(db=db, team_id=team_id)
    if team is None or team.scope != person.scope:
        raise NotTheirs(team_id)
    try:
        may_manage(team, person.user_id)
    except NotAllowed as refused:
        raise NotTheirs(team_id) from refused
    return team


def managed_team(*, db: Connection, person: Person, team_id: int, now: datetime) -> ManagedTeam:
    """One team the person manages, this week so far ("See everyone" in their Home).
    Raises ``NotTheirs`` as ``team_they_manage`` does."""
    team = team_they_manage(db=db, person=person, team_id=team_id)
    board = board_so_far(db=db, team=team, at=now)
    momentum = team_momentum(db=db, teams=[team], boards={team.id: board}, running=True, now=now)
    return ManagedTeam(team, board, momentum[team.id])


class NotTheirs(LookupError):
    """A team the person may not see."""


def home_to_show(*, db: Connection, person: Person, now: datetime, opened: bool) -> Home | None:
    """The person's Home when they have just opened it (noted, so later changes redraw it),
    or when a change comes while it is still on their screen (opened within
    ``HOME_ON_SCREEN``); None otherwise: it is built anew when they next open it."""
    scope, user_id = person.scope, person.user_id
    if opened:
        preferences.home_opened(db=db, scope=scope, user_id=user_id, at=now)
    elif not preferences.home_open_since(
        db=db, scope=scope, user_id=user_id, since=now - HOME_ON_SCREEN
    ):
        return None
    return home_of(db=db, person=person, now=now)
