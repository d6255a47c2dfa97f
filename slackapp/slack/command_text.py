"""Parse the text people type after ``/ssi`` into what they asked for.

Pure functions, no Slack and no database. Every way the text can be wrong ends in an
``InvalidReading`` whose message says what is wrong in the user's terms; the listener adds a
correct example. Nothing here raises anything else for any input (the tests fuzz it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.domain.ssi import (
    PILLAR_MAX,
    Benchmark,
    InvalidReading,
    Pillar,
    Reading,
    build_benchmark,
    build_reading,
)

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
    }
)
AWAY_EXAMPLE = "/ssi away until 2026-12-24"
AWAY_EXPLANATION = (
    f"Say `{AWAY_EXAMPLE}` with the last day you're away (year-month-day), and `/ssi back` "
    "when you return early."
)
# A subcommand's allowed argument, and what to say when it is missing or wrong.
CHOICES = {
    "remind": (
        ("on", "off"),
        "Say `/ssi remind off` to stop reminders, or `/ssi remind on` to get them again.",
    ),
    "export": (
        ("me", "team"),
        "Say `/ssi export` for your own history as a CSV, or `/ssi export team` in a team's "
        "channel for the team's (its managers and workspace admins only).",
    ),
    "privacy": (
        ("public", "anonymous", "hidden"),
        "Say `/ssi privacy public` (your name on channel boards), `/ssi privacy anonymous` "
        "(your score without your name) or `/ssi privacy hidden` (off channel boards; still "
        "counted in your team's average, and your managers still see you).",
    ),
}
BENCHMARK_WORDS = frozenset({"industry", "network"})

_NUMBER = re.compile(r"(?P<sign>[-+\u2212])?(?P<digits>\d+(?:[.,]\d*)?|[.,]\d+)(?P<percent>%)?")
_SEPARATORS = re.compile(r"[\s;|/]+")
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


Request = OpenModal | Subcommand | Submit


@dataclass(frozen=True, slots=True)
class _Number:
    value: Decimal
    percent: bool
    typed: str


def unescape_slack(text: str) -> str:
    """Undo Slack's escaping of the three control characters in command text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_number(typed: str, label: str, field: str | None = None) -> Decimal:
    """One number as a person types it: ``21``, ``21.4`` or ``21,4`` (comma decimals)."""
    number = _as_number(typed.strip())
    if number is None:
        raise InvalidReading(
            f"{label} should be a number, like 21 or 21,4 (you typed “{typed}”).", field
        )
    if number.percent:
        raise InvalidReading(f"{label} is a score, not a percentage (you typed “{typed}”).", field)
    return number.value


def _as_number(token: str) -> _Number | None:
    match = _NUMBER.fullmatch(token)
    if match is None:
        return None
    digits = match["digits"].replace(",", ".").rstrip(".")
    value = Decimal(digits if not digits.startswith(".") else "0" + digits)
    if match["sign"] in ("-", "\u2212"):  # people paste a typographic minus too
        value = -value
    return _Number(value=value, percent=bool(match["percent"]), typed=token)


def _tokens(text: str) -> list[str]:
    """Split on blanks and list separators. A comma is a decimal mark inside one number
    (``21,4``) but a separator in ``68, 21`` or ``68,21,17,14,16``."""
    tokens: list[str] = []
    for raw in _SEPARATORS.split(text):
        raw = raw.strip(",")
        if not raw:
            continue
        if raw.count(",") > 1:
            tokens.extend(part for part in raw.split(",") if part)
        elif raw == "%" and tokens:
            tokens[-1] += "%"  # "top 5 %", as LinkedIn's page writes it
        else:
            tokens.append(raw)
    return tokens


def parse(text: str) -> Request:
    """Parse ``/ssi`` text. Raises ``InvalidReading`` with a user-facing message."""
    text = unescape_slack(text or "").strip()
    if not text:
        return OpenModal()
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidReading(
            f"That's {len(text)} characters, far more than an SSI needs. "
            "Type just the numbers from your SSI page."
        )
    tokens = _tokens(text)
    first = tokens[0].lower() if tokens else ""
    if first in ("forget", "forgetme") and [t.lower() for t in tokens[1:]] in (["me"], []):
        tokens, first = ["forget-me"], "forget-me"  # "/ssi forget me", "/ssi forgetme"
    if first in SUBCOMMANDS:
        if first == "export" and len(tokens) == 1:
            return Subcommand(first, "me")
        if first == "away":
            return Subcommand(first, _away_date(tokens[1:]).isoformat())
        if first in CHOICES:
            allowed, explanation = CHOICES[first]
            choice = tokens[1].lower() if len(tokens) == 2 else ""
            if choice not in allowed:
                raise InvalidReading(explanation)
            return Subcommand(first, choice)
        if len(tokens) > 1 and first != "help":
            raise InvalidReading(f"`/ssi {first}` takes nothing after it.")
        return Subcommand(first)
    return Submit(_parse_reading(tokens))


