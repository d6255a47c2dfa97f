"""A team's goal (a target average by a date) and the forecast from the recent trend.

The forecast is a least-squares line through the team's latest weekly averages, carried
to the goal's date: what the team reaches "at this pace". With fewer than three weeks of
averages there is no pace to speak of, and the result says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

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
