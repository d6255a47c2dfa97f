"""Reminder DMs against the fake Slack over real HTTP: one per person per day, naming every
team of theirs that posts that day, in their own language, once across ticks and
replicas (issue 21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, text

from models.domain.scope import Person
from models.domain.streaks import Away
from models.domain.weekly.members import Member
from models.services import readings
from models.store.migrate import downgrade, upgrade
from models.store.people import away, languages
from models.store.tables import ReminderLedger, table_of
from models.store.weekly import reminder_retention
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Call, Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from tests.blockkit import assert_valid_message
from tests.factories import ACME, SLOT, berlin, make_team, runner, submit, tick_at_once

PEOPLE = [Member("U1", "Ana"), Member("U2", "Ben")]
CHANNELS = [f"C{n}" for n in range(1, 10)]


def _dms(fake: FakeSlack, user: str) -> list[Call]:
    return [c for c in fake.calls("chat.postMessage") if c.params.get("channel") == user]


def _named(call: Call) -> list[str]:
    """The channels a reminder's Share buttons are for, in order."""
    buttons = [
        element
        for block in call.blocks
        for element in [block.get("accessory") or {}, *block.get("elements", [])]
        if element.get("action_id") == "ssi_share"
    ]
    return [b["value"] for b in buttons]


def _nine_teams(engine: Engine) -> None:
    """Nine teams posting Mondays at 09:00 in Berlin, with Ana and Ben on each; Ana reads
    German and has shared the two weeks before, so her streak is at stake on every team."""
    for channel in CHANNELS:
        make_team(engine, channel=channel, members=PEOPLE)
    for weeks in (1, 2):
        submit(engine, "U1", 60, SLOT - timedelta(weeks=weeks, hours=3))
    with engine.begin() as db:
        languages.remember_locale(
            db=db, scope=ACME, user_id="U1", locale="de-DE", seen_at=SLOT - timedelta(days=1)
        )


