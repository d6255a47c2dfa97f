"""ISO weeks in a team's time zone, and the latest due slot, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.weeks import (
    check_timezone,
    format_clock,
    latest_slot,
    parse_clock,
    parse_weekday,
    week_containing,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_week_is_monday_to_sunday_in_local_time() -> None:
    # Sunday 23:30 in Berlin is already Monday in Tokyo and still Sunday in New York.
    instant = utc(2026, 11, 22, 22, 30)  # Sunday 23:30 Berlin
    assert week_containing(instant, "Europe/Berlin").key == "2026-W47"
    assert week_containing(instant, "Asia/Tokyo").key == "2026-W48"
    assert week_containing(instant, "America/New_York").key == "2026-W47"
    week = week_containing(instant, "Europe/Berlin")
    assert week.start == utc(2026, 11, 15, 23, 0)  # Monday 00:00 CET
    assert week.end == utc(2026, 11, 22, 23, 0)
    assert week.contains(instant) and not week.contains(week.end)


@pytest.mark.parametrize(
    ("timezone", "week_key", "hours"),
    [
        ("Europe/Berlin", "2026-W13", 167),  # clocks go forward on Sunday March 29
        ("Europe/Berlin", "2026-W43", 169),  # and back on Sunday October 25
        ("America/New_York", "2026-W10", 167),  # forward on Sunday March 8
        ("America/New_York", "2026-W44", 169),  # back on Sunday November 1
    ],
)
def test_dst_weeks_are_one_calendar_week_long(timezone: str, week_key: str, hours: int) -> None:
    year, number = int(week_key[:4]), int(week_key[6:])
    from models.weeks import IsoWeek

    week = IsoWeek(year, number, timezone)
    assert week.end - week.start == timedelta(hours=hours)
    assert week.previous().end == week.start
    assert week_containing(week.end, timezone) == IsoWeek(year, number + 1, timezone)


def test_latest_slot_is_this_weeks_when_passed_else_last_weeks() -> None:
    monday_9 = (0, 9 * 60)
    week, slot = latest_slot(utc(2026, 11, 16, 8, 30), *monday_9, "Europe/Berlin")
    assert (week.key, slot) == ("2026-W47", utc(2026, 11, 16, 8, 0))
    week, slot = latest_slot(utc(2026, 11, 16, 7, 59), *monday_9, "Europe/Berlin")
    assert (week.key, slot) == ("2026-W46", utc(2026, 11, 9, 8, 0))


def test_slots_hourly_through_dst_changes_are_one_per_week() -> None:
    for timezone in ("Europe/Berlin", "America/New_York"):
        seen = {}
        now = utc(2026, 10, 1)
        while now < utc(2026, 11, 30):
            week, slot = latest_slot(now, 0, 9 * 60, timezone)
            seen.setdefault(week.key, slot)
            assert seen[week.key] == slot  # the same slot all week
            now += timedelta(hours=1)
        local_hours = {
            s.astimezone(__import__("zoneinfo").ZoneInfo(timezone)).hour for s in seen.values()
        }
        assert local_hours == {9}
        keys = sorted(seen)
        assert len(keys) == len(set(keys)) == 9  # W39 (from Oct 1) to W48, none skipped


def test_clock_weekday_and_timezone_parsing() -> None:
    assert parse_clock("09:00") == 540 and parse_clock(" 17:45") == 1065
    assert format_clock(540) == "09:00"
    for bad in ("9", "24:00", "12:60", "noon"):
        with pytest.raises(ValueError):
            parse_clock(bad)
    assert parse_weekday("Monday") == 0 and parse_weekday("fri") == 4
    with pytest.raises(ValueError):
        parse_weekday("mo")
    assert check_timezone("Europe/Berlin") == "Europe/Berlin"
    with pytest.raises(ValueError):
        check_timezone("Mars/Olympus")
