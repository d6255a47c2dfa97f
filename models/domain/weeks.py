"""A team's week: the seven days that end at its weekly post (DESIGN.md section 4).

A team posting on Mondays at 09:00 reports on last Monday 09:00 up to this Monday 09:00, local
time, so the post always covers a week that has just ended. Pure functions over aware
datetimes and zoneinfo.

Everything is computed from local calendar dates and wall-clock times, never by adding 168
hours, so a week that contains a daylight-saving change is 167 or 169 hours long and no
reading is skipped or counted twice. When a team changes its day, time or time zone, the
next post covers everything since the last one (``week_ending``'s ``after``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A week that follows a change of schedule covers everything since the last post: about two
# weeks at most (a change just after a slot, to a time just before it), more only if changes
# keep skipping slots. Past three weeks the gap is downtime: only the latest week goes out.
LONGEST_CHANGED_WEEK = 21
# How far back the ends of posted weeks matter to the week running now or due: a week after
# a change of schedule reaches back at most two weeks before its slot, at most a week away.
POSTED_WINDOW = timedelta(days=LONGEST_CHANGED_WEEK + 8)  # the next slot is up to a week on


@dataclass(frozen=True, slots=True, order=True)
class TeamWeek:
    """The period a weekly post reports on: ``[start, end)`` as UTC instants, ``end`` being
    the post's slot, with the team's time zone for showing it."""

    start: datetime
    end: datetime
    timezone: str

    @property
    def key(self) -> str:
        """``2026-11-23T08:00Z``: how the post ledger and the posts' metadata name the week
        (its end, in UTC: unique per team, sortable, whatever the schedule was)."""
        return week_key(self.end)

    def previous(self, weeks: int = 1) -> TeamWeek:
        """The seven local days before this week's start (``weeks`` times back): what
        week-over-week changes compare with."""
        week = self
        for _ in range(weeks):
            week = TeamWeek(days_before(week.start, 7, week.timezone), week.start, week.timezone)
        return week

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    @property
    def label(self) -> str:
        """``Nov 16 to Nov 23``: the local dates the week runs between."""
        zone = ZoneInfo(self.timezone)
        first, last = self.start.astimezone(zone), self.end.astimezone(zone)
        if first.year != last.year:
            return f"{first:%b %-d, %Y} to {last:%b %-d, %Y}"
        return f"{first:%b %-d} to {last:%b %-d}"


WEEK_KEY_FORMAT = "%Y-%m-%dT%H:%MZ"


def week_key(end: datetime) -> str:
    return end.astimezone(UTC).strftime(WEEK_KEY_FORMAT)


def week_end_of(key: str) -> datetime | None:
    """The instant a week key names (``2026-11-23T08:00Z``); None for any other key, such
    as the ledger's ``once``."""
    try:
        return datetime.strptime(key, WEEK_KEY_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def days_before(instant: datetime, days: int, timezone: str) -> datetime:
    """The same local wall-clock time ``days`` calendar days earlier, as a UTC instant."""
    zone = ZoneInfo(timezone)
    local = instant.astimezone(zone).replace(tzinfo=None) - timedelta(days=days)
    return local.replace(tzinfo=zone).astimezone(UTC)


def slot_on(day: date, minute: int, timezone: str) -> datetime:
    """The UTC instant of ``minute`` (after local midnight) on local date ``day``. A local
    time that a DST change skips is read as the same wall-clock time after the change, as
    zoneinfo does."""
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC)


