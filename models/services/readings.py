"""What ``/ssi`` does, between the Slack listener and the queries: keyword-only functions that
take the connection and return plain results for ``messages`` to render. No Slack here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection

from models.domain.history import KnownBenchmark, PersonHistory, StoredSubmission
from models.domain.privacy import Privacy
from models.domain.ranking import Standing, rank_by_total
from models.domain.scope import Person, Scope
from models.domain.ssi import Reading
from models.domain.streaks import Streak
from models.domain.teams import TeamRecord
from models.domain.weekly.board import WeeklyBoard
from models.domain.weekly.tally import weekly_board
from models.domain.weeks import POSTED_WINDOW, running_week
from models.services.momentum import team_momentum
from models.store import teams
from models.store.people import (
    away,
    channel_standings,
    languages,
    preferences,
    submission_history,
    submissions,
)
from models.store.weekly import charts, ledger, reminder_retention
from models.store.weekly.member_weeks import member_weeks

HISTORY_SHOWN = 8
CHANNELS_SHOWN = 10  # channels that aren't teams, where the person also shared
TEAMS_GATHERED = 30  # a person is on up to 20 teams in the sizes we design for
TREND_WEEKS = 12  # the trend chart's weeks (the whole history on request)
TREND_READINGS = 60  # read for it at first: five a week
# Slack says when a person opens the App Home, never when they leave it: a Home opened this
# lately is taken as on screen, and kept current after the person's changes.
HOME_ON_SCREEN = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class ChannelRank:
    """Where a person stands among everyone who has submitted in a channel."""

    channel_id: str
    rank: int
    of: int
    tied: bool
    team: bool = False  # ranked on the channel's team board, not among who shared there
    stale: bool = False  # ranked with a reading from an earlier week (after this week's)


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """A stored submission with what the reply says about it."""

    saved: StoredSubmission
    previous: StoredSubmission | None
    rank: ChannelRank | None
    benchmarks: dict[str, KnownBenchmark]
    home_on_screen: bool = False  # their App Home opened lately: to publish anew


@dataclass(frozen=True, slots=True)
class PersonalSummary:
    """``/ssi me``: newest first history, known benchmarks and ranks per channel."""

    history: list[StoredSubmission]
    benchmarks: dict[str, KnownBenchmark] = field(default_factory=dict)
    ranks: list[ChannelRank] = field(default_factory=list)
    privacy: Privacy = Privacy.PUBLIC
    streaks: list[tuple[str, Streak]] = field(default_factory=list)  # (team channel, streak)
    left_out: int = 0  # teams and channels too many to gather, counted in the reply


def _channel_rank(
    *, db: Connection, person: Person, channel_id: str, total: Decimal
) -> ChannelRank | None:
    place = channel_standings.channel_place(
        db=db, scope=person.scope, channel_id=channel_id, total=total
    )
    if place.same == 0:  # the person's latest doesn't count here
        return None
    return ChannelRank(channel_id=channel_id, rank=place.rank, of=place.people, tied=place.same > 1)


def board_so_far(*, db: Connection, team: TeamRecord, at: datetime) -> WeeklyBoard:
    """The team's board for the week running at ``at`` (up to its next post), as it
    stands."""
    posted = ledger.posted_week_ends(db=db, team_ids=[team.id], since=at - POSTED_WINDOW)
    week = running_week(team.schedule, at, posted=posted.get(team.id, []))
    members = member_weeks(db=db, scope=team.scope, team_ids=[team.id], week=week)[team.id]
    return weekly_board(members, week)


def _team_rank(*, db: Connection, person: Person, team_id: int, at: datetime) -> ChannelRank | None:
    """Where the person stands on the team's board this week (stale scores included, as
    the weekly post counts them), or None if they aren't on it."""
    team = teams.get_team(db=db, team_id=team_id)
    if team is None:
        return None
    return rank_on(person, team, board_so_far(db=db, team=team, at=at))


