"""The App Home tab: a person's dashboard, and their teams at a glance if they manage any.

The view carries a fingerprint of what it shows in ``private_metadata``; Slack sends the
published view back with every ``app_home_opened``, so an open that would publish the same
view again is skipped (``slack.home``)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from models.domain.privacy import Privacy
from models.domain.ssi import PILLAR_TIPS, Pillar
from models.home import Home, ManagedTeam
from slackapp.render.blocks import (
    MAX_VIEW_BLOCKS,
    Block,
    button,
    context_block,
    delta,
    one_decimal,
    option,
    score,
    section,
    slack_date,
)
from slackapp.render.momentum import goal_text, share_button, streak_sentence

REMINDERS_ACTION = "ssi_home_reminders"
PRIVACY_ACTION = "ssi_home_privacy"
AWAY_ACTION = "ssi_home_away"
BACK_ACTION = "ssi_home_back"
NUDGE_ACTION = "ssi_nudge"
WAITING_SHOWN = 15


def _latest(home: Home) -> list[Block]:
    latest = home.latest
    if latest is None:
        return [
            section(
                "You haven't shared your SSI yet. Find it at linkedin.com/sales/ssi, then click "
                "*Share my SSI*: your trend, streaks and rank on each team appear here."
            )
        ]
    reading = latest.reading
    previous = home.history[1].reading if len(home.history) > 1 else None
    change = f" ({delta(reading.total - previous.total)})" if previous else ""
    fields = [f"*Total*\n{score(reading.total)} of 100{change}"]
    fields += [f"*{p.title}*\n{score(reading.pillar(p))} of 25" for p in Pillar]
    for name in ("industry", "network"):
        known = home.benchmarks.get(name)
        average = known.benchmark.average if known else None
        if average is not None:
            gap = delta(reading.total - average)
            top = known.benchmark.top_percent if known else None
            rank = f", top {score(top)}%" if top is not None else ""
            fields.append(f"*vs your {name}*\naverage {score(average)}: {gap}{rank}")
    blocks: list[Block] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*Your latest SSI*, {slack_date(latest.submitted_at)}",
            },
            "fields": [{"type": "mrkdwn", "text": f} for f in fields[:10]],
        }
    ]
    weakest: Pillar = reading.weakest_pillar
    blocks.append(
        section(f":bulb: Your weakest pillar is *{weakest.title}*. {PILLAR_TIPS[weakest]}")
    )
    return blocks


def _teams(home: Home) -> list[Block]:
    lines = []
    for place in home.places:
        rank = f"#{place.rank.rank} of {place.rank.of} this week. " if place.rank else ""
        lines.append(f"{rank}{streak_sentence(place.streak, place.team.channel_id)}")
    if not lines:
        return []
    if home.more_teams:
        lines.append(f"…and {home.more_teams} more teams.")
    return [section("*Your teams*\n" + "\n".join(lines))]


def _settings(home: Home) -> list[Block]:
    privacy = home.settings.privacy
    options = [
        option("Named on channel boards", Privacy.PUBLIC.value),
        option("Anonymous on channel boards", Privacy.ANONYMOUS.value),
        option("Hidden from channel boards", Privacy.HIDDEN.value),
    ]
    chosen = next(o for o in options if o["value"] == privacy.value)
    reminders = home.settings.reminders
    elements: list[Block] = [
        share_button(),
        button(
            "Turn reminders off" if reminders else "Turn reminders on",
            REMINDERS_ACTION,
            "off" if reminders else "on",
        ),
        {
            "type": "static_select",
            "action_id": PRIVACY_ACTION,
            "options": options,
            "initial_option": chosen,
        },
        button("I'm back", BACK_ACTION) if home.away else button("I'm away…", AWAY_ACTION),
    ]
    blocks: list[Block] = [{"type": "actions", "elements": elements}]
    status = f"Reminders are {'on' if reminders else 'off'}."
    if home.away is not None:
        status += f" You're away until {slack_date(home.away.ends)}: no reminders, streaks paused."
    blocks.append(context_block(status))
    return blocks


def _managed(team: ManagedTeam) -> list[Block]:
    board, channel = team.board, team.team.channel_id
    average = (
        f"average so far {one_decimal(board.team_average)}"
        if board.team_average is not None
        else "no scores yet"
    )
    lines = [f"*<#{channel}>*: {average}, {len(board.current)} shared this week"]
    changes = [e.total_delta for e in board.current if e.total_delta is not None]
    if changes:
        mean = sum(changes, start=changes[0] * 0) / len(changes)
        lines.append(f"Mean change of those who shared both weeks: {delta(mean)}")
    waiting = team.waiting
    if waiting:
        names = ", ".join(m.name for m in waiting[:WAITING_SHOWN])
        more = len(waiting) - WAITING_SHOWN
        lines.append(f"Not shared yet: {names}" + (f" and {more} more" if more > 0 else ""))
    away = [m.name for m in board.non_submitters if m.user_id in team.momentum.away]
    if away:
        lines.append("Away: " + ", ".join(away[:WAITING_SHOWN]))
    if team.momentum.goal is not None:
        lines.append(goal_text(team.momentum.goal))
    block = section("\n".join(lines))
    if waiting:
        block["accessory"] = button("Nudge the channel", NUDGE_ACTION, str(team.team.id))
    return [block]


def home_view(home: Home, chart: Block | None = None) -> dict[str, Any]:
    """The App Home view (Slack: at most 100 blocks)."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your Social Selling Index"}}
    ]
    blocks += _latest(home)
    if chart is not None:
        blocks.append(chart)
    blocks += _teams(home)
    blocks += _settings(home)
    if home.managed:
        blocks.append({"type": "divider"})
        blocks.append(
            {"type": "header", "text": {"type": "plain_text", "text": "Teams you manage"}}
        )
        for team in home.managed:
            blocks += _managed(team)
    blocks = blocks[:MAX_VIEW_BLOCKS]
    return {
        "type": "home",
        "blocks": blocks,
        "private_metadata": json.dumps({"fingerprint": fingerprint(blocks)}),
    }


def fingerprint(blocks: list[Block]) -> str:
    return hashlib.sha256(json.dumps(blocks, sort_keys=True).encode()).hexdigest()[:32]


def published_fingerprint(view: dict[str, Any] | None) -> str | None:
    """The fingerprint of a view Slack says is published (in ``app_home_opened``)."""
    try:
        found = json.loads((view or {}).get("private_metadata") or "{}").get("fingerprint")
    except (ValueError, AttributeError):  # someone else's metadata, or none
        return None
    return found if isinstance(found, str) else None
