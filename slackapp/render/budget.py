"""Lists budgeted by what Slack allows, never by a fixed count and never cut mid-item.

Slack refuses a section text over 3,000 characters and a message over 50 blocks (a view:
100). A list of names or rows is packed into as few sections as it needs; when the surface
can spare only so many blocks, the items that don't fit are counted in a closing line that
says how many and where to see them all, a line that always fits. A message too long for
one post is split into several, in order, each inside the limits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from slackapp.render.blocks import (
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    Block,
    Message,
    mrkdwn_section,
    plain_section,
)

More = Callable[[int], str]
# A message's blocks, as JSON, at most this long: Slack documents 40,000 characters for a
# message's text and refuses very long messages (msg_too_long); blocks are kept below that.
MESSAGE_SIZE = 40_000  # the closing line for ``count`` items left out


def size(text: str) -> int:
    """Characters as Slack counts them (UTF-16 code units: an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def packed_texts(
    items: Sequence[str],
    *,
    lead: str = "",
    separator: str = "\n",
    max_texts: int | None = None,
    more: More | None = None,
    left_out: int = 0,
    limit: int = SECTION_TEXT_LIMIT,
) -> list[str]:
    """``items`` joined by ``separator`` into texts of at most ``limit`` characters, the
    first starting with ``lead``; at most ``max_texts`` of them. Items left out for want of
    room, plus ``left_out`` left out before, are counted by ``more(count)``, appended to the
    last text (room is made for it by leaving out further items). An item longer than a
    whole text is shortened with "…"."""
    texts: list[list[str]] = []
    used = 0
    for item in items:
        item = _fitting(item, limit - size(lead) - 1)
        cost = size(item) + (size(separator) if texts else 0)
        if not texts or used + cost > limit:
            if max_texts is not None and len(texts) >= max_texts:
                break
            texts.append([])
            used = size(lead) if len(texts) == 1 else 0
            cost = size(item)
        texts[-1].append(item)
        used += cost
    left = left_out + len(items) - sum(len(t) for t in texts)
    if not left or more is None:
        return [_joined(lead, separator, i, parts) for i, parts in enumerate(texts)]
    texts = texts or [[]]
    last = texts[-1]
    while True:  # the closing line goes at the end of the last text, which makes room
        text = _joined(lead, separator, len(texts) - 1, [*last, more(left)])
        if size(text) <= limit or not last:
            break
        last = last[:-1]
        left += 1
    return [*(_joined(lead, separator, i, p) for i, p in enumerate(texts[:-1])), text[:limit]]


def _joined(lead: str, separator: str, position: int, parts: list[str]) -> str:
    return (lead if position == 0 else "") + separator.join(parts)


def _fitting(item: str, room: int) -> str:
    if size(item) <= room:
        return item
    while item and size(item) > room - 1:
        item = item[:-1]
    return item + "…"


def packed_sections(
    items: Sequence[str],
    *,
    lead: str = "",
    separator: str = "\n",
    max_blocks: int | None = None,
    more: More | None = None,
    left_out: int = 0,
    plain: bool = True,
) -> list[Block]:
    """``packed_texts`` as sections: plain text (Slack shows names literally) or mrkdwn."""
    make = plain_section if plain else mrkdwn_section
    texts = packed_texts(
        items, lead=lead, separator=separator, max_texts=max_blocks, more=more, left_out=left_out
    )
    return [make(text) for text in texts]


def split_message(
    blocks: list[Block],
    *,
    text: str,
    continued: Callable[[int, int], Block],
    limit: int = MAX_BLOCKS,
) -> list[Message]:
    """``blocks`` as one message, or as several in order when they pass ``limit`` blocks or
    ``MESSAGE_SIZE`` characters; each later one opens with ``continued(part, parts)`` (a
    header saying which part it is)."""
    parts: list[list[Block]] = [[]]
    used = 0
    for block in blocks:
        cost = size(json.dumps(block, ensure_ascii=False))
        room = limit if len(parts) == 1 else limit - 1  # later parts open with a header
        if parts[-1] and (len(parts[-1]) >= room or used + cost > MESSAGE_SIZE):
            parts.append([])
            used = 0
        parts[-1].append(block)
        used += cost
    count = len(parts)
    if count == 1:
        return [Message(text=text, blocks=blocks)]
    return [
        Message(text=text, blocks=part if i == 0 else [continued(i + 1, count), *part])
        for i, part in enumerate(parts)
    ]