def _away_date(tokens: list[str]) -> date:
    """``until 2026-12-24`` (or just the date): the last day someone is away."""
    if tokens and tokens[0].lower() == "until":
        tokens = tokens[1:]
    if len(tokens) != 1:
        raise InvalidReading(AWAY_EXPLANATION)
    try:
        if _ISO_DATE.fullmatch(tokens[0]):
            return date.fromisoformat(tokens[0])
    except ValueError:  # 2026-02-30
        pass
    raise InvalidReading(f"“{tokens[0][:20]}” isn't a date I can read. {AWAY_EXPLANATION}")


def _parse_reading(tokens: list[str]) -> Reading:
    numbers: list[_Number] = []
    position = 0
    while position < len(tokens) and (number := _as_number(tokens[position])) is not None:
        numbers.append(number)
        position += 1
    benchmarks: dict[str, Benchmark] = {}
    while position < len(tokens):
        word = tokens[position].lower()
        if word not in BENCHMARK_WORDS:
            raise InvalidReading(_unknown_word_message(tokens[position], bool(numbers)))
        if word in benchmarks:
            raise InvalidReading(f"You gave “{word}” twice; give it once.")
        benchmarks[word], position = _parse_benchmark(word, tokens, position + 1)
    return _reading_from_numbers(numbers, benchmarks)


def _unknown_word_message(token: str, after_numbers: bool) -> str:
    if after_numbers:
        return (
            f"I didn't understand “{token}”. After the scores you can add "
            "`industry 22 top 5% network 37 top 14%`."
        )
    return f"I didn't understand “{token}”. Type your SSI as numbers, or see `/ssi help`."


def _parse_benchmark(name: str, tokens: list[str], position: int) -> tuple[Benchmark, int]:
    """``industry 22``, ``industry top 5%``, ``industry 22 top 5%`` (and network alike)."""
    average: Decimal | None = None
    top: Decimal | None = None
    while position < len(tokens):
        word = tokens[position].lower()
        if word == "top":
            if top is not None:
                raise InvalidReading(f"Your {name} rank is given twice.", f"{name}_top")
            following = tokens[position + 1] if position + 1 < len(tokens) else ""
            number = _as_number(following)
            if number is None:
                raise InvalidReading(
                    f"After “{name} … top” I need a percentage, like `top 5%`.", f"{name}_top"
                )
            top, position = number.value, position + 2
        elif (number := _as_number(tokens[position])) is not None:
            if number.percent and top is None:
                top = number.value  # "industry 22 5%": a percentage can only be the rank
            elif average is None and not number.percent:
                average = number.value
            else:
                raise InvalidReading(
                    f"There's an extra number after “{name}”: {number.typed}. "
                    f"Write it as `{name} 22 top 5%`.",
                    f"{name}_average",
                )
            position += 1
        else:
            break
    if average is None and top is None:
        raise InvalidReading(
            f"After “{name}” I need the {name} average from your SSI page, like `{name} 22`.",
            f"{name}_average",
        )
    return build_benchmark(name, average, top), position


def _reading_from_numbers(numbers: list[_Number], benchmarks: dict[str, Benchmark]) -> Reading:
    for number in numbers:
        if number.percent:
            raise InvalidReading(
                f"{number.typed} looks like a percentage. Scores are plain numbers; a rank "
                "goes after its label, like `industry 22 top 5%`."
            )
    count = len(numbers)
    if count not in (4, 5):
        raise InvalidReading(_count_message(count))
    values = [n.value for n in numbers]
    if count == 4 and values[0] > PILLAR_MAX and all(v <= PILLAR_MAX for v in values[1:]):
        raise InvalidReading(
            f"{numbers[0].typed} looks like your total, but then only three pillars follow. "
            "I need all four: brand, find, engage and relate."
        )
    total = values[0] if count == 5 else None
    pillars = dict(zip(Pillar, values[-4:], strict=True))
    return build_reading(
        total,
        pillars,
        industry=benchmarks.get("industry", Benchmark()),
        network=benchmarks.get("network", Benchmark()),
    )


def _count_message(count: int) -> str:
    if count == 0:
        return "I need your SSI numbers: the total, then brand, find, engage and relate."
    if count < 4:
        return (
            f"I got {count} number{'s' if count > 1 else ''}, but I need all four pillars "
            "(brand, find, engage, relate), optionally with the total first."
        )
    hint = (
        " To add your industry and network averages, label them: `industry 22 network 37`."
        if count in (6, 7)
        else ""
    )
    return f"I got {count} numbers, but an SSI has a total and four pillars (5 at most).{hint}"
