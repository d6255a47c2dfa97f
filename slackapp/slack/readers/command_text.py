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
    RANK_LABELS,
    Benchmark,
    InvalidReading,
    Pillar,
    Reading,
    build_benchmark,
    build_reading,
)
from models.domain.words import N_, Phrase
from slackapp.language.vocabulary import FILLERS, english
from slackapp.slack.readers.command_choices import (
    AWAY_EXPLANATION,
    CHOICES,
    LANGUAGE_NAMES,
    NEED_AVERAGE,
    count_refusal,
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
        "language",
    }
)
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


ECHOED = 20  # characters of a wrong entry quoted back: enough to recognise it


def echo(typed: str) -> str:
    """What someone typed, quoted back in a refusal: its start, if it is long."""
    return typed if len(typed) <= ECHOED else typed[:ECHOED] + "…"


def parse_number(typed: str, label: Phrase | Pillar, field: str | None = None) -> Decimal:
    """One number as a person types it: ``21``, ``21.4`` or ``21,4`` (comma decimals)."""
    number = _as_number(typed.strip())
    if number is None:
        raise InvalidReading(
            N_("{label} should be a number, like 21 or 21,4 (you typed “{typed}”)."),
            field,
            label=label,
            typed=echo(typed),
        )
    if number.percent:
        raise InvalidReading(
            N_("{label} is a score, not a percentage (you typed “{typed}”)."),
            field,
            label=label,
            typed=echo(typed),
        )
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
            N_(
                "That's {length} characters, far more than an SSI needs. Type just the numbers "
                "from your SSI page."
            ),
            length=len(text),
        )
    tokens = _tokens(text)
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
    return Submit(_parse_reading(tokens))


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


def _parse_reading(tokens: list[str]) -> Reading:
    numbers: list[_Number] = []
    position = 0
    while position < len(tokens) and (number := _as_number(tokens[position])) is not None:
        numbers.append(number)
        position += 1
    benchmarks: dict[str, Benchmark] = {}
    while position < len(tokens):
        word = english(tokens[position])
        if word not in BENCHMARK_WORDS:
            raise _unknown_word(tokens[position], bool(numbers))
        if word in benchmarks:
            raise InvalidReading(
                N_("You gave “{word}” twice; give it once."), word=tokens[position][:20]
            )
        benchmarks[word], position = _parse_benchmark(word, tokens, position + 1)
    return _reading_from_numbers(numbers, benchmarks)


def _unknown_word(token: str, after_numbers: bool) -> InvalidReading:
    if after_numbers:
        return InvalidReading(
            N_(
                "I didn't understand “{word}”. After the scores you can add "
                "`industry 22 top 5% network 37 top 14%`."
            ),
            word=token[:40],
        )
    return InvalidReading(
        N_("I didn't understand “{word}”. Type your SSI as numbers, or see `/ssi help`."),
        word=token[:40],
    )


def _parse_benchmark(name: str, tokens: list[str], position: int) -> tuple[Benchmark, int]:
    """``industry 22``, ``industry top 5%``, ``industry 22 top 5%`` (and network alike)."""
    typed_name = tokens[position - 1][:20].lower()  # as they wrote it: "branche", "red"
    average: Decimal | None = None
    top: Decimal | None = None
    while position < len(tokens):
        word = english(tokens[position])
        if word == "top":
            if top is not None:
                raise InvalidReading(
                    N_("{label} is given twice."), f"{name}_top", label=RANK_LABELS[name]
                )
            following = tokens[position + 1] if position + 1 < len(tokens) else ""
            number = _as_number(following)
            if number is None:
                raise InvalidReading(
                    N_("After “{word} … top” I need a percentage, like `top 5%`."),
                    f"{name}_top",
                    word=typed_name,
                )
            top, position = number.value, position + 2
        elif (number := _as_number(tokens[position])) is not None:
            if number.percent and top is None:
                top = number.value  # "industry 22 5%": a percentage can only be the rank
            elif average is None and not number.percent:
                average = number.value
            else:
                raise InvalidReading(
                    N_(
                        "There's an extra number after “{word}”: {typed}. Write it as "
                        "`{word} 22 top 5%`."
                    ),
                    f"{name}_average",
                    word=typed_name,
                    typed=number.typed[:20],
                )
            position += 1
        else:
            break
    if average is None and top is None:
        raise InvalidReading(NEED_AVERAGE[name], f"{name}_average", word=typed_name)
    return build_benchmark(name, average, top), position


def _reading_from_numbers(numbers: list[_Number], benchmarks: dict[str, Benchmark]) -> Reading:
    for number in numbers:
        if number.percent:
            raise InvalidReading(
                N_(
                    "{typed} looks like a percentage. Scores are plain numbers; a rank goes "
                    "after its label, like `industry 22 top 5%`."
                ),
                typed=number.typed[:20],
            )
    count = len(numbers)
    if count not in (4, 5):
        raise count_refusal(count)
    values = [n.value for n in numbers]
    if count == 4 and values[0] > PILLAR_MAX and all(v <= PILLAR_MAX for v in values[1:]):
        raise InvalidReading(
            N_(
                "{typed} looks like your total, but then only three pillars follow. I need all "
                "four: brand, find, engage and relate."
            ),
            typed=numbers[0].typed[:20],
        )
    total = values[0] if count == 5 else None
    pillars = dict(zip(Pillar, values[-4:], strict=True))
    return build_reading(
        total,
        pillars,
        industry=benchmarks.get("industry", Benchmark()),
        network=benchmarks.get("network", Benchmark()),
    )
