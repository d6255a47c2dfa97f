"""Charts in the weekly post and the App Home, the Share button, and publishing Homes at
Slack's pace: over real HTTP against the fake Slack, which plays Slack's upload flow
(a file is shown only once processed) and its rate limits."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

from sqlalchemy import Engine

from models.domain.scope import Scope
from models.services.readings import HOME_ON_SCREEN
from slackapp.clock import ManualClock
from slackapp.devtools.fake_slack.calls import Fault
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.slack.calls.chart_files import ChartFiles
from slackapp.slack.calls.client import create_web_client
from slackapp.slack.calls.home_publisher import HomePublisher
from slackapp.slack.calls.rate_limits import SlackPace
from tests.blockkit import assert_valid_message, assert_valid_view
from tests.conftest import RunningApp
from tests.factories import ACME, SLOT, channel_posts, make_team, runner, submit

PNG = b"\x89PNG\r\n\x1a\n"


def _history(engine: Engine) -> None:
    make_team(engine)
    submit(engine, "U1", 60, SLOT - timedelta(days=8), industry="40")
    submit(engine, "U1", 64, SLOT - timedelta(hours=2), industry="40")
    submit(engine, "U2", 70, SLOT - timedelta(days=8))
    submit(engine, "U2", 66, SLOT - timedelta(hours=1))


def _image(blocks: list[dict]) -> dict:
    (image,) = [b for b in blocks if b["type"] == "image"]
    return image


def test_the_weekly_post_shows_the_team_chart_once_slack_has_processed_it(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _history(engine)
    fake_slack.files.processing = 0.5
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    (asked,) = fake_slack.calls("files.getUploadURLExternal")
    assert (
        asked.params["filename"] == "ssi-team-week.png" and "Bar chart" in asked.params["alt_txt"]
    )
    (uploaded,) = fake_slack.calls("file.upload")
    file_id = uploaded.params["file_id"]
    assert fake_slack.files.png(file_id).startswith(PNG)
    (completed,) = fake_slack.calls("files.completeUploadExternal")
    assert "channel_id" not in completed.params and "channels" not in completed.params
    looks = fake_slack.calls("files.info")
    assert len(looks) >= 2  # asked until processed: not ready at first
    (board,) = channel_posts(fake_slack)
    assert board.at >= completed.at + 0.5
    assert_valid_message({"text": board.params["text"], "blocks": board.blocks})
    image = _image(board.blocks)
    assert image["slack_file"] == {"id": file_id}
    assert "team average 65" in image["alt_text"] and "industry average 40" in image["alt_text"]
    (dm,) = channel_posts(fake_slack, "UBOSS")
    assert not [b for b in dm.blocks if b["type"] == "image"]


def test_a_chart_slack_is_still_processing_leaves_the_post_without_it(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _history(engine)
    fake_slack.files.processing = 60
    run = runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1)))
    run.charts_for.files.ready_within = 0.3
    assert dict(run.tick().sent) == {"board": 1, "manager": 1}
    (board,) = channel_posts(fake_slack)
    assert not [b for b in board.blocks if b["type"] == "image"]


def test_the_same_chart_is_not_drawn_or_uploaded_again(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _history(engine)
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    (board,) = channel_posts(fake_slack)
    client = create_web_client(token="xoxb-test", base_url=fake_slack.api_url)
    files = ChartFiles(engine=engine, clock=ManualClock(SLOT))
    from models.services.boards import boards_for
    from models.store.teams import all_teams
    from slackapp.render.charts.pictures import team_week

    with engine.connect() as db:
        (team,) = all_teams(db=db)
    boards, _ = boards_for(engine, [team], {team.id: _week_of(board)})
    chart = team_week(boards[team.id])
    assert chart is not None
    again = files.show(client, ACME, chart)
    assert again == _image(board.blocks) | {"title": again["title"]}
    assert len(fake_slack.calls("files.getUploadURLExternal")) == 1


def _week_of(post) -> object:  # the week the post reports on, from its metadata
    from models.domain.weeks import week_end_of, week_ending

    metadata = post.params["metadata"]
    metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
    end = week_end_of(metadata["event_payload"]["week"])
    assert end is not None
    return week_ending(end, "Europe/Berlin")


def test_a_chart_deleted_in_slack_is_dropped_and_the_post_still_goes(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _history(engine)
    clock = ManualClock(SLOT + timedelta(minutes=1))
    run = runner(engine, fake_slack, clock)
    run.tick()
    (first,) = channel_posts(fake_slack)
    fake_slack.files.delete({"file": _image(first.blocks)["slack_file"]["id"]})
    with engine.begin() as db:  # the same week again (as after an undo), its board unchanged
        from models.store.tables import PostLedger

        db.execute(PostLedger.__table__.delete().where(PostLedger.__table__.c.kind == "board"))
    clock.advance(minutes=1)
    assert run.tick().sent["board"] == 1
    refused, resent = [
        c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == "C1"
    ][1:]
    assert _image(refused.blocks) and not [b for b in resent.blocks if b["type"] == "image"]


def test_share_opens_the_form_prefilled_and_answers_where_the_button_was(
    app: RunningApp,
) -> None:
    _history(app.engine)
    runner(app.engine, app.fake, ManualClock(SLOT + timedelta(minutes=1))).tick()
    (board,) = channel_posts(app.fake)
    answer, response_url = app.slack.click(
        user_id="U1", message={"blocks": board.blocks}, action_id="ssi_share", channel_id="C1"
    )
    assert answer.status == 200
    view = app.fake.wait_for("views.open")[-1].view
    prefill = {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input"
    }
    assert prefill["total"] == "64" and prefill["industry_average"] == "40"
    assert json.loads(view["private_metadata"]) == {
        "channel_id": "C1",
        "response_url": response_url,
    }
    app.slack.submit_view(user_id="U1", view=view, typed={"total": "66", "brand": "16.5"})
    (reply,) = [
        c for c in app.fake.wait_for("response_url") if c.params["response_url"] == response_url
    ]
    assert "66" in reply.params["text"]


def _open_home(app: RunningApp, user: str, view: dict | None = None) -> None:
    event = {"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home"}
    if view is not None:
        event["view"] = view
    assert app.slack.event(event).status == 200
    assert HomePublisher.all_idle()


def test_the_app_home_is_published_on_open_and_skipped_when_unchanged(app: RunningApp) -> None:
    _history(app.engine)
    app.clock.now = SLOT + timedelta(hours=1)
    _open_home(app, "U1")
    # At once without the chart, which was never uploaded; again once Slack shows it.
    at_once, published = app.fake.calls("views.publish")
    assert at_once.params["user_id"] == published.params["user_id"] == "U1"
    assert not [b for b in at_once.view["blocks"] if b["type"] == "image"]
    view = published.view
    assert_valid_view(view)
    text = json.dumps(view["blocks"])
    assert "Your latest SSI" in text and "vs your industry" in text and "weakest pillar" in text
    assert _image(view["blocks"])["slack_file"]["id"].startswith("F")
    actions = [e.get("action_id") for b in view["blocks"] for e in b.get("elements", [])]
    assert {"ssi_share", "ssi_home_reminders", "ssi_home_privacy", "ssi_home_away"} <= set(actions)
    _open_home(app, "U1", view=view)  # Slack sends the view it shows: the same, not resent
    assert len(app.fake.calls("views.publish")) == 2
    app.slack.command(user_id="U1", text="70 18 17 17 18", channel_id="C1")
    assert HomePublisher.all_idle()
    # Refreshed after the submission (on screen), and again with the new chart.
    assert len(app.fake.calls("views.publish")) == 4
    app.slack.command(user_id="U3", text="50 12 12 12 14", channel_id="C1")
    assert HomePublisher.all_idle()
    assert len(app.fake.calls("views.publish")) == 4  # U3 never opened it: nothing to keep


def test_a_submission_publishes_the_home_only_while_it_is_on_screen(app: RunningApp) -> None:
    """Slack says when a Home is opened, never when it is left: one opened within
    ``HOME_ON_SCREEN`` is kept current; an older one is built anew when next opened."""
    _history(app.engine)
    app.clock.now = SLOT + timedelta(hours=1)
    _open_home(app, "U2")
    opened = len(app.fake.calls("views.publish"))
    app.clock.advance(seconds=HOME_ON_SCREEN.total_seconds() + 60)
    for total in (61, 62, 63):
        app.slack.command(user_id="U2", text=f"{total} 15 15 15 16", channel_id="C1")
    assert HomePublisher.all_idle()
    assert len(app.fake.calls("views.publish")) == opened  # left long ago: nothing sent
    _open_home(app, "U2")
    assert "63" in json.dumps(app.fake.calls("views.publish")[-1].view)
    app.slack.command(user_id="U2", text="64 16 16 16 16", channel_id="C1")
    assert HomePublisher.all_idle()
    assert "64" in json.dumps(app.fake.calls("views.publish")[-1].view)


def test_a_slow_chart_holds_up_no_one_elses_home(app: RunningApp) -> None:
    """Slack takes 4 s to process U1's chart: U2's Home (its chart known already) and U1's
    own Home without its chart are published meanwhile; U1's chart follows."""
    _history(app.engine)
    app.clock.now = SLOT + timedelta(hours=1)
    _open_home(app, "U2")  # U2's chart uploaded and known
    before = len(app.fake.calls("views.publish"))
    app.fake.files.processing = 4.0
    started = time.monotonic()
    for user in ("U1", "U2"):
        event = {"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home"}
        assert app.slack.event(event).status == 200
    meanwhile = app.fake.wait_for("views.publish", count=before + 2, timeout=3.0)[before:]
    assert time.monotonic() - started < 3.0
    assert {c.params["user_id"] for c in meanwhile} == {"U1", "U2"}
    assert HomePublisher.all_idle(timeout=30)
    last = app.fake.calls("views.publish")[-1]
    assert last.params["user_id"] == "U1" and _image(last.view["blocks"])


