"""The App Home tab: a person's dashboard, their teams at a glance if they manage any
(``managed_teams``), and the "I'm away…" form.

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
from models.domain.streaks import AwayDateError
from models.services.home import Home
from slackapp.language.speech import _, explain, n_, pillar_tip, pillar_title
from slackapp.render.blocks import (
    MAX_VIEW_BLOCKS,
    Block,
    button,
    context_block,
    delta,
    modal,
    option,
    score,
    section,
    slack_date,
)
from slackapp.render.budget import packed_sections
from slackapp.render.managed_teams import managed_blocks
from slackapp.render.momentum import share_button, streak_sentence
from slackapp.render.notices import paste_tip

REMINDERS_ACTION = "ssi_home_reminders"
PRIVACY_ACTION = "ssi_home_privacy"
AWAY_ACTION = "ssi_home_away"
BACK_ACTION = "ssi_home_back"
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
    blocks.append(context_block(f"{status} {paste_tip()}"))
    return blocks


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
    blocks += managed_blocks(home, max_blocks=MAX_VIEW_BLOCKS - len(blocks))
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


def away_refusal(wrong: ValueError) -> str:
    """Why the away form's date was refused: the domain's reason, or no date picked."""
    return explain(wrong) if isinstance(wrong, AwayDateError) else _("Pick a date.")


def fingerprint(blocks: list[Block]) -> str:
    return hashlib.sha256(json.dumps(blocks, sort_keys=True).encode()).hexdigest()[:32]


def published_fingerprint(view: dict[str, Any] | None) -> str | None:
    """The fingerprint of a view Slack says is published (in ``app_home_opened``)."""
    try:
        found = json.loads((view or {}).get("private_metadata") or "{}").get("fingerprint")
    except (ValueError, AttributeError):  # someone else's metadata, or none
        return None
    return found if isinstance(found, str) else None
