"""What language the app is speaking right now, and how it says things in it.

The language is a context variable, like Django's active translation: a request's middleware
sets the person's (``use``), the weekly run the team's (``speaking``), and everything
rendered inside takes it from there (``_``, ``n_``, ``p_``). Numbers and dates are written by
Babel from the locale's own data (``72,4`` and ``23. Nov. 2026`` in German), never by
hand-written tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal, parse_pattern

from models.domain.languages import DEFAULT, Language
from models.domain.ssi import Pillar
from models.domain.weeks import TeamWeek
from models.domain.words import NP_, Explained, Phrase
from slackapp.language.catalogs import translations

_active: ContextVar[Language] = ContextVar("language", default=DEFAULT)
_LOCALES = {language: Locale.parse(language.value) for language in Language}
# Parsed once: Babel parses a pattern given as text on every call.
_SCORE = parse_pattern("0.###")  # 68, 21.4, 12.275: as LinkedIn shows them
_ONE_DECIMAL = parse_pattern("0.#")
_CHANGE = parse_pattern("+0.0;-0.0")
_NO_CHANGE = parse_pattern("0.0")


def active() -> Language:
    """The language messages are being written in now."""
    return _active.get()


def use(language: Language) -> None:
    """Write in ``language`` from now on, in this context: Bolt's middleware can't wrap the
    listeners that run after it, so the request's context holds it (each request is
    dispatched in a context of its own)."""
    _active.set(language)


@contextmanager
def speaking(language: Language) -> Iterator[Language]:
    """Write everything inside in ``language``."""
    token = _active.set(language)
    try:
        yield language
    finally:
        _active.reset(token)


def _(message: str) -> str:
    """``message`` (English) in the active language."""
    return translations(_active.get()).gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The singular or a plural form of a message, as the active language counts."""
    return translations(_active.get()).ngettext(singular, plural, count)


def p_(context: str, message: str) -> str:
    """``message`` in the active language where the same English word needs telling apart."""
    return translations(_active.get()).pgettext(context, message)


# --- Numbers and dates -------------------------------------------------------------------


def score(value: Decimal) -> str:
    """A score as LinkedIn shows it: 68, 21.4, 12.275 (21,4 in German)."""
    return _formatted(value, "score", _active.get())


def as_read(value: Decimal) -> str:
    """A number as read off LinkedIn's SSI page, all its places (12.275), the local way."""
    return _typed(value)


def one_decimal(value: Decimal) -> str:
    """A computed figure to one decimal, without a trailing zero: 34.8, 50."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _formatted(rounded, "one decimal", _active.get())


def delta(value: Decimal) -> str:
    """A change with one decimal and a sign: +1.4, -0.3, 0.0. Never rounded away."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if not rounded:  # -0.04 is no change either: "0.0", not "-0.0"
        return _formatted(Decimal("0.0"), "no change", _active.get())
    return _formatted(rounded, "change", _active.get())


_PATTERNS = {
    "score": _SCORE,
    "one decimal": _ONE_DECIMAL,
    "change": _CHANGE,
    "no change": _NO_CHANGE,
}


# Babel formats a number in tens of microseconds, and an answer or a board writes dozens of
# the same few (scores are thousandths from 0 to 100): remembered, they cost a dictionary
# lookup. Equal decimals (21 and 21.0) share an entry, which is right: every pattern here
# fixes the digits shown, so they are written alike.
@lru_cache(maxsize=4096)  # about 1 MB when full
def _formatted(value: Decimal, pattern: str, language: Language) -> str:
    return str(format_decimal(value, format=_PATTERNS[pattern], locale=_LOCALES[language]))


def _decimal_mark() -> str:
    return str(_LOCALES[_active.get()].number_symbols["latn"]["decimal"])


def day(value: date | datetime, *, year: bool = True) -> str:
    """A date the local way: ``Nov 23, 2026`` / ``23. Nov. 2026``; ``Nov 23`` without the
    year."""
    return format_skeleton("yMMMd" if year else "MMMd", value, locale=_LOCALES[_active.get()])


def weekday(index: int) -> str:
    """The name of a weekday (0 is Monday), as the language writes it in a sentence."""
    return str(_LOCALES[_active.get()].days["format"]["wide"][index])


def week_span(week: TeamWeek) -> str:
    """``Nov 16 to Nov 23``: the local dates a team's week runs between."""
    zone = ZoneInfo(week.timezone)
    first, last = week.start.astimezone(zone), week.end.astimezone(zone)
    both_years = first.year != last.year
    return _("{first} to {last}").format(
        first=day(first, year=both_years), last=day(last, year=both_years)
    )


# --- The pillars ------------------------------------------------------------------------


def pillar_title(pillar: Pillar) -> str:
    """The pillar's name as LinkedIn shows it in the active language."""
    return p_("pillar", pillar.title)


def pillar_word(pillar: Pillar) -> str:
    """The pillar's one-word name (brand, find, engage, relate), as the help uses it."""
    return p_("pillar word", PILLAR_WORDS[pillar])


def pillar_tip(pillar: Pillar) -> str:
    """One concrete action for the pillar, shown with a person's weakest one."""
    return p_("tip", PILLAR_TIPS[pillar])


# --- Refusals from the domain -----------------------------------------------------------


def explain(error: Explained) -> str:
    """A domain refusal in the active language, each value written the local way."""
    return _(error.template).format(**{k: _shown(v) for k, v in error.params.items()})


def _shown(value: Any) -> str:
    if isinstance(value, Pillar):
        return _("“{pillar}” ({word})").format(pillar=pillar_title(value), word=pillar_word(value))
    if isinstance(value, Phrase):
        return _(value)
    if isinstance(value, Decimal):
        return _typed(value)
    if isinstance(value, date):
        return day(value)
    return str(value)


def _typed(value: Decimal) -> str:
    """A number as it was typed or computed (all its places), with the local decimal mark."""
    return f"{value.normalize():f}".replace(".", _decimal_mark())


# The English words and tips are the catalogs' message ids (``NP_`` marks them for extraction).
PILLAR_WORDS = {
    Pillar.BRAND: NP_("pillar word", "brand"),
    Pillar.FIND: NP_("pillar word", "find"),
    Pillar.ENGAGE: NP_("pillar word", "engage"),
    Pillar.RELATE: NP_("pillar word", "relate"),
}
# One concrete action per pillar, shown with the weakest one (DESIGN.md section 8). Short on
# purpose: a reply in Slack is read in seconds. Each language's are written anew, not
# translated word for word.
PILLAR_TIPS = {
    Pillar.BRAND: NP_(
        "tip",
        "Rewrite your headline around the two or three keywords you want to be known for, "
        "and ask one client for a recommendation this week.",
    ),
    Pillar.FIND: NP_(
        "tip",
        "Run one search with filters (industry, location, company size) and connect with "
        "five people from it, each with a personal note.",
    ),
    Pillar.ENGAGE: NP_(
        "tip",
        "Spend ten minutes a day: leave one comment with substance on a customer's post, "
        "or share a useful article and end it with a question.",
    ),
    Pillar.RELATE: NP_(
        "tip",
        "After every meeting this week, connect with the people you met and send a short "
        "thank-you that mentions something they said.",
    ),
}
