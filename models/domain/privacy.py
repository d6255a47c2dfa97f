"""How a person chooses to appear on channel boards."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Privacy(StrEnum):
    """How a person appears on channel boards (never in their managers' DMs)."""

    PUBLIC = "public"  # named
    ANONYMOUS = "anonymous"  # shown, without a name
    HIDDEN = "hidden"  # left off; still counted in the team's averages


@dataclass(frozen=True, slots=True)
class Preferences:
    """A person's own settings in a workspace: weekly reminders, privacy on boards."""

    reminders: bool = True
    privacy: Privacy = Privacy.PUBLIC
