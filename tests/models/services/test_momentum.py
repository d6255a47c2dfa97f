"""Streaks, away, team goals and the fair ranking: the rules, the commands, and what the
weekly post, the manager DM and reminders say (over HTTP against the fake Slack)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from models.domain.fair import fair_ranking
from models.domain.ssi import InvalidReading
from models.domain.streaks import Away, AwayDateError, away_until, streak, weeks_back
from models.domain.teams import Goal, goal_progress
from models.domain.weekly.members import Member, MemberWeek, Sample
from models.domain.weekly.tally import weekly_board
from models.store.people import away
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.slack.readers.command_text import Subcommand, parse
from tests.blockkit import assert_valid_message
from tests.conftest import RunningApp
from tests.factories import ACME, CALENDAR_WEEK, SLOT, channel_posts, make_team, runner, submit

WEEKS = weeks_back(CALENDAR_WEEK, 10)  # newest first
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def _in(week_index: int, hours: int = 30) -> datetime:
    return WEEKS[week_index].start + timedelta(hours=hours)


# --- streaks -------------------------------------------------------------------------------


def test_a_streak_counts_consecutive_weeks_back_from_the_week() -> None:
    times = sorted(_in(i) for i in (0, 1, 2, 4))
    assert streak(WEEKS, times, running=False).weeks == 3  # week 3 is missing


def test_a_missing_closed_week_breaks_the_streak() -> None:
    times = sorted(_in(i) for i in (1, 2))
    assert streak(WEEKS, times, running=False).weeks == 0


def test_the_running_week_puts_the_streak_at_stake_not_to_zero() -> None:
    times = sorted(_in(i) for i in (1, 2))
    found = streak(WEEKS, times, running=True)
    assert (found.weeks, found.at_stake, found.this_week) == (2, True, False)


def test_away_weeks_pause_a_streak_and_do_not_put_it_at_stake() -> None:
    times = sorted(_in(i) for i in (0, 3, 4))
    trip = Away(WEEKS[2].start + timedelta(hours=1), WEEKS[1].end - timedelta(hours=1))
    assert streak(WEEKS, times, [trip], running=False).weeks == 3
    now_away = Away(WEEKS[0].start, WEEKS[0].end + timedelta(days=3))
    running = streak(WEEKS, sorted(_in(i) for i in (1, 2)), [now_away], running=True)
    assert (running.weeks, running.away, running.at_stake) == (2, True, False)


def test_a_streak_as_long_as_the_lookback_is_capped() -> None:
    found = streak(WEEKS, sorted(_in(i) for i in range(10)), running=False)
    assert (found.weeks, found.capped, found.label) == (10, True, "10+ weeks")


@given(st.sets(st.integers(0, 9)), st.booleans())
def test_a_streak_never_exceeds_the_weeks_with_a_submission(weeks: set[int], running: bool) -> None:
    found = streak(WEEKS, sorted(_in(i) for i in weeks), running=running)
    assert found.weeks <= len(weeks)
    leading = next((i for i in range(10) if i not in weeks), 10)
    assert found.weeks >= (leading if not running or 0 in weeks else 0)


# --- away ----------------------------------------------------------------------------------


def test_away_dates_in_the_past_or_beyond_90_days_are_refused_clearly() -> None:
    with pytest.raises(AwayDateError, match="already passed"):
        away_until(date(2026, 11, 21), now=NOW)
    with pytest.raises(AwayDateError, match="more than 90 days"):
        away_until(date(2027, 3, 1), now=NOW)
    period = away_until(date(2026, 12, 24), now=NOW)
    assert period.ends == datetime(2026, 12, 25, tzinfo=UTC) and period.starts == NOW


@pytest.mark.parametrize(
    ("text", "argument"),
    [
        ("away until 2026-12-24", "2026-12-24"),
        ("AWAY 2026-12-24", "2026-12-24"),
        ("back", ""),
    ],
)
def test_away_and_back_parse(text: str, argument: str) -> None:
    request = parse(text)
    assert isinstance(request, Subcommand) and request.argument == argument


@pytest.mark.parametrize(
    "text", ["away", "away until", "away until tomorrow", "away until 2026-02-30", "back now"]
)
def test_bad_away_commands_get_an_example(text: str) -> None:
    with pytest.raises(InvalidReading):
        parse(text)


# --- goals and the fair ranking ------------------------------------------------------------


def _points(*values: str) -> list[tuple[datetime, D]]:
    return [(SLOT + timedelta(weeks=i), D(v)) for i, v in enumerate(values)]


def test_a_goal_forecast_follows_the_trend() -> None:
    goal = Goal(D(66), date(2027, 3, 1))  # 12 weeks after the last point (Dec 7)
    progress = goal_progress(goal, _points("50", "51", "52", "53"), today=date(2026, 12, 8))
    assert progress.forecast == D("65.0") and progress.to_go == D(13)  # a point a week
    assert not progress.reached and not progress.passed


def test_a_goal_with_too_short_a_trend_says_so_instead_of_guessing() -> None:
    progress = goal_progress(
        Goal(D(65), date(2027, 3, 1)), _points("50", "52"), today=date(2026, 12, 1)
    )
    assert progress.forecast is None and progress.trend_weeks == 2


def test_the_fair_ranking_ranks_by_the_gap_to_each_members_own_industry() -> None:
    def member(user: str, total: int, industry: int | None, top: int | None = None) -> MemberWeek:
        sample = Sample(total, 0, 0, 0, 0, industry, None, top)
        return MemberWeek(Member(user, user), sample, None, None, sample, None)

    board = weekly_board(
        [
            member("Rec", 45000, 25000, 3000),
            member("Soft", 60000, 58000),
            member("New", 70000, None),
        ],
        CALENDAR_WEEK,
    )
    fair = fair_ranking(board.entries)
    assert [(r.rank, r.member.user_id, r.gap) for r in fair.rows] == [
        (1, "Rec", D("20.00")),
        (2, "Soft", D("2.00")),
    ]
    assert fair.rows[0].industry_top == D(3) and [m.user_id for m in fair.without_industry] == [
        "New"
    ]


# --- the commands and the weekly posts, over HTTP -----------------------------------------


def test_away_and_back_over_http_change_only_the_away_period(app: RunningApp) -> None:
    app.clock.now = NOW
    past = app.slack.command(user_id="U1", text="away until 2026-11-01")
    assert "already passed" in past.json["text"] and past.json["response_type"] == "ephemeral"
    with app.engine.connect() as db:
        assert away.current(db=db, scope=ACME, user_id="U1", now=NOW) is None
    assert "Dec 24, 2026" in app.slack.command(user_id="U1", text="away until 2026-12-24").text
    with app.engine.connect() as db:
        assert away.away_at(db=db, scope=ACME, user_ids=["U1", "U2"], at=NOW) == {"U1"}
    assert "Welcome back" in app.slack.command(user_id="U1", text="back").text
    assert "weren't marked away" in app.slack.command(user_id="U1", text="back").text


def test_away_members_get_no_reminder_and_are_listed_apart(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    make_team(engine)
    for user in ("U1", "U2", "U3"):
        submit(engine, user, 60, SLOT - timedelta(days=8), industry="40")
    submit(engine, "U1", 64, SLOT - timedelta(hours=5), industry="40")
    with engine.begin() as db:  # U2 is away over the week's end
        away.go_away(
            db=db,
            scope=ACME,
            user_id="U2",
            away=Away(SLOT - timedelta(days=2), SLOT + timedelta(days=3)),
        )
    clock = ManualClock(SLOT - timedelta(hours=2))
    run = runner(engine, fake_slack, clock)
    run.tick()
    reminded = {c.params["channel"] for c in fake_slack.calls("chat.postMessage")}
    assert reminded == {"U3"}  # U1 shared; U2 is away
    (note,) = channel_posts(fake_slack, "U3")
    assert any(
        e.get("action_id") == "ssi_share" for b in note.blocks for e in b.get("elements", [])
    )
    clock.now = SLOT + timedelta(minutes=1)
    run.tick()
    (board,) = channel_posts(fake_slack)
    assert_valid_message({"text": board.params["text"], "blocks": board.blocks})
    text = str(board.blocks)
    assert (
        "Away this week: Ben" in text and "Not shared this week (latest shown): <!channel>" in text
    )
    assert "Best for their field" in text
    (dm,) = channel_posts(fake_slack, "UBOSS")
    # The coaching DM: who needs attention first, names in plain_text (never markup).
    texts = [b["text"] for b in dm.blocks if b.get("text")]
    assert {"type": "plain_text", "text": "Away (1): Ben", "emoji": False} in texts
    assert {
        "type": "plain_text",
        "text": "No reading this week (1): <!channel> *Cy* (last 60, as of Nov 8)",
        "emoji": False,
    } in texts


def test_the_reminder_says_when_a_streak_is_at_stake(engine: Engine, fake_slack: FakeSlack) -> None:
    make_team(engine, at=SLOT - timedelta(weeks=4))
    for weeks in (1, 2, 3):
        submit(engine, "U1", 60, SLOT - timedelta(weeks=weeks, hours=3))
    clock = ManualClock(SLOT - timedelta(weeks=1, minutes=-1))
    run = runner(engine, fake_slack, clock)
    run.tick()  # last week's post
    clock.now = SLOT - timedelta(hours=2)
    run.tick()
    (note,) = channel_posts(fake_slack, "U1")
    assert "Your streak of 3 weeks is at stake" in note.params["text"]


def test_a_goal_set_up_in_the_form_shows_progress_and_forecast(app: RunningApp) -> None:
    app.clock.now = SLOT - timedelta(weeks=5)
    app.fake.set_channel_members("C0SALES", ["UBOSS", "U1", "U2"])  # set up from the channel
    for user in ("UBOSS", "U1", "U2"):
        app.fake.add_user(user, name=user.lower(), tz="Europe/Berlin")
    view = app.slack.open_view(user_id="UBOSS", text="setup")[1].view
    wrong = app.slack.submit_view(
        user_id="UBOSS", view=view, typed={"goal_average": "150", "goal_date": "2026-01-01"}
    )
    assert set(wrong.json["errors"]) == {"goal_average", "goal_date"}
    app.slack.submit_view(
        user_id="UBOSS", view=view, typed={"goal_average": "70", "goal_date": "2027-03-31"}
    )
    run = runner(app.engine, app.fake, app.clock)
    for week in range(5, 0, -1):  # five weekly posts, the average rising by 2 a week
        app.clock.now = SLOT - timedelta(weeks=week, hours=-3)
        app.slack.command(
            user_id="U1", text=f"{50 + 2 * (5 - week)} 12 12 12 14", channel_id="C0SALES"
        )
        app.clock.now = SLOT - timedelta(weeks=week - 1, minutes=-1)
        run.tick()
    posts = channel_posts(app.fake, "C0SALES")
    goals = [next(b["text"]["text"] for b in p.blocks if "Goal 70" in str(b)) for p in posts[-5:]]
    assert "Too early to forecast" in goals[0] and "(1 so far)" in goals[0]
    assert "At this pace" in goals[-1] and "by Mar 31" in goals[-1]
