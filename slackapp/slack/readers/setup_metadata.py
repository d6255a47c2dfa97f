"""What the set-up form carries from its opening to its submission (``private_metadata``):
the channel, who opened the form and where to answer them, sealed.

Slack hands metadata back untouched, but a request signed with the signing secret alone
could carry any. So the app seals what it wrote, with an HMAC keyed by the workspace's bot
token (which no request from Slack carries), over the workspace, the channel, the person
and the answer's address; a submission is believed only when the seal holds and its
submitter is the person the form was opened for. (A form left open while the workspace's
token rotated is refused the same way: the person opens it again.)"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

from models.domain.scope import Scope

# Slack's channel ids: C... (public, and newer private ones) or G... (older private ones),
# capital letters and digits. Direct messages (D...) are no team.
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{1,20}")
_PURPOSE = b"ssi-leaderboard team set-up form, v1"


class ForgedForm(ValueError):
    """Metadata the app didn't write, or a form opened for another person or channel."""


@dataclass(frozen=True, slots=True)
class SetupForm:
    """A set-up form as the app opened it."""

    channel_id: str
    opened_by: str
    response_url: str  # the command's: where the confirmation goes

    def metadata(self, *, scope: Scope, token: str) -> dict[str, str]:
        """The form's ``private_metadata``, sealed for ``scope``."""
        return {
            "channel_id": self.channel_id,
            "opened_by": self.opened_by,
            "response_url": self.response_url,
            "seal": _seal(self, scope, token),
        }


def is_channel_id(value: object) -> bool:
    return isinstance(value, str) and CHANNEL_ID.fullmatch(value) is not None


def _seal(form: SetupForm, scope: Scope, token: str) -> str:
    key = hmac.new(token.encode(), _PURPOSE, hashlib.sha256).digest()  # not the token itself
    sealed = json.dumps(
        [
            scope.enterprise_id or "",
            scope.workspace_id,
            form.channel_id,
            form.opened_by,
            form.response_url,
        ]
    )
    return hmac.new(key, sealed.encode(), hashlib.sha256).hexdigest()


def submitted_form(
    view: dict[str, Any], *, scope: Scope, token: str | None, user_id: str
) -> SetupForm:
    """The form ``user_id`` submitted, as the app opened it; ``ForgedForm`` when its
    metadata isn't the app's, or the form was opened for someone else."""
    try:
        metadata = json.loads(str(view.get("private_metadata") or ""))
    except (ValueError, RecursionError):  # RecursionError: nested past Python's limit
        raise ForgedForm("metadata that isn't JSON") from None
    if not isinstance(metadata, dict):
        raise ForgedForm("metadata that isn't an object")
    fields = [metadata.get(name) for name in ("channel_id", "opened_by", "response_url", "seal")]
    texts = [field for field in fields if isinstance(field, str)]
    if len(texts) != len(fields):
        raise ForgedForm("metadata without the app's fields")
    channel_id, opened_by, response_url, seal = texts
    form = SetupForm(channel_id, opened_by, response_url)
    if not is_channel_id(channel_id):
        raise ForgedForm("not a channel id")
    if not token or not hmac.compare_digest(seal.encode(), _seal(form, scope, token).encode()):
        raise ForgedForm("a seal that doesn't hold")
    if opened_by != user_id:
        raise ForgedForm("a form opened for someone else")
    return form
