"""The App Home tab: a person's dashboard, and their teams at a glance if they manage any.

The view carries a fingerprint of what it shows in ``private_metadata``; Slack sends the
published view back with every ``app_home_opened``, so an open that would publish the same
view again is skipped (``slack.home``)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from models.domain.privacy import Privacy
from models.domain.ssi import Pillar
from models.services.home import Home, ManagedTeam
from slackapp.language.speech import _, n_, pillar_tip, pillar_title
from slackapp.render.blocks import (
    MAX_VIEW_BLOCKS,
    SECTION_TEXT_LIMIT,
    Block,
    button,
    context_block,
    delta,
    modal,
    mrkdwn_name,
    one_decimal,
    option,
    score,
    section,
    slack_date,
)
from slackapp.render.budget import packed_sections, packed_texts, size
from slackapp.render.momentum import goal_text, share_button, streak_sentence

REMINDERS_ACTION = "ssi_home_reminders"
PRIVACY_ACTION = "ssi_home_privacy"
AWAY_ACTION = "ssi_home_away"
BACK_ACTION = "ssi_home_back"
NUDGE_ACTION = "ssi_nudge"
SEE_TEAM_ACTION = "ssi_team_week"
TEAM_PAGE_ACTION = "ssi_team_week_page"
TEAM_WEEK_CALLBACK = "ssi_team_week_view"
TEAM_LIST_BLOCKS = 3  # sections "Your teams" may take (20 teams take one or two)


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
    total = _("Total")  # words are looked up outside f-strings, where the extractor sees them
    fields = [f"*{total}*\n{out_of.format(score=score(reading.total), most=100)}{change}"]
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
    title = _("Your latest SSI")
    blocks: list[Block] = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"*{title}*, {slack_date(latest.submitted_at)}"},
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


def _teams(home: Home, max_blocks: int) -> list[Block]:
    """The person's rank and streak on each team, in as many sections as they need."""
    lines = []
    for place in home.places:
        rank = ""
        if place.rank:
            template = (
                _("#{rank} of {count} this week (latest from an earlier week).")
                if place.rank.stale
                else _("#{rank} of {count} this week.")
            )
            rank = template.format(rank=place.rank.rank, count=place.rank.of) + " "
        lines.append(f"{rank}{streak_sentence(place.streak, place.team.channel_id)}")
    if not lines:
        return []

    def more(count: int) -> str:
        return (
            n_("…and {count} more team.", "…and {count} more teams.", count).format(count=count)
            + " "
            + _("`/ssi me` lists them all.")
        )

    return packed_sections(
        lines,
        lead="*" + _("Your teams") + "*\n",
        max_blocks=max_blocks,
        more=more,
        left_out=home.more_teams,
        plain=False,
    )


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
    """A section per team: the week so far, who hasn't shared and who is away (names
    escaped, as many as the section holds), the goal, a nudge button; when some names
    don't fit, they are counted and a "See everyone" button opens the whole team."""
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
    if team.momentum.goal is not None:
        lines.append(goal_text(team.momentum.goal))
    waiting = [mrkdwn_name(m.name) for m in team.waiting]
    away = [mrkdwn_name(m.name) for m in board.non_submitters if m.user_id in team.momentum.away]
    cut = False

    def more(count: int) -> str:
        nonlocal cut
        cut = True
        return _("and {count} more: *{see}* below").format(count=count, see=_("See everyone"))

    room = SECTION_TEXT_LIMIT - size("\n".join(lines)) - 2
    for lead, names in ((_("Not shared yet: "), waiting), (_("Away: "), away)):
        if not names:
            continue
        share = room if not away or names is away else room * 2 // 3
        (text,) = packed_texts(
            names, lead=lead, separator=", ", max_texts=1, more=more, limit=share
        )
        lines.append(text)
        room -= size(text) + 1
    block = section("\n".join(lines))
    if team.waiting:
        block["accessory"] = button(_("Nudge the channel"), NUDGE_ACTION, str(team.team.id))
    if not cut:
        return [block]
    see = button(_("See everyone"), SEE_TEAM_ACTION, str(team.team.id))
    return [block, {"type": "actions", "elements": [see]}]


