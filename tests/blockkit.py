"""Checks that what the app sends would be accepted by Slack."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100


def assert_valid_blocks(blocks: list[dict[str, Any]], limit: int) -> None:
    assert 0 < len(blocks) <= limit, f"{len(blocks)} blocks; Slack allows {limit}"
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, f"unknown block {block}"
        parsed.to_dict()  # raises SlackObjectFormationError on a broken limit


def assert_valid_message(message: dict[str, Any]) -> None:
    """A message payload (``text`` fallback plus ``blocks``)."""
    assert message.get("text"), "a message needs a plain-text fallback"
    assert_valid_blocks(message["blocks"], MAX_MESSAGE_BLOCKS)


def assert_valid_view(view: dict[str, Any]) -> None:
    assert_valid_blocks(view["blocks"], MAX_VIEW_BLOCKS)
    View(**view).to_dict()
