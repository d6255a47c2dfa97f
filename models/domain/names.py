"""People's names as the app keeps and shows them.

A Slack display name is free text: a newline in it would start a fake row in a plain-text
leaderboard, and a bidirectional control (U+202E and kin) would reorder the rest of the
line. Names are cleaned once, where they are stored (a submission's name, a team member's
name), so every surface that shows them (boards, DMs, exports, the terminal) gets the same
safe text.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 128  # the columns' width

# Format characters (category Cf) are invisible; all are dropped but the zero-width joiner,
# which holds emoji sequences together (a family, a flag) and moves nothing.
_KEPT_FORMAT = {"\u200d"}


def clean_name(raw: str) -> str:
    """``raw`` on one line: control and line-breaking characters become spaces, format
    characters (bidi overrides and isolates, zero-width spaces) go, runs of spaces become
    one, at most ``MAX_NAME`` characters."""
    out: list[str] = []
    for char in raw:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or char.isspace():
            out.append(" ")
        elif category == "Cf" and char not in _KEPT_FORMAT:
            continue
        elif category == "Cs":  # a lone surrogate (JSON allows one) can't be stored as UTF-8
            out.append("\ufffd")
        else:
            out.append(char)
    return " ".join("".join(out).split())[:MAX_NAME].rstrip()