def test_a_managers_home_shows_the_team_and_the_nudge_posts_in_its_channel(
    app: RunningApp,
) -> None:
    _history(app.engine)
    app.clock.now = SLOT + timedelta(hours=1)
    _open_home(app, "UBOSS")
    view = app.fake.calls("views.publish")[-1].view
    assert_valid_view(view)
    text = json.dumps(view["blocks"])
    assert "Teams you manage" in text and "Not shared yet: " in text
    app.slack.click(
        user_id="UBOSS", message={"blocks": view["blocks"]}, action_id="ssi_nudge", channel_id=""
    )
    (nudge,) = app.fake.wait_for("chat.postMessage")
    assert nudge.params["channel"] == "C1" and "ssi_share" in json.dumps(nudge.blocks)
    app.slack.click(  # someone else pressing a manager's button: nothing
        user_id="U1", message={"blocks": view["blocks"]}, action_id="ssi_nudge", channel_id=""
    )
    assert len(app.fake.calls("chat.postMessage")) == 1


def test_home_publishes_keep_slacks_pace_and_merge_repeated_opens(fake_slack: FakeSlack) -> None:
    """500 opens by 250 people in a burst: at most 100 publishes in any minute (Slack's
    Tier 4), one per person, none refused; measured on a virtual clock."""
    now = [0.0]
    lock = threading.Lock()

    def advance(seconds: float) -> None:
        with lock:
            now[0] += seconds

    publisher = HomePublisher(
        build=lambda client, scope, user, opened: {"type": "home", "blocks": []},
        fingerprint_of=lambda view: None,
        per_minute=90,
        burst=10,
        workers=1,  # one worker: its pauses are the virtual clock's time
        clock=lambda: now[0],
        wait=advance,
    )
    # The publisher's own pace is what is measured, on its virtual clock: the client's
    # shared pace (real time) is left out.
    client = create_web_client(
        token="xoxb-test", base_url=fake_slack.api_url, pace=SlackPace(limits={})
    )
    fake_slack.limits.per_minute["views.publish"] = (
        10_000  # counts; Slack's pace is the publisher's job
    )
    for user in [f"U{i:03d}" for i in range(250)] * 2:
        publisher.request(client, Scope("T0ACME"), user, opened=True)
    assert publisher.idle(timeout=60)
    times = list(publisher.counts.published_at)
    # One per person, but for an open that came after the worker had taken the first.
    assert len(times) == len(fake_slack.calls("views.publish")) <= 250 + 1
    assert publisher.counts.published + publisher.counts.merged == 500
    assert max(sum(1 for t in times if start <= t < start + 60) for start in times) <= 100


