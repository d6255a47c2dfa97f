"""The demo's App Home and charts: opening the Home tab as Slack does, and writing the charts
the app uploaded to a folder the demo names."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from slackapp.devtools.fake_slack.calls import Call
from slackapp.devtools.fake_slack.server import FakeSlack
from slackapp.devtools.slack_side import SlackSide
from slackapp.slack.calls.home_publisher import HomePublisher


def app_home(slack: SlackSide, fake: FakeSlack, user_id: str) -> list[dict[str, Any]]:
    """Someone opens the app's Home tab (as Slack tells the app): the blocks published."""

    def theirs(call: Call) -> bool:
        return bool(call.params.get("user_id") == user_id)

    published = sum(theirs(c) for c in fake.calls("views.publish"))
    slack.event({"type": "app_home_opened", "user": user_id, "tab": "home"})
    # Others' Homes may be published meanwhile (their changes): wait for this person's, and
    # for the one with their new chart, published again once Slack has it.
    fake.wait_for("views.publish", published + 1, timeout=30, where=theirs)
    HomePublisher.all_idle(timeout=30)
    home = [c for c in fake.calls("views.publish") if theirs(c)][-1]
    blocks: list[dict[str, Any]] = home.view["blocks"]
    return blocks


def write_charts(fake: FakeSlack) -> None:
    """The charts the app uploaded, as PNG files in a folder that outlives the demo."""
    folder = Path(tempfile.gettempdir()) / "ssi-demo-charts"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.png"):  # an earlier run's
        old.unlink()
    written = []
    for call in fake.calls("files.completeUploadExternal"):
        for item in json.loads(call.params.get("files") or "[]"):
            path = folder / f"{item['id']}-{item.get('title', 'chart')}.png".replace(" ", "-")
            path.write_bytes(fake.files.png(item["id"]))
            written.append(path.name)
    print(f"\nThe charts shown above ({len(written)}), as PNG files in {folder}:")
    for name in written:
        print(f"  {name}")
