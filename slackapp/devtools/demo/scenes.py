"""The demo's scenes beyond typing a score: the manager setting up the team, a submission
through the modal, and each Monday's reminders and weekly posts (real scheduler ticks)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from slackapp.clock import ManualClock
from slackapp.devtools.demo.printer import DemoPrinter
from slackapp.devtools.demo.team import BERLIN, CHANNEL, WEEKS, Seller
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.slack_side import SlackSide
from slackapp.weekly.runner import WeeklyRunner


def modal_submission(slack: SlackSide, fake: FakeSlack, seller: Seller, out: DemoPrinter) -> None:
    """Bare /ssi opens the form, prefilled; the seller fixes a typo the form catches."""
    out.typed(seller, "")
    answer, opened = slack.open_view(user_id=seller.user_id, channel_id=CHANNEL)
    view = opened.view
    prefilled = {
        block["block_id"]: block["element"].get("initial_value", "")
        for block in view["blocks"]
        if block["type"] == "input"
    }
    out.note(
        f"a form opens (HTTP {answer.status}), prefilled from last week: "
        + ", ".join(f"{k} {v}" for k, v in prefilled.items() if v)
    )
    engage = f"{seller.pillars[2]:.2f}"
    typo = {"engage": engage.replace(".", ""), "total": ""}
    out.note(f"she types engage {typo['engage']} and presses Save")
    rejected = slack.submit_view(user_id=seller.user_id, view=view, typed=typo)
    for block_id, problem in rejected.json.get("errors", {}).items():
        out.note(f"the form shows under {block_id}: {problem}")
    fixed = {"engage": engage, "find": f"{seller.pillars[1]:.2f}", "total": ""}
    out.note(f"she corrects it to {engage} and presses Save; the form closes")
    before = len(fake.calls("response_url"))
    slack.submit_view(user_id=seller.user_id, view=view, typed=fixed)
    confirmation = fake.wait_for("response_url", before + 1)[-1]
    print(out.terminal.blocks(confirmation.blocks))


def set_up_team(slack: SlackSide, fake: FakeSlack, out: DemoPrinter, manager: Seller) -> None:
    """The manager makes #sales a team with /ssi setup, keeping its defaults."""
    out.heading("Setting up #sales")
    out.typed(manager, "setup")
    view = slack.open_view(user_id=manager.user_id, text="setup", channel_id=CHANNEL)[1].view
    out.note(
        "a form opens, prefilled with her time zone from Slack, Monday 09:00, her as manager "
        "and reminders on; she keeps it all and presses Save"
    )
    out.note(
        "she adds a team goal: an average of 60 by March 31, 2027, and presses Save; the "
        "weekly post and her summary will show progress and a forecast"
    )
    answered = len(fake.calls("response_url"))
    slack.submit_view(
        user_id=manager.user_id,
        view=view,
        typed={"goal_average": "60", "goal_date": "2027-03-31"},
    )
    print(out.terminal.blocks(fake.wait_for("response_url", answered + 1)[-1].blocks))


def run_monday(
    runner: WeeklyRunner,
    fake: FakeSlack,
    out: DemoPrinter,
    clock: ManualClock,
    monday: datetime,
    week: int,
) -> None:
    """The next Monday: reminders three hours before the post to whoever hasn't shared in
    the week that is ending, then the post reporting on it (real ticks)."""
    day = monday.astimezone(BERLIN).date()
    before = len(fake.calls("chat.postMessage"))
    clock.now = datetime.combine(day, time(6, 1), tzinfo=BERLIN).astimezone(UTC)
    runner.tick()
    for call in fake.calls("chat.postMessage")[before:]:
        name = out.terminal.names.get(call.params["channel"], call.params["channel"])
        print(f"\nMonday 06:01, @{name} gets a reminder by DM:")
        print(out.terminal.blocks(call.blocks))
    before = len(fake.calls("chat.postMessage"))
    clock.now = datetime.combine(day, time(9, 1), tzinfo=BERLIN).astimezone(UTC)
    runner.tick()
    runner.tick()  # a second tick (another replica, say) sends nothing again
    posts = fake.calls("chat.postMessage")[before:]
    if week < WEEKS:
        print(
            f"\nMonday {day:%b %-d}, 09:01: {len(posts)} messages go out once, about week "
            f"{week}: the leaderboard in #sales and Grace's summary (shown in full for week "
            f"{WEEKS})."
        )
        return
    for call in posts:
        where = "in #sales" if call.params["channel"] == CHANNEL else "Grace's DM"
        print(f"\nMonday {day:%b %-d}, 09:01, {where}:")
        print(out.terminal.blocks(call.blocks))
