"""``may_manage``: the one rule of who may manage a team, wherever the app asks it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models.domain.scope import Scope
from models.domain.teams import NotAllowed, TeamRecord, may_manage

TEAM = TeamRecord(
    id=7,
    scope=Scope("T0ACME"),
    channel_id="C0SALES",
    post_weekday=0,
    post_minute=540,
    timezone="Europe/Paris",
    reminders=True,
    created_at=datetime(2026, 1, 5, tzinfo=UTC),
    managers=("U0LEAD", "U0DIRECTOR"),
)


def _never_asked() -> bool:
    raise AssertionError("a manager's rights cost no call to Slack")


def test_managers_may_without_slack_being_asked() -> None:
    may_manage(TEAM, "U0DIRECTOR", is_admin=_never_asked)


def test_a_workspace_admin_may_where_the_act_allows_admins() -> None:
    may_manage(TEAM, "U0ADMIN", is_admin=lambda: True)


@pytest.mark.parametrize("admin", [False, None])
def test_anyone_else_is_refused_with_the_team_to_name(admin: bool | None) -> None:
    with pytest.raises(NotAllowed) as refused:
        if admin is None:  # an act for managers only (a nudge, the team's whole week)
            may_manage(TEAM, "U0ADMIN")
        else:
            may_manage(TEAM, "U0REP", is_admin=lambda: admin)
    assert refused.value.team is TEAM
    assert refused.value.user_id in ("U0ADMIN", "U0REP")
