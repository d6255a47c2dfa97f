"""Reminder DMs (DESIGN.md section 5): one per person per day, naming every team of theirs
whose post is coming that day, with the streak at stake on each, in the person's language.

When a team's reminder round opens (``REMINDER_LEAD`` before its post), each member without
a reading for the team's running week gets the day's reminder, unless they have had it. It
names all their teams posting that day whose posts are still to come, where they have no
reading for that team's week either, first to post first. So a person on teams at 09:00 and
17:00 hears once, at 06:00, about both; one who shared for the 09:00 team's week already
hears at 14:00, about the 17:00 team alone. Members away, with reminders turned off, or on a
team that set reminders off are left out team by team.

Which day. The ledger key is the workspace, the person and the *day*, claimed before the DM
is sent (``ledger.ReminderKey``): a second tick, another replica, a restart, or the round of
a team posting later that day finds it taken and sends nothing. The day is the date each
post falls on in its own team's time zone, the day the reminder's "today at 09:00
(Europe/Berlin)" speaks of:

- every replica and every tick reckons it alike from the team's schedule alone: no
  replica's clock, nothing about the person that the app may not know (Slack's time zone for
  a person costs a users.info call each, and is unknown for most members);
- daylight saving can't split or merge it: a local date from zoneinfo, however long the day;
- a UTC day would split one local day in two wherever UTC midnight falls in the working day:
  in Tokyo, the 06:00 reminder for a 09:00 team falls on the UTC day before the 14:00 one
  for a 17:00 team, and the person would be reminded twice.

For a person whose teams share a time zone, or whose posts fall on the same date where each
team is, that is their own day. Teams whose posts fall on different dates in their own zones
(a Tokyo team's Tuesday morning is London's Monday night) are reminded on their own days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from models.domain.languages import Language
from models.domain.scope import Scope
from models.domain.teams import TeamRecord
from models.domain.weekly.board import WeeklyBoard
from models.domain.weeks import TeamWeek, running_week
from models.services.boards import boards_for
from models.services.momentum import Momentum, team_momentum
from models.services.settings import reminder_settings
from models.store.weekly.ledger import ReminderKey
from slackapp.language.speech import speaking
from slackapp.render.weekly import notes
from slackapp.weekly.due import Due, Post

PEOPLE_PER_QUERY = 1000  # ids in one IN list: SQLite allows 32766 parameters a statement


def post_day(week: TeamWeek) -> date:
    """The day a week's post falls on: its slot's date in the team's time zone."""
    return week.end.astimezone(ZoneInfo(week.timezone)).date()


@dataclass(frozen=True, slots=True)
class _Team:
    """A team posting on a day reminders go out for: its week running now, its members
    without a reading in it who weren't away for any of it, and their streaks."""

    team: TeamRecord
    week: TeamWeek
    waiting: frozenset[str]
    momentum: Momentum

    @classmethod
    def of(cls, team: TeamRecord, board: WeeklyBoard, momentum: Momentum) -> _Team:
        # Away for part of the week: the post lists them as away this week, not as not
        # having shared, so there is nothing to remind them of (the same rule as the post).
        waiting = frozenset(
            m.user_id for m in board.non_submitters if m.user_id not in momentum.away
        )
        return cls(team, board.week, waiting, momentum)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One person's reminder for one day: the teams it names, first to post first."""

    key: ReminderKey
    teams: list[_Team]
    language: Language | None  # theirs, when known

    def post(self) -> Post:
        """The DM, in the person's language (else the first team's)."""
        first = self.teams[0].team
        user = self.key.recipient
        coming = [
            notes.ComingPost(
                t.team.channel_id,
                t.team.post_minute,
                t.team.timezone,
                t.momentum.streak_of(user),
            )
            for t in self.teams
        ]
        with speaking(self.language or first.language):
            message = notes.reminder(coming)
        return Post(first, self.key, user, message)


def day_reminders(
    *,
    engine: Engine,
    opened: Sequence[Due],
    scope_teams: Sequence[TeamRecord],
    posted: Mapping[int, list[datetime]],
    now: datetime,
) -> list[Reminder]:
    """The reminders due now for the members of ``opened``, a workspace's reminder rounds
    this process holds, each naming the person's other teams posting the same day
    (``scope_teams``: every team of the workspace). ``posted``: each team's posted weeks'
    ends, for its running week."""
    if not opened:
        return []
    scope = opened[0].team.scope
    days = {post_day(d.week) for d in opened}
    weeks = {d.team.id: d.week for d in opened}
    for team in scope_teams:
        if team.reminders and team.id not in weeks:
            week = running_week(team.schedule, now, posted=posted.get(team.id, []))
            if post_day(week) in days:
                weeks[team.id] = week
    by_id = {t.id: t for t in scope_teams} | {d.team.id: d.team for d in opened}
    posting = [by_id[team_id] for team_id in weeks]
    boards, _standings = boards_for(engine, posting, weeks)
    with engine.connect() as db:
        momenta = team_momentum(db=db, teams=posting, boards=boards, running=True, now=now)
        teams = {t.id: _Team.of(t, boards[t.id], momenta[t.id]) for t in posting}
        people = sorted({u for d in opened for u in teams[d.team.id].waiting})
        left_out: set[str] = set()
        spoken: dict[str, Language] = {}
        for some in _chunks(people):
            off, chosen = reminder_settings(db=db, scope=scope, user_ids=some, at=now)
            left_out |= off
            spoken |= chosen
    return _per_person_and_day(scope, opened, teams, left_out, spoken)


def _per_person_and_day(
    scope: Scope,
    opened: Sequence[Due],
    teams: Mapping[int, _Team],
    left_out: set[str],
    spoken: Mapping[str, Language],
) -> list[Reminder]:
    """One reminder per person and day that an opened round of theirs falls on."""
    # Each person's waiting teams per day, first to post first: one pass over the members.
    theirs: dict[tuple[date, str], list[_Team]] = defaultdict(list)
    for team in sorted(teams.values(), key=lambda t: (t.week.end, t.team.channel_id)):
        day = post_day(team.week)
        for user in team.waiting:
            theirs[(day, user)].append(team)
    reminders: dict[ReminderKey, Reminder] = {}
    for item in opened:
        day = post_day(item.week)
        for user in sorted(teams[item.team.id].waiting - left_out):
            key = ReminderKey(scope, user, day)
            if key not in reminders:
                reminders[key] = Reminder(key, theirs[(day, user)], spoken.get(user))
    return list(reminders.values())


def _chunks(people: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(people), PEOPLE_PER_QUERY):
        yield people[start : start + PEOPLE_PER_QUERY]
