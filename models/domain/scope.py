"""Whose data: a Slack workspace, inside an Enterprise Grid org or not. Every stored row
belongs to one, because user and channel ids repeat across workspaces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scope:
    """A Slack workspace, inside an Enterprise Grid org when ``enterprise_id`` is set."""

    workspace_id: str
    enterprise_id: str | None = None

    def params(self) -> dict[str, str]:
        # Outside Enterprise Grid the column holds "" rather than NULL, so that one equality
        # serves every scope (NULL never equals anything in SQL).
        return {"workspace_id": self.workspace_id, "enterprise_id": self.enterprise_id or ""}


@dataclass(frozen=True, slots=True)
class Person:
    """Someone using ``/ssi`` in a workspace."""

    scope: Scope
    user_id: str
    user_name: str = ""