def test_a_name_with_dollar_signs_is_drawn_as_typed_not_as_maths() -> None:
    from models.domain.weekly.members import Member, MemberWeek, Sample
    from models.domain.weekly.tally import weekly_board
    from slackapp.render.charts.pictures import team_week
    from tests.factories import CALENDAR_WEEK

    sample = Sample(6000, 1500, 1500, 1500, 1500, None, None)
    board = weekly_board(
        [MemberWeek(Member("U1", "$$ Bob $ rich"), sample, None, None, sample, None)],
        CALENDAR_WEEK,
    )
    chart = team_week(board)
    assert chart is not None and chart.draw().startswith(PNG)


def test_forget_me_deletes_the_persons_charts_in_slack_too(app: RunningApp) -> None:
    _history(app.engine)
    app.clock.now = SLOT + timedelta(hours=1)
    _open_home(app, "U1")
    trend = _image(app.fake.calls("views.publish")[-1].view["blocks"])["slack_file"]["id"]
    prompt = app.slack.command(user_id="U1", text="forget-me").json
    app.slack.click(user_id="U1", message=prompt, action_id="ssi_forget_me_confirm")
    (deleted,) = app.fake.wait_for("files.delete")
    assert deleted.params["file"] == trend
    assert trend not in app.fake.files.files