def rank_on(person: Person, team: TeamRecord, board: WeeklyBoard) -> ChannelRank | None:
    """Where the person stands on ``board`` (their team's), or None if they aren't on it."""
    mine = next((e for e in board.entries if e.member.user_id == person.user_id), None)
    if mine is None:
        return None
    tied = sum(e.rank == mine.rank for e in board.entries) > 1
    return ChannelRank(
        team.channel_id, mine.rank, len(board.entries), tied, team=True, stale=mine.stale
    )


def submit_reading(
    *,
    db: Connection,
    person: Person,
    channel_id: str | None,
    reading: Reading,
    source: str,
    at: datetime,
    industry_name: str | None = None,
    shared_key: str | None = None,
) -> SubmissionResult:
    """Store a reading and gather what the reply shows: change since the previous one, rank
    in this channel, industry and network benchmarks (carried forward when not given).
    ``source``: command, modal, paste, screenshot or json; ``shared_key``: the preview of
    a shared page it comes from (raises ``AlreadySaved`` for one saved before)."""
    submissions.record(
        db=db,
        scope=person.scope,
        user_id=person.user_id,
        user_name=person.user_name,
        channel_id=channel_id,
        reading=reading,
        source=source,
        at=at,
        industry_name=industry_name,
        shared_key=shared_key,
    )
    context = submissions.person_context(db=db, scope=person.scope, user_id=person.user_id)
    saved = context.latest[0]
    rank = None
    if channel_id:
        team_id = teams.team_id_of_channel(db=db, scope=person.scope, channel_id=channel_id)
        rank = (
            _team_rank(db=db, person=person, team_id=team_id, at=at)
            if team_id is not None
            else _channel_rank(
                db=db, person=person, channel_id=channel_id, total=saved.reading.total
            )
        )
    return SubmissionResult(
        saved=saved,
        previous=context.latest[1] if len(context.latest) > 1 else None,
        rank=rank,
        benchmarks=context.benchmarks,
        home_on_screen=preferences.home_open_since(
            db=db, scope=person.scope, user_id=person.user_id, since=at - HOME_ON_SCREEN
        ),
    )


def personal_summary(*, db: Connection, person: Person, at: datetime) -> PersonalSummary:
    """Everything ``/ssi me`` shows: ranks on each team the person is on, then among who
    shared in other channels they shared in."""
    history = submission_history.recent(
        db=db, scope=person.scope, user_id=person.user_id, limit=HISTORY_SHOWN
    )
    privacy = preferences.preferences_of(db=db, scope=person.scope, user_id=person.user_id).privacy
    if not history:
        return PersonalSummary(history=[], privacy=privacy)
    channels = submission_history.channels_of(db=db, scope=person.scope, user_id=person.user_id)
    total = history[0].reading.total
    every_team = [
        team
        for team_id in teams.teams_of_member(db=db, scope=person.scope, user_id=person.user_id)
        if (team := teams.get_team(db=db, team_id=team_id)) is not None
    ]
    mine = every_team[:TEAMS_GATHERED]
    boards = {t.id: board_so_far(db=db, team=t, at=at) for t in mine}
    momenta = team_momentum(db=db, teams=mine, boards=boards, running=True, now=at)
    streaks = [(t.channel_id, momenta[t.id].streak_of(person.user_id)) for t in mine]
    ranks = [rank for t in mine if (rank := rank_on(person, t, boards[t.id]))]
    on_teams = {r.channel_id for r in ranks}
    others = [
        c
        for c in channels
        if c not in on_teams
        and teams.team_id_of_channel(db=db, scope=person.scope, channel_id=c) is None
    ]
    ranks += [
        rank
        for channel_id in others[:CHANNELS_SHOWN]
        if (rank := _channel_rank(db=db, person=person, channel_id=channel_id, total=total))
    ]
    benchmarks = submissions.known_benchmarks(db=db, scope=person.scope, user_id=person.user_id)
    return PersonalSummary(
        history=history,
        benchmarks=benchmarks,
        ranks=ranks,
        privacy=privacy,
        streaks=streaks,
        left_out=len(every_team) - len(mine) + max(0, len(others) - CHANNELS_SHOWN),
    )


