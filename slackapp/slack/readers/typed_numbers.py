"""Numbers as people type them after ``/ssi`` or into a form: ``21``, ``21.4`` or
``21,4`` (comma decimals), a typographic minus, ``5%``; and the text cut into such tokens.
Pure functions: every way a number can be wrong ends in an ``InvalidReading``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from models.domain.ssi import InvalidReading, Pillar
from models.domain.words import N_, Phrase

_NUMBER = re.compile(r"(?P<sign>[-+\u2212])?(?P<digits>\d+(?:[.,]\d*)?|[.,]\d+)(?P<percent>%)?")
_SEPARATORS = re.compile(r"[\s;|/]+")


@dataclass(frozen=True, slots=True)
class TypedNumber:
    """A number as typed: its value, whether a ``%`` followed it, and the text itself
    (quoted back in a refusal)."""

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
    number = as_number(typed.strip())
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


def as_number(token: str) -> TypedNumber | None:
    match = _NUMBER.fullmatch(token)
    if match is None:
        return None
    digits = match["digits"].replace(",", ".").rstrip(".")
    value = Decimal(digits if not digits.startswith(".") else "0" + digits)
    if match["sign"] in ("-", "\u2212"):  # people paste a typographic minus too
        value = -value
    return TypedNumber(value=value, percent=bool(match["percent"]), typed=token)


def tokens_of(text: str) -> list[str]:
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
