"""Slack's per-method limits, kept by one pace per workspace and method that every thread of
the process shares (issue 22), against a fake Slack that enforces them per workspace over
real HTTP. Limits run at a faster clock here (a "minute" of a second or two), the fake's
and the app's alike: the same counts, in less time."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine, text

from models.domain.teams import TeamSetup
from models.domain.weekly.members import Member
from models.store import members as member_cache
from models.store import teams
from models.store.tables import PostLedger, table_of
from models.store.weekly import database_clock, leases, slack_pauses
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Fault
from slackapp.devtools.fake_slack.rate_limits import SLACK_TIERS
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.slack.calls.client import create_web_client
from slackapp.slack.calls.rate_limits import PER_MINUTE, SlackPace, limits_for
from slackapp.slack.calls.shared_pauses import SharedPauses
from slackapp.weekly import runner as runner_module
from slackapp.weekly.posting.pacing import ChannelPacer
from slackapp.weekly.runner import WeeklyRunner
from tests.factories import (
    ACME,
    SLOT,
    channel_posts,
    make_team,
    runner,
    submit,
    tick_at_once,
)

THREADS, CALLS = 16, 4
# users.info: 40 calls a (three-second) minute. Long enough that a loaded machine's delays
# between a call's turn and its arrival stay inside the pace's margin (5%: 150 ms here,
# 3 s of a real minute).
LIMIT, MINUTE = 40, 3.0


def _hammer(clients: list[WebClient]) -> float:
    """Every client calls users.info ``CALLS`` times from its own thread, all at once;
    returns the seconds it took."""
    barrier = threading.Barrier(len(clients))

    def calls(client: WebClient) -> None:
        barrier.wait()
        for _ in range(CALLS):
            client.users_info(user="U1")

    threads = [threading.Thread(target=calls, args=(c,)) for c in clients]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def _limited(fake: FakeSlack) -> None:
    fake.add_user("U1", real_name="Ana")
    fake.limits.minute = MINUTE
    fake.limits.per_minute["users.info"] = LIMIT


def test_threads_sharing_a_pace_stay_under_the_limit(fake_slack: FakeSlack) -> None:
    _limited(fake_slack)
    pace = SlackPace({"users.info": LIMIT}, minute=MINUTE)
    clients = [
        create_web_client(token="xoxb-test", base_url=fake_slack.api_url, pace=pace)
        for _ in range(THREADS)
    ]
    took = _hammer(clients)
    calls = len(fake_slack.calls("users.info"))
    refused = fake_slack.limits.limited.get("users.info", 0)
    assert calls == THREADS * CALLS + refused and refused <= 0.05 * calls
    # 64 calls at 40 a minute: the first 40 at once, the rest a minute later.
    assert MINUTE <= took < 3 * MINUTE


def test_a_429_seen_by_one_process_closes_the_method_for_the_others(
    fake_slack: FakeSlack, engine: Engine
) -> None:
    """Two processes (each its own pace, as two replicas have) on one database: Slack's
    Retry-After given to one is kept by the other, which waits rather than being refused."""
    fake_slack.add_user("U1", real_name="Ana")
    one, other = (
        create_web_client(
            token="xoxb-test",
            base_url=fake_slack.api_url,
            pace=SlackPace({}, shared=SharedPauses(engine, every=0.05)),
        )
        for _ in range(2)
    )
    other.users_info(user="U1")  # reads the (no) pauses now: the next read is 50 ms on
    fake_slack.clear()
    fake_slack.script("users.info", Fault(status=429, retry_after=2))
    done = threading.Thread(target=one.users_info, kwargs={"user": "U1"})
    done.start()
    time.sleep(0.3)  # the first process has been refused, and said so
    other.users_info(user="U1")
    done.join()
    refused_at, *after = [c.at for c in fake_slack.calls("users.info")]
    assert len(after) == 2 and fake_slack.limits.limited.get("users.info", 0) == 0
    assert all(at - refused_at >= 1.9 for at in after)  # nobody called while it ran


def test_a_pause_written_by_two_processes_keeps_the_later(engine: Engine) -> None:
    now = database_clock.DatabaseClock(engine)()
    for seconds in (30, 5, 60, 10):
        slack_pauses.pause(
            engine=engine,
            workspace_key="k",
            method="files.info",
            until=now + timedelta(seconds=seconds),
        )
    [(_, method, until)] = slack_pauses.open_pauses(engine=engine, now=now)
    assert method == "files.info" and until == now + timedelta(seconds=60)
    assert slack_pauses.open_pauses(engine=engine, now=now + timedelta(seconds=61)) == []


def test_threads_each_waiting_out_their_own_429_are_mostly_refused(
    fake_slack: FakeSlack,
) -> None:
    """What the shared pace replaces: slack-sdk's handler alone, each thread for itself."""
    _limited(fake_slack)
    clients = [
        WebClient(
            token="xoxb-test",
            base_url=fake_slack.api_url,
            retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=20)],
        )
        for _ in range(THREADS)
    ]
    _hammer(clients)
    refused = fake_slack.limits.limited.get("users.info", 0)
    assert refused > 0.1 * len(fake_slack.calls("users.info"))


