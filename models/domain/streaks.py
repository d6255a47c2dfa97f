"""Streaks and away time (DESIGN.md section 4), as pure functions.

A streak is the number of consecutive team weeks with a submission, counted back from the
week in question. A week the person was away for (any part of it) neither counts nor
breaks it: the streak is paused. The week running now is not lost until it ends: without a
submission yet, the streak stands on the weeks before it and is "at stake".
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from models.domain.weeks import TeamWeek
from models.domain.words import N_, Explained

# How many weeks a streak looks back; a longer one is shown as "52+ weeks".
STREAK_WEEKS = 52
AWAY_MAX_DAYS = 90


@dataclass(frozen=True, slots=True)
class Away:
    """A period someone said they are away: ``[starts, ends)``, UTC."""

    starts: datetime
    ends: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.starts < end and start < self.ends

    def covers(self, instant: datetime) -> bool:
        return self.starts <= instant < self.ends


@dataclass(frozen=True, slots=True)
class Streak:
    """A person's streak on one team."""

    weeks: int
    capped: bool = False  # it reaches as far back as a streak is counted
    this_week: bool = False  # the week in question has a submission
    at_stake: bool = False  # the running week has none yet, and there is a streak to lose
    away: bool = False  # away during the week in question: paused

    @property
    def count(self) -> str:
        """``5``, or ``52+`` when it reaches as far back as streaks are counted."""
        return f"{self.weeks}+" if self.capped else str(self.weeks)

    @property
    def label(self) -> str:
        """``5 weeks``, ``52+ weeks``, ``1 week``."""
        return f"{self.count} week{'' if self.weeks == 1 and not self.capped else 's'}"


def weeks_back(week: TeamWeek, count: int = STREAK_WEEKS) -> list[TeamWeek]:
    """``week`` and the ``count - 1`` before it, newest first."""
    found = [week]
    for _ in range(count - 1):
        found.append(found[-1].previous())
    return found


def streak(
    weeks: Sequence[TeamWeek],
    submitted: Sequence[datetime],
    away: Sequence[Away] = (),
    *,
    running: bool,
) -> Streak:
    """The streak up to ``weeks[0]`` (``weeks`` newest first, consecutive), from the times
    the person submitted (sorted, oldest first). ``running``: ``weeks[0]`` has not ended, so
    a missing submission there does not break anything yet."""
    count = 0
    first_has = first_away = False
    for position, week in enumerate(weeks):
        # Any submission in [start, end): the first one at or after the start is before end.
        at = bisect_left(submitted, week.start)
        has = at < len(submitted) and submitted[at] < week.end
        was_away = any(a.overlaps(week.start, week.end) for a in away)
        if position == 0:
            first_has, first_away = has, was_away
        if has:
            count += 1
        elif was_away or (position == 0 and running):
            continue  # paused, or not over yet
        else:
            return Streak(
                count,
                False,
                first_has,
                _at_stake(running, first_has, first_away, count),
                first_away,
            )
    return Streak(
        count, bool(weeks), first_has, _at_stake(running, first_has, first_away, count), first_away
    )


def _at_stake(running: bool, has: bool, away: bool, count: int) -> bool:
    return running and not has and not away and count > 0


class AwayDateError(Explained):
    """An away date that can't be used, with what to tell the person."""


def away_until(day: date, *, now: datetime) -> Away:
    """Away from ``now`` through ``day`` (the whole day, UTC). A date in the past, or more
    than 90 days ahead, is refused with a reason."""
    today = now.astimezone(UTC).date()
    if day < today:
        raise AwayDateError(N_("{day} has already passed. Pick today or a later date."), day=day)
    if day > today + timedelta(days=AWAY_MAX_DAYS):
        last = today + timedelta(days=AWAY_MAX_DAYS)
        raise AwayDateError(
            N_(
                "That's more than {days} days away. Pick a date up to {last}, and set it again "
                "when you know more."
            ),
            days=AWAY_MAX_DAYS,
            last=last,
        )
    ends = datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
    return Away(now, ends)
