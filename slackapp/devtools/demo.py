"""``ssi-leaderboard demo``: a sales team of eight uses /ssi for four weeks.

Everything real but Slack: the real app under uvicorn, real signed HTTP requests, a throwaway
SQLite file with real migrations, real scheduler ticks, and the fake Slack Web API for views,
response_urls and posts. It prints what each person would see in Slack: their replies, the
reminders, and the weekly channel leaderboard and manager summary.
"""

from __future__ import annotations

import random
import secrets
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from models.store.db import DB_WAIT_SECONDS
from models.store.migrate import upgrade
from slackapp.app import SsiApp
from slackapp.clock import ManualClock
from slackapp.devtools.demo_home import app_home, write_charts
from slackapp.devtools.fake_slack import FakeSlack
from slackapp.devtools.local_server import serving
from slackapp.devtools.slack_requests import Answer, SlackSide
from slackapp.devtools.terminal import Terminal
from slackapp.settings import Settings, load_settings
from slackapp.weekly.posting.pacing import ChannelPacer
from slackapp.weekly.runner import WeeklyRunner

CHANNEL = "C0SALES"
FIRST_MONDAY = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
WEEKS = 4
BERLIN = ZoneInfo("Europe/Berlin")
# The team keeps the set-up's default: its leaderboard goes out on Mondays at 09:00, Berlin
# time, and reports on the seven days before.


@dataclass
class Seller:
    """A demo team member and how they like to type their SSI."""

    user_id: str
    name: str
    pillars: list[float]  # brand, find, engage, relate
    style: str  # "total" first, just the "pillars", or "comma" decimals
    industry: tuple[int, int] | None = None  # average, top %
    network: tuple[int, int] | None = None
    skips_week: int | None = None
    away_week: int | None = None  # says /ssi away until the week's end instead of sharing

    def typed(self) -> str:
        """What they type after /ssi, as LinkedIn shows it (total rounded)."""
        total = round(sum(self.pillars))
        pillars = [f"{p:.2f}".rstrip("0").rstrip(".") for p in self.pillars]
        if self.style == "comma":
            pillars = [p.replace(".", ",") for p in pillars]
        text = " ".join(pillars if self.style == "pillars" else [str(total), *pillars])
        if self.industry:
            text += f" industry {self.industry[0]} top {self.industry[1]}%"
        if self.network:
            text += f" network {self.network[0]} top {self.network[1]}%"
        return text

    def next_week(self, rng: random.Random) -> None:
        """SSI moves a little each week: brand and relate slowly, find and engage faster."""
        steps = (0.3, 0.9, 1.1, 0.3)
        self.pillars = [
            min(25.0, max(0.0, round(p + rng.uniform(-step * 0.6, step), 2)))
            for p, step in zip(self.pillars, steps, strict=True)
        ]


def _team() -> list[Seller]:
    return [
        Seller("U0ANA", "Ana Ortiz", [21.4, 17.66, 13.78, 19.4], "comma", (22, 3), (37, 14)),
        Seller("U0BEN", "Ben Fischer", [16.2, 14.1, 12.35, 15.8], "comma", (24, 18)),
        Seller("U0CHLOE", "Chloé Martin", [19.1, 16.4, 14.2, 15.6], "total", None, (33, 20)),
        Seller("U0DEV", "Dev Patel", [12.5, 11.2, 8.9, 11.4], "pillars", skips_week=3),
        Seller("U0EMMA", "Emma Rossi", [17.8, 15.3, 12.6, 15.1], "total", (22, 9), (31, 25)),
        Seller("U0FINN", "Finn Larsen", [9.8, 8.1, 6.4, 9.2], "total", away_week=WEEKS),
        Seller("U0GRACE", "Grace Kim", [20.3, 17.2, 15.9, 16.8], "total", (25, 4), (40, 11)),
        Seller("U0HUGO", "Hugo Brandt", [15.1, 13.4, 10.9, 13.2], "pillars"),
    ]


# Mistakes people make, each followed by the corrected submission: (week, user, text).
MISTAKES = [
    (1, "U0FINN", "33 9,8 8,1 6,4 9,2 industry 22 top 120%"),
    (2, "U0DEV", "44 26 11 9 11"),
    (2, "U0HUGO", "fifty-three"),
    (3, "U0EMMA", "86 17,8 15,3 12,6 15,1"),
    (3, "U0BEN", "58 16 14 12"),
]


class DemoPrinter:
    def __init__(self, team: list[Seller], color: bool) -> None:
        names = {s.user_id: s.name.split()[0].lower() for s in team} | {CHANNEL: "sales"}
        self.terminal = Terminal(names, color=color)
        self.color = color

    def heading(self, text: str) -> None:
        bar = "═" * len(text)
        print(f"\n{self._bold(text)}\n{bar}")

    def _bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.color else text

    def typed(self, seller: Seller, text: str) -> None:
        print(f"\n{self._bold(seller.name)} types  /ssi {text}".rstrip())

    def reply(self, answer: Answer, *, full: bool) -> None:
        if answer.status != 200:
            print(f"  │ HTTP {answer.status}: {answer.body}")
            return
        body = answer.json
        if full and body.get("blocks"):
            print(self.terminal.blocks(body["blocks"]))
        else:
            print(f"  │ {body.get('text', '')}")

    def note(self, text: str) -> None:
        print(f"  ({text})")