def test_a_429_seen_by_one_thread_closes_the_method_for_all(fake_slack: FakeSlack) -> None:
    fake_slack.add_user("U1", real_name="Ana")
    pace = SlackPace({}, minute=MINUTE)
    clients = [
        create_web_client(token="xoxb-test", base_url=fake_slack.api_url, pace=pace)
        for _ in range(4)
    ]
    fake_slack.script("users.info", Fault(status=429, retry_after=1))
    clients[0].users_info(user="U1")  # refused once, waited out, answered
    first, second = fake_slack.calls("users.info")[:2]
    assert second.at - first.at >= 1.0
    start = time.time()  # the fake's clock for its calls
    fake_slack.clear()
    fake_slack.script("users.info", Fault(status=429, retry_after=1))
    threads = [threading.Thread(target=c.users_info, kwargs={"user": "U1"}) for c in clients]
    threads[0].start()
    time.sleep(0.2)  # the first thread's call has been refused
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join()
    refused_at, *after = [c.at for c in fake_slack.calls("users.info")]
    assert refused_at - start < 0.2
    # Nobody called while Slack's Retry-After ran, and nobody else was refused.
    assert all(at - refused_at >= 0.95 for at in after) and len(after) == 4


def test_the_apps_limits_are_no_looser_than_the_fakes() -> None:
    """The app's table and the fake's stand for the same document: the app may be
    stricter, never looser."""
    assert all(PER_MINUTE.get(method, 0) <= SLACK_TIERS[method] for method in SLACK_TIERS)
    assert set(SLACK_TIERS) <= set(PER_MINUTE)


def _runner(engine: Engine, fake: FakeSlack, clock: ManualClock, retries: int) -> WeeklyRunner:
    client = create_web_client(token="xoxb-test", base_url=fake.api_url, rate_limit_retries=retries)
    return WeeklyRunner(
        engine=engine, client_for=lambda _: client, clock=clock, pacer=ChannelPacer(0)
    )


