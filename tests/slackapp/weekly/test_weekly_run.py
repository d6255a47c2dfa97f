"""The weekly rhythm against the fake Slack over real HTTP: once and only once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, select

from models.domain.weekly.members import Member
from models.store.people import preferences
from models.store.tables import PostLedger
from models.store.weekly import ledger
from models.store.weekly.ledger import PostKey
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from tests.blockkit import assert_valid_message
from tests.factories import ACME, SLOT, channel_posts, make_team, runner, submit, tick_at_once


@pytest.fixture
def history(engine: Engine) -> None:
    make_team(engine)
    submit(engine, "U1", 60, SLOT - timedelta(days=8))  # the week before (Nov 2 to Nov 9)
    submit(engine, "U1", 64, SLOT - timedelta(hours=2))  # the week posted (Nov 9 to Nov 16)
    submit(engine, "U2", 70, SLOT - timedelta(days=8))
    submit(engine, "U2", 66, SLOT - timedelta(hours=1))


def test_weekly_post_is_sent_once(engine: Engine, fake_slack: FakeSlack, history: None) -> None:
    clock = ManualClock(SLOT - timedelta(minutes=1))
    run = runner(engine, fake_slack, clock)
    assert "board" not in run.tick().sent  # not yet (U3 gets a reminder)
    clock.now = SLOT + timedelta(minutes=1)
    report = run.tick()
    assert dict(report.sent) == {"board": 1, "manager": 1}
    for _ in range(3):
        clock.advance(minutes=1)
        assert not run.tick().sent
    (board,) = channel_posts(fake_slack)
    assert_valid_message({"text": board.params["text"], "blocks": board.blocks})
    rows = [
        b["text"]["text"] for b in board.blocks if b.get("text", {}).get("type") == "plain_text"
    ]
    assert any("1. Ben  66  ▼ -4.0" in r and "2. Ana  64  ▲ +4.0" in r for r in rows)
    (dm,) = channel_posts(fake_slack, "UBOSS")
    text = str(dm.blocks)
    assert "No reading this week (1): <!channel> *Cy* (never shared)" in text
    assert "Dropped (1): Ben -4.0" in text
    ledger_table = PostLedger.__table__
    with engine.connect() as db:
        done = db.execute(
            select(ledger_table.c.kind, ledger_table.c.status, ledger_table.c.slack_ts).where(
                ledger_table.c.kind.in_(["board", "manager"])
            )
        ).all()
    assert len(done) == 2
    assert all(status == "done" and ts for _, status, ts in done)


def test_names_never_ping_or_format(engine: Engine, fake_slack: FakeSlack, history: None) -> None:
    submit(engine, "U3", 50, SLOT - timedelta(hours=1))
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    for call in fake_slack.calls("chat.postMessage"):
        for block in call.blocks:
            for obj in [
                block.get("text") or {},
                *block.get("elements", []),
                *block.get("fields", []),
            ]:
                if "<!channel>" in obj.get("text", ""):
                    assert obj["type"] == "plain_text"
        assert "<!channel>" not in call.params["text"]


def test_two_schedulers_ticking_concurrently_post_once(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    fake_slack.set_latency(0.02)  # widen the race
    clock = ManualClock(SLOT + timedelta(minutes=1))
    runners = [runner(engine, fake_slack, clock, worker=f"w{i}") for i in range(4)]
    tick_at_once(runners)
    assert len(channel_posts(fake_slack)) == 1
    assert len(channel_posts(fake_slack, "UBOSS")) == 1


def test_a_claim_left_by_a_crashed_process_is_taken_over_after_the_lease(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    team_id = 1
    real = ManualClock(datetime.now(UTC))  # leases run on the real clock, not the tick's
    crashed = ledger.claim(
        engine=engine, key=PostKey(team_id, "board", "2026-11-16T08:00Z"), worker="dead", now=real()
    )
    assert crashed is not None
    clock = ManualClock(SLOT + timedelta(minutes=1))
    run = runner(engine, fake_slack, clock, lease_clock=real)
    run.tick()
    assert channel_posts(fake_slack) == []  # the lease is still live
    assert len(channel_posts(fake_slack, "UBOSS")) == 1  # the DM was not claimed
    clock.advance(days=1)  # the tick's clock says nothing about leases
    run.tick()
    assert channel_posts(fake_slack) == []
    clock.now = SLOT + timedelta(minutes=2)
    real.advance(seconds=ledger.LEASE.total_seconds() + 1)
    run.tick()
    # It looked for the post first (the crashed process may have sent it), then sent it.
    assert len(fake_slack.calls("conversations.history")) == 1
    assert len(channel_posts(fake_slack)) == 1
    run.tick()
    assert len(channel_posts(fake_slack)) == 1
    with engine.connect() as db:
        attempts = db.execute(
            select(PostLedger.__table__.c.attempts).where(PostLedger.__table__.c.kind == "board")
        ).scalar_one()
    assert attempts == 2


def test_rate_limited_post_waits_and_is_sent_once(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    fake_slack.script("chat.postMessage", Fault(status=429, retry_after=1))
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    posts = channel_posts(fake_slack) + channel_posts(fake_slack, "UBOSS")
    assert len(posts) == 3  # one 429 answered, then one board and one DM delivered
    assert len({(c.params["channel"]) for c in posts}) == 2


def test_failed_post_is_retried_on_a_later_tick(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    fake_slack.script("chat.postMessage", Fault(error="internal_error"))
    clock = ManualClock(SLOT + timedelta(minutes=1))
    real = ManualClock(datetime.now(UTC))
    run = runner(engine, fake_slack, clock, lease_clock=real)
    report = run.tick()
    assert report.failed == 1
    real.advance(minutes=1)
    assert not run.tick().sent  # waits before retrying
    real.advance(minutes=6)
    assert sum(run.tick().sent.values()) == 1
    assert not run.tick().sent
    # Slack said no (ok: false): nothing was posted, so nothing needed looking for.
    assert fake_slack.calls("conversations.history") == []


def test_a_channel_the_app_left_is_reported_to_managers_once(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    make_team(engine, channel="C2", managers=("UBOSS2",))
    fake_slack.script("chat.postMessage", Fault(error="not_in_channel"), channel="C2")
    clock = ManualClock(SLOT + timedelta(minutes=1))
    run = runner(engine, fake_slack, clock)
    report = run.tick()
    assert report.abandoned == 1
    notices = [
        c for c in fake_slack.calls("chat.postMessage") if "couldn't post" in c.params["text"]
    ]
    assert len(notices) == 1
    run.tick()
    clock.advance(days=7)
    run.tick()  # next week: tried again (and fine now), but no new notice
    notices = [
        c for c in fake_slack.calls("chat.postMessage") if "couldn't post" in c.params["text"]
    ]
    assert len(notices) == 1


def test_downtime_posts_only_the_latest_missed_week_once(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    back = SLOT + timedelta(days=15)  # down for two Mondays; back on Tuesday Dec 1
    run = runner(engine, fake_slack, ManualClock(back))
    run.tick()
    run.tick()
    (board,) = channel_posts(fake_slack)
    assert "Nov 23 to Nov 30" in board.params["text"]


def test_team_set_up_mid_week_waits_for_its_first_slot(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    wednesday = SLOT + timedelta(days=2)
    make_team(engine, at=wednesday)
    clock = ManualClock(wednesday + timedelta(minutes=5))
    run = runner(engine, fake_slack, clock)
    assert not run.tick().sent
    clock.now = SLOT + timedelta(days=7, minutes=1)
    assert run.tick().sent["board"] == 1


@pytest.mark.parametrize("timezone", ["Europe/Berlin", "America/New_York"])
def test_dst_weeks_neither_skip_nor_double(
    engine: Engine, fake_slack: FakeSlack, timezone: str
) -> None:
    start = datetime(2026, 10, 12, tzinfo=UTC)
    make_team(engine, at=start, timezone=timezone, managers=())
    clock = ManualClock(start)
    run = runner(engine, fake_slack, clock)
    while clock.now < datetime(2026, 11, 17, tzinfo=UTC):
        run.tick()
        clock.advance(hours=1)
    weeks = [c.params["text"].split(":")[0] for c in channel_posts(fake_slack)]
    assert weeks == [
        f"SSI leaderboard, {d}"
        for d in [
            "Oct 5 to Oct 12",
            "Oct 12 to Oct 19",
            "Oct 19 to Oct 26",  # 169 hours in Berlin: clocks went back on Oct 25
            "Oct 26 to Nov 2",  # 169 hours in New York: clocks went back on Nov 1
            "Nov 2 to Nov 9",
            "Nov 9 to Nov 16",
        ]
    ]
    zone = ZoneInfo(timezone)
    ends = [c.params["metadata"]["event_payload"]["week"] for c in channel_posts(fake_slack)]
    local = [datetime.strptime(e, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC) for e in ends]
    assert {e.astimezone(zone).strftime("%a %H:%M") for e in local} == {"Mon 09:00"}


def test_reminders_go_to_those_who_have_not_shared_unless_turned_off(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    make_team(engine)
    submit(engine, "U1", 60, SLOT - timedelta(hours=5))  # shared this week already
    with engine.begin() as db:
        preferences.set_reminders(db=db, scope=ACME, user_id="U3", on=False)
    clock = ManualClock(SLOT - timedelta(hours=4))
    run = runner(engine, fake_slack, clock)
    assert not run.tick().sent  # too early
    clock.now = SLOT - timedelta(hours=2, minutes=59)
    assert dict(run.tick().sent) == {"reminder": 1}
    (note,) = fake_slack.calls("chat.postMessage")
    assert note.params["channel"] == "U2"
    assert "/ssi remind off" in str(note.blocks)
    clock.advance(minutes=30)
    assert not run.tick().sent  # once per week


def test_a_team_of_300_posts_a_valid_message(engine: Engine, fake_slack: FakeSlack) -> None:
    crowd = [Member(f"U{i:04d}", f"Seller number {i} " + "x" * 60) for i in range(300)]
    make_team(engine, members=crowd)
    for i, member in enumerate(crowd):
        submit(engine, member.user_id, 20 + i % 80, SLOT - timedelta(days=1 + 7 * (i % 2)))
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    for call in fake_slack.calls("chat.postMessage"):
        assert_valid_message({"text": call.params["text"], "blocks": call.blocks})
    (board,) = channel_posts(fake_slack)
    assert "…and 275 more" in str(board.blocks)


def test_a_post_slower_than_the_timeout_is_found_not_sent_twice(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    """Slack posts the board but answers after the client gave up: the next tick finds the
    post in the channel by its metadata and records it."""
    fake_slack.script("chat.postMessage", Fault(delay=2.5), channel="C1")
    clock = ManualClock(SLOT + timedelta(minutes=1))
    run = runner(engine, fake_slack, clock, timeout=1, recheck_after=timedelta(0))
    assert run.tick().failed == 1
    assert len(fake_slack.messages_in("C1")) == 1  # Slack has it all the same
    report = run.tick()
    assert report.sent["board"] == 1 and not report.failed
    assert len(channel_posts(fake_slack)) == 1  # looked for, found, not sent again
    assert len(fake_slack.messages_in("C1")) == 1
    with engine.connect() as db:
        ts = db.execute(
            select(PostLedger.__table__.c.slack_ts).where(PostLedger.__table__.c.kind == "board")
        ).scalar_one()
    assert ts == fake_slack.messages_in("C1")[0]["ts"]
    assert not run.tick().sent


def test_an_uncertain_post_beyond_the_newest_15_messages_is_found_not_sent_twice(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    """Slack gives 15 messages a history call; a hundred arrive after the board that timed
    out. The look-up reads from when that attempt began, every page of it, and finds it."""
    fake_slack.history_page_max = 15
    fake_slack.script("chat.postMessage", Fault(delay=2.5), channel="C1")
    clock = ManualClock(SLOT + timedelta(minutes=1))
    run = runner(engine, fake_slack, clock, timeout=1, recheck_after=timedelta(0))
    assert run.tick().failed == 1
    chatter = WebClient(token="xoxb-people", base_url=fake_slack.api_url)
    for n in range(100):
        chatter.chat_postMessage(channel="C1", text=f"deal {n} closed")
    assert run.tick().sent["board"] == 1
    boards = [m for m in fake_slack.messages_in("C1") if m.get("metadata")]
    assert len(boards) == 1  # found on the 7th page, not sent again
    histories = fake_slack.calls("conversations.history")
    assert len(histories) == 7 and all(c.params["limit"] == "15" for c in histories)


def test_every_post_carries_metadata_naming_it(
    engine: Engine, fake_slack: FakeSlack, history: None
) -> None:
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    (board,) = fake_slack.messages_in("C1")
    (dm,) = fake_slack.messages_in("DUBOSS")
    assert board["metadata"] == {
        "event_type": "ssi_weekly_post",
        "event_payload": {"team": 1, "kind": "board", "week": "2026-11-16T08:00Z", "recipient": ""},
    }
    assert dm["metadata"]["event_payload"]["recipient"] == "UBOSS"


def test_a_look_up_window_starts_at_the_first_attempt_of_unknown_outcome(
    engine: Engine,
) -> None:
    make_team(engine)
    key = PostKey(1, "board", "2026-11-16T08:00Z")
    t0 = datetime(2026, 11, 16, 8, 1, tzinfo=UTC)
    first = ledger.claim(engine=engine, key=key, worker="a", now=t0)
    assert first is not None and first.since is None
    ledger.retry_later(engine=engine, claim=first, error=ledger.UNKNOWN + "timeout", retry_at=t0)
    second = ledger.claim(engine=engine, key=key, worker="b", now=t0 + timedelta(minutes=2))
    assert second is not None and second.uncertain and second.since == t0
    # Its look-up failed too: the third still looks from the first attempt.
    ledger.retry_later(engine=engine, claim=second, error=ledger.UNKNOWN + "history", retry_at=t0)
    third = ledger.claim(engine=engine, key=key, worker="c", now=t0 + timedelta(minutes=9))
    assert third is not None and third.since == t0
    # Refused outright (not posted): the next attempt is a fresh start.
    ledger.retry_later(engine=engine, claim=third, error="ratelimited", retry_at=t0)
    fourth = ledger.claim(engine=engine, key=key, worker="d", now=t0 + timedelta(minutes=12))
    assert fourth is not None and not fourth.uncertain
    ledger.retry_later(engine=engine, claim=fourth, error=ledger.UNKNOWN + "x", retry_at=t0)
    fifth = ledger.claim(engine=engine, key=key, worker="e", now=t0 + timedelta(minutes=15))
    assert fifth is not None and fifth.since == t0 + timedelta(minutes=12)
