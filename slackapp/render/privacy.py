"""What people read about their data: ``/ssi privacy`` answers and the ``/ssi forget-me``
prompt with its confirmation buttons."""

from __future__ import annotations

from typing import Any

from models import service
from models.domain.privacy import Privacy
from models.store.submissions import PersonHistory
from slackapp.render.blocks import Message, notice, slack_date

FORGET_CONFIRM = "ssi_forget_me_confirm"


FORGET_CANCEL = "ssi_forget_me_cancel"


_EXPLAINED = {
    Privacy.PUBLIC: "Your name shows on channel leaderboards.",
    Privacy.ANONYMOUS: ("Channel leaderboards show your score without your name (as “Anonymous”)."),
    Privacy.HIDDEN: "You're left off channel leaderboards.",
}


_ALWAYS = (
    "Either way your score counts in your team's average, and your team's managers see you "
    "by name in their weekly summary."
)


def privacy_reply(privacy: Privacy) -> Message:
    other = " · ".join(f"`/ssi privacy {p.value}`" for p in Privacy if p is not privacy)
    return notice(
        f"Privacy set to *{privacy.value}*. {_EXPLAINED[privacy]} {_ALWAYS}\nOr: {other}",
        ":lock:",
    )


def _span(history: PersonHistory) -> str:
    if history.count == 0 or history.first is None or history.last is None:
        return "no SSI submissions"
    what = "1 SSI submission" if history.count == 1 else f"{history.count} SSI submissions"
    if history.count == 1:
        return f"{what} (from {slack_date(history.first)})"
    return f"{what} (from {slack_date(history.first)} to {slack_date(history.last)})"


def forget_me_prompt(history: PersonHistory) -> Message:
    """The confirmation, with the buttons: nothing is deleted before the click."""
    text = (
        f"This deletes everything I keep about you in this workspace: {_span(history)} and "
        "your settings (reminders, privacy). Leaderboards and managers' summaries won't "
        "show you any more. It can't be undone."
    )
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: {text}"}},
        {
            "type": "actions",
            "block_id": "ssi_forget_me",
            "elements": [
                {
                    "type": "button",
                    "action_id": FORGET_CONFIRM,
                    "text": {"type": "plain_text", "text": "Delete my data"},
                    "style": "danger",
                    "value": "forget-me",
                    "confirm": {
                        "title": {"type": "plain_text", "text": "Delete your SSI data?"},
                        "text": {"type": "plain_text", "text": "This can't be undone."},
                        "confirm": {"type": "plain_text", "text": "Delete"},
                        "deny": {"type": "plain_text", "text": "Keep it"},
                        "style": "danger",
                    },
                },
                {
                    "type": "button",
                    "action_id": FORGET_CANCEL,
                    "text": {"type": "plain_text", "text": "Keep my data"},
                    "value": "keep",
                },
            ],
        },
    ]
    return Message(text="Delete all your SSI data in this workspace? " + text, blocks=blocks)


def forgotten_reply(forgotten: service.Forgotten) -> Message:
    settings = " and your settings" if forgotten.settings else ""
    if forgotten.submissions.count == 0 and not forgotten.settings:
        return notice("There was nothing to delete: I keep no data about you here.")
    return notice(
        f"Done. I deleted {_span(forgotten.submissions)}{settings}. You're off every "
        "leaderboard and summary from now on; share an SSI again any time to come back.",
        ":wastebasket:",
    )


def kept_reply() -> Message:
    return notice("Nothing was deleted.")