def test_a_post_refused_for_its_rate_is_sent_when_slack_says(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    make_team(engine)
    submit(engine, "U1", 60, SLOT - timedelta(hours=3))
    # Refused past the client's retries (one here), each time asking for a second.
    for _ in range(2):
        fake_slack.script("chat.postMessage", Fault(status=429, retry_after=1), channel="C1")
    clock = ManualClock(SLOT + timedelta(minutes=1))
    run = _runner(engine, fake_slack, clock, retries=1)
    assert run.tick().failed == 1
    table = table_of(PostLedger)
    with engine.connect() as db:
        lease_until = db.execute(
            table.select().where(table.c.kind == "board").with_only_columns(table.c.lease_until)
        ).scalar_one()
    db_now = database_clock.DatabaseClock(engine)()
    assert lease_until - db_now <= timedelta(seconds=2)  # not five minutes
    time.sleep(max((lease_until - db_now).total_seconds(), 0) + 0.1)
    clock.now += timedelta(minutes=1)
    run.tick()
    assert len(fake_slack.messages_in("C1")) == 1  # one post, after three attempts
    assert len(channel_posts(fake_slack)) == 3


def test_a_chart_refused_for_its_rate_again_and_again_is_waited_for(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Seven 429s in a row on the upload (slack-sdk's handler gave up after five): the
    post still goes out with its chart."""
    make_team(engine)
    submit(engine, "U1", 60, SLOT - timedelta(hours=3))
    fake_slack.script("files.getUploadURLExternal", *[Fault(status=429, retry_after=1)] * 7)
    run = _runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1)), retries=30)
    assert run.tick().sent["board"] == 1
    (board,) = fake_slack.messages_in("C1")
    assert any(b["type"] == "image" for b in board["blocks"])


def test_posts_go_out_from_the_member_cache_and_the_relisting_comes_after(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Members cached a week ago: every board and DM is sent before any channel is
    re-listed; a team never listed is listed first, since its board needs its members."""
    people = [Member("U1", "Ana"), Member("U2", "Ben")]
    for n in range(1, 4):
        make_team(engine, channel=f"C{n}", members=people)
        fake_slack.set_channel_members(f"C{n}", ["U1", "U2"])
        with engine.begin() as db:  # listed eight days ago
            member_cache.replace_members(
                db=db, team_id=n, members=people, at=SLOT - timedelta(days=8)
            )
    with engine.begin() as db:
        teams.save_team(
            db=db,
            scope=ACME,
            channel_id="C9",
            by="UBOSS",
            at=SLOT - timedelta(days=1),
            setup=TeamSetup(0, 540, "Europe/Berlin", ("UBOSS",)),
        )
    fake_slack.set_channel_members("C9", ["U1", "U2"])
    for user in ("U1", "U2"):
        fake_slack.add_user(user, real_name=user)
        submit(engine, user, 60, SLOT - timedelta(hours=3))
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    listed = [c.params["channel"] for c in fake_slack.calls("conversations.members")]
    assert listed[0] == "C9" and sorted(listed[1:]) == ["C1", "C2", "C3"]
    posts = fake_slack.calls("chat.postMessage")
    assert len(posts) == 8  # four boards, four managers' DMs
    relisted = [c.at for c in fake_slack.calls("conversations.members")[1:]]
    assert max(p.at for p in posts) < min(relisted)
    with engine.connect() as db:
        assert all(t.members_synced_at >= SLOT for t in teams.all_teams(db=db))


def test_a_tick_relists_a_bounded_number_of_teams_after_its_posts(
    engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thousand re-listings at Slack's 100 a minute would hold the tick (and the ticks
    after it) for ten minutes: ``PER_TICK`` a tick, the rest before their next slot."""
    monkeypatch.setattr(runner_module, "PER_TICK", 2)
    people = [Member("U1", "Ana")]
    for n in range(1, 5):
        make_team(engine, channel=f"C{n}", members=people)
        fake_slack.set_channel_members(f"C{n}", ["U1"])
        with engine.begin() as db:
            member_cache.replace_members(
                db=db, team_id=n, members=people, at=SLOT - timedelta(days=8)
            )
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    assert len(fake_slack.calls("chat.postMessage")) == 8
    assert len(fake_slack.calls("conversations.members")) == 2


def test_four_processes_ticking_together_call_slack_as_one_would(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Twelve teams of one workspace due at once, charts on, members listed a week ago:
    four runners ticking together upload each chart and re-list each channel once."""
    people = [Member("U1", "Ana"), Member("U2", "Ben")]
    for n in range(1, 13):
        make_team(engine, channel=f"C{n}", members=people)
        fake_slack.set_channel_members(f"C{n}", ["U1", "U2"])
        with engine.begin() as db:
            member_cache.replace_members(
                db=db, team_id=n, members=people, at=SLOT - timedelta(days=8)
            )
    submit(engine, "U1", 60, SLOT - timedelta(hours=3))
    fake_slack.set_latency(0.02)  # widen the race
    clock = ManualClock(SLOT + timedelta(minutes=1))
    tick_at_once([runner(engine, fake_slack, clock, worker=f"w{i}") for i in range(4)])
    assert len(fake_slack.calls("files.completeUploadExternal")) == 12
    assert len(fake_slack.calls("conversations.members")) == 12
    assert len(fake_slack.calls("chat.postMessage")) == 24
    with engine.connect() as db:  # the leases were given up
        assert db.execute(text("SELECT count(*) FROM work_lease")).scalar_one() == 0


def test_a_workspace_whose_process_died_is_taken_over_when_its_lease_runs_out(
    engine: Engine,
) -> None:
    def take(worker: str, minutes: int) -> bool:
        return leases.take(
            engine=engine,
            name="weekly-run::T0ACME",
            worker=worker,
            now=SLOT + timedelta(minutes=minutes),
            lease=timedelta(minutes=2),
        )

    assert take("a", 0) and not take("b", 1) and take("a", 1)  # a renews its own
    assert not take("b", 2) and take("b", 4)  # a died: its lease ran out at 3


def test_a_first_run_lists_many_new_teams_from_the_directory_not_person_by_person(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Eight teams never listed (a first run after install): the workspace's people come
    from users.list (a call per 200), not a users.info per member; bots stay out."""
    for n in range(8):
        ids = [f"U{n}{m}" for m in range(5)]
        for user in ids:
            fake_slack.add_user(user, real_name=f"Person {user}")
        fake_slack.add_user(f"B{n}", real_name="Deal bot", is_bot=True)
        fake_slack.set_channel_members(f"C{n}", [*ids, f"B{n}"])
        with engine.begin() as db:
            teams.save_team(
                db=db,
                scope=ACME,
                channel_id=f"C{n}",
                by="UBOSS",
                at=SLOT - timedelta(days=1),
                setup=TeamSetup(0, 540, "Europe/Berlin", ("UBOSS",)),
            )
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    assert len(fake_slack.calls("users.list")) == 1
    assert fake_slack.calls("users.info") == []
    with engine.connect() as db:
        listed = member_cache.members_of(db=db, team_ids=[1])[1]
    assert sorted(m.user_id for m in listed) == [f"U0{m}" for m in range(5)]
    assert len(fake_slack.calls("chat.postMessage")) == 16


def test_members_never_listed_are_listed_in_the_ticks_before_the_slot(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    """Twelve teams never listed, posting at the slot: the ticks of the hours before list
    them (a workspace's directory once), so the slot's posts wait on no listing."""
    for n in range(12):
        ids = [f"U{n:02d}{m}" for m in range(3)]
        for user in ids:
            fake_slack.add_user(user, real_name=f"Person {user}")
        fake_slack.set_channel_members(f"C{n}", ids)
        with engine.begin() as db:
            teams.save_team(
                db=db,
                scope=ACME,
                channel_id=f"C{n}",
                by="UBOSS",
                at=SLOT - timedelta(days=1),
                setup=TeamSetup(0, 540, "Europe/Berlin", ("UBOSS",), reminders=False),
            )
    clock = ManualClock(SLOT - timedelta(hours=4))
    run = runner(engine, fake_slack, clock)
    run.tick()  # four hours ahead: too early
    assert fake_slack.calls("conversations.members") == []
    clock.now = SLOT - timedelta(hours=2)
    run.tick()
    assert len(fake_slack.calls("conversations.members")) == 12
    assert len(fake_slack.calls("users.list")) == 1 and fake_slack.calls("users.info") == []
    fake_slack.clear()
    clock.now = SLOT + timedelta(minutes=1)
    run.tick()
    assert fake_slack.calls("conversations.members") == []  # listed two hours ago
    assert len(fake_slack.calls("chat.postMessage")) == 24


def test_a_retry_after_is_read_whole_seconds_or_not_at_all() -> None:
    from slackapp.slack.calls.rate_limits import LONGEST_WAIT, retry_after_seconds

    assert retry_after_seconds({"Retry-After": "30"}) == 30.0
    assert retry_after_seconds({"retry-after": ["2"]}) == 2.0
    assert retry_after_seconds({"Retry-After": "86400"}) == LONGEST_WAIT
    for odd in ("nan", "inf", "soon", ""):
        assert retry_after_seconds({"Retry-After": odd}) == 1.0
    assert retry_after_seconds(None) == 1.0


def test_an_app_installed_through_oauth_reads_history_once_a_minute() -> None:
    """Slack's limit for commercially distributed apps outside its Marketplace; an app in
    its own workspace keeps Tier 3."""
    assert limits_for(distributed=True)["conversations.history"] == 1
    assert limits_for(distributed=False)["conversations.history"] == 50
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pace = SlackPace(limits_for(distributed=True), clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        pace.take_turn("w", "conversations.history")
    assert now[0] >= 2 * 60
