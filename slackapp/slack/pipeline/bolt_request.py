"""Slack's requests as Bolt reads them, with one misreading of Bolt's corrected.

Bolt decides that a form body is an interactive ``payload=...`` when the word "payload"
appears anywhere in it, then finds no ``payload`` field and reads the request as empty: a
person typing ``/ssi payload`` (or whose name contains the word) got a 404, which Slack
shows as "failed with the error http_not_found". ``SlackRequest`` reads such a body as the
plain form it is.

Fenced here because it overrides ``BoltRequest.__init__``'s result and ``to_copyable`` (lazy
listeners get a copy). Checked on slack-bolt 1.30 (``slack_bolt.request.internals.
parse_body``); ``tests/slackapp/slack/pipeline/test_hardening.py`` sends such a command
through the real server.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext, BoltRequest
from slack_bolt.request.internals import build_context


class SlackRequest(BoltRequest):
    """A ``BoltRequest`` whose form body is read right when it mentions "payload"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.body and "payload" in self.raw_body and not self.raw_body.startswith("{"):
            form = dict(parse_qsl(self.raw_body, keep_blank_values=True))
            if "payload" not in form:
                self.body = form
                self.context = build_context(BoltContext(self.context), form)

    def to_copyable(self) -> BoltRequest:
        copy = super().to_copyable()
        copy.body = self.body
        return copy
