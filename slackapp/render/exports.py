"""What ``/ssi export`` says: the answer at once, the refusals, the file's title and comment.
In the person's language, like every other reply."""

from __future__ import annotations

from slackapp.language.speech import _, n_
from slackapp.render.blocks import Message, notice


def preparing(team: bool) -> Message:
    if team:
        return notice(_("Preparing your team's SSI history as a CSV file; it arrives in a DM."))
    return notice(_("Preparing your SSI history as a CSV file; it arrives in a DM."))


def not_a_team() -> Message:
    return notice(
        _(
            "This channel isn't a team, so there is no team history here. `/ssi export` "
            "sends you your own."
        )
    )


def file_title(team: bool) -> str:
    return _("Your team's SSI history") if team else _("Your SSI history")


def file_comment(team: bool, count: int) -> str:
    return n_(
        "{title}: {count} submission, as CSV (scores out of 100).",
        "{title}: {count} submissions, as CSV (scores out of 100).",
        count,
    ).format(title=file_title(team), count=count)


def send_failed() -> Message:
    return notice(_("Sorry, I couldn't send the file. Please try again."))