def run_demo(*, color: bool | None = None) -> None:
    """Run the demo and print it."""
    use_color = sys.stdout.isatty() if color is None else color
    team = _team()
    people = {s.user_id: s for s in team}
    rng = random.Random(2026)
    out = DemoPrinter(team, use_color)
    signing_secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="ssi-demo-") as folder, FakeSlack() as fake:
        database_url = f"sqlite:///{Path(folder) / 'demo.db'}"
        settings: Settings = load_settings(
            database_url=database_url,
            slack_signing_secret=signing_secret,
            slack_bot_token="xoxb-demo-" + secrets.token_hex(8),
            slack_api_url=fake.api_url,
        )
        clock = ManualClock(FIRST_MONDAY + timedelta(minutes=30))  # set up after 09:00
        app = SsiApp(settings, clock=clock, wait=DB_WAIT_SECONDS, pacer=ChannelPacer(0))
        upgrade(app.engine)
        runner = app.runner
        for seller in team:
            fake.add_user(
                seller.user_id,
                name=seller.name.split()[0].lower(),
                tz="Europe/Berlin",
                profile={"display_name": seller.name},
                # Ben's Slack speaks German and Ana's Spanish: their replies follow.
                locale={"U0BEN": "de-DE", "U0ANA": "es-ES"}.get(seller.user_id, "en-US"),
            )
        fake.set_channel_members(CHANNEL, [s.user_id for s in team] + ["U0SLACKBOT"])
        fake.add_user("U0SLACKBOT", name="polly", is_bot=True)
        with serving(app.web()) as app_url:
            slack = SlackSide(app_url=app_url, signing_secret=signing_secret, fake=fake)
            print(
                f"SSI Leaderboard demo: the real app at {app_url}, a fake Slack at "
                f"{fake.base_url}, SQLite in a temporary folder."
            )
            print("Eight sellers share their SSI in #sales for four weeks.")
            _set_up_team(slack, fake, out, people["U0GRACE"])
            for week in range(1, WEEKS + 1):
                monday = FIRST_MONDAY + timedelta(weeks=week - 1)
                out.heading(f"Week {week}: from {monday.astimezone(BERLIN):%A %b %-d, %Y, %H:%M}")
                full = week in (1, WEEKS)
                if not full:
                    out.note("one line per reply this week; weeks 1 and 4 show them in full")
                for minute, seller in enumerate(team):
                    clock.now = monday + timedelta(hours=1 + minute % 3, minutes=7 * minute)
                    if seller.skips_week == week:
                        continue
                    if seller.away_week == week:
                        # Away for the week: not "hasn't shared", streak paused.
                        until = (monday + timedelta(days=6)).astimezone(BERLIN).date()
                        text = f"away until {until.isoformat()}"
                        out.typed(seller, text)
                        out.reply(
                            slack.command(user_id=seller.user_id, text=text, channel_id=CHANNEL),
                            full=True,
                        )
                        continue
                    for mistake_week, user_id, text in MISTAKES:
                        if mistake_week == week and user_id == seller.user_id:
                            out.typed(seller, text)
                            out.reply(
                                slack.command(user_id=user_id, text=text, channel_id=CHANNEL),
                                full=True,
                            )
                    if seller.user_id == "U0CHLOE" and week == WEEKS:
                        _modal_submission(slack, fake, seller, out)
                        continue
                    text = seller.typed()
                    out.typed(seller, text)
                    out.reply(
                        slack.command(
                            user_id=seller.user_id,
                            text=text,
                            channel_id=CHANNEL,
                            user_name=seller.name.split()[0].lower(),
                        ),
                        full=full,
                    )
                hugo, dev = people["U0HUGO"], people["U0DEV"]
                if week == WEEKS:
                    out.heading("Later that week")
                    clock.now = monday + timedelta(days=3)
                    for seller, text in ((hugo, "me"), (hugo, "board"), (dev, "me"), (dev, "help")):
                        out.typed(seller, text)
                        out.reply(
                            slack.command(user_id=seller.user_id, text=text, channel_id=CHANNEL),
                            full=True,
                        )
                _monday(runner, fake, out, clock, monday + timedelta(weeks=1), week)
                for seller in team:
                    seller.next_week(rng)

            out.heading("Later")
            out.typed(hugo, "undo")
            out.reply(
                slack.command(user_id=hugo.user_id, text="undo", channel_id=CHANNEL), full=True
            )
            out.heading("Grace opens the App Home tab")
            print(out.terminal.blocks(app_home(slack, fake, people["U0GRACE"].user_id)))
            write_charts(fake)
        app.close()
    print("\nThe temporary database is gone; `ssi-leaderboard serve` keeps yours.")


def _modal_submission(slack: SlackSide, fake: FakeSlack, seller: Seller, out: DemoPrinter) -> None:
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


def _set_up_team(slack: SlackSide, fake: FakeSlack, out: DemoPrinter, manager: Seller) -> None:
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


def _monday(
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
