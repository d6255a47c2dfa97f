"""What people read about their data: ``/ssi privacy`` answers and the ``/ssi forget-me``
prompt with its confirmation buttons."""

from __future__ import annotations

from typing import Any

from models.domain.history import PersonHistory
from models.domain.privacy import Privacy
from models.domain.words import NP_
from models.services import readings
from slackapp.language.speech import _, n_, p_
from slackapp.render.blocks import Message, notice, slack_date

FORGET_CONFIRM = "ssi_forget_me_confirm"


FORGET_CANCEL = "ssi_forget_me_cancel"


_EXPLAINED = {
    Privacy.PUBLIC: NP_("privacy", "Your name shows on channel leaderboards."),
    Privacy.ANONYMOUS: NP_(
        "privacy", "Channel leaderboards show your score without your name (as “Anonymous”)."
    ),
    Privacy.HIDDEN: NP_("privacy", "You're left off channel leaderboards."),
}
# The choices' own words, as /ssi privacy takes them in each language.
PRIVACY_WORDS = {
    Privacy.PUBLIC: NP_("privacy word", "public"),
    Privacy.ANONYMOUS: NP_("privacy word", "anonymous"),
    Privacy.HIDDEN: NP_("privacy word", "hidden"),
}


def privacy_word(privacy: Privacy) -> str:
    """``public``, ``anonymous`` or ``hidden`` in the active language."""
    return p_("privacy word", PRIVACY_WORDS[privacy])


def privacy_reply(privacy: Privacy) -> Message:
    other = " · ".join(f"`/ssi privacy {privacy_word(p)}`" for p in Privacy if p is not privacy)
    text = _(
        "Privacy set to *{choice}*. {explained} Either way your score counts in your team's "
        "average, and your team's managers see you by name in their weekly summary.\nOr: {other}"
    ).format(
        choice=privacy_word(privacy), explained=p_("privacy", _EXPLAINED[privacy]), other=other
    )
    return notice(text, ":lock:")


def _span(history: PersonHistory) -> str:
    if history.count == 0 or history.first is None or history.last is None:
        return _("no SSI submissions")
    if history.count == 1:
        return _("1 SSI submission (from {first})").format(first=slack_date(history.first))
    return n_(
        "{count} SSI submission (from {first} to {last})",
        "{count} SSI submissions (from {first} to {last})",
        history.count,
    ).format(count=history.count, first=slack_date(history.first), last=slack_date(history.last))


def forget_me_prompt(history: PersonHistory) -> Message:
    """The confirmation, with the buttons: nothing is deleted before the click."""
    text = _(
        "This deletes everything I keep about you in this workspace: {what} and your settings "
        "(reminders, privacy, language). Leaderboards and managers' summaries won't show your "
        "scores any more; while you're in a team's channel, its post still lists you among "
        "those who haven't shared. It can't be undone."
    ).format(what=_span(history))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: {text}"}},
        {
            "type": "actions",
            "block_id": "ssi_forget_me",
            "elements": [
                {
                    "type": "button",
                    "action_id": FORGET_CONFIRM,
                    "text": {"type": "plain_text", "text": _("Delete my data")},
                    "style": "danger",
                    "value": "forget-me",
                    "confirm": {
                        "title": {"type": "plain_text", "text": _("Delete your SSI data?")},
                        "text": {"type": "plain_text", "text": _("This can't be undone.")},
                        "confirm": {"type": "plain_text", "text": _("Delete")},
                        "deny": {"type": "plain_text", "text": _("Keep it")},
                        "style": "danger",
                    },
                },
                {
                    "type": "button",
                    "action_id": FORGET_CANCEL,
                    "text": {"type": "plain_text", "text": _("Keep my data")},
                    "value": "keep",
                },
            ],
        },
    ]
    return Message(
        text=_("Delete all your SSI data in this workspace?") + " " + text, blocks=blocks
    )


def forgotten_reply(forgotten: readings.Forgotten) -> Message:
    if forgotten.submissions.count == 0 and not forgotten.settings:
        return notice(
            _("There was nothing to delete: I keep no readings or settings of yours here.")
        )
    if forgotten.settings:
        done = _(
            "Done. I deleted {what} and your settings. Leaderboards and summaries won't show "
            "your scores from now on (a team's post still lists you as not shared while you're "
            "in its channel); share an SSI again any time to come back."
        )
    else:
        done = _(
            "Done. I deleted {what}. Leaderboards and summaries won't show your scores from now "
            "on (a team's post still lists you as not shared while you're in its channel); "
            "share an SSI again any time to come back."
        )
    return notice(done.format(what=_span(forgotten.submissions)), ":wastebasket:")


def kept_reply() -> Message:
    return notice(_("Nothing was deleted."))
