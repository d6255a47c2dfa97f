"""The fake Slack's answers, method by method: the Web API methods it knows and what each
returns, as Slack would; a message or view showing a file not processed yet is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slackapp.devtools.fake_slack.files import UPLOAD_PATH
from slackapp.devtools.fake_slack.installs import auth_test, oauth_access
from slackapp.devtools.fake_slack.messages import (
    history,
    post_ephemeral,
    post_message,
    update_message,
)
from slackapp.devtools.fake_slack.people import conversation_members, users_info, users_list

if TYPE_CHECKING:
    from slackapp.devtools.fake_slack.server import FakeSlack


def answer_call(
    fake: FakeSlack, method: str, params: dict[str, Any], token: str | None
) -> dict[str, Any]:
    """The body of Slack's answer to a call of ``method`` (``{"ok": true}`` for a method
    the fake has no answer for)."""
    handler = _ANSWERS.get(method)
    body: dict[str, Any] = {"ok": True}
    # An image of a file that isn't processed yet is refused.
    if method in _SHOWING_BLOCKS and (
        refused := fake.files.check_blocks(_blocks_of(method, params))
    ):
        return refused
    if handler is not None:
        body.update(handler(fake, {**params, "_token": token}))
    return body


def connections_open(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    """apps.connections.open: Socket Mode's URL, for an app-level token only."""
    if not str(params.get("_token") or "").startswith("xapp-"):
        return {"ok": False, "error": "not_allowed_token_type"}
    return {"url": fake.socket.url()}


def _view(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    view = params.get("view") or {}
    view = json.loads(view) if isinstance(view, str) else view
    return {"view": {"id": f"V{next(fake._ts):08d}", **view}}


def _conversation_info(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    channel = str(params.get("channel") or "")
    invited = fake._state.private.get(channel)
    if invited is False:  # Slack hides a private channel from an app that isn't in it
        return {"ok": False, "error": "channel_not_found"}
    return {
        "channel": {
            "id": channel,
            "is_channel": invited is None,
            "is_group": invited is not None,
            "is_private": invited is not None,
            "is_member": True,
        }
    }


def _open_conversation(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    return {"channel": {"id": "D" + str(params.get("users", "")).split(",")[0]}}


def _upload_url(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    file_id = f"F{next(fake._ts):08d}"
    return fake.files.upload_url(file_id, fake.base_url + UPLOAD_PATH + file_id, params)


def _blocks_of(method: str, params: dict[str, Any]) -> Any:
    if method.startswith("views."):
        view = params.get("view") or {}
        return (json.loads(view) if isinstance(view, str) else view).get("blocks") or []
    return params.get("blocks") or []


_SHOWING_BLOCKS = {"chat.postMessage", "chat.update", "views.open", "views.update", "views.publish"}


_ANSWERS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "conversations.open": _open_conversation,
    "conversations.info": _conversation_info,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": lambda f, p: f.files.complete(p, team_id=f.team_id),
    "files.info": lambda f, p: f.files.info(p, team_id=f.team_id),
    "files.delete": lambda f, p: f.files.delete(p),
    "auth.test": auth_test,
    "oauth.v2.access": oauth_access,
    "chat.postMessage": post_message,
    "chat.update": update_message,
    "conversations.history": history,
    "chat.postEphemeral": post_ephemeral,
    "apps.connections.open": connections_open,
    "views.open": _view,
    "views.push": _view,
    "views.update": _view,
    "views.publish": _view,
    "users.info": users_info,
    "users.list": users_list,
    "conversations.members": conversation_members,
}
