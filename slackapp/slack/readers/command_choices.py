"""What ``/ssi`` subcommands accept, and the refusals that explain the accepted forms (in
the catalogs' English; shown in the person's language)."""

from __future__ import annotations

from models.domain.languages import Language
from models.domain.ssi import InvalidReading
from models.domain.words import N_

AWAY_EXPLANATION = N_(
    "Say `/ssi away until 2026-12-24` with the last day you're away (year-month-day), and "
    "`/ssi back` when you return early."
)
AUTO = "auto"  # /ssi language auto: follow Slack's language again
# A subcommand's allowed argument, and what to say when it is missing or wrong.
CHOICES = {
    "remind": (
        ("on", "off"),
        N_("Say `/ssi remind off` to stop reminders, or `/ssi remind on` to get them again."),
    ),
    "export": (
        ("me", "team"),
        N_(
            "Say `/ssi export` for your own history as a CSV, or `/ssi export team` in a team's "
            "channel for the team's (its managers and workspace admins only)."
        ),
    ),
    "privacy": (
        ("public", "anonymous", "hidden"),
        N_(
            "Say `/ssi privacy public` (your name on channel boards), `/ssi privacy anonymous` "
            "(your score without your name) or `/ssi privacy hidden` (off channel boards; "
            "still counted in your team's average, and your managers still see you)."
        ),
    ),
    "language": (
        (AUTO, *(language.value for language in Language)),
        N_(
            "Say `/ssi language de` (or en, es, it, nl) to have my replies in that language, "
            "or `/ssi language auto` to follow your Slack language again."
        ),
    ),
}
NEED_AVERAGE = {
    "industry": N_(
        "After “{word}” I need the industry average from your SSI page, like `{word} 22`."
    ),
    "network": N_(
        "After “{word}” I need the network average from your SSI page, like `{word} 37`."
    ),
}
# A language may also be named in itself: /ssi language deutsch.
LANGUAGE_NAMES = {
    "english": "en",
    "deutsch": "de",
    "espanol": "es",
    "italiano": "it",
    "nederlands": "nl",
}


def count_refusal(count: int) -> InvalidReading:
    """Too few or too many numbers for an SSI."""
    if count == 0:
        return InvalidReading(
            N_("I need your SSI numbers: the total, then brand, find, engage and relate.")
        )
    if count == 1:
        return InvalidReading(
            N_(
                "I got 1 number, but I need all four pillars (brand, find, engage, relate), "
                "optionally with the total first."
            )
        )
    if count < 4:
        return InvalidReading(
            N_(
                "I got {count} numbers, but I need all four pillars (brand, find, engage, "
                "relate), optionally with the total first."
            ),
            count=count,
        )
    if count in (6, 7):
        return InvalidReading(
            N_(
                "I got {count} numbers, but an SSI has a total and four pillars (5 at most). "
                "To add your industry and network averages, label them: "
                "`industry 22 network 37`."
            ),
            count=count,
        )
    return InvalidReading(
        N_("I got {count} numbers, but an SSI has a total and four pillars (5 at most)."),
        count=count,
    )