def _managed_blocks(home: Home, max_blocks: int) -> list[Block]:
    """The teams the person manages, as many as the view holds; the rest counted (each
    team's ``/ssi board`` shows its week)."""
    if not home.managed:
        return []
    blocks: list[Block] = [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": _("Teams you manage")}},
    ]
    total = len(home.managed) + home.more_managed
    for listed, team in enumerate(home.managed):
        shown = _managed(team)
        last = listed + 1 == total
        if len(blocks) + len(shown) + (0 if last else 1) > max_blocks:
            left = total - listed
            note = n_(
                "…and {count} more team you manage: `/ssi board` in its channel shows its week.",
                "…and {count} more teams you manage: `/ssi board` in each one's channel "
                "shows its week.",
                left,
            ).format(count=left)
            blocks.append(context_block(note))
            break
        blocks += shown
    return blocks


def team_week_view(parts: list[list[Block]], *, team_id: int, page: int) -> dict[str, Any]:
    """ "See everyone": a manager's whole team this week, a page per part of their summary,
    with buttons to the pages before and after (Slack: 100 blocks a view)."""
    blocks = list(parts[page])
    paging = []
    if page > 0:
        paging.append(button(_("Previous page"), TEAM_PAGE_ACTION, f"{team_id}:{page - 1}"))
    if page + 1 < len(parts):
        paging.append(button(_("Next page"), TEAM_PAGE_ACTION, f"{team_id}:{page + 1}"))
    if paging:
        count = _("Page {page} of {pages}").format(page=page + 1, pages=len(parts))
        blocks += [context_block(count), {"type": "actions", "elements": paging}]
    return {
        "type": "modal",
        "callback_id": TEAM_WEEK_CALLBACK,
        "title": {"type": "plain_text", "text": _("Your team")[:24]},
        "close": {"type": "plain_text", "text": _("Close")},
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def home_view(home: Home, chart: Block | None = None) -> dict[str, Any]:
    """The App Home view (Slack: at most 100 blocks), budgeted: the person's own part
    first, then as many managed teams as the rest holds."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": _("Your Social Selling Index")}}
    ]
    blocks += _latest(home)
    if chart is not None:
        blocks.append(chart)
    settings = _settings(home)
    blocks += _teams(home, max_blocks=TEAM_LIST_BLOCKS)
    blocks += settings
    blocks += _managed_blocks(home, max_blocks=MAX_VIEW_BLOCKS - len(blocks))
    return {
        "type": "home",
        "blocks": blocks,
        "private_metadata": json.dumps({"fingerprint": fingerprint(blocks)}),
    }


def away_modal(callback_id: str, initial: date) -> dict[str, Any]:
    """The "I'm away…" form: a date picker, starting at ``initial``."""
    return modal(
        callback_id,
        _("Away"),
        [
            section(_("No reminders while you're away, and your streaks wait for you.")),
            {
                "type": "input",
                "block_id": "until",
                "label": {"type": "plain_text", "text": _("Away until (the last day)")},
                "element": {
                    "type": "datepicker",
                    "action_id": "value",
                    "initial_date": initial.isoformat(),
                },
            },
        ],
        {},
    )


def fingerprint(blocks: list[Block]) -> str:
    return hashlib.sha256(json.dumps(blocks, sort_keys=True).encode()).hexdigest()[:32]


def published_fingerprint(view: dict[str, Any] | None) -> str | None:
    """The fingerprint of a view Slack says is published (in ``app_home_opened``)."""
    try:
        found = json.loads((view or {}).get("private_metadata") or "{}").get("fingerprint")
    except (ValueError, AttributeError):  # someone else's metadata, or none
        return None
    return found if isinstance(found, str) else None
