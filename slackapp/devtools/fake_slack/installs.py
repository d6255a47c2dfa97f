"""The fake Slack's installs: the tokens ``oauth.v2.access`` issues for an approved install
(and, under token rotation, refreshes), and whom ``auth.test`` says a token is for."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slackapp.devtools.fake_slack.server import FakeSlack


def issue_token(fake: FakeSlack, grant: dict[str, Any]) -> dict[str, Any]:
    owner = (grant["team"] or grant["enterprise"])["id"]
    token = f"xoxb-{owner}-{secrets.token_hex(12)}"
    fake._state.tokens[token] = grant
    issued: dict[str, Any] = {"access_token": token}
    if grant.get("expires_in"):
        refresh = f"xoxe-1-{secrets.token_hex(40)}"
        fake._state.refresh_tokens[refresh] = grant
        issued |= {"refresh_token": refresh, "expires_in": grant["expires_in"]}
    return issued


def auth_test(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    grant = fake._state.tokens.get(params.get("_token") or "")
    team = (grant["team"] or {"id": None, "name": None}) if grant else None
    team = team or {"id": fake.team_id, "name": fake.team_name}
    enterprise = (grant or {}).get("enterprise") or {}
    return {
        "enterprise_id": enterprise.get("id"),
        "is_enterprise_install": bool((grant or {}).get("is_enterprise_install")),
        "url": "https://demo.slack.com/",
        "team": team["name"],
        "team_id": team["id"],
        "user": "ssi",
        "user_id": "U0BOT",
        "bot_id": "B0BOT",
    }


def oauth_access(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """oauth.v2.access: a code from an approved install, or a refresh token."""
    if params.get("grant_type") == "refresh_token":
        grant = fake._state.refresh_tokens.pop(params.get("refresh_token", ""), None)
        if grant is None:
            return {"ok": False, "error": "invalid_refresh_token"}
        return {"token_type": "bot", **issue_token(fake, grant), "team": grant["team"]}
    grant = fake._state.codes.pop(params.get("code", ""), None)
    if grant is None:
        return {"ok": False, "error": "invalid_code"}
    return {
        "app_id": "A0SSI",
        "authed_user": grant["authed_user"],
        "scope": "commands,chat:write,channels:read,groups:read,channels:join,users:read,"
        "im:write,files:write,files:read,channels:history,groups:history,im:history",
        "token_type": "bot",
        "bot_user_id": "U0BOT",
        "team": grant["team"],
        "enterprise": grant["enterprise"],
        "is_enterprise_install": grant["is_enterprise_install"],
        **issue_token(fake, grant),
    }
