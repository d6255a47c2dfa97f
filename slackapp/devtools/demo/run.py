"""``ssi-leaderboard demo``: a sales team of eight uses /ssi for four weeks.

Everything real but Slack: the real app under uvicorn, real signed HTTP requests, a throwaway
SQLite file with real migrations, real scheduler ticks, and the fake Slack Web API for views,
response_urls and posts. It prints what each person would see in Slack: their replies, the
reminders, and the weekly channel leaderboard and manager summary. In the last week two share
their LinkedIn page instead of typing (``sharing``): one pastes it, one sends a screenshot.
"""

from __future__ import annotations

import random
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from models.store.db import DB_WAIT_SECONDS
from models.store.migrate import upgrade
from slackapp.app import SsiApp
from slackapp.clock import ManualClock
from slackapp.devtools.demo.home import app_home, write_charts
from slackapp.devtools.demo.printer import DemoPrinter
from slackapp.devtools.demo.scenes import modal_submission, run_monday, set_up_team
from slackapp.devtools.demo.sharing import SHARES_PAGE
from slackapp.devtools.demo.team import BERLIN, CHANNEL, FIRST_MONDAY, MISTAKES, WEEKS, sales_team
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.local_server import serving
from slackapp.devtools.slack_side import SlackSide
from slackapp.settings import Settings, load_settings
from slackapp.weekly.posting.pacing import ChannelPacer


def run_demo(*, color: bool | None = None) -> None:
    """Run the demo and print it."""
    use_color = sys.stdout.isatty() if color is None else color
    team = sales_team()
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
                locale=seller.locale,  # Ben's Slack speaks German, Ana's Spanish
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
            set_up_team(slack, fake, out, people["U0GRACE"])
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
                        modal_submission(slack, fake, seller, out)
                        continue
                    share = SHARES_PAGE.get(seller.user_id)  # its text, or a screenshot
                    if week == WEEKS and share and share(slack, fake, seller, out):
                        continue  # else (nothing read to save) they type it, as every week
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
                run_monday(runner, fake, out, clock, monday + timedelta(weeks=1), week)
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
