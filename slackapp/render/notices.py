"""Short answers that aren't about a reading: help, settings confirmed, and the apologies
(busy, broken, a form that wouldn't open). Block Kit out; nothing here talks to Slack."""

from __future__ import annotations

from enum import StrEnum

from models.domain.teams import NotAllowed
from slackapp.language.speech import _
from slackapp.render.blocks import EXAMPLE, Message, escape, notice, section


class Guarded(StrEnum):
    """What only a team's managers (or a workspace admin) may do."""

    SETUP = "setup"
    EXPORT = "export"


def not_allowed(refused: NotAllowed, act: Guarded) -> Message:
    """The one answer to ``NotAllowed``, whatever was refused: who may do it, and whom to
    ask (the team's managers, by mention). A whole sentence per act: languages don't agree
    on where the verb goes."""
    if act is Guarded.EXPORT:
        text = _(
            "Not allowed: only this team's managers and workspace admins can export its "
            "history. `/ssi export` sends you your own."
        )
    else:
        text = _("Only this team's managers or a workspace admin can change its set-up.")
    if refused.team.managers:
        managers = ", ".join(f"<@{m}>" for m in refused.team.managers)
        text += " " + _("Ask {managers}.").format(managers=managers)
    return notice(text, ":no_entry:")


def help_text() -> str:
    """How to share an SSI, every form."""
    return _(
        "*Share your LinkedIn Social Selling Index* (from linkedin.com/sales/ssi):\n"
        "• `/ssi 68 21 17 14 16`: your total, then the four pillars (brand, find, engage, "
        "relate)\n"
        "• `/ssi 21 17 14 16`: just the pillars; I add them up\n"
        "• `/ssi 72 21,4 17,66 13,78 19,4`: decimals with a comma or a point are both fine\n"
        "• `/ssi 68 21 17 14 16 industry 22 network 37`: add your industry and network "
        "averages\n"
        "• `/ssi 68 21 17 14 16 industry 22 top 5% network 37 top 14%`: and your ranks there\n"
        "• `/ssi`: a form, filled in with your last numbers"
    )


def help_more() -> str:
    """Every other command, in one paragraph."""
    return _(
        "*More:* `/ssi me` your trend and where you rank · `/ssi board` this channel's "
        "leaderboard · `/ssi undo` remove your latest submission · `/ssi remind off` (or "
        "`on`) weekly reminders · `/ssi setup` make this channel a team with a weekly "
        "leaderboard · `/ssi privacy public`, `anonymous` or `hidden` how channel leaderboards "
        "show you · `/ssi export` your history as a CSV (`/ssi export team`: a team's, for its "
        "managers) · `/ssi away until 2026-12-24` and `/ssi back` pause reminders and streaks "
        "· `/ssi language de` my replies in German (en, es, it, nl; `auto`: your Slack "
        "language) · `/ssi forget-me` delete your data · `/ssi help` this message"
    )


def paste_hint() -> str:
    """Sharing without retyping: the page pasted into the app's Messages tab."""
    return _(
        "*Or don't retype:* open linkedin.com/sales/ssi, select all, copy, and paste it into a "
        "message to me (my Messages tab). I show you what I read; nothing is saved until you "
        "press Save."
    )


def paste_tip() -> str:
    """The short form of ``paste_hint``: for a reminder and the App Home."""
    return _(
        "No retyping: paste your whole SSI page into a message to me, and I read it for you "
        "(nothing is saved until you press Save)."
    )


def typed_here_hint() -> str:
    """The Messages tab takes ``/ssi``'s typed forms too."""
    return _(
        "In a message to me, everything works without `/ssi` too: `68 21 17 14 16`, `me`, "
        "`undo`, `help`."
    )


def command_only(typed: str) -> Message:
    """A typed form sent as a message that opens a form: Slack lets only a command do it."""
    text = _(
        "`/ssi {command}` opens a form, and Slack opens forms only for a command: type "
        "`/ssi {command}` in the message box."
    ).format(command=escape(typed[:40]))
    return notice(text, ":point_right:")


def board_in_a_dm() -> Message:
    """``board`` asked in a DM: boards belong to teams' channels."""
    text = _(
        "Boards belong to a team's channel: type `/ssi board` there. Here, `me` shows your own SSI."
    )
    return notice(text, ":trophy:")


def help_reply() -> Message:
    blocks = [
        section(help_text()),
        section(f"{paste_hint()} {typed_here_hint()}"),
        section(help_more()),
    ]
    return Message(
        text=_("How to use /ssi: /ssi 68 21 17 14 16 (total, then the pillars)."), blocks=blocks
    )


def reminders_reply(on: bool) -> Message:
    text = (
        _(
            "Reminders are on: if you haven't shared your SSI by a few hours before a team's "
            "weekly leaderboard, I'll send you a note. `/ssi remind off` stops them."
        )
        if on
        else _("Reminders are off. `/ssi remind on` turns them back on.")
    )
    return notice(text)


def language_reply(chosen: str, speaking: str) -> Message:
    """``/ssi language``: ``chosen`` is a language's code or ``auto``; ``speaking`` the name
    of the language replies now use."""
    if chosen == "auto":
        text = _(
            "I'll follow your Slack language again: {language}. `/ssi language de` (or en, es, "
            "it, nl) picks one."
        )
    else:
        text = _(
            "From now on I answer you in {language}. Team posts keep the team's language. "
            "`/ssi language auto` follows your Slack language again."
        )
    return notice(text.format(language=speaking), ":speech_balloon:")


def unknown_command_reply(command: str) -> Message:
    return notice(
        _("I only answer `/ssi`, not `{command}`. Try `/ssi help`.").format(
            command=escape(command[:40])
        ),
        ":thinking_face:",
    )


def internal_error_reply() -> Message:
    text = _(
        "Sorry, something went wrong on our side and nothing was saved. Please try again in a "
        "minute."
    )
    return notice(text, ":warning:")


def busy_reply() -> Message:
    text = _(
        "SSI Leaderboard is busy right now, so nothing was saved. Please try again in a moment."
    )
    return notice(text, ":hourglass:")


def form_unavailable_reply() -> Message:
    text = _(
        "Sorry, I couldn't open the form just now. Try `/ssi` again, or type your numbers: "
        "`{example}`."
    ).format(example=EXAMPLE)
    return notice(text, ":warning:")


def no_workspace_reply() -> Message:
    text = _(
        "Slack didn't say which workspace this came from, so nothing was saved. Please try "
        "again in your workspace."
    )
    return notice(text, ":warning:")