# --- What the charts show: a bar per member, the spread of a big team, stale scores marked,
# an honest trend, the whole history on request ------------------------------------------

SOLID = (29, 78, 216)  # charts.COLOURS["total"]
FADED = (191, 219, 254)  # charts.COLOURS["stale"]: an earlier week's score, hatched


def _pixels(png: bytes):
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.size, image.load()


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """The (start, end) of each run of True."""
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _drawn_bars(png: bytes) -> list[str]:
    """A bar chart's bars from top to bottom, read off the picture along a line just right
    of where the bars start: "solid" or "faded" (an earlier week's, hatched)."""
    (width, height), pixel = _pixels(png)
    coloured = [(x, y) for x in range(width) for y in range(height) if pixel[x, y] == SOLID]
    left = min(x for x, _ in coloured) + 3
    column = [pixel[left, y] for y in range(height)]
    bars = _runs([min(p) < 235 for p in column])
    return ["faded" if FADED in column[a:b] else "solid" for a, b in bars if b - a > 8]


def _drawn_columns(png: bytes) -> int:
    """A histogram's columns, counted along lines just above its base: the fewest, where
    the average lines' dashes leave a gap (they run across the columns)."""
    (width, height), pixel = _pixels(png)
    edges = [y for y in range(height) if sum(max(pixel[x, y]) < 80 for x in range(width)) > 300]
    base = max(edges)  # the axes' lower edge (the legend is below it)
    return min(
        len(_runs([pixel[x, y] == SOLID for x in range(width)])) for y in range(base - 14, base - 2)
    )


def _uploaded(fake: FakeSlack, filename: str) -> tuple[str, bytes]:
    """The alt text and picture of the one chart uploaded as ``filename``."""
    (stored,) = [f for f in fake.files.files.values() if f.name == filename]
    return stored.alt_txt, stored.content


def _team_of(engine: Engine, people: int, stale: set[int]) -> None:
    """A team of ``people``; those in ``stale`` last shared three weeks before the week."""
    from models.domain.weekly.members import Member

    members = [Member(f"U{i:03d}", f"Person {i}") for i in range(people)]
    make_team(engine, members=members)
    for i, member in enumerate(members):
        if i in stale:
            submit(engine, member.user_id, 30 + i % 60, SLOT - timedelta(days=22), industry="40")
        else:
            submit(engine, member.user_id, 30 + i % 60, SLOT - timedelta(days=8), industry="40")
            submit(engine, member.user_id, 31 + i % 60, SLOT - timedelta(hours=3))


