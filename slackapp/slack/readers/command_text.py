"""Parse the text people type after ``/ssi`` into what they asked for.

Pure functions, no Slack and no database. Every way the text can be wrong ends in an
``InvalidReading`` whose message says what is wrong in the user's terms; the listener adds a
correct example. Nothing here raises anything else for any input (the tests fuzz it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from models.domain.ssi import InvalidReading, Reading
from models.domain.words import N_, Phrase
from slackapp.language.vocabulary import FILLERS, english
from slackapp.slack.readers.command_choices import AWAY_EXPLANATION, CHOICES, LANGUAGE_NAMES
from slackapp.slack.readers.typed_numbers import tokens_of, unescape_slack
from slackapp.slack.readers.typed_reading import parse_reading

MAX_TEXT_LENGTH = 300
SUBCOMMANDS = frozenset(
    {
        "help",
        "me",
        "board",
        "undo",
        "setup",
        "remind",
        "privacy",
        "forget-me",
        "export",
        "away",
        "back",
        "language",
    }
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class OpenModal:
    """Bare ``/ssi``: open the submission modal."""


@dataclass(frozen=True, slots=True)
class Subcommand:
    """``/ssi help``, ``me``, ``board``, ``undo``, ``setup``, ``remind on|off``,
    ``privacy public|anonymous|hidden``, ``forget-me``, ``export [me|team]``,
    ``away until YYYY-MM-DD`` (the argument: the ISO date) or ``back``."""

    name: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Submit:
    """A new SSI reading to store."""

    reading: Reading


@dataclass(frozen=True, slots=True)
class PastedPage:
    """A copy of LinkedIn's SSI page (or its JSON) pasted after ``/ssi``: previewed, and
    stored only on Save."""

    text: str


Request = OpenModal | Subcommand | Submit | PastedPage

PAGE_LINES = 4  # a paste of the page: several lines (Slack keeps a pasted text's breaks)


def _pasted_page(text: str) -> bool:
    """Text meant as the SSI page rather than as a command: the page's JSON, or many lines,
    or more than a command ever holds."""
    stripped = text.lstrip()
    return (
        stripped.startswith("{")
        or text.count("\n") + 1 >= PAGE_LINES
        or len(text) > MAX_TEXT_LENGTH
    )


def meant_as_command(text: str) -> bool:
    """Whether text sent to the app reads as an attempt at ``/ssi``'s typed forms (its first
    word a number or a subcommand), as opposed to something else: in the Messages tab such
    text that isn't a valid command gets the command's refusal, other text the page's."""
    tokens = tokens_of(unescape_slack(text or ""))
    if not tokens:
        return False
    first = english(tokens[0])
    return first in SUBCOMMANDS or first in ("forget", "forgetme") or tokens[0][0].isdigit()


def parse(text: str) -> Request:
    """Parse ``/ssi`` text. Raises ``InvalidReading`` with a user-facing message."""
    text = unescape_slack(text or "").strip()
    if not text:
        return OpenModal()
    if _pasted_page(text):
        if len(text) <= MAX_TEXT_LENGTH and not text.lstrip().startswith("{"):
            try:  # "68\n21\n17\n14\n16": typed on several lines, still a command
                return _typed(text)
            except InvalidReading:
                pass
        return PastedPage(text)
    return _typed(text)


def _typed(text: str) -> Request:
    """A command as typed (not a page)."""
    tokens = tokens_of(text)
    words = [english(t) for t in tokens]
    first = words[0] if words else ""
    if first in ("forget", "forgetme") and words[1:] in (["me"], []):
        tokens = words = ["forget-me"]  # "/ssi forget me", "/ssi forgetme"
        first = "forget-me"
    if first in SUBCOMMANDS:
        if first == "export" and len(words) == 1:
            return Subcommand(first, "me")
        if first == "away":
            return Subcommand(first, _away_date(tokens[1:]).isoformat())
        if first in CHOICES:
            allowed, explanation = CHOICES[first]
            choice = words[1] if len(words) == 2 else ""
            choice = LANGUAGE_NAMES.get(choice, choice) if first == "language" else choice
            if choice not in allowed:
                raise InvalidReading(explanation)
            return Subcommand(first, choice)
        if len(tokens) > 1 and first != "help":
            raise InvalidReading(
                N_("`/ssi {command}` takes nothing after it."), command=tokens[0][:20]
            )
        return Subcommand(first)
    return Submit(parse_reading(tokens))


def _away_date(tokens: list[str]) -> date:
    """``until 2026-12-24`` (or just the date): the last day someone is away."""
    if tokens and english(tokens[0]) == "until":
        tokens = tokens[1:]
        if len(tokens) > 1 and tokens[0].lower() in FILLERS:  # "fino al 2026-12-24"
            tokens = tokens[1:]
    if len(tokens) != 1:
        raise InvalidReading(AWAY_EXPLANATION)
    try:
        if _ISO_DATE.fullmatch(tokens[0]):
            return date.fromisoformat(tokens[0])
    except ValueError:  # 2026-02-30
        pass
    raise InvalidReading(
        N_("“{typed}” isn't a date I can read. {then}"),
        typed=tokens[0][:20],
        then=Phrase(AWAY_EXPLANATION),
    )