def latest_slot(now: datetime, weekday: int, minute: int, timezone: str) -> datetime:
    """The most recent weekly slot (weekday 0 = Monday) at or before ``now``."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    day = today - timedelta(days=(today.weekday() - weekday) % 7)
    slot = slot_on(day, minute, timezone)
    return slot if slot <= now else slot_on(day - timedelta(days=7), minute, timezone)


def next_slot(now: datetime, weekday: int, minute: int, timezone: str) -> datetime:
    """The first weekly slot strictly after ``now``."""
    latest = latest_slot(now, weekday, minute, timezone)
    local_day = latest.astimezone(ZoneInfo(timezone)).date()
    return slot_on(local_day + timedelta(days=7), minute, timezone)


def week_ending(
    end: datetime, timezone: str, *, minute: int | None = None, after: datetime | None = None
) -> TeamWeek:
    """The week a post at ``end`` (the slot at ``minute`` past local midnight) reports on: the
    seven days before it, or, when the last post reported up to ``after`` and the schedule
    changed since (``after`` is not seven days back), everything since ``after``, so no
    reading is counted twice or dropped.

    The start is the slot a week earlier, not ``end``'s wall-clock time a week earlier: a
    slot that a DST change skips (Sunday 02:00 in New York) lands an hour later on the
    clock, and the week before it still ended at the earlier slot."""
    if minute is None:  # any instant: the same wall-clock time a week earlier
        start = days_before(end, 7, timezone)
    else:
        local_day = end.astimezone(ZoneInfo(timezone)).date()
        start = slot_on(local_day - timedelta(days=7), minute, timezone)
    if after is not None and days_before(end, LONGEST_CHANGED_WEEK, timezone) <= after < end:
        start = after
    return TeamWeek(start, end, timezone)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a team posts, and since when that has been so (set-up or the last change)."""

    weekday: int
    minute: int
    timezone: str
    since: datetime


def last_ended_week(schedule: Schedule, now: datetime, *, posted: Sequence[datetime]) -> TeamWeek:
    """The week that ended at the latest slot at or before ``now``. ``posted``: the ends of
    the weeks the team's board was posted for."""
    slot = latest_slot(now, schedule.weekday, schedule.minute, schedule.timezone)
    return week_ending(
        slot,
        schedule.timezone,
        minute=schedule.minute,
        after=_changed_after(schedule, posted, slot),
    )


def due_week(schedule: Schedule, now: datetime, *, posted: Sequence[datetime]) -> TeamWeek | None:
    """The week whose post is due at ``now`` (the last ended one), or None when its slot
    came before the schedule took effect: a new or changed team waits for its next slot."""
    week = last_ended_week(schedule, now, posted=posted)
    return week if week.end >= schedule.since else None


def due_and_running(
    schedule: Schedule, now: datetime, *, posted: Sequence[datetime]
) -> tuple[TeamWeek | None, TeamWeek]:
    """``due_week`` and ``running_week`` together, the due one computed once (the tick
    needs both for every team, every minute)."""
    due = due_week(schedule, now, posted=posted)
    end = next_slot(now, schedule.weekday, schedule.minute, schedule.timezone)
    ends = [*posted, due.end] if due is not None else posted
    after = _changed_after(schedule, ends, end)
    return due, week_ending(end, schedule.timezone, minute=schedule.minute, after=after)


def running_week(schedule: Schedule, now: datetime, *, posted: Sequence[datetime]) -> TeamWeek:
    """The week running at ``now``: what ``/ssi board`` shows "so far", what reminders are
    about, and what the next post will report on."""
    return due_and_running(schedule, now, posted=posted)[1]


def _changed_after(
    schedule: Schedule, posted: Sequence[datetime], end: datetime
) -> datetime | None:
    """Where a week ending at ``end`` starts when the schedule changed since the last post
    before it: that post's end. None when it didn't change (the week is the seven days)."""
    last = max((p for p in posted if p < end), default=None)
    return last if last is not None and schedule.since > last else None


def parse_clock(text: str) -> int:
    """``09:00`` → 540 minutes after midnight. Raises ValueError with a readable message."""
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
    except ValueError:
        raise ValueError(f"{text!r} is not a time like 09:00") from None
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(f"{text!r} is not a time of day")
    return hours * 60 + minutes


def format_clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_weekday(text: str) -> int:
    """``monday`` (or ``mon``) → 0."""
    word = text.strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if word and name.startswith(word) and len(word) >= 3:
            return index
    raise ValueError(f"{text!r} is not a day of the week")


def check_timezone(name: str) -> str:
    """An IANA time zone name, or ValueError."""
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # OSError: a folder's name, or one too long
        raise ValueError(f"{name!r} is not a time zone like Europe/Berlin") from None
    return name