def test_the_weekly_chart_has_a_bar_per_member_and_marks_earlier_weeks_scores(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _team_of(engine, 6, stale={1, 4})
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    alt, png = _uploaded(fake_slack, "ssi-team-week.png")
    # This week's first, best on top; the two from an earlier week after them, hatched.
    assert _drawn_bars(png) == ["solid"] * 4 + ["faded"] * 2
    assert "2 members' scores are from an earlier week" in alt


def test_a_big_teams_chart_shows_the_spread_of_all_its_members(
    engine: Engine, fake_slack: FakeSlack
) -> None:
    _team_of(engine, 150, stale=set(range(0, 150, 15)))
    runner(engine, fake_slack, ManualClock(SLOT + timedelta(minutes=1))).tick()
    alt, png = _uploaded(fake_slack, "ssi-team-week.png")
    assert alt.startswith("Histogram of 150 members' SSI this week in 5-point steps")
    assert "10 members' scores are from an earlier week" in alt
    # Totals 31 to 90 this week: a column for each 5-point step from 30-35 to 90-95.
    assert _drawn_columns(png) == 13
    (width, height), pixel = _pixels(png)
    assert width == 600 and height < 450  # not 150 bars' worth
    assert any(pixel[x, y] == FADED for x in range(width) for y in range(height))


def test_the_trend_total_axis_is_honest_about_small_moves() -> None:
    from slackapp.render.charts.pictures import total_axis

    low, high = total_axis([50, 61, 55])
    assert high - low >= 30 and low <= 48 and high >= 63  # a 10-point dip is not a cliff
    assert total_axis([2, 5]) == (0.0, 30.0)
    assert total_axis([97, 99]) == (70.0, 100.0)
    assert total_axis([20, 90]) == (15.0, 95.0)


def _weekly_readings(engine: Engine, weeks: int) -> None:
    for week in range(weeks):
        submit(engine, "U1", 50 + week % 9, SLOT - timedelta(weeks=weeks - week, hours=-1))


def test_ssi_me_shows_the_last_weeks_and_the_whole_history_on_request(app: RunningApp) -> None:
    _weekly_readings(app.engine, 30)
    app.clock.now = SLOT
    me = app.slack.command(user_id="U1", text="me").json
    app.slack.click(user_id="U1", message=me, action_id="ssi_trend_chart")
    (reply,) = app.fake.wait_for("response_url")
    assert_valid_message({"text": reply.params["text"], "blocks": reply.params["blocks"]})
    alt, png = _uploaded(app.fake, "ssi-trend.png")
    assert "over 12 weeks" in alt
    assert _pixels(png)[0] == (600, 320)
    # Thirty weeks shared, twelve shown: the whole history is offered with the chart.
    app.slack.click(
        user_id="U1", message={"blocks": reply.params["blocks"]}, action_id="ssi_trend_history"
    )
    whole = app.fake.wait_for("response_url", 2)[-1]
    assert _image(whole.params["blocks"])["title"]["text"] == "Your whole SSI history"
    alt, png = _uploaded(app.fake, "ssi-history.png")
    assert "over 30 weeks" in alt
    assert _pixels(png)[0] == (600, 480)
    # /ssi me offers the whole history directly too.
    actions = [e.get("action_id") for b in me["blocks"] for e in b.get("elements", [])]
    assert {"ssi_trend_chart", "ssi_trend_history"} <= set(actions)


def test_someone_who_shares_daily_still_sees_twelve_weeks(app: RunningApp) -> None:
    for day in range(100):
        submit(app.engine, "U1", 50 + day % 7, SLOT - timedelta(days=100 - day))
    app.clock.now = SLOT
    me = app.slack.command(user_id="U1", text="me").json
    app.slack.click(user_id="U1", message=me, action_id="ssi_trend_chart")
    app.fake.wait_for("response_url")
    alt, _png = _uploaded(app.fake, "ssi-trend.png")
    assert "over 12 weeks" in alt


def test_a_trend_chart_slack_refuses_is_answered_as_such(app: RunningApp) -> None:
    _weekly_readings(app.engine, 3)
    app.clock.now = SLOT
    for _ in range(3):  # however often the upload is tried
        app.fake.script("files.getUploadURLExternal", Fault(error="not_allowed_token_type"))
    me = app.slack.command(user_id="U1", text="me").json
    app.slack.click(user_id="U1", message=me, action_id="ssi_trend_chart")
    (reply,) = app.fake.wait_for("response_url")
    assert "try again in a minute" in reply.params["text"]  # not "needs two weeks"
    assert "two different weeks" not in reply.params["text"]
