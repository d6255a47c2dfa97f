"""The App Home tab: a person's dashboard, and their teams at a glance if they manage any.

The view carries a fingerprint of what it shows in ``private_metadata``; Slack sends the
published view back with every ``app_home_opened``, so an open that would publish the same
view again is skipped (``slack.home``)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from models.domain.privacy import Privacy
from models.domain.ssi import Pillar
from models.home import Home, ManagedTeam
from slackapp.language.speech import _, n_, pillar_tip, pillar_title
from slackapp.render.blocks import (
    MAX_VIEW_BLOCKS,
    Block,
    and_more,
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
                _(
                    "You haven't shared your SSI yet. Find it at linkedin.com/sales/ssi, then "
                    "click *{share}*: your trend, streaks and rank on each team appear here."
                ).format(share=_("Share my SSI"))
            )
        ]
    reading = latest.reading
    previous = home.history[1].reading if len(home.history) > 1 else None
    change = f" ({delta(reading.total - previous.total)})" if previous else ""
    out_of = _("{score} of {most}")
    fields = [f"*{_('Total')}*\n{out_of.format(score=score(reading.total), most=100)}{change}"]
    fields += [
        f"*{pillar_title(p)}*\n{out_of.format(score=score(reading.pillar(p)), most=25)}"
        for p in Pillar
    ]
    for name, title in (("industry", _("vs your industry")), ("network", _("vs your network"))):
        known = home.benchmarks.get(name)
        average = known.benchmark.average if known else None
        if average is not None:
            gap = delta(reading.total - average)
            top = known.benchmark.top_percent if known else None
            rank = ", " + _("top {percent}%").format(percent=score(top)) if top is not None else ""
            line = _("average {average}: {gap}").format(average=score(average), gap=gap)
            fields.append(f"*{title}*\n{line}{rank}")
    blocks: list[Block] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*{_('Your latest SSI')}*, {slack_date(latest.submitted_at)}",
            },
            "fields": [{"type": "mrkdwn", "text": f} for f in fields[:10]],
        }
    ]
    weakest: Pillar = reading.weakest_pillar
    blocks.append(
        section(
            ":bulb: "
            + _("Your weakest pillar is *{pillar}*. {tip}").format(
                pillar=pillar_title(weakest), tip=pillar_tip(weakest)
            )
        )
    )
    return blocks


def _teams(home: Home) -> list[Block]:
    lines = []
    for place in home.places:
        rank = ""
        if place.rank:
            rank = _("#{rank} of {count} this week.").format(
                rank=place.rank.rank, count=place.rank.of
            )
            rank += " "
        lines.append(f"{rank}{streak_sentence(place.streak, place.team.channel_id)}")
    if not lines:
        return []
    if home.more_teams:
        more = home.more_teams
        lines.append(
            n_("…and {count} more team.", "…and {count} more teams.", more).format(count=more)
        )
    return [section(f"*{_('Your teams')}*\n" + "\n".join(lines))]


def _settings(home: Home) -> list[Block]:
    privacy = home.settings.privacy
    options = [
        option(_("Named on channel boards"), Privacy.PUBLIC.value),
        option(_("Anonymous on channel boards"), Privacy.ANONYMOUS.value),
        option(_("Hidden from channel boards"), Privacy.HIDDEN.value),
    ]
    chosen = next(o for o in options if o["value"] == privacy.value)
    reminders = home.settings.reminders
    elements: list[Block] = [
        share_button(),
        button(
            _("Turn reminders off") if reminders else _("Turn reminders on"),
            REMINDERS_ACTION,
            "off" if reminders else "on",
        ),
        {
            "type": "static_select",
            "action_id": PRIVACY_ACTION,
            "options": options,
            "initial_option": chosen,
        },
        button(_("I'm back"), BACK_ACTION) if home.away else button(_("I'm away…"), AWAY_ACTION),
    ]
    blocks: list[Block] = [{"type": "actions", "elements": elements}]
    status = _("Reminders are on.") if reminders else _("Reminders are off.")
    if home.away is not None:
        status += " " + _("You're away until {date}: no reminders, streaks paused.").format(
            date=slack_date(home.away.ends)
        )
    blocks.append(context_block(status))
    return blocks


def _managed(team: ManagedTeam) -> list[Block]:
    board, channel = team.board, team.team.channel_id
    average = (
        _("average so far {average}").format(average=one_decimal(board.team_average))
        if board.team_average is not None
        else _("no scores yet")
    )
    shared = _("{count} shared this week").format(count=len(board.current))
    lines = [f"*<#{channel}>*: {average}, {shared}"]
    changes = [e.total_delta for e in board.current if e.total_delta is not None]
    if changes:
        mean = sum(changes, start=changes[0] * 0) / len(changes)
        lines.append(
            _("Mean change of those who shared both weeks: {change}").format(change=delta(mean))
        )
    waiting = team.waiting
    if waiting:
        names = ", ".join(m.name for m in waiting[:WAITING_SHOWN])
        names = and_more(names, len(waiting) - WAITING_SHOWN)
        lines.append(_("Not shared yet: {names}").format(names=names))
    away = [m.name for m in board.non_submitters if m.user_id in team.momentum.away]
    if away:
        lines.append(_("Away: ") + ", ".join(away[:WAITING_SHOWN]))
    if team.momentum.goal is not None:
        lines.append(goal_text(team.momentum.goal))
    block = section("\n".join(lines))
    if waiting:
        block["accessory"] = button(_("Nudge the channel"), NUDGE_ACTION, str(team.team.id))
    return [block]


def home_view(home: Home, chart: Block | None = None) -> dict[str, Any]:
    """The App Home view (Slack: at most 100 blocks)."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": _("Your Social Selling Index")}}
    ]
    blocks += _latest(home)
    if chart is not None:
        blocks.append(chart)
    blocks += _teams(home)
    blocks += _settings(home)
    if home.managed:
        blocks.append({"type": "divider"})
        blocks.append(
            {"type": "header", "text": {"type": "plain_text", "text": _("Teams you manage")}}
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
