"""Block Kit building blocks shared by every surface: the ``Message`` type, Slack's limits,
how scores, changes and dates are written. Nothing here talks to Slack or the database;
every message has a plain-text fallback and stays inside Block Kit's limits (the tests
parse each one with slack_sdk's block models and count blocks)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models.domain.privacy import Privacy
from models.domain.weekly.members import Member
from models.domain.words import N_
from slackapp.language.speech import _, day, n_
from slackapp.language.speech import delta as delta  # how figures are written, for every
from slackapp.language.speech import one_decimal as one_decimal  # surface that imports
from slackapp.language.speech import score as score  # its blocks from here

Block = dict[str, Any]


MAX_BLOCKS = 50


MAX_VIEW_BLOCKS = 100


SECTION_TEXT_LIMIT = 3000


STALE_AFTER_DAYS = 7


ANONYMOUS_NAME = N_("Anonymous")  # how channel boards show people who chose to be anonymous


@dataclass(frozen=True, slots=True)
class Message:
    """A Slack message: Block Kit blocks and the plain-text fallback for notifications."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def inserted(self, position: int, block: Block) -> Message:
        """The message with ``block`` (a chart) at ``position``, within the block limit."""
        blocks = [*self.blocks[:position], block, *self.blocks[position:]]
        return Message(self.text, blocks[:MAX_BLOCKS])

    def without_images(self) -> Message:
        return Message(self.text, [b for b in self.blocks if b.get("type") != "image"])

    def ephemeral(self) -> dict[str, Any]:
        """Keyword arguments for ``ack()`` or ``respond()``: visible to the sender only."""
        return {"text": self.text, "blocks": self.blocks, "response_type": "ephemeral"}


def escape(text: str) -> str:
    """Make user-typed text inert in mrkdwn: no mentions, links or channel pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# mrkdwn has no escape for its formatting marks, so in a name they become look-alikes that
# format nothing: bold, italics, strike, code and :emoji: codes.
_INERT_MARKS = str.maketrans(
    {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb", ":": "\u2236"}
)


def mrkdwn_name(name: str) -> str:
    """The one way a person's name goes into mrkdwn: no link, mention, broadcast or
    formatting can come of it. (Where a text holds only names, use a plain_text object.)"""
    return escape(name).translate(_INERT_MARKS)


def arrow(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return "▲" if rounded > 0 else "▼" if rounded < 0 else "="


def slack_date(at: datetime) -> str:
    """A date Slack shows in each reader's own time zone, with a UTC fallback."""
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}}|{day(at)}>"


def notice(text: str, icon: str = "") -> Message:
    """A one-section reply: ``text`` (mrkdwn, our own words) after an optional emoji."""
    shown = f"{icon} {text}" if icon else text
    return Message(text=text, blocks=[section(shown)])


def button(text: str, action_id: str, value: str = "", style: str = "") -> Block:
    """A Block Kit button (``value`` and ``style`` only when given: Slack refuses empty
    ones)."""
    block: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
    }
    if value:
        block["value"] = value
    if style:
        block["style"] = style
    return block


def option(text: str, value: str) -> Block:
    """An option of a select or checkboxes."""
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def channel_name(member: Member, *, channel: bool) -> str | None:
    """How a member is named: by name where only managers read (``channel=False``); on a
    channel's surfaces as their privacy choice says, None for the hidden (left off)."""
    if not channel or member.privacy is Privacy.PUBLIC:
        return member.name
    return _(ANONYMOUS_NAME) if member.privacy is Privacy.ANONYMOUS else None


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_TEXT_LIMIT]}}


def context_block(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def modal(
    callback_id: str, title: str, blocks: list[Block], metadata: dict[str, Any]
) -> dict[str, Any]:
    """A modal with Save and Cancel; ``metadata`` comes back untouched on submit."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": _("Save")},
        "close": {"type": "plain_text", "text": _("Cancel")},
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


EXAMPLE = "/ssi 68 21 17 14 16"


def plain_section(text: str) -> Block:
    return {
        "type": "section",
        "text": {"type": "plain_text", "text": text[:SECTION_TEXT_LIMIT], "emoji": False},
    }


def mrkdwn_section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_TEXT_LIMIT]}}


def plain_context(text: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "plain_text", "text": text[:SECTION_TEXT_LIMIT], "emoji": False}],
    }


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}


def and_more(shown: str, more: int) -> str:
    if more <= 0:
        return shown
    return n_("{names} and {count} more", "{names} and {count} more", more).format(
        names=shown, count=more
    )
