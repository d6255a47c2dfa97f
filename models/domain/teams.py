"""A team: what its set-up says (``TeamSetup``), the team as kept (``TeamRecord``), and its
goal (a target average by a date) with the forecast from the recent trend.

The forecast is a least-squares line through the team's latest weekly averages, carried
to the goal's date: what the team reaches "at this pace". With fewer than three weeks of
averages there is no pace to speak of, and the result says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from models.domain.languages import DEFAULT, Language
from models.domain.scope import Scope
from models.domain.weeks import Schedule

TREND_WEEKS = 6  # the weeks a forecast draws its line through
MIN_TREND_WEEKS = 3


@dataclass(frozen=True, slots=True)
class Goal:
    target: Decimal
    by: date


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """Where a team stands against its goal."""

    goal: Goal
    average: Decimal | None  # the team's latest average
    forecast: Decimal | None  # at this pace, on the goal's date; None: trend too short
    trend_weeks: int  # weekly averages known (up to TREND_WEEKS)
    passed: bool  # the goal's date is over

    @property
    def reached(self) -> bool:
        return self.average is not None and self.average >= self.goal.target

    @property
    def to_go(self) -> Decimal | None:
        return None if self.average is None else self.goal.target - self.average


def goal_progress(
    goal: Goal, averages: Sequence[tuple[datetime, Decimal]], *, today: date
) -> GoalProgress:
    """``averages``: the team's weekly averages (week end, average), oldest first; the last
    one is its latest."""
    recent = list(averages)[-TREND_WEEKS:]
    latest = recent[-1][1] if recent else None
    passed = today > goal.by
    forecast = None
    if len(recent) >= MIN_TREND_WEEKS and not passed:
        forecast = _at_pace(recent, goal.by)
    return GoalProgress(goal, latest, forecast, len(recent), passed)


def _at_pace(points: Sequence[tuple[datetime, Decimal]], by: date) -> Decimal:
    """The least-squares line through ``points``, read on ``by``, kept within 0 to 100."""
    origin = points[-1][0]
    xs = [(at - origin).total_seconds() / 86400 for at, _ in points]  # days, latest at 0
    ys = [float(v) for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    days = (by - origin.date()).days
    value = mean_y + slope * (days - mean_x)
    return Decimal(f"{min(100.0, max(0.0, value)):.1f}")


# Each manager gets the team's summary by DM every week: a team's leads, their director,
# sales ops and enablement fit with room to spare; more would be a broadcast.
MAX_MANAGERS = 20


@dataclass(frozen=True, slots=True)
class TeamSetup:
    """What a team's set-up says (the modal's and the CLI's fields)."""

    post_weekday: int
    post_minute: int
    timezone: str
    managers: tuple[str, ...]
    reminders: bool = True
    goal: Goal | None = None
    language: Language | None = None  # None: English (a set-up from the CLI, say)

    def __post_init__(self) -> None:
        if (count := len(set(self.managers))) > MAX_MANAGERS:
            raise ValueError(f"a team has at most {MAX_MANAGERS} managers, not {count}")


@dataclass(frozen=True, slots=True)
class TeamRecord:
    """A team as stored."""

    id: int
    scope: Scope
    channel_id: str
    post_weekday: int
    post_minute: int
    timezone: str
    reminders: bool
    created_at: datetime
    managers: tuple[str, ...]
    members_synced_at: datetime | None = None
    schedule_since: datetime | None = None  # None: since ``created_at``
    goal: Goal | None = None
    language: Language = DEFAULT  # of the weekly post and the managers' DMs

    @property
    def schedule(self) -> Schedule:
        """When the team posts, and since when."""
        since = self.schedule_since or self.created_at
        return Schedule(self.post_weekday, self.post_minute, self.timezone, since)


class NotAllowed(Exception):
    """Someone tried to manage a team they may not (``may_manage``)."""

    def __init__(self, team: TeamRecord, user_id: str) -> None:
        super().__init__(f"{user_id} may not manage team {team.id}")
        self.team = team
        self.user_id = user_id


def _nobody_else() -> bool:
    return False


def may_manage(
    team: TeamRecord, user_id: str, *, is_admin: Callable[[], bool] = _nobody_else
) -> None:
    """The one rule of rights over a team (its set-up, its history's export, its nudge,
    its whole week): its managers may, and a workspace admin where ``is_admin`` says so
    (asked only of someone who isn't a manager: it costs a call to Slack; without it,
    managers only). Raises ``NotAllowed``."""
    if user_id in team.managers or is_admin():
        return
    raise NotAllowed(team, user_id)
