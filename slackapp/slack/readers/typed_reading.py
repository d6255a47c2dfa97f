"""A reading as typed after ``/ssi``: four pillars (the total first, or not), then
``industry 22 top 5%`` and ``network 37 top 14%`` if the person adds them. Pure functions:
every way the text can be wrong ends in an ``InvalidReading`` in the person's terms."""

from __future__ import annotations

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
from models.domain.words import N_
from slackapp.language.vocabulary import english
from slackapp.slack.readers.command_choices import NEED_AVERAGE, count_refusal
from slackapp.slack.readers.typed_numbers import TypedNumber, as_number

BENCHMARK_WORDS = frozenset({"industry", "network"})


def parse_reading(tokens: list[str]) -> Reading:
    numbers: list[TypedNumber] = []
    position = 0
    while position < len(tokens) and (number := as_number(tokens[position])) is not None:
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
            number = as_number(following)
            if number is None:
                raise InvalidReading(
                    N_("After “{word} … top” I need a percentage, like `top 5%`."),
                    f"{name}_top",
                    word=typed_name,
                )
            top, position = number.value, position + 2
        elif (number := as_number(tokens[position])) is not None:
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


def _reading_from_numbers(numbers: list[TypedNumber], benchmarks: dict[str, Benchmark]) -> Reading:
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
