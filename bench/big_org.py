"""A big organisation's surfaces: how many messages, blocks and characters each takes, and
how long it takes to render, against Slack's limits.

    uv run python bench/big_org.py [--repeat 20]

The same teams as ``tests/slackapp/render/test_big_org.py`` (hostile names, some stale,
some never shared,
some away): the weekly post and the manager's DM for 150- and 500-person teams, the App
Home of a manager of 40 teams of 150. Render times are medians over ``--repeat`` runs, in
this process: compare them with each other, not across machines.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slackapp.render.home import home_view  # noqa: E402
from slackapp.render.weekly import board as weekly  # noqa: E402
from slackapp.render.weekly import coaching  # noqa: E402
from tests.slackapp.render.test_big_org import big_board, manager_home, team_momentum  # noqa: E402

# Slack's limits: blocks per message and per view; characters of a message's JSON.
LIMITS = {"message": 50, "view": 100}


def _payloads(render: Callable[[], Any]) -> list[dict[str, Any]]:
    made = render()
    if isinstance(made, dict):  # a view
        return [made]
    messages = made if isinstance(made, list) else [made]
    return [m.ephemeral() for m in messages]


def measure(name: str, render: Callable[[], Any], *, kind: str, repeat: int) -> dict[str, Any]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        payloads = _payloads(render)
        times.append(time.perf_counter() - started)
    return {
        "surface": name,
        "parts": len(payloads),
        "most_blocks": max(len(p["blocks"]) for p in payloads),
        "block_limit": LIMITS[kind],
        "most_chars": max(len(json.dumps(p["blocks"], ensure_ascii=False)) for p in payloads),
        "render_ms": round(statistics.median(times) * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    rows = []
    for people in (150, 500):
        board, members = big_board(people)
        momentum = team_momentum(members)
        rows.append(
            measure(
                f"weekly post, {people} people",
                lambda b=board, m=momentum: weekly.channel_board(
                    b, team_id=1, standings=[], momentum=m
                ),
                kind="message",
                repeat=repeat,
            )
        )
        rows.append(
            measure(
                f"manager DM, {people} people",
                lambda b=board, m=momentum: coaching.manager_summary(
                    b, team_id=1, channel_id="C1", standings=[], momentum=m
                ),
                kind="message",
                repeat=repeat,
            )
        )
    home = manager_home(40, 150)
    rows.append(
        measure(
            "App Home, manager of 40 teams", lambda: home_view(home), kind="view", repeat=repeat
        )
    )
    width = max(len(r["surface"]) for r in rows)
    print(f"{'surface':<{width}}  parts  blocks (limit)  chars  render ms")
    for r in rows:
        print(
            f"{r['surface']:<{width}}  {r['parts']:>5}  {r['most_blocks']:>6}"
            f" ({r['block_limit']:>3})  {r['most_chars']:>6}  {r['render_ms']:>8}"
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