def test_a_person_on_nine_teams_due_the_same_minute_gets_one_reminder_naming_all(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _nine_teams(engine)
    clock = ManualClock(SLOT - timedelta(hours=2, minutes=59))
    run = runner(engine, fake_slack, clock)
    assert dict(run.tick().sent) == {"reminder": 2}
    (ana,) = _dms(fake_slack, "U1")
    assert_valid_message({"text": ana.params["text"], "blocks": ana.blocks})
    assert ana.params["text"].startswith("Erinnerung: 9 deiner Teams")
    assert "Deine Serien in 9 Teams stehen auf dem Spiel" in ana.params["text"]
    body = str(ana.blocks)
    assert "Diese Teams von dir" in body and body.count("heute um 09:00 (Europe/Berlin)") == 9
    assert _named(ana) == CHANNELS  # each team with its own Share button
    assert all(f"<#{c}>" in body for c in CHANNELS)
    (ben,) = _dms(fake_slack, "U2")  # in English, no streak to lose
    assert ben.params["text"].startswith("Reminder: 9 of your teams post")
    assert "at stake" not in ben.params["text"] and _named(ben) == CHANNELS
    for _ in range(3):
        clock.advance(minutes=20)
        assert not run.tick().sent


def test_teams_at_nine_and_five_remind_once_that_day(engine: Engine, fake_slack: FakeSlack) -> None:
    """Ana is on both: one reminder at 06:00 naming both. Ben shared for the 09:00 team's
    week but not the 17:00 team's: his comes at 14:00, naming that team alone. Cy is only
    on the 17:00 team."""
    cy = Member("U3", "Cy")
    make_team(engine, channel="C1", members=PEOPLE, minute=9 * 60)
    make_team(engine, channel="C2", members=[*PEOPLE, cy], minute=17 * 60)
    submit(engine, "U2", 60, berlin(9, 12))  # last Monday noon: after 09:00, before 17:00
    clock = ManualClock(berlin(16, 6, 1))
    run = runner(engine, fake_slack, clock)
    run.tick()
    (ana,) = _dms(fake_slack, "U1")
    assert _named(ana) == ["C1", "C2"]
    assert "<#C1>: today at 09:00 (Europe/Berlin)" in str(ana.blocks)
    assert "<#C2>: today at 17:00 (Europe/Berlin)" in str(ana.blocks)
    assert _dms(fake_slack, "U2") == [] and _dms(fake_slack, "U3") == []
    for hour, minute in ((9, 1), (12, 0), (14, 1), (14, 30), (17, 1)):
        clock.now = berlin(16, hour, minute)
        run.tick()
    assert len(_dms(fake_slack, "U1")) == 1
    (ben,) = _dms(fake_slack, "U2")
    (cy_note,) = _dms(fake_slack, "U3")
    assert _named(ben) == _named(cy_note) == ["C2"]
    assert "<#C2> posts its SSI leaderboard today at 17:00" in str(ben.blocks)
    assert [c.params["channel"] for c in fake_slack.calls("chat.postMessage")].count("C1") == 1


def test_a_day_in_tokyo_is_one_day_though_utc_midnight_falls_in_it(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """09:00 and 17:00 in Tokyo: the 06:00 reminder falls on the UTC day before the 14:00
    one would. Still one reminder, naming both teams."""
    tokyo = ZoneInfo("Asia/Tokyo")
    make_team(engine, channel="C1", members=PEOPLE, minute=9 * 60, timezone="Asia/Tokyo")
    make_team(engine, channel="C2", members=PEOPLE, minute=17 * 60, timezone="Asia/Tokyo")
    clock = ManualClock(datetime(2026, 11, 16, 6, 1, tzinfo=tokyo).astimezone(UTC))
    run = runner(engine, fake_slack, clock)
    run.tick()
    clock.now = datetime(2026, 11, 16, 14, 1, tzinfo=tokyo).astimezone(UTC)
    run.tick()
    (ana,) = _dms(fake_slack, "U1")
    assert _named(ana) == ["C1", "C2"]
    with engine.connect() as db:
        days = db.execute(select(table_of(ReminderLedger).c.day)).scalars().all()
    assert {str(d) for d in days} == {"2026-11-16"}


def test_four_replicas_ticking_at_once_send_each_person_one_reminder(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _nine_teams(engine)
    fake_slack.set_latency(0.02)  # widen the race
    clock = ManualClock(SLOT - timedelta(hours=2, minutes=59))
    runners = [runner(engine, fake_slack, clock, worker=f"w{i}") for i in range(4)]
    tick_at_once(runners)
    assert len(_dms(fake_slack, "U1")) == 1 and len(_dms(fake_slack, "U2")) == 1
    assert _named(_dms(fake_slack, "U1")[0]) == CHANNELS
    for r in runners:
        assert not r.tick().sent


def test_a_reminder_slower_than_the_timeout_is_found_not_sent_twice(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Slack takes Ana's reminder but answers after the client gave up: once the round is
    taken up again, the reminder is looked for in her DM by its metadata and recorded."""
    _nine_teams(engine)
    fake_slack.script("chat.postMessage", Fault(delay=2.5), channel="U1")
    real = ManualClock(datetime.now(UTC))
    clock = ManualClock(SLOT - timedelta(hours=2, minutes=59))
    run = runner(engine, fake_slack, clock, timeout=1, recheck_after=timedelta(0), lease_clock=real)
    assert run.tick().failed == 1
    assert len(fake_slack.messages_in("DU1")) == 1  # Slack has it all the same
    real.advance(minutes=6)  # the round's retry comes due
    clock.advance(minutes=6)
    assert run.tick().sent == {"reminder": 1}
    assert len(fake_slack.messages_in("DU1")) == 1  # found, not sent again
    assert fake_slack.messages_in("DU1")[0]["metadata"]["event_payload"] == {
        "kind": "reminder",
        "day": "2026-11-16",
        "recipient": "U1",
    }
    real.advance(minutes=6)
    clock.advance(minutes=6)
    assert not run.tick().sent


def test_reminders_sent_before_the_upgrade_count_for_their_day(engine: Engine) -> None:
    """Migration 0011 carries reminders sent under the old per-team key over to the
    person's day (in the team's time zone), so the upgrade sends nobody a second one."""
    downgrade(engine, "0010")
    slot = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)

    def stamp(at: datetime) -> datetime | str:
        return at if engine.dialect.name == "postgresql" else f"{at:%Y-%m-%d %H:%M:%S.%f}"

    with engine.begin() as db:
        for team in (1, 2):
            db.execute(
                text(
                    "INSERT INTO team (id, enterprise_id, workspace_id, channel_id, "
                    "post_weekday, post_minute, timezone, reminders, created_by, created_at, "
                    "updated_at) VALUES (:id, '', 'T0ACME', :channel, 0, 540, "
                    "'Pacific/Kiritimati', true, 'U0', :at, :at)"
                ),
                {"id": team, "channel": f"C{team}", "at": stamp(slot)},
            )
        rows = [  # team, person, the week's end
            (1, "U1", slot),
            (2, "U1", slot),  # the same person and day on another team: carried once
            (1, "U2", slot - timedelta(days=7)),  # long past: left as it is
        ]
        for team, person, end in rows:
            db.execute(
                text(
                    "INSERT INTO post_ledger (team_id, kind, week, recipient, week_end, status, "
                    "claimed_by, lease_until, attempts) VALUES "
                    "(:team, 'reminder', :week, :person, :end, 'done', 'old', :end, 1)"
                ),
                {
                    "team": team,
                    "week": f"{end:%Y-%m-%dT%H:%MZ}",
                    "person": person,
                    "end": stamp(end),
                },
            )
    upgrade(engine)
    with engine.connect() as db:
        carried = db.execute(
            text("SELECT workspace_id, user_id, day, status FROM reminder_ledger")
        ).all()
    local = slot.astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    assert [(r[0], r[1], str(r[2]), r[3]) for r in carried] == [
        ("T0ACME", "U1", local.isoformat(), "done")
    ]


def _reminded(engine: Engine) -> list[tuple[str, str]]:
    table = table_of(ReminderLedger)
    with engine.connect() as db:
        rows = db.execute(select(table.c.user_id, table.c.day).order_by(table.c.user_id))
        return [(user, str(day)) for user, day in rows]


def test_forget_me_forgets_the_days_a_person_was_reminded(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _nine_teams(engine)
    runner(engine, fake_slack, ManualClock(SLOT - timedelta(hours=2, minutes=59))).tick()
    assert [user for user, _day in _reminded(engine)] == ["U1", "U2"]
    with engine.begin() as db:
        readings.forget_person(db=db, person=Person(ACME, "U1"))
    assert [user for user, _day in _reminded(engine)] == ["U2"]


def test_reminder_rows_are_kept_a_week_past_their_day_then_pruned(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _nine_teams(engine)
    runner(engine, fake_slack, ManualClock(SLOT - timedelta(hours=2, minutes=59))).tick()
    with engine.begin() as db:
        assert reminder_retention.forget_old_reminders(db=db, now=SLOT + timedelta(days=8)) == 0
        assert reminder_retention.forget_old_reminders(db=db, now=SLOT + timedelta(days=9)) == 2
    assert _reminded(engine) == []


def test_a_person_away_for_part_of_the_week_is_not_reminded(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Away until the Sunday before a Monday post: the week's post lists them as away this
    week, so its reminder, three hours before, leaves them out too (the same rule)."""
    make_team(engine, channel="C1", members=PEOPLE)
    back = berlin(16, 0)  # the post's Monday, 00:00: the last away day was the Sunday
    with engine.begin() as db:
        away.go_away(db=db, scope=ACME, user_id="U2", away=Away(back - timedelta(days=4), back))
    clock = ManualClock(SLOT - timedelta(hours=2, minutes=59))
    assert dict(runner(engine, fake_slack, clock).tick().sent) == {"reminder": 1}
    assert _dms(fake_slack, "U1") and not _dms(fake_slack, "U2")
