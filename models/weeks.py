"""Weeks as a team lives them: ISO weeks (Monday to Sunday) in the team's time zone, and the
weekly moment a team's board is due. Pure functions over aware datetimes and zoneinfo.

Everything is computed from local calendar dates, never by adding 168 hours, so a week that
contains a daylight-saving change is 167 or 169 hours long and no week is skipped or doubled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """An ISO week in one time zone, with its bounds as UTC instants."""

    year: int
    number: int
    timezone: str

    @property
    def key(self) -> str:
        """``2026-W47``: how the ledger names the week."""
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def start(self) -> datetime:
        return _local_midnight(self.monday, self.timezone)

    @property
    def end(self) -> datetime:
        """The next Monday's local midnight (exclusive)."""
        return _local_midnight(self.monday + timedelta(days=7), self.timezone)

    def previous(self, weeks: int = 1) -> IsoWeek:
        return week_of_date(self.monday - timedelta(weeks=weeks), self.timezone)

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def _local_midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def week_of_date(day: date, timezone: str) -> IsoWeek:
    year, number, _ = day.isocalendar()
    return IsoWeek(year, number, timezone)


def week_containing(instant: datetime, timezone: str) -> IsoWeek:
    """The ISO week, in ``timezone``, that ``instant`` falls in."""
    return week_of_date(instant.astimezone(ZoneInfo(timezone)).date(), timezone)


def slot_in_week(week: IsoWeek, weekday: int, minute: int) -> datetime:
    """The UTC instant of a weekly slot (weekday 0 = Monday, minutes after local midnight) in
    ``week``. A local time that a DST change skips is read as the same wall-clock time after
    the change, as zoneinfo does."""
    day = week.monday + timedelta(days=weekday)
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo(week.timezone))
    return local.astimezone(UTC)


def latest_slot(
    now: datetime, weekday: int, minute: int, timezone: str
) -> tuple[IsoWeek, datetime]:
    """The most recent occurrence of the weekly slot at or before ``now``, and its week."""
    week = week_containing(now, timezone)
    slot = slot_in_week(week, weekday, minute)
    if slot > now:
        week = week.previous()
        slot = slot_in_week(week, weekday, minute)
    return week, slot


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
    except (KeyError, ValueError):
        raise ValueError(f"{name!r} is not a time zone like Europe/Berlin") from None
    return name
