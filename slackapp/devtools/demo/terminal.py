"""Show Block Kit messages in a terminal, roughly as Slack would (for the demo)."""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any

EMOJI = {
    ":white_check_mark:": "✅",
    ":warning:": "⚠️ ",
    ":bulb:": "💡",
    ":wastebasket:": "🗑 ",
    ":hourglass:": "⌛",
    ":trophy:": "🏆",
    ":chart_with_upwards_trend:": "📈",
    ":fire:": "🔥",
    ":palm_tree:": "🌴",
    ":mag:": "🔍",
    ":frame_with_picture:": "🖼 ",
    ":point_right:": "👉",
    ":speech_balloon:": "💬",
    ":thinking_face:": "🤔",
    ":lock:": "🔒",
    ":no_entry:": "⛔",
    ":wave:": "👋",
    ":tada:": "🎉",
    ":mega:": "📣",
}

_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")
_CHANNEL = re.compile(r"<#(\w+)(?:\|[^>]*)?>")
_USER = re.compile(r"<@(\w+)>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")


class Terminal:
    """Turns mrkdwn into terminal text; ``names`` maps user and channel ids to names."""

    def __init__(self, names: dict[str, str], *, color: bool) -> None:
        self.names = names
        self.color = color

    def _style(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def mrkdwn(self, text: str) -> str:
        text = _DATE.sub(r"\1", text)
        text = _CHANNEL.sub(lambda m: "#" + self.names.get(m[1], m[1]), text)
        text = _USER.sub(lambda m: "@" + self.names.get(m[1], m[1]), text)
        text = _BOLD.sub(lambda m: self._style(m[1], "1"), text)
        text = _ITALIC.sub(lambda m: self._style(m[1], "3"), text)
        for code, emoji in EMOJI.items():
            text = text.replace(code, emoji)
        return html.unescape(text)

    def blocks(self, blocks: list[dict[str, Any]], indent: str = "  │ ") -> str:
        lines: list[str] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "header":
                lines.append(self._style(block["text"]["text"].upper(), "1"))
            elif kind == "section":
                if "text" in block:
                    text = block["text"]
                    shown = (
                        text["text"] if text["type"] == "plain_text" else self.mrkdwn(text["text"])
                    )
                    lines.extend(self._wrap(shown))
                for field in block.get("fields", []):
                    label, _, value = self.mrkdwn(field["text"]).partition("\n")
                    lines.append(f"  {label}: {value}" if value else f"  {label}")
            elif kind == "context":
                for element in block.get("elements", []):
                    text = element.get("text", "")
                    text = text if element.get("type") == "plain_text" else self.mrkdwn(text)
                    lines.extend(self._style(line, "2") for line in self._wrap(text))
            elif kind == "divider":
                lines.append("─" * 40)
            elif kind == "image":
                file_id = (block.get("slack_file") or {}).get("id", "?")
                lines.append(self._style(f"[chart {file_id}: {block['alt_text']}]", "2"))
            elif kind == "actions":
                labels = []
                for element in block.get("elements", []):
                    if element.get("type") == "button":
                        labels.append(f"[ {element['text']['text']} ]")
                    elif element.get("type") == "static_select":
                        labels.append(f"[ {element['initial_option']['text']['text']} ▾ ]")
                lines.append("  ".join(labels))
        return "\n".join(indent + line for line in lines)

    @staticmethod
    def _wrap(text: str) -> list[str]:
        wrapped: list[str] = []
        for line in text.split("\n"):
            wrapped.extend(textwrap.wrap(line, width=96) or [""])
        return wrapped
