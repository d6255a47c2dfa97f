"""A team's week: the seven days that end at its weekly post, in local time, across
daylight-saving changes and changes of schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.domain.weeks import (
    LONGEST_CHANGED_WEEK,
    Schedule,
    check_timezone,
    due_week,
    format_clock,
    latest_slot,
    next_slot,
    parse_clock,
    parse_weekday,
    running_week,
    week_ending,
)

BERLIN = "Europe/Berlin"
SET_UP = datetime(2026, 11, 1, tzinfo=UTC)
MONDAY_9 = Schedule(0, 9 * 60, BERLIN, SET_UP)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_the_post_reports_on_the_week_that_just_ended() -> None:
    # Monday Nov 23, 09:01 in Berlin: the post covers Monday Nov 16 09:00 to now's 09:00.
    week = due_week(MONDAY_9, utc(2026, 11, 23, 8, 1), posted=[])
    assert week is not None
    assert (week.start, week.end) == (utc(2026, 11, 16, 8, 0), utc(2026, 11, 23, 8, 0))
    assert week.label == "Nov 16 to Nov 23"
    assert week.key == "2026-11-23T08:00Z"
    assert week.previous().end == week.start
    assert week.previous().start == utc(2026, 11, 9, 8, 0)
    # A reading at 08:59 belongs to it, one at 09:00 to the next.
    assert week.contains(utc(2026, 11, 23, 7, 59)) and not week.contains(week.end)


def test_board_between_posts_shows_the_week_running_now() -> None:
    running = running_week(MONDAY_9, utc(2026, 11, 25, 12, 0), posted=[utc(2026, 11, 23, 8, 0)])
    assert (running.start, running.end) == (utc(2026, 11, 23, 8, 0), utc(2026, 11, 30, 8, 0))
    # Before Monday's post went out, the running week already starts at its slot.
    early = running_week(MONDAY_9, utc(2026, 11, 23, 8, 0, 30), posted=[utc(2026, 11, 16, 8, 0)])
    assert early.start == utc(2026, 11, 23, 8, 0)


@pytest.mark.parametrize(
    ("timezone", "end", "hours"),
    [
        (BERLIN, utc(2026, 3, 30, 7, 0), 167),  # clocks go forward on Sunday March 29
        (BERLIN, utc(2026, 10, 26, 8, 0), 169),  # and back on Sunday October 25
        ("America/New_York", utc(2026, 3, 9, 13, 0), 167),  # forward on Sunday March 8
        ("America/New_York", utc(2026, 11, 2, 14, 0), 169),  # back on Sunday November 1
    ],
)
def test_dst_weeks_are_seven_local_days(timezone: str, end: datetime, hours: int) -> None:
    week = week_ending(end, timezone)
    assert week.end - week.start == timedelta(hours=hours)
    local = [i.astimezone(ZoneInfo(timezone)) for i in (week.start, week.end)]
    assert local[0].hour == local[1].hour == 9 and local[0].weekday() == 0


def test_latest_and_next_slot() -> None:
    assert latest_slot(utc(2026, 11, 16, 8, 30), 0, 540, BERLIN) == utc(2026, 11, 16, 8, 0)
    assert latest_slot(utc(2026, 11, 16, 8, 0), 0, 540, BERLIN) == utc(2026, 11, 16, 8, 0)
    assert latest_slot(utc(2026, 11, 16, 7, 59), 0, 540, BERLIN) == utc(2026, 11, 9, 8, 0)
    assert next_slot(utc(2026, 11, 16, 8, 0), 0, 540, BERLIN) == utc(2026, 11, 23, 8, 0)
    assert next_slot(utc(2026, 11, 16, 7, 59), 0, 540, BERLIN) == utc(2026, 11, 16, 8, 0)


def test_slots_hourly_through_dst_changes_tile_the_calendar() -> None:
    for timezone in (BERLIN, "America/New_York"):
        schedule = Schedule(0, 9 * 60, timezone, utc(2026, 9, 1))
        posted: list[datetime] = []
        now = utc(2026, 10, 1)
        while now < utc(2026, 11, 30):
            week = due_week(schedule, now, posted=posted)
            assert week is not None
            if not posted or posted[-1] != week.end:
                if posted:
                    assert week.start == posted[-1]  # none dropped, none counted twice
                posted.append(week.end)
            now += timedelta(hours=1)
        hours = {p.astimezone(ZoneInfo(timezone)).hour for p in posted}
        assert hours == {9} and len(posted) == 9


def test_a_team_set_up_after_the_slot_waits_for_the_next() -> None:
    schedule = Schedule(0, 9 * 60, BERLIN, utc(2026, 11, 16, 10, 0))  # Monday, after 09:00
    assert due_week(schedule, utc(2026, 11, 18, 12, 0), posted=[]) is None
    week = due_week(schedule, utc(2026, 11, 23, 8, 1), posted=[])
    assert week is not None and week.start == utc(2026, 11, 16, 8, 0)


def test_after_downtime_only_the_latest_week_goes_out() -> None:
    week = due_week(MONDAY_9, utc(2026, 12, 14, 9, 0), posted=[utc(2026, 11, 16, 8, 0)])
    assert week is not None
    assert (week.start, week.end) == (utc(2026, 12, 7, 8, 0), utc(2026, 12, 14, 8, 0))


def test_a_changed_schedule_covers_everything_since_the_last_post() -> None:
    last_post = utc(2026, 11, 16, 8, 0)  # Monday 09:00 went out
    # On Tuesday the team moves to Thursdays 17:00: the next post covers Monday to Thursday.
    thursday = Schedule(3, 17 * 60, BERLIN, utc(2026, 11, 17, 10, 0))
    assert due_week(thursday, utc(2026, 11, 18, 12, 0), posted=[last_post]) is None
    running = running_week(thursday, utc(2026, 11, 18, 12, 0), posted=[last_post])
    assert (running.start, running.end) == (last_post, utc(2026, 11, 19, 16, 0))
    week = due_week(thursday, utc(2026, 11, 19, 16, 1), posted=[last_post])
    assert week == running
    # Moving on a Monday after the post to Monday 08:00: almost two weeks, still one post.
    earlier = Schedule(0, 8 * 60, BERLIN, utc(2026, 11, 16, 9, 0))
    assert due_week(earlier, utc(2026, 11, 16, 12, 0), posted=[last_post]) is None
    week = due_week(earlier, utc(2026, 11, 23, 7, 1), posted=[last_post])
    assert week is not None and (week.start, week.end) == (last_post, utc(2026, 11, 23, 7, 0))


@settings(max_examples=60, deadline=None)
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.integers(0, 1439),
            st.sampled_from([BERLIN, "America/New_York", "Asia/Tokyo"]),
            st.integers(1, 24 * 20),  # hours the schedule lasts before the next change
        ),
        min_size=1,
        max_size=5,
    )
)
def test_posted_weeks_never_overlap_or_leave_gaps(changes: list[tuple[int, int, str, int]]) -> None:
    """Ticking every hour through any sequence of schedule changes, each post starts where
    the one before ended (downtime aside, which this never has)."""
    now = utc(2026, 3, 1)
    posted: list[datetime] = []
    weeks = []
    schedule = None
    for weekday, minute, timezone, hours in changes:
        if schedule is None or (schedule.weekday, schedule.minute, schedule.timezone) != (
            weekday,
            minute,
            timezone,
        ):  # as set-up does: saving the same schedule again changes nothing
            schedule = Schedule(weekday, minute, timezone, now)
        for _ in range(hours):
            week = due_week(schedule, now, posted=posted)
            if week is not None and (not posted or week.end > posted[-1]):
                posted.append(week.end)
                weeks.append(week)
            now += timedelta(hours=1)
    for before, after in pairwise(weeks):
        if after.end - before.end <= timedelta(days=LONGEST_CHANGED_WEEK):
            assert after.start == before.end
        else:  # changes kept skipping slots for over three weeks: as after downtime
            assert after.start == after.previous().end and after.start > before.end


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


def test_a_slot_that_daylight_saving_skips_still_ends_where_the_next_week_starts() -> None:
    """Sunday 02:00 in New York does not exist on 2026-03-08: that post goes out at 03:00
    EDT, and its week still starts at the previous Sunday's 02:00 EST slot, where the week
    before ended (it started an hour late, leaving a gap between the two weeks)."""
    schedule = Schedule(6, 2 * 60, "America/New_York", utc(2026, 2, 1))
    before = due_week(schedule, utc(2026, 3, 1, 8), posted=[])
    skipped = due_week(schedule, utc(2026, 3, 8, 8), posted=[utc(2026, 3, 1, 7)])
    assert before is not None and skipped is not None
    assert before.end == utc(2026, 3, 1, 7) == skipped.start
    assert skipped.end == utc(2026, 3, 8, 7)
    assert skipped.end - skipped.start == timedelta(hours=168)