def channel_board(*, db: Connection, scope: Scope, channel_id: str) -> list[Standing]:
    """``/ssi board``: everyone who has submitted in the channel, ranked, as their privacy
    choices say: the hidden left off (and out of the ranks), the anonymous unnamed."""
    private = preferences.not_public(db=db, scope=scope)
    everyone = channel_standings.channel_standings(db=db, scope=scope, channel_id=channel_id)
    shown = [s for s in everyone if private.get(s.user_id) is not Privacy.HIDDEN]
    return [
        replace(s, anonymous=private.get(s.submission.user_id) is Privacy.ANONYMOUS)
        for s in rank_by_total(shown)
    ]


def undo_latest(
    *, db: Connection, person: Person
) -> tuple[StoredSubmission | None, StoredSubmission | None]:
    """Remove the latest submission; return it and the one that is latest now."""
    removed = submission_history.delete_latest(db=db, scope=person.scope, user_id=person.user_id)
    if removed is None:
        return None, None
    now_latest = submission_history.recent(
        db=db, scope=person.scope, user_id=person.user_id, limit=1
    )
    return removed, (now_latest[0] if now_latest else None)


def trend_history(*, db: Connection, person: Person) -> list[StoredSubmission]:
    """Enough of the person's readings, newest first, for their 12-week trend chart: the
    last ``TREND_READINGS``, or all of them when those don't reach back 12 weeks (someone
    who shares every day)."""
    recent = submission_history.recent(
        db=db, scope=person.scope, user_id=person.user_id, limit=TREND_READINGS
    )
    if len(recent) == TREND_READINGS and (
        recent[0].submitted_at - recent[-1].submitted_at < timedelta(weeks=TREND_WEEKS + 1)
    ):
        return whole_history(db=db, person=person)
    return recent


def whole_history(*, db: Connection, person: Person) -> list[StoredSubmission]:
    """Every reading of the person in the workspace, newest first (their whole history's
    chart: a few hundred even after years of weekly sharing)."""
    count = submission_history.history_of(db=db, scope=person.scope, user_id=person.user_id).count
    return submission_history.recent(
        db=db, scope=person.scope, user_id=person.user_id, limit=max(1, count)
    )


def last_reading(*, db: Connection, person: Person) -> Reading | None:
    """The latest reading, to prefill the modal."""
    latest = submission_history.recent(db=db, scope=person.scope, user_id=person.user_id, limit=1)
    return latest[0].reading if latest else None


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What ``/ssi forget-me`` deleted."""

    submissions: PersonHistory
    settings: bool
    chart_files: list[str] = field(default_factory=list)  # their charts, to delete in Slack


def forget_person(*, db: Connection, person: Person) -> Forgotten:
    """Delete every submission and setting of the person in the workspace."""
    deleted = submission_history.delete_person(db=db, scope=person.scope, user_id=person.user_id)
    settings = preferences.forget(db=db, scope=person.scope, user_id=person.user_id)
    settings = away.forget(db=db, scope=person.scope, user_id=person.user_id) > 0 or settings
    files = charts.forget_person(db=db, scope=person.scope, user_id=person.user_id)
    languages.forget_locale(db=db, scope=person.scope, user_id=person.user_id)
    # Which days they were reminded: theirs too. (Forgotten the same day, a reminder may
    # come once more; they have nothing stored to be reminded of keeping.)
    reminder_retention.forget_reminders_of(db=db, scope=person.scope, user_id=person.user_id)
    return Forgotten(submissions=deleted, settings=settings, chart_files=files)


def team_board(
    *, db: Connection, scope: Scope, channel_id: str, now: datetime
) -> tuple[TeamRecord, WeeklyBoard] | None:
    """``/ssi board`` in a team's channel: the team's board for this week so far (its
    members only, as the weekly post will show them), or None if the channel isn't a team."""
    team = teams.team_for_channel(db=db, scope=scope, channel_id=channel_id)
    return None if team is None else (team, board_so_far(db=db, team=team, at=now))
